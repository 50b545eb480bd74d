"""The shared pipeline: parts of large pre-aligned documents, one embedding per sentence."""

import pytest

from mtcheck.inputs import read_inputs
from mtcheck.pipeline import Settings, build_engines, check_document, iter_parts, merge_parts
from mtcheck.report.json_report import document_to_dict

ROWS = [
    ("Мэрия открыла новый парк у реки.", "The city hall opened a new park by the river."),
    ("В парке посадили 2,5 тыс. деревьев.", "25 thousand trees were planted in the park."),
    ("Вход будет бесплатным.", "Entrance will be free."),
    ("Парк работает с 8 до 22 часов.", "The park is open from 8 am to 10 pm."),
    ("Жители довольны.", ""),
    ("Глава города поблагодарил строителей.", "The mayor thanked the builders."),
]


@pytest.fixture(scope="module")
def engines(cache_dir):
    settings = Settings(cache_dir=cache_dir)
    return settings, build_engines(settings)


@pytest.fixture
def tsv(tmp_path):
    path = tmp_path / "units.tsv"
    path.write_text("".join(f"u{i}\t{s}\t{m}\n" for i, (s, m) in enumerate(ROWS)), encoding="utf-8")
    return path


def _strip(doc):
    """Without timings and the omission's evidence (its nearest sentences are searched in its part)."""
    doc = dict(doc)
    doc["summary"] = {k: v for k, v in doc["summary"].items() if k != "seconds"}
    doc["segments"] = [dict(s, flags=[dict(f, evidence={}) if f["check"] == "align" else f for f in s["flags"]])
                       for s in doc["segments"]]
    return doc


def test_parts_give_the_same_document_as_one_pass(engines, tsv):
    settings, eng = engines
    whole = document_to_dict(check_document(read_inputs(tsv, None)[0], settings, eng))
    parts = list(iter_parts(read_inputs(tsv, None)[0], settings, eng, part_units=2))
    assert len(parts) == 3
    assert parts[1].src_sentences == [] and parts[1].languages == {}
    merged = document_to_dict(merge_parts(parts))
    assert _strip(merged) == _strip(whole)
    # the empty MT unit is an omission with its global link ids
    omission = [s for s in merged["segments"] if s["link"]["type"] == "1-0"]
    assert [s["link"]["src"] for s in omission] == [[4]]
    # its MT position is the empty unit's: right after the previous unit's line
    before = merged["segments"][omission[0]["index"] - 1]
    assert omission[0]["mt_start"] == before["mt_end"] + 1
    assert [s["index"] for s in merged["segments"]] == list(range(len(merged["segments"])))


def test_each_sentence_embedded_once(engines, tsv):
    settings, eng = engines
    before = dict(eng.store.stats)
    check_document(read_inputs(tsv, None)[0], settings, eng)
    computed = eng.store.stats["computed"] - before["computed"]
    distinct = {t for row in ROWS for t in row}
    assert computed <= len(distinct)  # never more than once per distinct text (0 when cached)
    check_document(read_inputs(tsv, None)[0], settings, eng)
    assert eng.store.stats["computed"] - before["computed"] == computed  # a second pass embeds nothing


def test_jsonl_stream_matches_the_json_report(engines, tsv, monkeypatch):
    import io
    import json

    import mtcheck.pipeline as pipeline
    from mtcheck.report.json_report import schema
    from mtcheck.stream import write_jsonl

    settings, eng = engines
    whole = document_to_dict(check_document(read_inputs(tsv, None)[0], settings, eng))
    monkeypatch.setattr(pipeline, "PART_UNITS", 2)
    buf = io.StringIO()
    light = write_jsonl(read_inputs(tsv, None), settings, eng, buf)
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    kinds = [r["record"] for r in records]
    assert kinds[0] == "header" and kinds[-1] == "summary" and kinds[-2] == "document"
    assert kinds.count("document") == 1
    segments = [r for r in records if r["record"] == "segment"]
    assert [s["index"] for s in segments] == [s["index"] for s in whole["segments"]]
    assert [s["mt_text"] for s in segments] == [s["mt_text"] for s in whole["segments"]]
    import jsonschema

    seg_schema = {"$ref": "#/$defs/segment", "$defs": schema()["$defs"]}
    for seg in segments:
        jsonschema.validate({k: v for k, v in seg.items() if k not in ("record", "document")}, seg_schema)
    summary = records[-1]["summary"]
    assert summary["segments"] == len(whole["segments"])
    assert summary["flags"] == whole["summary"]["flags"]
    assert light["summary"] == summary and records[-1]["gate"]["passed"]
