"""Reading source/MT inputs into ``DocumentPair`` objects.

Entry point: ``read_inputs(src, mt, input_format="auto", src_lang="ru",
tgt_lang="en", ref=None)``. Every problem with an input is an ``InputError``
naming the file (and the line where one applies).

Formats
-------
``documents``  two unaligned text documents (paragraphs and sentences need not
               correspond): one pair, ``aligned=False``, no segments (the
               pipeline segments and aligns).
``lines``      line-aligned files, line *i* of the source ↔ line *i* of the MT:
               one segment per line; lines blank on both sides are skipped, a
               line blank on one side only gives an empty segment there;
               different line counts are an error.
``tsv``        ``src<TAB>mt`` or ``id<TAB>src<TAB>mt``, optional header row.
``jsonl``      one ``{"id", "src", "mt"}`` object per line (``ref`` optional).
``xliff``      XLIFF 1.2 or 2.x, one pair per ``<file>``.
``tmx``        TMX 1.4, one pair per file; ``<tuv>`` chosen by language
               (``ru-RU`` matches ``ru``).

TSV, JSONL, XLIFF and TMX hold both sides, so they take no MT file.

Auto-detection (``input_format="auto"``)
----------------------------------------
* Without an MT file: by extension (``.tsv``/``.tab``; ``.jsonl``/``.ndjson``;
  ``.xlf``/``.xliff``/``.sdlxliff``; ``.tmx``), else by content (root element
  ``<xliff>`` or ``<tmx>``; a first line starting with ``{``; a tab in the
  first line), else an error.
* With an MT file: ``lines`` when the source has the extension ``.lines``, or
  when neither file contains a blank line and both have the same number of
  lines (at least two). Anything else is ``documents``: a blank line means
  paragraphs, and unequal line counts mean the texts are not line-aligned.
  Pass ``input_format="documents"`` for one-paragraph-per-line documents that
  happen to have equal line counts.

Encodings: see ``mtcheck.inputs.encoding`` (UTF-8 with/without BOM, UTF-16/32
with BOM, legacy code pages such as CP1251 and KOI8-R; recorded in
``Document.encoding``). Offsets are into the decoded text, BOM removed and line
endings normalised to ``"\\n"``. Lines and units longer than
``MAX_SEGMENT_CHARS`` (100,000 characters) are rejected.

``ref``: an optional reference translation. For ``documents`` it is another
document; for ``lines`` it must have the source's line count; for the unit
formats it is a text file with one line per unit, in order, across all pairs
(TSV ``ref`` columns and JSONL ``"ref"`` keys are read as well).
"""

from __future__ import annotations

import re
from pathlib import Path

from mtcheck.data import Document, DocumentPair
from mtcheck.errors import InputError
from mtcheck.inputs.encoding import detect_bom, read_bytes, read_text
from mtcheck.inputs.textformats import looks_line_aligned, read_documents, read_jsonl, read_lines, read_tsv
from mtcheck.inputs.units import MAX_SEGMENT_CHARS, check_line_lengths, empty_segment, line_segments
from mtcheck.inputs.xmlformats import read_tmx, read_xliff

#: Every value ``input_format`` accepts.
FORMATS = ("auto", "documents", "lines", "tsv", "jsonl", "xliff", "tmx")
#: Formats holding source and MT in one file.
SINGLE_FILE_FORMATS = ("tsv", "jsonl", "xliff", "tmx")

EXTENSIONS = {
    ".tsv": "tsv", ".tab": "tsv",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff",
    ".tmx": "tmx",
    ".lines": "lines",
}

__all__ = ["read_inputs", "detect_format", "FORMATS", "SINGLE_FILE_FORMATS", "MAX_SEGMENT_CHARS", "InputError"]


def read_inputs(
    src: str | Path,
    mt: str | Path | None,
    input_format: str = "auto",
    src_lang: str = "ru",
    tgt_lang: str = "en",
    ref: str | Path | None = None,
) -> list[DocumentPair]:
    """Read the inputs of one check into document pairs (see the module doc)."""
    fmt = (input_format or "auto").lower()
    if fmt not in FORMATS:
        raise InputError(src, f"unknown input format {input_format!r}; known formats: {', '.join(FORMATS)}")
    texts = {}
    if fmt == "auto":
        if mt is not None and EXTENSIONS.get(Path(src).suffix.lower()) is None:
            # decide documents/lines here to decode each file only once
            texts = {"src_text": read_text(src, src_lang), "mt_text": read_text(mt, tgt_lang)}
            fmt = "lines" if looks_line_aligned(texts["src_text"].text, texts["mt_text"].text) else "documents"
        else:
            fmt = detect_format(src, mt, src_lang, tgt_lang)
    if fmt in SINGLE_FILE_FORMATS:
        if mt is not None:
            raise InputError(mt, f"{fmt} input holds both source and MT; give only the {fmt} file, not an MT file")
        pairs = _read_single(src, fmt, src_lang, tgt_lang)
        if ref is not None:
            _attach_ref(pairs, ref, tgt_lang)
        return pairs
    if mt is None:
        raise InputError(src, f"{fmt} input needs an MT file as well (single-file formats: {', '.join(SINGLE_FILE_FORMATS)})")
    reader = read_lines if fmt == "lines" else read_documents
    return [reader(src, mt, src_lang, tgt_lang, ref, **texts)]


def _read_single(path: str | Path, fmt: str, src_lang: str, tgt_lang: str) -> list[DocumentPair]:
    if fmt == "tsv":
        return [read_tsv(path, src_lang, tgt_lang)]
    if fmt == "jsonl":
        return [read_jsonl(path, src_lang, tgt_lang)]
    if fmt == "xliff":
        return read_xliff(path, src_lang, tgt_lang)
    return read_tmx(path, src_lang, tgt_lang)


def detect_format(src: str | Path, mt: str | Path | None, src_lang: str = "ru", tgt_lang: str = "en") -> str:
    """The format ``auto`` resolves to, following the rules in the module doc."""
    suffix = Path(src).suffix.lower()
    by_ext = EXTENSIONS.get(suffix)
    if mt is None:
        if by_ext in SINGLE_FILE_FORMATS:
            return by_ext
        sniffed = _sniff(src)
        if sniffed:
            return sniffed
        raise InputError(
            src, "cannot tell the format of a single input file; single-file formats are "
            f"{', '.join(SINGLE_FILE_FORMATS)} (use --input-format, or give an MT file for documents/lines)",
        )
    if by_ext == "lines":
        return "lines"
    if by_ext in SINGLE_FILE_FORMATS:
        return by_ext  # read_inputs then explains that no MT file is wanted
    return "lines" if looks_line_aligned(read_text(src, src_lang).text, read_text(mt, tgt_lang).text) else "documents"


def _sniff(path: str | Path) -> str | None:
    data = read_bytes(path)
    bom = detect_bom(data)
    head = data[bom[2]:][:4096].decode(bom[0], errors="replace") if bom else data[:4096].decode("utf-8", errors="replace")
    stripped = head.lstrip()
    if stripped.startswith("<"):
        m = re.search(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)", stripped)
        root = m.group(1).lower() if m else ""
        return root if root in ("xliff", "tmx") else None
    first = next((line for line in head.split("\n") if line.strip()), "")
    if first.lstrip().startswith("{"):
        return "jsonl"
    if "\t" in first:
        return "tsv"
    return None


def _attach_ref(pairs: list[DocumentPair], ref: str | Path, tgt_lang: str) -> None:
    """Give unit-format pairs reference segments from a one-line-per-unit file."""
    decoded = read_text(ref, tgt_lang)
    check_line_lengths(ref, decoded.text)
    lines = line_segments("", decoded.text)
    total = sum(len(p.mt_segments) for p in pairs)
    if len(lines) != total:
        raise InputError(ref, f"reference has {len(lines)} lines but the input has {total} units (one line per unit expected)")
    it = iter(lines)
    for pair in pairs:
        pair.ref = Document(pair.id, tgt_lang, decoded.text, path=str(ref), encoding=decoded.encoding, kind="text")
        pair.ref_segments = []
        for i, seg_unit in enumerate(pair.mt_segments):
            number, seg = next(it)
            seg = seg or empty_segment(pair.id, decoded.text, number)
            seg.doc_id, seg.index, seg.paragraph, seg.unit_id = pair.id, i, i, seg_unit.unit_id
            pair.ref_segments.append(seg)
