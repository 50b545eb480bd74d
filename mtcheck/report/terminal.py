"""Compact terminal summary (rich): totals, flags by severity/category, the worst
flags and the gate verdict with its reasons.

Input text is passed to rich as ``Text`` objects, never as markup, so square
brackets in translations are shown as they are.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from mtcheck.baseline import iter_report_flags

SEVERITY_STYLE = {"critical": "bold red", "major": "yellow", "minor": "cyan"}
SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}


def _short(text: str, limit: int) -> str:
    s = " ".join((text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def build(report: dict[str, Any], max_flags: int = 10) -> Group:
    """The summary as a rich renderable."""
    s = report.get("summary") or {}
    labels = s.get("labels") or {}
    sev = s.get("flags_by_severity") or {}
    mean = s.get("mean_score")
    share = s.get("bad_share")
    head = Text()
    head.append("mtcheck ", style="bold")
    head.append(f"{s.get('documents', len(report.get('documents', [])))} document(s), {s.get('segments', 0)} segments, ")
    head.append(f"mean score {'n/a' if mean is None else f'{mean:.1f}'}", style="bold")
    head.append(f"  good {labels.get('good', 0)} · review {labels.get('review', 0)} · ")
    head.append(f"bad {labels.get('bad', 0)}", style="red" if labels.get("bad") else "")
    if share is not None:
        head.append(f" ({share:.1%})")
    parts: list[Any] = [head]
    flags_line = Text(f"flags {s.get('flags', 0)}: ")
    for name in ("critical", "major", "minor"):
        flags_line.append(f"{name} {sev.get(name, 0)}", style=SEVERITY_STYLE[name] if sev.get(name) else "")
        flags_line.append("  ")
    cats = s.get("flags_by_category") or {}
    if cats:
        flags_line.append("| " + ", ".join(f"{c} {n}" for c, n in sorted(cats.items(), key=lambda kv: -kv[1])), style="dim")
    parts.append(flags_line)
    flags = sorted(iter_report_flags(report),
                   key=lambda t: (SEVERITY_ORDER.get(t[1]["severity"], 3), -t[1].get("confidence", 0)))
    if flags and max_flags:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        for col in ("severity", "where", "category", "MT", "message"):
            table.add_column(col, overflow="fold")
        for doc, flag, seg in flags[:max_flags]:
            path = doc["mt"].get("path") or doc["id"]
            where = f"{path}:{seg['mt_line']}" if seg and seg.get("mt_line") is not None else path
            table.add_row(
                Text(flag["severity"], style=SEVERITY_STYLE.get(flag["severity"], "")),
                Text(_short(where, 40)),
                Text(flag["category"]),
                Text(_short(flag.get("mt_text") or "(missing)", 40)),
                Text(_short(flag.get("message", ""), 60)),
            )
        parts.append(table)
        if len(flags) > max_flags:
            parts.append(Text(f"… and {len(flags) - max_flags} more flag(s); see the HTML or JSON report", style="dim"))
    gate = report.get("gate") or {}
    if "passed" in gate:
        verdict = Text("quality gate: ", style="bold")
        verdict.append("passed" if gate["passed"] else "FAILED", style="bold green" if gate["passed"] else "bold red")
        if gate.get("baselined_flags"):
            verdict.append(f"  ({gate['baselined_flags']} known flag(s) in the baseline)", style="dim")
        parts.append(verdict)
        for reason in gate.get("reasons", []):
            parts.append(Text(f"  - {reason}", style="red"))
    return Group(*parts)


def print_summary(report: dict[str, Any], console: Console, max_flags: int = 10) -> None:
    """Print the summary to ``console``."""
    console.print(build(report, max_flags))


def render(report: dict[str, Any], max_flags: int = 10, width: int = 100, color: bool = False) -> str:
    """The summary as a string (ANSI colours only when ``color``)."""
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, color_system="standard" if color else None,
                      highlight=False, emoji=False)
    print_summary(report, console, max_flags)
    return buf.getvalue()
