"""SARIF 2.1.0 output, so code-scanning UIs annotate flags on the MT files.

Each flag becomes a result located in the MT file. Regions use 1-based lines
and columns counted in Unicode code points (``run.columnKind =
"unicodeCodePoints"``), matching the report's offsets.

Locating a flag needs the text before it:

- ``kind: text`` documents: offsets are into the MT file's text. The writer
  uses, in order, ``mt_texts[doc_id]`` when the caller passes the texts,
  the MT file itself when it is readable and has the length the report
  recorded, else the segment's ``mt_line`` plus the newlines inside the
  segment (the column is then only known after a newline in the segment,
  and is left out otherwise).
- ``kind: units`` documents (TSV, JSONL, XLIFF, TMX): the unit's line in the
  input file (``mt_line``); no column, since the offsets are into the joined
  unit texts, not the file.

Written with the standard library: there is no maintained Python SARIF
writer; the structure is small and checked against the reduced schema in
``mtcheck/schemas/sarif-2.1.0.json`` by the tests.
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path, PurePosixPath
from typing import Any, Mapping
from urllib.parse import quote

from mtcheck import __version__
from mtcheck.baseline import Baseline

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "mtcheckFlag/v1"

#: MQM severity -> SARIF level.
LEVELS = {"critical": "error", "major": "warning", "minor": "note"}
RULE_DESCRIPTIONS = {
    "accuracy/mistranslation": "The MT says something other than the source.",
    "accuracy/omission": "Source content is missing from the MT.",
    "accuracy/addition": "The MT contains content that is not in the source.",
    "accuracy/untranslated": "Source-language text left untranslated.",
    "fluency/grammar": "Grammar error in the MT.",
    "fluency/spelling": "Spelling error in the MT.",
    "fluency/punctuation": "Punctuation error in the MT.",
    "style/awkward": "Awkward or unidiomatic phrasing.",
    "style/literal-idiom": "An idiom translated word for word.",
    "terminology": "Wrong or inconsistent term.",
    "locale/number-format": "Number, date or unit format does not suit the target locale.",
    "other/likely-error": "Likely translation error.",
}


class LineIndex:
    """Maps code-point offsets in a text to 1-based (line, column)."""

    def __init__(self, text: str):
        self._starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def _read_mt_file(side: dict[str, Any], base_dir: Path | None) -> str | None:
    path = side.get("path")
    if not path:
        return None
    p = Path(path)
    if base_dir is not None and not p.is_absolute():
        p = base_dir / p
    try:
        raw = p.read_bytes()
        text = raw.decode(side.get("encoding") or "utf-8")
    except (OSError, UnicodeDecodeError, LookupError):
        return None
    if text.startswith("\ufeff") and len(text) - 1 == side.get("chars"):
        text = text[1:]
    if len(text) != side.get("chars"):
        text = text.replace("\r\n", "\n")  # readers normalise newlines; offsets then refer to that text
    return text if len(text) == side.get("chars") else None


def _uri(path: str | None, doc_id: str) -> dict[str, Any]:
    if not path:
        return {"uri": quote(f"{doc_id}", safe="/"), "uriBaseId": "SRCROOT"}
    p = Path(path)
    if p.is_absolute():
        return {"uri": p.as_uri()}
    return {"uri": quote(str(PurePosixPath(*p.parts)), safe="/"), "uriBaseId": "SRCROOT"}


class _Locator:
    """Turns MT document offsets of one document into SARIF regions."""

    def __init__(self, doc: dict[str, Any], text: str | None):
        self.kind = doc["mt"].get("kind", "text")
        self.index = LineIndex(text) if (text is not None and self.kind == "text") else None
        # Unit formats (TSV, XLIFF, TMX...) usually hold source and MT in one file.
        self.same_file = self.kind != "text" and doc["source"].get("path") == doc["mt"].get("path") is not None

    def region(self, start: int, end: int, seg: dict[str, Any] | None) -> dict[str, Any] | None:
        if self.index is not None:
            sl, sc = self.index.position(start)
            el, ec = self.index.position(max(start, end))
            return {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}
        if seg is None:
            return None
        line = seg.get("mt_line")
        if line is None and self.same_file:
            line = seg.get("src_line")  # an omitted unit: its row in the shared file
        if line is None:
            return None
        if self.kind != "text":
            return {"startLine": line}
        # Text document without its text: count lines inside the segment only.
        local = seg.get("mt_text", "")[: max(0, start - seg["mt_start"])]
        nl = local.count("\n")
        region: dict[str, Any] = {"startLine": line + nl}
        if nl:
            region["startColumn"] = len(local) - local.rfind("\n")
        return region


def _message(flag: dict[str, Any]) -> str:
    parts = [flag.get("message", "").strip() or flag.get("category", "")]
    if flag.get("mt_text"):
        parts.append(f"MT: “{flag['mt_text']}”")
    if flag.get("src_text"):
        parts.append(f"Source: “{flag['src_text']}”")
    if flag.get("suggestions"):
        parts.append("Suggestions: " + "; ".join(flag["suggestions"]))
    return " — ".join(parts)


def to_sarif(
    report: dict[str, Any],
    mt_texts: Mapping[str, str] | None = None,
    base_dir: str | Path | None = None,
    baseline: Baseline | None = None,
) -> dict[str, Any]:
    """The SARIF log as a dict.

    ``mt_texts`` maps document id to MT text (optional, see the module doc);
    ``base_dir`` is where relative MT paths are read from; with a ``baseline``
    each result gets ``baselineState`` "new" or "unchanged".
    """
    base = Path(base_dir) if base_dir is not None else None
    rules: dict[str, int] = {}
    rule_list: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []

    def rule_index(category: str, severity: str) -> int:
        if category not in rules:
            rules[category] = len(rule_list)
            rule_list.append({
                "id": category,
                "name": category.replace("/", "-"),
                "shortDescription": {"text": RULE_DESCRIPTIONS.get(category, f"Translation problem: {category}")},
                "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
                "properties": {"tags": ["translation", category.split("/")[0]]},
            })
        return rules[category]

    for doc in report.get("documents", []):
        text = (mt_texts or {}).get(doc["id"])
        if text is None and doc["mt"].get("kind", "text") == "text":
            text = _read_mt_file(doc["mt"], base)
        locator = _Locator(doc, text)
        art_loc = _uri(doc["mt"].get("path"), doc["id"])
        art_index = len(artifacts)
        artifacts.append({"location": art_loc, "sourceLanguage": doc["mt"].get("lang"),
                          "properties": {"document": doc["id"]}})
        items = [(f, s) for s in doc.get("segments", []) for f in s.get("flags", [])]
        items += [(f, None) for f in doc.get("document_flags", [])]
        for flag, seg in items:
            span = flag.get("mt_span")
            if span is not None:
                start, end = span["start"], span["end"]
            elif seg is not None:
                start = end = seg["mt_start"]  # omissions: point where the text is missing
            else:
                start = end = None
            physical: dict[str, Any] = {"artifactLocation": {**art_loc, "index": art_index}}
            region = None if start is None else locator.region(start, end, seg)
            if region:
                physical["region"] = region
            result: dict[str, Any] = {
                "ruleId": flag["category"],
                "ruleIndex": rule_index(flag["category"], flag["severity"]),
                "level": LEVELS.get(flag["severity"], "warning"),
                "message": {"text": _message(flag)},
                "locations": [{"physicalLocation": physical}],
                "partialFingerprints": {FINGERPRINT_KEY: flag["id"]},
                "properties": {
                    "severity": flag["severity"],
                    "confidence": flag.get("confidence"),
                    "check": flag.get("check"),
                    "document": doc["id"],
                    "inQuote": flag.get("in_quote", False),
                    "sourceText": flag.get("src_text", ""),
                },
            }
            if baseline is not None:
                result["baselineState"] = "unchanged" if baseline.contains(flag) else "new"
            if seg is not None:
                result["properties"]["segment"] = seg["index"]
                if seg.get("unit_id"):
                    result["locations"][0]["logicalLocations"] = [{"name": seg["unit_id"], "kind": "element"}]
            results.append(result)

    signature = (report.get("signature") or {}).get("string")
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "mtcheck",
                "version": (report.get("tool") or {}).get("version", __version__),
                "rules": rule_list,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"SRCROOT": {"description": {"text": "The directory mtcheck was run from."}}},
            "artifacts": artifacts,
            "results": results,
            "properties": {"signature": signature, "summary": report.get("summary", {})},
        }],
    }


def render(report: dict[str, Any], mt_texts: Mapping[str, str] | None = None,
           base_dir: str | Path | None = None, baseline: Baseline | None = None) -> str:
    """The SARIF log as JSON text."""
    return json.dumps(to_sarif(report, mt_texts, base_dir, baseline), ensure_ascii=False, indent=2) + "\n"
