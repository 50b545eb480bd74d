"""Orchestration of a command: inputs → pipeline → gate → writers.

Kept apart from ``cli`` so that it can be called from Python (and from the
corpus mode) without click. Every output is validated for writability before
any work starts and written atomically at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from mtcheck.atomic import check_writable, write_text
from mtcheck.errors import InputError


@dataclass
class CheckRequest:
    src: Path
    mt: Path | None
    formats: list[str] = field(default_factory=lambda: ["json"])
    outputs: dict[str, Path | None] = field(default_factory=dict)
    input_format: str = "auto"
    src_lang: str = "ru"
    tgt_lang: str = "en"
    cache_dir: Path | None = None
    threads: int = 2
    model: str | None = None
    models_home: Path | None = None
    mt_logprobs: Path | None = None
    mt_tokens: Path | None = None
    ref: Path | None = None
    enable: list[str] | None = None
    disable: list[str] = field(default_factory=list)
    check_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    baseline: Path | None = None
    gate: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, float] | None = None


@dataclass
class CheckOutcome:
    report: dict[str, Any]
    passed: bool
    reasons: list[str]
    written: list[Path]
    stdout: dict[str, str]
    terminal: str
    stats: dict[str, int] = field(default_factory=dict)


def build_settings(req: CheckRequest) -> Any:
    from mtcheck.pipeline import DEFAULT_LABELS, Settings

    return Settings(
        src_lang=req.src_lang, tgt_lang=req.tgt_lang, enable=req.enable, disable=list(req.disable),
        check_options=dict(req.check_options), model=req.model, models_home=_models_home(req.models_home),
        cache_dir=req.cache_dir, threads=req.threads, labels=dict(req.labels or DEFAULT_LABELS),
    )


def _models_home(home: Path | None) -> Path:
    from mtcheck.paths import home_dir

    return home or home_dir()


def execute_check(req: CheckRequest, progress: Callable | None = None) -> CheckOutcome:
    """Run a whole check and write its outputs; raises MtcheckError subclasses on bad input."""
    from mtcheck.inputs import read_inputs
    from mtcheck.pipeline import run_check
    from mtcheck.report import json_report

    for path in req.outputs.values():
        if path is not None:
            check_writable(path)
    thresholds(req.gate)  # a bad threshold is an error before any work, not after it
    baseline = _load_baseline(req.baseline)
    settings = build_settings(req)
    doc_pairs = read_inputs(req.src, req.mt, input_format=req.input_format, src_lang=req.src_lang,
                            tgt_lang=req.tgt_lang, ref=req.ref)
    if req.mt_logprobs is not None:
        from mtcheck.logprobs import read_logprobs
        from mtcheck.pipeline import logprobs_by_segment

        logprobs = read_logprobs(req.mt_logprobs, tokens_path=req.mt_tokens)
        _check_logprob_count(req, logprobs, doc_pairs)
        settings.mt_logprobs = logprobs_by_segment(doc_pairs, logprobs)
    _segment_references(doc_pairs)
    if list(req.outputs) == ["jsonl"] and req.outputs["jsonl"] is not None and not any(dp.ref for dp in doc_pairs):
        return _stream_check(req, doc_pairs, settings, baseline, progress)
    report = run_check(doc_pairs, settings, progress=progress)
    data = json_report.to_dict(report)
    if any(dp.ref is not None for dp in doc_pairs):
        from mtcheck.refmetrics import add_reference_metrics

        add_reference_metrics(data, doc_pairs)
    data["gate"] = _gate(data, req.gate, baseline)
    mt_texts = {d.id: d.mt.text for d in report.documents}
    return write_outputs(data, req.outputs, baseline, mt_texts)


def write_outputs(data: dict[str, Any], outputs: dict[str, Path | None], baseline: Any = None,
                  mt_texts: dict[str, str] | None = None, stats: dict[str, int] | None = None) -> CheckOutcome:
    """Render ``data`` in every asked format: files written atomically, the rest kept for stdout."""
    written: list[Path] = []
    stdout: dict[str, str] = {}
    for fmt, path in outputs.items():
        text = render(fmt, data, mt_texts=mt_texts, baseline=baseline)
        if path is None:
            stdout[fmt] = text
        else:
            write_text(path, text)
            written.append(path)
    return CheckOutcome(report=data, passed=data["gate"]["passed"], reasons=list(data["gate"]["reasons"]),
                        written=written, stdout=stdout, terminal=render("terminal", data), stats=dict(stats or {}))


def _stream_check(req: CheckRequest, doc_pairs: list, settings: Any, baseline: Any,
                  progress: Callable | None) -> CheckOutcome:
    """JSON Lines alone: check and write part by part, in bounded memory (mtcheck.stream)."""
    from mtcheck.atomic import atomic_open
    from mtcheck.pipeline import build_engines
    from mtcheck.stream import write_jsonl

    path = req.outputs["jsonl"]
    engines = build_engines(settings, progress)
    with atomic_open(path) as fh:
        light = write_jsonl(doc_pairs, settings, engines, fh, gate=lambda d: _gate(d, req.gate, baseline),
                            progress=progress)
    return CheckOutcome(report=light, passed=light["gate"]["passed"], reasons=list(light["gate"]["reasons"]),
                        written=[path], stdout={}, terminal=render("terminal", light))


def _check_logprob_count(req: CheckRequest, logprobs: list, doc_pairs: list) -> None:
    n_mt = sum(len(dp.mt_segments) for dp in doc_pairs)
    if not all(dp.aligned for dp in doc_pairs):
        raise InputError(req.mt_logprobs, "--mt-logprobs needs line-aligned or unit input (one line per MT segment)")
    if len(logprobs) != n_mt:
        raise InputError(req.mt_logprobs, f"{len(logprobs)} lines of log-probabilities for {n_mt} MT segments")


def _segment_references(doc_pairs: list) -> None:
    """Split the reference of ``documents`` input into sentences (line and unit inputs come
    aligned), and check now, before any work, that it has as many as the MT."""
    from mtcheck.pipeline import segment_pair
    from mtcheck.segment import segment_document

    for dp in doc_pairs:
        if dp.ref is None or dp.aligned or dp.ref_segments:
            continue
        _, mt_sents = segment_pair(dp)
        dp.ref_segments = segment_document(dp.ref)
        if len(dp.ref_segments) != len(mt_sents):
            raise InputError(dp.ref.path or dp.id, f"the reference has {len(dp.ref_segments)} sentences but the MT "
                                                   f"has {len(mt_sents)} (a reference document must match the MT "
                                                   f"sentence for sentence; or give line-aligned files)")


def _load_baseline(path: Path | None) -> Any:
    if path is None:
        return None
    from mtcheck.baseline import load_baseline

    return load_baseline(path)


def thresholds(gate: dict[str, Any]) -> Any:
    """Validated gate thresholds (``None`` values are unset); ConfigError on a bad one."""
    from mtcheck.gate import Thresholds

    return Thresholds.from_mapping({k: v for k, v in gate.items() if v is not None})


def _gate(data: dict[str, Any], gate: dict[str, Any], baseline: Any) -> dict[str, Any]:
    from mtcheck.gate import evaluate

    return evaluate(data, thresholds(gate), baseline).to_dict()


def render(fmt: str, data: dict[str, Any], mt_texts: dict[str, str] | None = None, baseline: Any = None) -> str:
    """Text of the report in ``fmt`` (every writer takes the JSON report dict).

    ``mt_texts`` (document id → MT text) lets SARIF give exact columns;
    ``baseline`` marks SARIF results new/unchanged and JUnit failures.
    """
    from mtcheck.report import json_report

    if fmt == "json":
        return json_report.dumps(data)
    if fmt == "jsonl":
        return json_report.dumps_lines(data)
    if fmt == "html":
        from mtcheck.report.html import render as render_html

        return render_html(data)
    if fmt == "sarif":
        from mtcheck.report.sarif import render as render_sarif

        return render_sarif(data, mt_texts=mt_texts, baseline=baseline)
    if fmt == "junit":
        from mtcheck.report.junit import render as render_junit

        return render_junit(data, baseline=baseline)
    if fmt == "md":
        from mtcheck.report.markdown import render as render_md

        return render_md(data)
    if fmt == "terminal":
        from mtcheck.report.terminal import render as render_terminal

        return render_terminal(data)
    raise ValueError(f"unknown format {fmt!r}")


def execute_align(src: Path, mt: Path, out: Path | None, fmt: str, input_format: str = "auto", src_lang: str = "ru",
                  tgt_lang: str = "en", cache_dir: Path | None = None, threads: int = 2,
                  progress: Callable | None = None) -> str:
    """Align two documents and return (and, with ``out``, write) JSON or TSV."""
    from mtcheck.align.output import alignment_to_dict, dumps, to_tsv
    from mtcheck.inputs import read_inputs
    from mtcheck.pipeline import Settings, build_engines, document_links, segment_pair

    if out is not None:
        check_writable(out)
    doc_pairs = read_inputs(src, mt, input_format=input_format, src_lang=src_lang, tgt_lang=tgt_lang)
    settings = Settings(src_lang=src_lang, tgt_lang=tgt_lang, cache_dir=cache_dir, threads=threads, enable=[])
    engines = build_engines(settings, progress, with_qe=False)
    parts = []
    for dp in doc_pairs:
        src_sents, mt_sents = segment_pair(dp)
        engines.store.prefetch([s.text for s in src_sents] + [s.text for s in mt_sents])
        links = document_links(dp, settings, engines)
        parts.append((dp, src_sents, mt_sents, links))
    if fmt == "tsv":
        text = "".join(to_tsv(dp.src, dp.mt, s, m, links) for dp, s, m, links in parts)
    else:
        dicts = [alignment_to_dict(dp.src, dp.mt, s, m, links) for dp, s, m, links in parts]
        text = dumps(dicts[0]) if len(dicts) == 1 else "".join(dumps(d) for d in dicts)
    if out is not None:
        write_text(out, text)
    return text
