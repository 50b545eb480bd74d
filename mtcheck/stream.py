"""Streaming JSON Lines report for very large corpora.

Documents are read, checked and written part by part (``pipeline.iter_parts``),
so memory stays bounded whatever the corpus size. Records, one JSON object a
line, each with a ``record`` key:

- ``header``: ``schema``, ``tool``, ``created``, ``signature``, ``notes``;
- ``segment``: ``document`` (its id) plus every key of a report segment
  (``schemas/report-1.0.json#/$defs/segment``), written as soon as it is checked;
- ``document``: a report document entry after its segments, without the
  ``segments`` and sentence lists (the segments carry their texts and offsets);
- ``summary``: the corpus ``summary`` and the ``gate`` verdict, last.

The file is written atomically like every other output.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterable

from mtcheck import __version__
from mtcheck.data import DocumentPair

JSONL_SCHEMA = "mtcheck-report-lines/1.0"


def write_jsonl(doc_pairs: Iterable[DocumentPair], settings: Any, engines: Any, fh: IO[str],
                gate: Any = None, progress: Any = None) -> dict[str, Any]:
    """Check ``doc_pairs`` and write the JSONL report to ``fh``; returns a light report dict
    (summary, gate, and documents holding only their flags) for the gate and terminal summary.

    ``gate`` is a callable ``report_dict -> gate_dict`` (``None``: no gate record content).
    """
    from mtcheck.pipeline import iter_parts, make_signature, summarize_segments
    from mtcheck.report.json_report import SCHEMA_ID, aggregate_summaries, document_to_dict, segment_to_dict

    signature = make_signature(settings, engines)
    notes = list(engines.notes) + [f"resource {k} unavailable: {v}" for k, v in sorted(engines.resources.missing.items())]
    _line(fh, {"record": "header", "schema": JSONL_SCHEMA, "report_schema": SCHEMA_ID,
               "tool": {"name": "mtcheck", "version": __version__},
               "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "signature": signature.to_dict(), "notes": notes})
    light_docs: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    scores: list[float] = []
    for dp in doc_pairs:
        head = None
        part_summaries: list[dict[str, Any]] = []
        doc_scores: list[float] = []
        flags_only: list[dict[str, Any]] = []
        for part in iter_parts(dp, settings, engines, progress):
            if head is None:
                head = part
            for seg in part.segments:
                entry = segment_to_dict(seg)
                _line(fh, {"record": "segment", "document": dp.id, **entry})
                if seg.score is not None:
                    doc_scores.append(seg.score)
                if entry["flags"]:
                    flags_only.append({"index": entry["index"], "score": entry["score"], "label": entry["label"],
                                       "flags": entry["flags"]})
            part_summaries.append(summarize_segments(part.segments, part.document_flags))
            part.segments = []  # written: let the part go
        assert head is not None
        summary = aggregate_summaries(part_summaries, doc_scores)
        summary.pop("documents", None)
        summary["source_sentences"] = len(dp.src_segments)
        summary["mt_sentences"] = len(dp.mt_segments)
        entry = document_to_dict(head)
        entry.update(summary=summary, source_sentences=[], mt_sentences=[])
        entry.pop("segments")
        _line(fh, {"record": "document", **entry})
        summaries.append(summary)
        scores.extend(doc_scores)
        light_docs.append({"id": dp.id, "source": entry["source"], "mt": entry["mt"], "summary": summary,
                           "segments": flags_only, "document_flags": entry["document_flags"]})
        if progress:
            progress("documents", 1, None)
    report = {"schema": SCHEMA_ID, "signature": signature.to_dict(), "notes": notes,
              "summary": aggregate_summaries(summaries, scores), "documents": light_docs, "gate": {}}
    report["gate"] = gate(report) if gate else {"passed": True, "reasons": []}
    _line(fh, {"record": "summary", "summary": report["summary"], "gate": report["gate"]})
    return report


def _line(fh: IO[str], record: dict[str, Any]) -> None:
    fh.write(json.dumps(record, ensure_ascii=False))
    fh.write("\n")


def read_jsonl(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Records of a JSONL report grouped by kind (for tests and small tools)."""
    out: dict[str, list[dict[str, Any]]] = {"header": [], "segment": [], "document": [], "summary": []}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out[rec["record"]].append(rec)
    return out
