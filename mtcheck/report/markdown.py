"""Markdown summary for pull-request comments and ``$GITHUB_STEP_SUMMARY``.

GitHub renders raw HTML inside Markdown, so every text from the input is
escaped for both: HTML metacharacters become entities and Markdown
metacharacters get a backslash. The output is kept under GitHub's comment
size limit by listing only the worst flags.
"""

from __future__ import annotations

import re
from typing import Any

from mtcheck.baseline import iter_report_flags

SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}
SEVERITY_ICON = {"critical": "🔴", "major": "🟠", "minor": "🟡"}
#: GitHub rejects comments over 65536 characters.
MAX_CHARS = 60_000

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape(text: Any, limit: int | None = 160) -> str:
    """Make input text inert in GitHub Markdown (one line, no HTML, no markup)."""
    s = " ".join(str(text or "").split())
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # '>' has become '&gt;' above; escape the remaining Markdown metacharacters.
    return _MD_SPECIAL.sub(r"\\\1", s)


def _score(value: Any) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def render(report: dict[str, Any], max_flags: int = 25, title: str = "mtcheck translation check") -> str:
    """Markdown text: gate verdict, totals, per-document table and the worst flags."""
    s = report.get("summary") or {}
    gate = report.get("gate") or {}
    lines: list[str] = [f"## {title}", ""]
    if "passed" in gate:
        verdict = "✅ **Quality gate passed**" if gate["passed"] else "❌ **Quality gate failed**"
        lines.append(verdict)
        for reason in gate.get("reasons", []):
            lines.append(f"- {escape(reason, None)}")
        if gate.get("baselined_flags"):
            lines.append(f"- {gate['baselined_flags']} known flag(s) ignored (baseline)")
        lines.append("")
    labels = s.get("labels") or {}
    sev = s.get("flags_by_severity") or {}
    share = s.get("bad_share")
    lines += [
        "| Documents | Segments | Mean score | Good | Review | Bad | Bad share | Flags | Critical | Major | Minor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {s.get('documents', len(report.get('documents', [])))} | {s.get('segments', 0)} | {_score(s.get('mean_score'))} "
        f"| {labels.get('good', 0)} | {labels.get('review', 0)} | {labels.get('bad', 0)} "
        f"| {'n/a' if share is None else f'{share:.1%}'} | {s.get('flags', 0)} "
        f"| {sev.get('critical', 0)} | {sev.get('major', 0)} | {sev.get('minor', 0)} |",
        "",
    ]
    cats = s.get("flags_by_category") or {}
    if cats:
        lines += ["**Flags by category:** " + ", ".join(f"`{c}` {n}" for c, n in sorted(cats.items(), key=lambda kv: -kv[1])), ""]
    docs = report.get("documents", [])
    if len(docs) > 1:
        lines += ["<details><summary>Documents</summary>", "",
                  "| Document | Segments | Mean score | Bad | Flags |", "|---|---:|---:|---:|---:|"]
        for d in docs:
            ds = d.get("summary") or {}
            lines.append(f"| {escape(d['id'], 80)} | {ds.get('segments', len(d.get('segments', [])))} "
                         f"| {_score(ds.get('mean_score'))} | {(ds.get('labels') or {}).get('bad', 0)} | {ds.get('flags', 0)} |")
        lines += ["", "</details>", ""]
    flags = sorted(iter_report_flags(report),
                   key=lambda t: (SEVERITY_ORDER.get(t[1]["severity"], 3), -t[1].get("confidence", 0)))
    if flags:
        shown = flags[:max_flags]
        lines += [f"### Flags ({len(shown)} of {len(flags)}, worst first)", "",
                  "| | Where | Category | MT | Source | Message |", "|---|---|---|---|---|---|"]
        for doc, flag, seg in shown:
            path = doc["mt"].get("path") or doc["id"]
            where = f"{path}:{seg['mt_line']}" if seg and seg.get("mt_line") is not None else path
            mt = escape(flag.get("mt_text"), 80) or "*(missing)*"
            lines.append(
                f"| {SEVERITY_ICON.get(flag['severity'], '')} {flag['severity']} | {escape(where, 80)} "
                f"| `{flag['category']}` | {mt} | {escape(flag.get('src_text'), 80)} | {escape(flag.get('message'), 160)} |"
            )
        lines.append("")
    sig = (report.get("signature") or {}).get("string")
    if sig:
        lines += [f"<sub>Signature: {escape(sig, None)}</sub>", ""]
    out = "\n".join(lines)
    if len(out) > MAX_CHARS and max_flags > 0:  # many documents or long texts: list fewer flags
        return render(report, max_flags=max_flags // 2, title=title)
    return out
