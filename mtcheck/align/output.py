"""The output of ``mtcheck align``: JSON (schema ``schemas/align-1.0.json``)
and TSV (one link per line)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

from mtcheck import __version__
from mtcheck.data import Document, Link, Segment

SCHEMA_VERSION = "1.0"
SCHEMA_ID = f"mtcheck-align/{SCHEMA_VERSION}"
TSV_HEADER = ("src", "tgt", "type", "score", "src_text", "tgt_text")


def _sentence(seg: Segment) -> dict[str, Any]:
    return {"index": seg.index, "text": seg.text, "start": seg.start, "end": seg.end,
            "paragraph": seg.paragraph, "line": seg.line}


def _document(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "lang": doc.lang, "path": doc.path, "encoding": doc.encoding}


def alignment_to_dict(src_doc: Document, tgt_doc: Document, src_segments: Sequence[Segment],
                      tgt_segments: Sequence[Segment], links: Sequence[Link]) -> dict[str, Any]:
    """The alignment as a JSON-ready dict: sentence lists with character
    offsets into the documents, and links as index lists into them (one side
    empty for omissions and additions)."""
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "mtcheck", "version": __version__},
        "documents": {"source": _document(src_doc), "target": _document(tgt_doc)},
        "source": [_sentence(s) for s in src_segments],
        "target": [_sentence(s) for s in tgt_segments],
        "links": [{"src": list(lk.src), "tgt": list(lk.tgt), "type": lk.kind, "score": round(float(lk.score), 4)}
                  for lk in links],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def to_tsv(src_doc: Document, tgt_doc: Document, src_segments: Sequence[Segment],
           tgt_segments: Sequence[Segment], links: Sequence[Link]) -> str:
    """One link per line after a header: source and target sentence indices
    (comma-separated, empty for omissions/additions), link type, score and the
    two texts (tab, newline and backslash escaped as ``\\t``, ``\\n``, ``\\\\``)."""
    lines = ["\t".join(TSV_HEADER)]
    for lk in links:
        src_text = " ".join(src_segments[i].text for i in lk.src)
        tgt_text = " ".join(tgt_segments[j].text for j in lk.tgt)
        lines.append("\t".join([",".join(map(str, lk.src)), ",".join(map(str, lk.tgt)), lk.kind,
                                f"{float(lk.score):.4f}", _cell(src_text), _cell(tgt_text)]))
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("mtcheck").joinpath(f"schemas/align-{SCHEMA_VERSION}.json").read_text("utf-8")
    return json.loads(text)


def validate_alignment(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` does not follow the
    schema, or ``ValueError`` if its links do not cover every sentence once,
    in order."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(data)
    n, m = len(data["source"]), len(data["target"])
    src_seen: list[int] = []
    tgt_seen: list[int] = []
    for lk in data["links"]:
        if not lk["src"] and not lk["tgt"]:
            raise ValueError("a link with no sentence on either side")
        if lk["type"] != f"{len(lk['src'])}-{len(lk['tgt'])}":
            raise ValueError(f"link type {lk['type']!r} does not match its sentences")
        src_seen += lk["src"]
        tgt_seen += lk["tgt"]
    if src_seen != list(range(n)):
        raise ValueError("links do not cover the source sentences exactly once, in order")
    if tgt_seen != list(range(m)):
        raise ValueError("links do not cover the target sentences exactly once, in order")
