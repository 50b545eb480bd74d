"""JUnit XML output: one test case per document.

A document's test case fails when it has flags at or above ``fail_on``
severity (only flags not in the baseline, when one is given). The failure
text lists each flag with its MT line, category, severity and texts, so CI
test viewers show what to fix. Built with ``xml.etree.ElementTree``, which
escapes markup; characters XML 1.0 cannot hold are removed first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from mtcheck.baseline import Baseline
from mtcheck.gate import severity_at_least

# Characters not allowed in XML 1.0 documents.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: Any) -> str:
    return _INVALID_XML.sub("\ufffd", "" if text is None else str(text))


def _flag_line(flag: dict[str, Any], seg: dict[str, Any] | None, path: str) -> str:
    where = path
    if seg is not None:
        where += f":{seg['mt_line']}" if seg.get("mt_line") is not None else f" segment {seg['index']}"
    parts = [f"{where}: {flag['severity']} {flag['category']} ({flag.get('check', '')}, "
             f"confidence {flag.get('confidence', 0):.2f}): {flag.get('message', '')}"]
    if flag.get("mt_text"):
        parts.append(f"    MT:     {flag['mt_text']}")
    if flag.get("src_text"):
        parts.append(f"    Source: {flag['src_text']}")
    if flag.get("suggestions"):
        parts.append(f"    Try:    {'; '.join(flag['suggestions'])}")
    return "\n".join(parts)


def to_element(report: dict[str, Any], fail_on: str = "major", baseline: Baseline | None = None) -> ET.Element:
    """The ``<testsuites>`` element."""
    suites = ET.Element("testsuites", name="mtcheck")
    suite = ET.SubElement(suites, "testsuite", name="mtcheck")
    props = ET.SubElement(suite, "properties")
    signature = (report.get("signature") or {}).get("string", "")
    ET.SubElement(props, "property", name="signature", value=_clean(signature))
    ET.SubElement(props, "property", name="fail_on", value=fail_on)
    failures = 0
    docs = report.get("documents", [])
    for doc in docs:
        path = doc["mt"].get("path") or doc["id"]
        case = ET.SubElement(suite, "testcase", classname="mtcheck", name=_clean(doc["id"]), file=_clean(path))
        items = [(f, s) for s in doc.get("segments", []) for f in s.get("flags", [])]
        items += [(f, None) for f in doc.get("document_flags", [])]
        failing = [(f, s) for f, s in items
                   if severity_at_least(f["severity"], fail_on) and (baseline is None or not baseline.contains(f))]
        if failing:
            failures += 1
            worst = max(failing, key=lambda t: {"minor": 1, "major": 2, "critical": 3}[t[0]["severity"]])[0]["severity"]
            fail = ET.SubElement(case, "failure", type=worst,
                                 message=_clean(f"{len(failing)} flag(s) at or above {fail_on} in {doc['id']}"))
            fail.text = _clean("\n".join(_flag_line(f, s, path) for f, s in failing))
        summary = doc.get("summary") or {}
        mean = summary.get("mean_score")
        out = ET.SubElement(case, "system-out")
        out.text = _clean(
            f"segments: {summary.get('segments', len(doc.get('segments', [])))}, "
            f"flags: {len(items)}, mean score: {'n/a' if mean is None else f'{mean:.2f}'}"
        )
    for el in (suites, suite):
        el.set("tests", str(len(docs)))
        el.set("failures", str(failures))
        el.set("errors", "0")
        el.set("skipped", "0")
        el.set("time", "0")
    return suites


def render(report: dict[str, Any], fail_on: str = "major", baseline: Baseline | None = None) -> str:
    """JUnit XML text."""
    root = to_element(report, fail_on, baseline)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
