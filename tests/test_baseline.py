"""Baselines: writing, loading the three accepted kinds, matching flags, errors."""

from __future__ import annotations

import json

import pytest

from mtcheck.baseline import (
    BASELINE_SCHEMA_ID, DECISIONS_SCHEMA_ID, baseline_from_dict, load_baseline, make_baseline, write_baseline,
)
from mtcheck.errors import InputError
from tests.fixtures.reports.factory import PAIRS, PairSpec, build_document, make_report, to_report_dict


def _all_flags(report):
    return [f for d in report["documents"] for s in d["segments"] for f in s["flags"]]


@pytest.fixture(scope="module")
def report():
    return make_report()


def test_make_baseline_lists_every_flag_once(report):
    data = make_baseline(report)
    assert data["schema"] == BASELINE_SCHEMA_ID
    ids = [e["id"] for e in data["flags"]]
    assert ids == sorted(set(ids))
    assert set(ids) == {f["id"] for f in _all_flags(report)}
    idiom = next(e for e in data["flags"] if e["mt_text"] == "pull the rubber")
    assert idiom == {"id": idiom["id"], "document": "kazakhstan-news", "check": "idiom",
                     "category": "style/literal-idiom", "severity": "major",
                     "mt_text": "pull the rubber", "src_text": "не тяни резину"}
    assert data["report"]["signature"] == report["signature"]["string"]


def test_write_and_load_roundtrip(tmp_path, report):
    path = tmp_path / "baseline.json"
    write_baseline(report, path)
    base = load_baseline(path)
    assert base.kind == "baseline" and base.path == str(path)
    assert len(base) == len({f["id"] for f in _all_flags(report)})
    assert all(base.contains(f) for f in _all_flags(report))
    assert not base.contains({"id": "0000000000000000"})


def test_previous_report_is_a_baseline(tmp_path, report):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    base = load_baseline(path)
    assert base.kind == "report"
    assert all(base.contains(f) for f in _all_flags(report))


def test_fingerprints_survive_moved_text():
    """A baseline keeps matching after sentences are inserted before the flags."""
    old = to_report_dict([build_document("news", PAIRS[:7])])
    moved = to_report_dict([build_document("news", [PAIRS[8], PAIRS[0], *PAIRS[1:7]])])
    base = baseline_from_dict(old, "old-report.json")
    old_flags, new_flags = _all_flags(old), _all_flags(moved)
    assert [f["mt_span"]["start"] for f in old_flags if f["mt_span"]] != [f["mt_span"]["start"] for f in new_flags if f["mt_span"]]
    assert all(base.contains(f) for f in new_flags)
    other_doc = to_report_dict([build_document("other-news", PAIRS[:7])])
    assert not any(base.contains(f) for f in _all_flags(other_doc))


def test_decisions_export_counts_accepted_and_dismissed_only(tmp_path, report):
    flags = _all_flags(report)
    data = {
        "schema": DECISIONS_SCHEMA_ID,
        "report": {"key": "abc", "created": report["created"], "signature": report["signature"]["string"]},
        "exported": "2026-11-27T12:30:00Z",
        "decisions": [
            {"id": flags[0]["id"], "document": "kazakhstan-news", "status": "accepted", "comment": ""},
            {"id": flags[1]["id"], "document": "kazakhstan-news", "status": "dismissed", "comment": "numbers fine"},
            {"id": flags[2]["id"], "document": "kazakhstan-news", "status": None, "comment": "check with editor"},
        ],
    }
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    base = load_baseline(path)
    assert base.kind == "decisions"
    assert base.contains(flags[0]) and base.contains(flags[1])
    assert not base.contains(flags[2]) and not base.contains(flags[3])
    assert base.entries[flags[1]["id"]]["comment"] == "numbers fine"


@pytest.mark.parametrize("content, problem", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"schema": "something-else/2"}', "not a baseline"),
    ('{"schema": "mtcheck-baseline/1.0", "tool": {"name": "mtcheck", "version": "0"}, "created": "x", "flags": [{"mt_text": "a"}]}',
     "'id' is a required property"),
    ('{"schema": "mtcheck-decisions/1.0", "report": {"key": "k"}, "decisions": [{"id": "a", "status": "maybe"}]}',
     "invalid mtcheck-decisions/1.0 file at decisions/0/status"),
    ('{"schema": "mtcheck-report/1.0", "documents": {}}', "no 'documents' list"),
    ('{"schema": "mtcheck-report/1.0", "documents": [{"segments": [{"flags": [{"check": "x"}]}]}]}', "malformed flag"),
])
def test_bad_files_raise_input_error_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_baseline(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_json_error_gives_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "schema": "mtcheck-baseline/1.0",\n  "flags": [,]\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_baseline(path)
    assert info.value.line == 3


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_baseline(tmp_path / "nope.json")
    with pytest.raises(InputError, match="directory"):
        load_baseline(tmp_path)


def test_committed_sample_reports_load_as_baselines():
    from pathlib import Path

    from mtcheck.report import json_report

    here = Path(__file__).parent / "fixtures" / "reports"
    for name in ("sample-small.json", "sample-units.json", "sample-escape.json"):
        data = json.loads((here / name).read_text(encoding="utf-8"))
        json_report.validate(data)
        assert len(load_baseline(here / name)) == data["summary"]["flags"]


def test_addition_pair_only_spec_builds():
    # An addition-only document (no source text at all) still yields a usable baseline.
    doc = build_document("only-added", [PairSpec("", PAIRS[5].mt, 40.0, PAIRS[5].flags)])
    data = make_baseline(to_report_dict([doc]))
    assert [e["category"] for e in data["flags"]] == ["accuracy/addition"]
