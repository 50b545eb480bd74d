"""Baselines: flags that are already known, so that only new flags fail the gate.

A baseline is read from one of three kinds of JSON file, told apart by their
``schema`` field:

- a previous mtcheck report (``mtcheck-report/1.0``): every flag in it is known;
- a baseline written by ``mtcheck baseline`` (``mtcheck-baseline/1.0``, see
  ``make_baseline``);
- reviewer decisions exported from the HTML report (``mtcheck-decisions/1.0``):
  flags the reviewer accepted or dismissed are known; flags that only carry a
  comment are not.

Flags are matched by their ``id`` fingerprint (``mtcheck.data.flag_fingerprint``),
which is built from the document, check, category and flagged texts rather
than offsets, so a baseline still matches after text elsewhere moves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from mtcheck import __version__
from mtcheck.errors import InputError

BASELINE_SCHEMA_ID = "mtcheck-baseline/1.0"
DECISIONS_SCHEMA_ID = "mtcheck-decisions/1.0"
REPORT_SCHEMA_PREFIX = "mtcheck-report/"

#: Decision statuses that put a flag into the baseline.
BASELINED_STATUSES = ("accepted", "dismissed")

_FLAG_ENTRY = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "document": {"type": ["string", "null"]},
        "check": {"type": "string"},
        "category": {"type": "string"},
        "severity": {"enum": ["minor", "major", "critical"]},
        "mt_text": {"type": "string"},
        "src_text": {"type": "string"},
        "status": {"type": ["string", "null"]},
        "comment": {"type": ["string", "null"]},
    },
}

#: Schema of the files written by ``make_baseline``.
BASELINE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": BASELINE_SCHEMA_ID,
    "type": "object",
    "required": ["schema", "tool", "created", "flags"],
    "properties": {
        "schema": {"const": BASELINE_SCHEMA_ID},
        "tool": {"type": "object", "required": ["name", "version"]},
        "created": {"type": "string"},
        "report": {"type": "object"},
        "flags": {"type": "array", "items": _FLAG_ENTRY},
    },
}

#: Schema of the reviewer decisions exported by the HTML report.
DECISIONS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": DECISIONS_SCHEMA_ID,
    "type": "object",
    "required": ["schema", "report", "decisions"],
    "properties": {
        "schema": {"const": DECISIONS_SCHEMA_ID},
        "report": {"type": "object", "required": ["key"], "properties": {"key": {"type": "string"}}},
        "exported": {"type": "string"},
        "decisions": {
            "type": "array",
            "items": {
                **_FLAG_ENTRY,
                "required": ["id", "status"],
                "properties": {
                    **_FLAG_ENTRY["properties"],
                    "status": {"enum": ["accepted", "dismissed", None]},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Baseline:
    """Known flags, by fingerprint."""

    ids: frozenset[str]
    kind: str  # "report" | "baseline" | "decisions"
    path: str | None = None
    entries: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)

    def contains(self, flag: dict[str, Any]) -> bool:
        """Whether a flag dict (as in the JSON report) is already known."""
        return flag.get("id") in self.ids

    def __len__(self) -> int:
        return len(self.ids)


def iter_report_flags(report: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]]:
    """Yield ``(document, flag, segment)`` for every flag of a report dict.

    Document-level flags come with ``segment`` None.
    """
    for doc in report.get("documents", []):
        for seg in doc.get("segments", []):
            for flag in seg.get("flags", []):
                yield doc, flag, seg
        for flag in doc.get("document_flags", []):
            yield doc, flag, None


def _entry(doc: dict[str, Any], flag: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": flag["id"],
        "document": doc.get("id"),
        "check": flag.get("check", ""),
        "category": flag.get("category", ""),
        "severity": flag.get("severity", "minor"),
        "mt_text": flag.get("mt_text", ""),
        "src_text": flag.get("src_text", ""),
    }


def make_baseline(report: dict[str, Any], created: datetime | None = None) -> dict[str, Any]:
    """A baseline dict (``mtcheck-baseline/1.0``) holding every flag of ``report``."""
    created = created or datetime.now(timezone.utc)
    entries: dict[str, dict[str, Any]] = {}
    for doc, flag, _seg in iter_report_flags(report):
        entries.setdefault(flag["id"], _entry(doc, flag))
    signature = report.get("signature") or {}
    return {
        "schema": BASELINE_SCHEMA_ID,
        "tool": {"name": "mtcheck", "version": __version__},
        "created": created.isoformat(timespec="seconds"),
        "report": {"created": report.get("created"), "signature": signature.get("string")},
        "flags": [entries[k] for k in sorted(entries)],
    }


def write_baseline(report: dict[str, Any], path: str | Path) -> dict[str, Any]:
    """Write ``make_baseline(report)`` atomically to ``path`` and return it."""
    from mtcheck.atomic import write_text

    data = make_baseline(report)
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return data


def baseline_from_dict(data: Any, path: str | None = None) -> Baseline:
    """Interpret a parsed JSON value as a baseline (see the module doc)."""
    where = path or "<baseline>"
    if not isinstance(data, dict):
        raise InputError(where, "not a baseline: expected a JSON object")
    schema = data.get("schema")
    if schema == BASELINE_SCHEMA_ID:
        _validate(data, BASELINE_SCHEMA, where)
        entries = {e["id"]: e for e in data["flags"]}
        return Baseline(frozenset(entries), "baseline", path, entries)
    if schema == DECISIONS_SCHEMA_ID:
        _validate(data, DECISIONS_SCHEMA, where)
        entries = {e["id"]: e for e in data["decisions"] if e.get("status") in BASELINED_STATUSES}
        return Baseline(frozenset(entries), "decisions", path, entries)
    if isinstance(schema, str) and schema.startswith(REPORT_SCHEMA_PREFIX):
        docs = data.get("documents")
        if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
            raise InputError(where, "report has no 'documents' list")
        entries = {}
        try:
            for doc, flag, _seg in iter_report_flags(data):
                entries.setdefault(flag["id"], _entry(doc, flag))
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(where, f"report has a malformed flag ({exc!r})") from None
        return Baseline(frozenset(entries), "report", path, entries)
    raise InputError(
        where,
        f"not a baseline: 'schema' is {schema!r}; expected {BASELINE_SCHEMA_ID}, "
        f"{DECISIONS_SCHEMA_ID} or an mtcheck report",
    )


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file: a report, a ``write_baseline`` file or exported decisions.

    Raises ``InputError`` naming the file when it is missing, not JSON or of
    the wrong kind.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(p, "baseline file not found") from None
    except IsADirectoryError:
        raise InputError(p, "baseline path is a directory") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(p, f"cannot read baseline: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(p, f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    return baseline_from_dict(data, str(p))


def _validate(data: dict[str, Any], schema: dict[str, Any], where: str) -> None:
    import jsonschema

    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        err = errors[0]
        loc = "/".join(str(p) for p in err.absolute_path) or "(top)"
        raise InputError(where, f"invalid {schema['$id']} file at {loc}: {err.message}")
