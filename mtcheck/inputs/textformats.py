"""Readers for the plain-text formats: documents, line-aligned files, TSV and JSONL."""

from __future__ import annotations

import json
from pathlib import Path

from mtcheck.data import Document, DocumentPair, Segment
from mtcheck.errors import InputError
from mtcheck.inputs.encoding import DecodedText, read_text
from mtcheck.inputs.units import (
    Unit, check_line_lengths, document_id, empty_segment, line_segments, units_pair,
)


def _document(doc_id: str, lang: str, path: str | Path, decoded: DecodedText) -> Document:
    check_line_lengths(path, decoded.text)
    return Document(doc_id, lang, decoded.text, path=str(path), encoding=decoded.encoding, kind="text")


def read_documents(
    src: str | Path, mt: str | Path, src_lang: str, tgt_lang: str, ref: str | Path | None = None,
    src_text: DecodedText | None = None, mt_text: DecodedText | None = None,
) -> DocumentPair:
    """Two unaligned documents; the pipeline segments and aligns them."""
    doc_id = document_id(src, src_lang)
    src_doc = _document(doc_id, src_lang, src, src_text or read_text(src, src_lang))
    mt_doc = _document(doc_id, tgt_lang, mt, mt_text or read_text(mt, tgt_lang))
    pair = DocumentPair(doc_id, src_doc, mt_doc, aligned=False, input_format="documents")
    if ref is not None:
        pair.ref = _document(doc_id, tgt_lang, ref, read_text(ref, tgt_lang))
    return pair


def nonblank_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def looks_line_aligned(src_text: str, mt_text: str) -> bool:
    """The auto-detection rule for ``lines``: see ``mtcheck.inputs`` docstring."""
    counts = []
    for text in (src_text, mt_text):
        lines = text.strip("\n").split("\n")
        if any(not line.strip() for line in lines):
            return False  # a blank line separates paragraphs: a document
        counts.append(len(lines))
    return counts[0] == counts[1] >= 2


def read_lines(
    src: str | Path, mt: str | Path, src_lang: str, tgt_lang: str, ref: str | Path | None = None,
    src_text: DecodedText | None = None, mt_text: DecodedText | None = None,
) -> DocumentPair:
    """Line-aligned files: line *i* of the source is translated by line *i* of the MT.

    Lines blank on every side are skipped. A line blank on one side only
    keeps its place and gives an empty segment there (an untranslated or
    added line), so ``src_segments[i]`` and ``mt_segments[i]`` always pair.
    """
    doc_id = document_id(src, src_lang)
    files = [(src, src_lang, src_text), (mt, tgt_lang, mt_text)]
    if ref is not None:
        files.append((ref, tgt_lang, None))
    docs: list[Document] = []
    lines: list[list[tuple[int, Segment | None]]] = []
    for path, lang, decoded in files:
        doc = _document(doc_id, lang, path, decoded or read_text(path, lang))
        docs.append(doc)
        lines.append(line_segments(doc_id, doc.text))
    for k, what in ((1, "MT"), (2, "reference"))[: len(files) - 1]:
        if len(lines[k]) != len(lines[0]):
            raise InputError(
                files[k][0],
                f"line counts differ: source {src} has {len(lines[0])} lines, {what} has {len(lines[k])} "
                "(line-aligned input needs one line per line; use --input-format documents for unaligned texts)",
            )
    sides: list[list[Segment]] = [[] for _ in files]
    for row in zip(*lines):
        if all(seg is None for _, seg in row):
            continue
        index = len(sides[0])
        for k, (number, seg) in enumerate(row):
            seg = seg or empty_segment(doc_id, docs[k].text, number)
            seg.index = index
            seg.paragraph = index
            sides[k].append(seg)
    pair = DocumentPair(
        doc_id, docs[0], docs[1], aligned=True, src_segments=sides[0], mt_segments=sides[1], input_format="lines",
    )
    if ref is not None:
        pair.ref, pair.ref_segments = docs[2], sides[2]
    return pair


ID_NAMES = {"id", "segid", "seg_id", "segment_id", "unit_id", "key"}
SRC_NAMES = {"src", "source", "original"}
MT_NAMES = {"mt", "target", "tgt", "translation", "hyp", "hypothesis"}
REF_NAMES = {"ref", "reference"}


def _tsv_header(fields: list[str], src_lang: str, tgt_lang: str) -> dict[str, int] | None:
    """Column roles when ``fields`` is a header row, else None."""
    roles: dict[str, int] = {}
    for i, field in enumerate(fields):
        name = field.strip().lower()
        for role, names in (("id", ID_NAMES), ("src", SRC_NAMES | {src_lang.lower()}),
                            ("mt", MT_NAMES | {tgt_lang.lower()}), ("ref", REF_NAMES)):
            if name in names and role not in roles:
                roles[role] = i
                break
        else:
            return None
    return roles if "src" in roles and "mt" in roles else None


def read_tsv(path: str | Path, src_lang: str, tgt_lang: str, decoded: DecodedText | None = None) -> DocumentPair:
    """``src<TAB>mt`` or ``id<TAB>src<TAB>mt`` rows, with an optional header row.

    A first row whose every field is a known column name (``id``, ``src``/
    ``source``/the source language code, ``mt``/``target``/``translation``/
    the target language code, ``ref``) is a header and fixes the columns;
    without one, two columns are src, mt and three are id, src, mt. Fields
    are split on tabs without any quoting (the ``csv`` module's quote rules
    would swallow the quotation marks that news text is full of). Rows
    without an id get their line number.
    """
    decoded = decoded or read_text(path, src_lang)
    units: list[Unit] = []
    roles: dict[str, int] | None = None
    ncols = 0
    for number, line in enumerate(decoded.text.split("\n"), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if roles is None:
            ncols = len(fields)
            roles = _tsv_header(fields, src_lang, tgt_lang)
            if roles is not None:
                continue
            if ncols == 2:
                roles = {"src": 0, "mt": 1}
            elif ncols == 3:
                roles = {"id": 0, "src": 1, "mt": 2}
            else:
                raise InputError(path, f"expected 2 tab-separated columns (src, mt) or 3 (id, src, mt), found {ncols}", number)
        if len(fields) != ncols:
            raise InputError(path, f"malformed TSV row: expected {ncols} tab-separated columns, found {len(fields)}", number)
        unit_id = fields[roles["id"]].strip() if "id" in roles else str(number)
        ref = fields[roles["ref"]].strip() if "ref" in roles else None
        units.append(Unit(unit_id or str(number), fields[roles["src"]].strip(), fields[roles["mt"]].strip(), number, ref))
    return units_pair(document_id(path, None), units, "tsv", path, decoded.encoding, src_lang, tgt_lang)


def read_jsonl(path: str | Path, src_lang: str, tgt_lang: str, decoded: DecodedText | None = None) -> DocumentPair:
    """One JSON object per line: ``{"id": ..., "src": "...", "mt": "..."}``.

    ``src`` and ``mt`` are required strings (``mt`` may be null: no output);
    ``id`` (string or number) and ``ref`` are optional; other keys are ignored.
    """
    decoded = decoded or read_text(path, src_lang)
    units: list[Unit] = []
    for number, line in enumerate(decoded.text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"malformed JSONL line: {exc.msg} (column {exc.colno})", number) from None
        if not isinstance(obj, dict):
            raise InputError(path, f"malformed JSONL line: expected a JSON object, found {type(obj).__name__}", number)
        missing = [k for k in ("src", "mt") if k not in obj]
        if missing:
            hint = ' (rename "source"/"target" to "src"/"mt")' if {"source", "target"} & obj.keys() else ""
            raise InputError(path, f'JSONL object lacks {", ".join(map(repr, missing))}; expected keys "id", "src", "mt"{hint}', number)
        texts = {}
        for key in ("src", "mt", "ref"):
            value = obj.get(key)
            if value is None and key != "src":
                texts[key] = "" if key == "mt" else None
            elif isinstance(value, str):
                texts[key] = value.strip()
            else:
                raise InputError(path, f'"{key}" must be a string, found {type(value).__name__}', number)
        raw_id = obj.get("id")
        if raw_id is not None and not isinstance(raw_id, (str, int)):
            raise InputError(path, f'"id" must be a string or an integer, found {type(raw_id).__name__}', number)
        unit_id = str(raw_id) if raw_id is not None and str(raw_id) != "" else str(number)
        units.append(Unit(unit_id, texts["src"], texts["mt"], number, texts["ref"]))
    return units_pair(document_id(path, None), units, "jsonl", path, decoded.encoding, src_lang, tgt_lang)

