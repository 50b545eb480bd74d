"""JUnit XML: one test case per document, failures for flags at or above a severity."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mtcheck.baseline import baseline_from_dict, make_baseline
from mtcheck.report import junit
from tests.fixtures.reports.factory import PAIRS, FlagSpec, PairSpec, build_document, make_report, to_report_dict


def _cases(xml_text):
    root = ET.fromstring(xml_text.encode("utf-8"))
    assert root.tag == "testsuites"
    return root, {c.get("name"): c for c in root.iter("testcase")}


@pytest.fixture(scope="module")
def report():
    # kazakhstan-news: 2 critical, 2 major, 1 minor; moscow-meeting: 1 critical, 2 major, 2 minor;
    # untranslated: 1 major; style-only: 3 minor; clean-news: no flags.
    docs = [build_document("kazakhstan-news", PAIRS[:7]), build_document("moscow-meeting", PAIRS[7:]),
            build_document("untranslated", [PAIRS[0], PAIRS[11]]),
            build_document("style-only", [PAIRS[6], PAIRS[9]]),
            build_document("clean-news", [PAIRS[0], PAIRS[3], PAIRS[8]])]
    return to_report_dict(docs)


@pytest.mark.parametrize("fail_on, failing", [
    ("critical", {"kazakhstan-news", "moscow-meeting"}),
    ("major", {"kazakhstan-news", "moscow-meeting", "untranslated"}),
    ("minor", {"kazakhstan-news", "moscow-meeting", "untranslated", "style-only"}),
])
def test_one_case_per_document_and_failures(report, fail_on, failing):
    root, cases = _cases(junit.render(report, fail_on=fail_on))
    assert set(cases) == {"kazakhstan-news", "moscow-meeting", "untranslated", "style-only", "clean-news"}
    assert {n for n, c in cases.items() if c.find("failure") is not None} == failing
    assert root.get("tests") == "5" and root.get("failures") == str(len(failing))
    assert cases["clean-news"].get("file") == "corpus/en/clean-news.txt"


def test_failure_lists_flags_at_or_above_the_severity(report):
    _, cases = _cases(junit.render(report, fail_on="critical"))
    assert cases["untranslated"].find("failure") is None
    failure = cases["moscow-meeting"].find("failure")
    assert failure.get("type") == "critical"
    assert failure.get("message") == "1 flag(s) at or above critical in moscow-meeting"
    assert "corpus/en/moscow-meeting.txt:1: critical accuracy/mistranslation" in failure.text
    assert "MT:     1.5%" in failure.text and "Source: 15%" in failure.text
    assert "literal-idiom" not in failure.text  # major flags are below the bar
    _, cases = _cases(junit.render(report, fail_on="minor"))
    assert cases["moscow-meeting"].find("failure").get("message") == "5 flag(s) at or above minor in moscow-meeting"


def test_minor_only_document_passes_at_major():
    doc = build_document("minor-only", [PAIRS[6], PAIRS[9]])
    _, cases = _cases(junit.render(to_report_dict([doc]), fail_on="major"))
    assert cases["minor-only"].find("failure") is None
    _, cases = _cases(junit.render(to_report_dict([doc]), fail_on="minor"))
    assert cases["minor-only"].find("failure") is not None


def test_baseline_flags_do_not_fail(report):
    baseline = baseline_from_dict(make_baseline(report))
    root, cases = _cases(junit.render(report, fail_on="minor", baseline=baseline))
    assert root.get("failures") == "0"
    assert all(c.find("failure") is None for c in cases.values())


def test_markup_and_control_characters_survive_parsing():
    report = make_report(evil=True)
    evil_pair = PairSpec("Текст\x07 с управляющим символом.", "Text\x07 with a \x0bcontrol char.", 20.0,
                         [FlagSpec("spell", "fluency/spelling", "major", 0.8, "Odd \x00 char", mt="\x0bcontrol")])
    report["documents"].append(to_report_dict([build_document("ctl", [evil_pair])])["documents"][0])
    text = junit.render(report, fail_on="minor")
    root, cases = _cases(text)
    evil = cases['evil"><b>doc</b>']
    assert "<script>window.__pwned=1</script>" in evil.find("failure").text
    assert "\ufffdcontrol" in cases["ctl"].find("failure").text
    signature = root.find("testsuite/properties/property[@name='signature']").get("value")
    assert signature == report["signature"]["string"]
