"""The JSON report: conversion of ``Report`` to a plain dict, its JSON Schema
(shipped in ``mtcheck/schemas``) and validation."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

from mtcheck import __version__
from mtcheck.data import DocumentResult, Flag, LanguageReport, Report, Segment, SegmentResult

SCHEMA_VERSION = "1.0"
SCHEMA_ID = f"mtcheck-report/{SCHEMA_VERSION}"


def flag_to_dict(flag: Flag) -> dict[str, Any]:
    return {
        "id": flag.fingerprint,
        "check": flag.check,
        "category": flag.category,
        "severity": flag.severity.value,
        "confidence": round(float(flag.confidence), 4),
        "message": flag.message,
        "mt_span": {"start": flag.mt_span.start, "end": flag.mt_span.end} if flag.mt_span else None,
        "src_span": {"start": flag.src_span.start, "end": flag.src_span.end} if flag.src_span else None,
        "mt_text": flag.mt_text,
        "src_text": flag.src_text,
        "in_quote": flag.in_quote,
        "suggestions": list(flag.suggestions),
        "evidence": _jsonable(flag.evidence),
    }


def sentence_to_dict(seg: Segment) -> dict[str, Any]:
    return {
        "index": seg.index,
        "start": seg.start,
        "end": seg.end,
        "text": seg.text,
        "paragraph": seg.paragraph,
        "line": seg.line,
        "unit_id": seg.unit_id,
    }


def segment_to_dict(res: SegmentResult) -> dict[str, Any]:
    p = res.pair
    first_line = lambda segs: segs[0].line if segs else None  # noqa: E731
    return {
        "index": p.index,
        "link": {"src": list(p.link.src), "mt": list(p.link.tgt), "type": p.link.kind, "score": round(float(p.link.score), 4)},
        "unit_id": (p.mt_segments or p.src_segments)[0].unit_id if (p.mt_segments or p.src_segments) else None,
        "src_text": p.src_text,
        "mt_text": p.mt_text,
        "src_start": p.src_start,
        "src_end": p.src_end,
        "mt_start": p.mt_start,
        "mt_end": p.mt_end,
        "src_line": first_line(p.src_segments),
        "mt_line": first_line(p.mt_segments),
        "score": None if res.score is None else round(float(res.score), 2),
        "label": res.label,
        "metrics": {k: round(float(v), 4) for k, v in res.metrics.items()},
        "backtranslation": res.backtranslation,
        "flags": [flag_to_dict(f) for f in res.flags],
        "words": [
            {"start": w.start, "end": w.end, "word": w.word, "tag": w.tag, "p_bad": round(float(w.p_bad), 4)}
            for w in res.word_tags
        ],
        "evidence": _jsonable(res.evidence),
    }


def language_to_dict(lang: LanguageReport | None) -> dict[str, Any] | None:
    if lang is None:
        return None
    return {
        "expected": lang.expected,
        "detected": lang.detected,
        "confidence": round(float(lang.confidence), 4),
        "script_share": round(float(lang.script_share), 4),
        "ok": lang.ok,
        "problem": lang.problem,
    }


def document_to_dict(doc: DocumentResult) -> dict[str, Any]:
    def side(d, key):
        return {
            "path": d.path,
            "encoding": d.encoding,
            "lang": d.lang,
            "chars": len(d.text),
            "kind": d.kind,
            "language": language_to_dict(doc.languages.get(key)),
        }

    return {
        "id": doc.id,
        "input_format": doc.input_format,
        "source": side(doc.src, "source"),
        "mt": side(doc.mt, "mt"),
        "summary": _jsonable(doc.summary),
        "source_sentences": [sentence_to_dict(s) for s in doc.src_sentences],
        "mt_sentences": [sentence_to_dict(s) for s in doc.mt_sentences],
        "segments": [segment_to_dict(s) for s in doc.segments],
        "document_flags": [flag_to_dict(f) for f in doc.document_flags],
    }


def to_dict(report: Report, created: datetime | None = None) -> dict[str, Any]:
    """The whole report as a JSON-ready dict (see ``schemas/report-1.0.json``)."""
    created = created or datetime.now(timezone.utc)
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "mtcheck", "version": __version__},
        "created": created.isoformat(timespec="seconds"),
        "signature": report.signature.to_dict(),
        "summary": _jsonable(report.summary),
        "gate": _jsonable(report.gate),
        "notes": list(report.notes),
        "documents": [document_to_dict(d) for d in report.documents],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dumps_lines(data: dict[str, Any]) -> str:
    """JSON Lines: a header record (everything but the documents), then one record per document."""
    head = {k: v for k, v in data.items() if k != "documents"}
    head["record"] = "header"
    lines = [json.dumps(head, ensure_ascii=False)]
    lines += [json.dumps({"record": "document", **doc}, ensure_ascii=False) for doc in data["documents"]]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=None)
def schema() -> dict[str, Any]:
    """The shipped JSON Schema of the report."""
    text = resources.files("mtcheck").joinpath(f"schemas/report-{SCHEMA_VERSION}.json").read_text("utf-8")
    return json.loads(text)


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` is not a valid report."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(data)


def _jsonable(value: Any) -> Any:
    """Convert numpy scalars, tuples and dataclass-free containers to plain JSON types."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    if isinstance(value, float):
        return round(value, 6)
    return value


def aggregate_summaries(summaries: list[dict[str, Any]], scores: list[float]) -> dict[str, Any]:
    """Corpus summary from per-document summaries (counts add up; the mean is over all segment scores)."""
    from collections import Counter

    out: dict[str, Any] = {"documents": len(summaries)}
    for key in ("segments", "flags", "omissions", "additions", "source_sentences", "mt_sentences"):
        out[key] = sum(int(s.get(key, 0)) for s in summaries)
    for key in ("flags_by_severity", "flags_by_category", "labels"):
        total: Counter[str] = Counter()
        for s in summaries:
            total.update(s.get(key, {}))
        out[key] = dict(sorted(total.items()))
    out["flags_by_severity"] = {k: out["flags_by_severity"].get(k, 0) for k in ("minor", "major", "critical")}
    out["labels"] = {k: out["labels"].get(k, 0) for k in ("good", "review", "bad")}
    out["mean_score"] = round(sum(scores) / len(scores), 2) if scores else None
    out["bad_share"] = round(out["labels"]["bad"] / out["segments"], 4) if out["segments"] else None
    return out


def summarize_documents(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """Corpus summary of document entries (e.g. assembled from cached documents)."""
    scores = [seg["score"] for d in documents for seg in d["segments"] if seg["score"] is not None]
    return aggregate_summaries([d["summary"] for d in documents], scores)
