"""SARIF 2.1.0 output: structure, rule/level mapping, and flag locations."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from mtcheck.report import sarif
from tests.fixtures.reports.factory import PAIRS, FlagSpec, PairSpec, build_document, make_report, to_report_dict


def _schema():
    return json.loads(resources.files("mtcheck").joinpath("schemas/sarif-2.1.0.json").read_text("utf-8"))


def _validate(log):
    jsonschema.Draft202012Validator(_schema()).validate(log)


def _char_at(text: str, line: int, column: int, length: int) -> str:
    return text.split("\n")[line - 1][column - 1: column - 1 + length]


@pytest.fixture(scope="module")
def docs():
    # Paragraphs of three sentences: flags land on lines 1, 3 and 5 of the MT file.
    return [build_document("kazakhstan-news", PAIRS[:7]), build_document("moscow-meeting", PAIRS[7:])]


def test_structure_validates_and_uses_code_points(docs):
    report = to_report_dict(docs)
    log = sarif.to_sarif(report, mt_texts={d.id: d.mt.text for d in docs})
    _validate(log)
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["tool"]["driver"]["name"] == "mtcheck"
    assert len(run["results"]) == report["summary"]["flags"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert sorted(rule_ids) == sorted(report["summary"]["flags_by_category"])
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
    levels = {r["properties"]["severity"]: r["level"] for r in run["results"]}
    assert levels == {"critical": "error", "major": "warning", "minor": "note"}
    assert run["properties"]["signature"] == report["signature"]["string"]
    json.loads(sarif.render(report))  # the text form parses


def test_regions_point_at_the_flagged_text(docs):
    report = to_report_dict(docs)
    texts = {d.id: d.mt.text for d in docs}
    log = sarif.to_sarif(report, mt_texts=texts)
    checked = 0
    for res in log["runs"][0]["results"]:
        doc = res["properties"]["document"]
        region = res["locations"][0]["physicalLocation"]["region"]
        flag = next(f for d in report["documents"] if d["id"] == doc
                    for s in d["segments"] for f in s["flags"] if f["id"] == res["partialFingerprints"]["mtcheckFlag/v1"])
        if flag["mt_text"]:
            assert region["startLine"] == region["endLine"]
            assert _char_at(texts[doc], region["startLine"], region["startColumn"], len(flag["mt_text"])) == flag["mt_text"]
            assert region["endColumn"] - region["startColumn"] == len(flag["mt_text"])
            checked += 1
    assert checked == 9  # every flag but the omission
    by_text = {r["message"]["text"].split("MT: “")[1].split("”")[0]: r["locations"][0]["physicalLocation"]["region"]
               for r in log["runs"][0]["results"] if "MT: “" in r["message"]["text"]}
    # “Come on, don't pull the rubber,” ... is on line 1; the addition follows the 85-character
    # first sentence of paragraph 2 (line 3) and a space.
    assert by_text["pull the rubber"]["startLine"] == 1
    assert by_text["This number will be increased if necessary, sources said."] == {
        "startLine": 3, "startColumn": 87, "endLine": 3, "endColumn": 87 + 57}


def test_columns_count_code_points_not_utf16_units():
    # An emoji outside the BMP is 2 UTF-16 units but 1 code point.
    pair = PairSpec("Он сказал 😀: «Цены выросли на 15%».", "He said 😀: “Prices rose by 1.5%”.", 30.0,
                    [FlagSpec("numbers", "accuracy/mistranslation", "critical", 0.9, "Percentage differs", mt="1.5%", src="15%")])
    doc = build_document("emoji", [pair])
    log = sarif.to_sarif(to_report_dict([doc]), mt_texts={"emoji": doc.mt.text})
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    utf16_column = len(doc.mt.text[: doc.mt.text.index("1.5%")].encode("utf-16-le")) // 2 + 1
    assert region["startColumn"] == doc.mt.text.index("1.5%") + 1 == 28
    assert utf16_column == 29


def test_reads_the_mt_file_when_no_text_is_given(tmp_path, docs):
    report = to_report_dict(docs)
    expected = sarif.to_sarif(report, mt_texts={d.id: d.mt.text for d in docs})
    for d in docs:
        target = tmp_path / d.mt.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(d.mt.text, encoding="utf-8")
    from_files = sarif.to_sarif(report, base_dir=tmp_path)
    assert from_files["runs"][0]["results"] == expected["runs"][0]["results"]


def test_without_text_uses_segment_lines(tmp_path, docs):
    report = to_report_dict(docs)
    log = sarif.to_sarif(report, base_dir=tmp_path)  # files absent
    _validate(log)
    regions = [r["locations"][0]["physicalLocation"].get("region") for r in log["runs"][0]["results"]]
    with_text = sarif.to_sarif(report, mt_texts={d.id: d.mt.text for d in docs})
    exact = [r["locations"][0]["physicalLocation"]["region"] for r in with_text["runs"][0]["results"]]
    for got, want in zip(regions, exact):
        if got is not None:
            assert got["startLine"] == want["startLine"]
    # The omission's segment has no MT line, so it has no region.
    assert regions.count(None) == 1


def test_file_with_different_length_is_not_trusted(tmp_path, docs):
    report = to_report_dict(docs[:1])
    target = tmp_path / docs[0].mt.path
    target.parent.mkdir(parents=True)
    target.write_text("Edited since the check ran.\n" + docs[0].mt.text, encoding="utf-8")
    log = sarif.to_sarif(report, base_dir=tmp_path)
    first = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert first == {"startLine": 1}  # line from the report, no column guessed from the edited file


def test_units_documents_use_the_unit_line():
    report = make_report(kind="units")
    log = sarif.to_sarif(report)
    _validate(log)
    located = 0
    for res in log["runs"][0]["results"]:
        seg = res["properties"]["segment"]
        doc = next(d for d in report["documents"] if d["id"] == res["properties"]["document"])
        line = doc["segments"][seg]["mt_line"]
        if line is None:  # the omission: no MT unit
            assert "region" not in res["locations"][0]["physicalLocation"]
            continue
        located += 1
        assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": line}
        assert res["locations"][0]["logicalLocations"][0]["name"] == doc["segments"][seg]["unit_id"]
    assert located == report["summary"]["flags"] - 1


def test_units_omission_uses_the_source_line_when_one_file_holds_both():
    report = make_report(kind="units")
    for doc in report["documents"]:
        doc["source"]["path"] = doc["mt"]["path"] = "corpus/pairs.tsv"
    log = sarif.to_sarif(report)
    omission = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "accuracy/omission")
    seg = report["documents"][0]["segments"][omission["properties"]["segment"]]
    assert omission["locations"][0]["physicalLocation"]["region"] == {"startLine": seg["src_line"]} == {"startLine": 6}


def test_uris_relative_with_base_id_and_absolute_as_file_uri(tmp_path):
    rel = build_document("rel", PAIRS[1:3], mt_path="out/en/статья 1.txt")
    absolute = build_document("abs", PAIRS[1:3], mt_path=str(tmp_path / "en.txt"))
    log = sarif.to_sarif(to_report_dict([rel, absolute]))
    locs = [a["location"] for a in log["runs"][0]["artifacts"]]
    assert locs[0] == {"uri": "out/en/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F%201.txt", "uriBaseId": "SRCROOT"}
    assert locs[1]["uri"].startswith("file:///") and "uriBaseId" not in locs[1]
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 0


def test_input_text_is_kept_verbatim_in_messages():
    report = make_report(evil=True)
    log = sarif.to_sarif(report)
    _validate(log)
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any("<script>window.__pwned=1</script>" in t for t in texts)  # JSON, not HTML: no escaping needed


def test_baseline_state_marks_new_results():
    from mtcheck.baseline import baseline_from_dict

    old = to_report_dict([build_document("news", PAIRS[:4])])
    new = to_report_dict([build_document("news", PAIRS[:7])])
    log = sarif.to_sarif(new, baseline=baseline_from_dict(old, "old.json"))
    _validate(log)
    unchanged = [r["message"]["text"] for r in log["runs"][0]["results"] if r["baselineState"] == "unchanged"]
    new_results = [r for r in log["runs"][0]["results"] if r["baselineState"] == "new"]
    # The first four sentences carried the idiom and number flags; the omission, addition and
    # second idiom come with the three sentences added since.
    assert len(unchanged) == 2
    assert "MT: “pull the rubber”" in unchanged[0] and "MT: “25 thousand”" in unchanged[1]
    assert sorted(r["ruleId"] for r in new_results) == ["accuracy/addition", "accuracy/omission", "style/literal-idiom"]
    assert "baselineState" not in sarif.to_sarif(new)["runs"][0]["results"][0]
