"""Shared helpers for the input readers: limits, ids, lines and unit documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mtcheck.data import Document, DocumentPair, Segment
from mtcheck.errors import InputError

#: Longest line or translation unit accepted, in characters. Sentence
#: splitting, alignment and span matching are quadratic in places, so one
#: huge line would make a run hang; such input is rejected with a clear error.
MAX_SEGMENT_CHARS = 100_000


@dataclass
class Unit:
    """One translation unit read from a unit format (TSV, JSONL, XLIFF, TMX)."""

    unit_id: str
    src: str
    mt: str
    line: int | None
    ref: str | None = None


def document_id(path: str | Path, lang: str | None = None) -> str:
    """``news.ru.txt`` -> ``news``: the file name without extension and from the language part on."""
    name = Path(path).name
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    parts = stem.split(".")
    lowered = [part.lower() for part in parts]
    if lang and lang.lower() in lowered[1:]:  # news.ru.reconstructed.txt -> news
        stem = ".".join(parts[: lowered.index(lang.lower(), 1)])
    return stem or name


def check_length(path: str | Path, text: str, line: int | None, what: str = "line") -> None:
    if len(text) > MAX_SEGMENT_CHARS:
        raise InputError(
            path,
            f"{what} is {len(text):,} characters long; mtcheck accepts at most "
            f"{MAX_SEGMENT_CHARS:,} characters per line or unit (split it into paragraphs)",
            line,
        )


def check_line_lengths(path: str | Path, text: str) -> None:
    """Reject a text with any line longer than ``MAX_SEGMENT_CHARS``."""
    if len(text) <= MAX_SEGMENT_CHARS:
        return
    for number, line in enumerate(text.split("\n"), 1):
        check_length(path, line, number)


def same_language(declared: str | None, wanted: str) -> bool:
    """True when language tags share their primary subtag (``ru-RU`` ~ ``ru``)."""
    if not declared:
        return True
    return declared.replace("_", "-").split("-")[0].lower() == wanted.replace("_", "-").split("-")[0].lower()


def line_segments(doc_id: str, text: str) -> list[tuple[int, Segment | None]]:
    """Every line of ``text`` (trailing blank lines dropped) as ``(line number, Segment)``.

    The segment covers the line without its surrounding white space; a blank
    line gives ``None``. ``index`` is left at 0 for the caller to number.
    """
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    out: list[tuple[int, Segment | None]] = []
    pos = 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            out.append((number, Segment(doc_id, 0, start, start + len(stripped), stripped, line=number)))
        else:
            out.append((number, None))
        pos += len(line) + 1
    return out


def empty_segment(doc_id: str, text: str, line: int) -> Segment:
    """A zero-length segment at the start of ``line`` (1-based) of ``text``."""
    pos = 0
    for _ in range(line - 1):
        nl = text.find("\n", pos)
        pos = len(text) if nl < 0 else nl + 1
    return Segment(doc_id, 0, pos, pos, "", line=line)


def unit_document(
    doc_id: str, units: list[Unit], side: str, lang: str, path: str | Path, encoding: str | None,
) -> tuple[Document, list[Segment]]:
    """One side (``"src"``, ``"mt"`` or ``"ref"``) of units as a document of kind ``"units"``.

    ``Document.text`` is the unit texts joined with ``"\\n"``; there is one
    segment per unit, carrying its ``unit_id`` and input ``line``.
    """
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for i, unit in enumerate(units):
        text = getattr(unit, side) or ""
        check_length(path, text, unit.line, what=f"unit {unit.unit_id} ({side})")
        segments.append(Segment(doc_id, i, pos, pos + len(text), text, paragraph=i, unit_id=unit.unit_id, line=unit.line))
        parts.append(text)
        pos += len(text) + 1
    return Document(doc_id, lang, "\n".join(parts), path=str(path), encoding=encoding, kind="units"), segments


def units_pair(
    doc_id: str, units: list[Unit], input_format: str, path: str | Path, encoding: str | None,
    src_lang: str, tgt_lang: str,
) -> DocumentPair:
    """An aligned ``DocumentPair`` from units; a ``ref`` side when any unit has one."""
    if not units:
        raise InputError(path, "no translation units found")
    src, src_segs = unit_document(doc_id, units, "src", src_lang, path, encoding)
    mt, mt_segs = unit_document(doc_id, units, "mt", tgt_lang, path, encoding)
    pair = DocumentPair(doc_id, src, mt, aligned=True, src_segments=src_segs, mt_segments=mt_segs, input_format=input_format)
    if any(u.ref is not None for u in units):
        pair.ref, pair.ref_segments = unit_document(doc_id, units, "ref", tgt_lang, path, encoding)
    return pair
