"""Command-line interface (click).

Exit codes: 0 = ran and the quality gate passed, 1 = the quality gate failed,
2 = usage or input error (one line on stderr, no traceback, no output file).
Library errors (``mtcheck.errors``) become user messages here, and only here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from mtcheck import __version__
from mtcheck.errors import ConfigError, MtcheckError

FORMATS = ("json", "jsonl", "html", "sarif", "junit", "md", "terminal")
SUFFIX = {"json": ".json", "jsonl": ".jsonl", "html": ".html", "sarif": ".sarif", "junit": ".xml", "md": ".md"}


class MtcheckGroup(click.Group):
    """Turns library errors into one-line messages with exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MtcheckError as exc:
            click.echo(f"mtcheck: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # e.g. permission denied on a path the user gave
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.echo(f"mtcheck: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)


@click.group(cls=MtcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mtcheck")
def cli() -> None:
    """Check machine translations against their originals.

    \b
    Exit codes: 0 passed, 1 quality gate failed, 2 usage or input error.
    """


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def output_paths(out: str | None, formats: list[str]) -> dict[str, Path | None]:
    """Where each format goes: ``None`` means stdout. See ``mtcheck check --help``."""
    files = [f for f in formats if f != "terminal"]
    if out is None:
        if len(files) > 1:
            raise ConfigError("--output", "several formats need -o/--output (a path stem)")
        return {f: None for f in files}
    p = Path(out)
    if len(files) == 1 and p.suffix:
        return {files[0]: p}
    stem = p.with_suffix("") if p.suffix.lower() in SUFFIX.values() else p
    return {f: stem.with_name(stem.name + SUFFIX[f]) for f in files}


def _progress_factory(quiet: bool) -> tuple[Callable | None, Callable[[], None]]:
    """A rich progress bar on stderr (only on a terminal, never with --quiet)."""
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}"),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    prog.start()
    tasks: dict[str, Any] = {}

    def update(stage: str, advance: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = prog.add_task(stage, total=total)
        prog.update(tasks[stage], advance=advance)

    return update, prog.stop


def common_run_options(fn: Callable) -> Callable:
    opts = [
        click.option("--src-lang", default="ru", show_default=True, help="Source language code."),
        click.option("--tgt-lang", default="en", show_default=True, help="MT (target) language code."),
        click.option("--input-format", type=click.Choice(["auto", "documents", "lines", "tsv", "jsonl", "xliff", "tmx"]),
                     default="auto", show_default=True, help="Override input format detection."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Embedding/translation cache (default: $MTCHECK_CACHE or the XDG cache dir)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the on-disk cache."),
        click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar and no terminal summary."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _cache_dir(cache_dir: Path | None, no_cache: bool) -> Path | None:
    if no_cache:
        return None
    from mtcheck.paths import cache_dir as default_cache

    return cache_dir or default_cache()


@cli.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("mt", type=click.Path(path_type=Path), required=False)
@click.option("-o", "--output", "out", default=None,
              help="Output file, or a path stem when several formats are asked for (stem.json, stem.html...). "
                   "Without it the one file format goes to stdout.")
@click.option("-f", "--format", "formats", multiple=True, default=("json",), show_default=True,
              help=f"Comma-separated output formats: {', '.join(FORMATS)}.")
@common_run_options
@click.option("--model", default=None, help="Translation models, e.g. 'en-ru' or 'en-ru,ru-en' or a model path.")
@click.option("--models-home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Installed models directory (default: $MTCHECK_HOME or the XDG data dir).")
@click.option("--mt-logprobs", type=click.Path(path_type=Path), default=None,
              help="Per-token log-probabilities exported by the MT system (one line per MT segment).")
@click.option("--mt-tokens", type=click.Path(path_type=Path), default=None,
              help="The MT in the system's BPE tokens (companion of --mt-logprobs, one line per segment).")
@click.option("--ref", type=click.Path(path_type=Path), default=None,
              help="Human reference translation, aligned like the MT: adds BLEU, chrF++ and TER.")
@click.option("--enable", multiple=True, help="Run only these checks (comma-separated).")
@click.option("--disable", multiple=True, help="Do not run these checks (comma-separated).")
@click.option("--baseline", type=click.Path(path_type=Path), default=None,
              help="Previous report or exported reviewer decisions: only new flags count for the gate.")
@click.option("--min-score", type=float, default=None, help="Gate: minimum mean score (0-100).")
@click.option("--max-bad-share", type=float, default=None, help="Gate: maximum share of 'bad' segments (0-1).")
@click.option("--max-critical", type=int, default=None, help="Gate: maximum number of critical flags.")
@click.option("--max-major", type=int, default=None, help="Gate: maximum number of major flags.")
@click.option("--labels", "labels", default=None, metavar="GOOD,REVIEW",
              help="Score thresholds of the labels: >= GOOD is good, >= REVIEW is review, else bad [default: 70,45].")
def check(src: Path, mt: Path | None, out: str | None, formats: tuple[str, ...], **opts: Any) -> None:
    """Check the machine translation MT of SRC and write a report.

    SRC and MT are two documents (aligned automatically) or line-aligned
    files; a single TSV, JSONL, XLIFF or TMX file holds both sides.
    """
    from mtcheck.run import CheckRequest, execute_check

    fmts = _split(formats)
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise click.BadParameter(f"unknown format {bad[0]!r} (known: {', '.join(FORMATS)})", param_hint="--format")
    paths = output_paths(out, fmts)
    progress, stop = _progress_factory(opts["quiet"])
    try:
        req = CheckRequest(
            src=src, mt=mt, formats=fmts, outputs=paths, input_format=opts["input_format"],
            src_lang=opts["src_lang"], tgt_lang=opts["tgt_lang"],
            cache_dir=_cache_dir(opts["cache_dir"], opts["no_cache"]), threads=opts["threads"],
            model=opts["model"], models_home=opts["models_home"], mt_logprobs=opts["mt_logprobs"],
            mt_tokens=opts["mt_tokens"], ref=opts["ref"], enable=_split(opts["enable"]) or None,
            disable=_split(opts["disable"]), baseline=opts["baseline"],
            gate={"min_mean_score": opts["min_score"], "max_bad_share": opts["max_bad_share"],
                  "max_critical": opts["max_critical"], "max_major": opts["max_major"]},
            labels=_labels(opts["labels"]),
        )
        outcome = execute_check(req, progress=progress)
    finally:
        stop()
    _finish(outcome, fmts, opts["quiet"])


def _labels(value: str | None) -> dict[str, float] | None:
    if value is None:
        return None
    try:
        good, review = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter("expected two numbers GOOD,REVIEW such as 70,45", param_hint="--labels") from None
    if not 0 <= review <= good <= 100:
        raise click.BadParameter("expected 0 <= REVIEW <= GOOD <= 100", param_hint="--labels")
    return {"good": good, "review": review}


def _finish(outcome: Any, fmts: list[str], quiet: bool) -> None:
    for fmt, text in outcome.stdout.items():
        click.echo(text, nl=False)
    if not quiet:
        if "terminal" in fmts or not outcome.stdout:
            click.echo(outcome.terminal, err=True, nl=False)
        for path in outcome.written:
            click.echo(f"wrote {path}", err=True)
    if not outcome.passed:
        for reason in outcome.reasons:
            click.echo(f"mtcheck: gate failed: {reason}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("mt", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None, help="Output file (default stdout).")
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "tsv"]), default=None,
              help="Output format (default: from the -o suffix, else json).")
@common_run_options
def align(src: Path, mt: Path, out: Path | None, fmt: str | None, **opts: Any) -> None:
    """Align the sentences of SRC with those of its translation MT."""
    from mtcheck.run import execute_align

    fmt = fmt or ("tsv" if out is not None and out.suffix.lower() == ".tsv" else "json")
    progress, stop = _progress_factory(opts["quiet"])
    try:
        text = execute_align(src, mt, out, fmt, input_format=opts["input_format"], src_lang=opts["src_lang"],
                             tgt_lang=opts["tgt_lang"], cache_dir=_cache_dir(opts["cache_dir"], opts["no_cache"]),
                             threads=opts["threads"], progress=progress)
    finally:
        stop()
    if out is None:
        click.echo(text, nl=False)
    elif not opts["quiet"]:
        click.echo(f"wrote {out}", err=True)


@cli.command("checks")
def list_checks() -> None:
    """List the available checks and their categories."""
    from mtcheck.checks.base import registry

    for name, cls in sorted(registry().items()):
        state = "on " if cls.enabled_by_default else "off"
        click.echo(f"{name:14s} {state} {', '.join(cls.categories)}")


def _add_commands() -> None:
    """Subcommands that live in their own modules (importing them loads no model)."""
    from mtcheck.baseline_cli import baseline
    from mtcheck.corpus_cli import corpus
    from mtcheck.models_cli import models

    for command in (baseline, corpus, models):
        cli.add_command(command)


_add_commands()


def main() -> None:
    cli(prog_name="mtcheck")


if __name__ == "__main__":  # pragma: no cover
    main()
