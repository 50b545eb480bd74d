"""``mtcheck corpus``: check every document pair of a configured corpus."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from mtcheck.errors import ConfigError


@click.command("corpus")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("-o", "--output", "out", default=None, help="Output path stem (overrides 'output' in the config).")
@click.option("-f", "--format", "formats", multiple=True, help="Comma-separated formats (overrides 'formats').")
@click.option("--changed-since", default=None, metavar="REV", help="Check only pairs with a file changed in git since REV.")
@click.option("--model", default=None, help="Translation models (overrides 'model').")
@click.option("--models-home", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--baseline", type=click.Path(path_type=Path), default=None, help="Overrides 'baseline'.")
@click.option("--min-score", type=float, default=None)
@click.option("--max-bad-share", type=float, default=None)
@click.option("--max-critical", type=int, default=None)
@click.option("--max-major", type=int, default=None)
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--no-cache", is_flag=True)
@click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("-q", "--quiet", is_flag=True)
def corpus(directory: Path, out: str | None, formats: tuple[str, ...], changed_since: str | None, **opts: Any) -> None:
    """Check the corpus configured in DIRECTORY (mtcheck.toml or [tool.mtcheck] in pyproject.toml).

    Unchanged files are served from the cache. Exit 0 when the gate passes, 1 when it fails.
    """
    from mtcheck.cli import _cache_dir, _progress_factory, _split, output_paths
    from mtcheck.config import load_config

    if not directory.is_dir():
        raise ConfigError("DIRECTORY", f"{directory} is not a directory")
    cfg = load_config(directory)
    if not cfg.pairs:
        raise ConfigError("pairs", f"no 'pairs' configured in {cfg.source_file or directory} (see README: corpus mode)")
    fmts = _split(formats) or cfg.formats
    stem = out if out is not None else str(directory / cfg.output)
    paths = output_paths(stem, fmts)
    gate = dict(cfg.gate)
    for key in ("min_score", "max_bad_share", "max_critical", "max_major"):
        if opts[key] is not None:
            gate["min_mean_score" if key == "min_score" else key] = opts[key]
    baseline = opts["baseline"] or (directory / cfg.baseline if cfg.baseline else None)
    if opts["model"]:
        cfg = replace(cfg, model=opts["model"])
    progress, stop = _progress_factory(opts["quiet"])
    try:
        outcome = run_corpus(cfg, fmts, paths, gate, baseline, changed_since,
                             _cache_dir(opts["cache_dir"], opts["no_cache"]), opts["threads"], opts["models_home"],
                             progress, create_output_dirs=True)
    finally:
        stop()
    from mtcheck.cli import _finish

    if not opts["quiet"]:
        click.echo(f"corpus: {outcome.stats['checked']} file pair(s) checked, {outcome.stats['cached']} from cache, "
                   f"{outcome.stats['skipped']} unchanged and skipped", err=True)
    _finish(outcome, fmts, opts["quiet"])


def run_corpus(cfg: Any, fmts: list[str], paths: dict[str, Path | None], gate: dict[str, Any], baseline_path: Path | None,
               changed_since: str | None, cache_dir: Path | None, threads: int, models_home: Path | None,
               progress: Any = None, create_output_dirs: bool = False) -> Any:
    """Check a configured corpus and write its outputs (see ``mtcheck.run.execute_check``).

    ``create_output_dirs``: create missing output folders. The corpus command does: its
    reports folder (default ``reports/``) is usually not in a fresh CI checkout.
    """
    from mtcheck import __version__
    from mtcheck.atomic import check_writable
    from mtcheck.corpus import ResultCache, changed_files, discover, iter_documents
    from mtcheck.paths import home_dir
    from mtcheck.pipeline import Settings, build_engines, make_signature
    from mtcheck.report.json_report import SCHEMA_ID, summarize_documents
    from mtcheck.run import _gate, _load_baseline, thresholds, write_outputs

    thresholds(gate)  # a bad threshold is an error before any work, not after it
    pairs = discover(cfg)
    for path in paths.values():
        if path is not None:
            if create_output_dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
            check_writable(path)
    baseline = _load_baseline(baseline_path)
    stats = {"checked": 0, "cached": 0, "skipped": 0}
    if changed_since:
        changed = changed_files(cfg.root, changed_since)
        kept = [p for p in pairs if p.source.resolve() in changed or (p.mt and p.mt.resolve() in changed)]
        stats["skipped"] = len(pairs) - len(kept)
        pairs = kept
    settings = Settings(src_lang=cfg.src_lang, tgt_lang=cfg.tgt_lang, enable=cfg.enable, disable=cfg.disable,
                        check_options=cfg.check_options, model=cfg.model, models_home=models_home or home_dir(),
                        cache_dir=cache_dir, threads=threads)
    if cfg.labels:
        settings.labels = dict(cfg.labels)
    engines = build_engines(settings, progress)
    signature = make_signature(settings, engines)
    cache = ResultCache(cache_dir)
    docs = list(iter_documents(pairs, cfg, settings, engines, cache, signature.format(), stats, progress))
    data: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "tool": {"name": "mtcheck", "version": __version__},
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "signature": signature.to_dict(),
        "summary": summarize_documents(docs),
        "gate": {},
        "notes": list(engines.notes) + [f"resource {k} unavailable: {v}" for k, v in sorted(engines.resources.missing.items())],
        "documents": docs,
    }
    data["gate"] = _gate(data, gate, baseline)
    return write_outputs(data, paths, baseline, stats=stats)


if __name__ == "__main__":  # pragma: no cover
    corpus(sys.argv[1:])
