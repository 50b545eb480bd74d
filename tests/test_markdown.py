"""Markdown summary for pull requests: content, escaping, size limit."""

from __future__ import annotations

import re

from mtcheck.gate import Thresholds, evaluate
from mtcheck.report import markdown
from tests.fixtures.reports.factory import make_report


def _table_rows(text, header_start):
    lines = text.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[i + 2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _cells(row):
    # Split on pipes that are not escaped.
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_summary_numbers_and_gate():
    report = make_report()
    report["gate"] = evaluate(report, Thresholds(min_mean_score=60, max_critical=0)).to_dict()
    text = markdown.render(report)
    assert text.startswith("## mtcheck translation check")
    assert "❌ **Quality gate failed**" in text
    assert "- mean score 58\\.46 is below the minimum 60" in text
    totals = _cells(_table_rows(text, "| Documents")[0])
    assert totals == ["2", "14", "58.5", "5", "3", "6", "42.9%", "10", "3", "4", "3"]
    assert "`style/literal-idiom` 3" in text
    docs = [_cells(r) for r in _table_rows(text, "| Document |")]
    assert [d[0] for d in docs] == ["kazakhstan\\-news", "moscow\\-meeting"]
    assert "Signature: mtcheck:0\\.1\\.0\\|pair:ru\\-en" in text


def test_flags_worst_first_and_limited():
    report = make_report()
    text = markdown.render(report, max_flags=4)
    rows = [_cells(r) for r in _table_rows(text, "| | Where")]
    assert "### Flags (4 of 10, worst first)" in text
    assert [r[0] for r in rows] == ["🔴 critical"] * 3 + ["🟠 major"]
    assert rows[0][3] == "25 thousand" and rows[0][4] == "2,5 тыс\\."
    omission = next(r for r in rows if r[2] == "`accuracy/omission`")
    assert omission[3] == "*(missing)*"


def test_passed_gate():
    report = make_report()
    report["gate"] = evaluate(report, Thresholds(min_mean_score=50)).to_dict()
    assert "✅ **Quality gate passed**" in markdown.render(report)


def test_input_text_cannot_inject_html_or_break_tables():
    report = make_report(evil=True)
    text = markdown.render(report)
    for bad in ("<script", "<img", "<b>", "<svg"):
        assert bad not in text
    assert "&lt;script&gt;window\\.\\_\\_pwned=1&lt;/script&gt;" in text
    for row in _table_rows(text, "| | Where"):
        assert len(_cells(row)) == 6


def test_escape_handles_pipes_newlines_and_backticks():
    assert markdown.escape("a|b\nc `code` [link](http://x)") == "a\\|b c \\`code\\` \\[link\\]\\(http://x\\)"
    assert markdown.escape("x" * 300, limit=10) == "xxxxxxxxx…"


def test_huge_report_stays_under_github_limit():
    report = make_report()
    long_text = "очень длинный текст " * 400
    for doc in report["documents"]:
        for seg in doc["segments"]:
            for flag in seg["flags"]:
                flag["message"] = long_text
    report["documents"] = report["documents"] * 200  # many documents in the table
    text = markdown.render(report, max_flags=500)
    assert len(text) <= markdown.MAX_CHARS
