"""The HTML report for reviewers: one self-contained file.

The summary (scores, label and flag counts, histogram, per-document table,
signature) is rendered by Jinja2 with autoescaping. The segment view is
rendered in the browser from the report data, embedded as JSON in a
``<script type="application/json">`` block, one page at a time, with DOM
APIs and ``textContent`` only, so reports of 20,000+ segments open quickly
and nothing from the input is ever parsed as HTML.

Security: the page carries a Content-Security-Policy with ``default-src
'none'``; the one inline script and the one inline stylesheet are allowed by
their SHA-256 hashes (no ``'unsafe-inline'``, no ``'unsafe-eval'``), images
only from ``data:``. The JSON block escapes ``<``, ``>``, ``&`` and the
JavaScript line separators, so input text cannot close the block.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from mtcheck.baseline import DECISIONS_SCHEMA_ID

SEVERITIES = ("critical", "major", "minor")
LABELS = ("good", "review", "bad")
HIST_BINS = 10


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("mtcheck.report").joinpath("templates", name).read_text("utf-8")


@lru_cache(maxsize=None)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("mtcheck.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def csp_hash(text: str) -> str:
    """The CSP source expression allowing an inline script/style with this exact text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def json_for_script(data: Any) -> str:
    """JSON text safe inside ``<script type="application/json">``.

    Escaping ``<`` also rules out ``</script>`` and ``<!--``; ``>`` and ``&``
    are escaped for good measure, U+2028/U+2029 for older JS parsers.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def report_key(report: dict[str, Any]) -> str:
    """Identifies a report in the browser's storage (decisions are kept per report)."""
    sig = (report.get("signature") or {}).get("string", "")
    docs = [(d.get("id"), len(d.get("segments", []))) for d in report.get("documents", [])]
    blob = json.dumps([sig, report.get("created"), docs], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _local(span: dict[str, int] | None, start: int, text: str) -> list[int] | None:
    """A document span as offsets into a segment's text, or None if outside it."""
    if not span:
        return None
    s, e = span["start"] - start, span["end"] - start
    if 0 <= s <= e <= len(text):
        return [s, e]
    return None


def _flag_view(flag: dict[str, Any], doc_index: int, seg: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": flag["id"],
        "d": doc_index,
        "check": flag.get("check", ""),
        "cat": flag["category"],
        "sev": flag["severity"],
        "conf": flag.get("confidence", 0),
        "msg": flag.get("message", ""),
        "mt": _local(flag.get("mt_span"), seg["mt_start"], seg["mt_text"]) if seg else None,
        "src": _local(flag.get("src_span"), seg["src_start"], seg["src_text"]) if seg else None,
        "mt_text": flag.get("mt_text", ""),
        "src_text": flag.get("src_text", ""),
        "quote": bool(flag.get("in_quote")),
        "sugg": list(flag.get("suggestions", [])),
        "ev": flag.get("evidence") or {},
    }


def view_data(report: dict[str, Any]) -> dict[str, Any]:
    """The compact data the page script renders (not the whole report: no sentence lists)."""
    docs, segs, flags = [], [], []
    categories: set[str] = set()
    for di, doc in enumerate(report.get("documents", [])):
        docs.append({"id": doc["id"], "src": doc["source"].get("path"), "mt": doc["mt"].get("path"),
                     "kind": doc["mt"].get("kind", "text")})
        if doc.get("document_flags"):
            ids = []
            for f in doc["document_flags"]:
                ids.append(len(flags))
                flags.append(_flag_view(f, di, None))
                categories.add(f["category"])
            segs.append({"d": di, "i": -1, "s": "", "m": "", "sc": None, "lb": None, "f": ids,
                         "bt": None, "ln": None, "k": "document", "w": []})
        for seg in doc.get("segments", []):
            ids = []
            for f in seg.get("flags", []):
                ids.append(len(flags))
                flags.append(_flag_view(f, di, seg))
                categories.add(f["category"])
            kind = ("omission" if seg["src_text"] and not seg["mt_text"]
                    else "addition" if seg["mt_text"] and not seg["src_text"] else "")
            bad = [w for w in seg.get("words", []) if w.get("tag") == "BAD"]
            words = []
            for w in bad:
                loc = _local(w, seg["mt_start"], seg["mt_text"])
                if loc:
                    words.append([loc[0], loc[1], w.get("p_bad", 0)])
            segs.append({"d": di, "i": seg["index"], "s": seg["src_text"], "m": seg["mt_text"],
                         "sc": seg.get("score"), "lb": seg.get("label"), "f": ids,
                         "bt": seg.get("backtranslation"), "ln": seg.get("mt_line"), "k": kind, "w": words})
    sig = report.get("signature") or {}
    return {
        "key": report_key(report),
        "schema": DECISIONS_SCHEMA_ID,
        "created": report.get("created"),
        "signature": sig.get("string", ""),
        "srcLang": sig.get("src_lang", ""),
        "tgtLang": sig.get("tgt_lang", ""),
        "docs": docs,
        "categories": sorted(categories),
        "segs": segs,
        "flags": flags,
    }


def histogram(report: dict[str, Any], bins: int = HIST_BINS) -> dict[str, Any]:
    """Score histogram geometry for the inline SVG (scores 0-100, ``bins`` equal bins)."""
    counts = [0] * bins
    for doc in report.get("documents", []):
        for seg in doc.get("segments", []):
            sc = seg.get("score")
            if sc is not None:
                counts[min(bins - 1, int(sc * bins / 100))] += 1
    width, height, top, bottom, left = 420, 180, 18, 30, 8
    bar_w = (width - 2 * left) / bins
    peak = max(counts) or 1
    bars = []
    for i, n in enumerate(counts):
        h = (height - top - bottom) * n / peak
        lo, hi = i * 100 // bins, (i + 1) * 100 // bins
        bars.append({
            "x": round(left + i * bar_w + 1, 1), "y": round(height - bottom - h, 1), "w": round(bar_w - 2, 1),
            "h": round(h, 1), "n": n, "lo": lo, "hi": hi, "cx": round(left + (i + 0.5) * bar_w, 1),
            "cls": "bad" if hi <= 50 else "review" if hi <= 75 else "good",
        })
    return {"bars": bars, "width": width, "height": height, "base": height - bottom, "total": sum(counts)}


def _doc_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for i, doc in enumerate(report.get("documents", [])):
        s = doc.get("summary") or {}
        sev = s.get("flags_by_severity") or {}
        nflags = sum(len(x.get("flags", [])) for x in doc.get("segments", [])) + len(doc.get("document_flags", []))
        rows.append({
            "index": i, "id": doc["id"], "path": doc["mt"].get("path") or "",
            "segments": len(doc.get("segments", [])), "mean": s.get("mean_score"),
            "bad": (s.get("labels") or {}).get("bad", 0), "flags": nflags,
            "critical": sev.get("critical", 0), "major": sev.get("major", 0),
            "problems": [f"{name}: {lang.get('problem') or 'language ' + str(lang.get('detected'))}"
                         for name, lang in (("source", doc["source"].get("language")), ("MT", doc["mt"].get("language")))
                         if lang and not lang.get("ok", True)],
        })
    return rows


def render(report: dict[str, Any], title: str | None = None, page_size: int = 50) -> str:
    """The HTML report as one self-contained string."""
    script, style = _asset("report.js"), _asset("report.css")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {csp_hash(script)}",
        f"style-src {csp_hash(style)}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    summary = {"segments": 0, "flags": 0, "flags_by_severity": {}, "flags_by_category": {}, "labels": {},
               "mean_score": None, **(report.get("summary") or {})}
    data = view_data(report)
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title or "mtcheck report",
        csp=csp,
        style=Markup(style),
        script=Markup(script),
        data_json=Markup(json_for_script(data)),
        summary=summary,
        severities=SEVERITIES,
        labels=LABELS,
        categories=data["categories"],
        by_category=sorted((summary.get("flags_by_category") or {}).items(), key=lambda kv: (-kv[1], kv[0])),
        hist=histogram(report),
        docs=_doc_rows(report),
        signature=report.get("signature") or {},
        gate=report.get("gate") or {},
        notes=report.get("notes") or [],
        created=report.get("created", ""),
        tool=report.get("tool") or {},
        page_size=page_size,
        src_lang=data["srcLang"],
        tgt_lang=data["tgtLang"],
    )
