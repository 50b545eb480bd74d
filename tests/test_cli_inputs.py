"""`mtcheck check` / `mtcheck align` end to end on every input kind:
MT log-probabilities (real MLQE-PE lines), references, the demo formats,
alignment output and unaligned documents (omission / addition)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtcheck.cli import cli
from mtcheck.inputs import read_inputs
from mtcheck.report.json_report import validate
from tests.conftest import DEMO, SHARED
from tests.resources import require

MLQE = SHARED / "data" / "mlqe-pe-ru-en" / "da"
EXPECTED = json.loads((DEMO / "expected.json").read_text("utf-8"))


def run(runner, *args, ok=(0, 1)):
    res = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert res.exit_code in ok, res.output
    return res


def _head(path: Path, n: int) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [next(fh).rstrip("\n") for _ in range(n)]


@pytest.fixture
def mlqe_five(tmp_path):
    """First 5 MLQE-PE test20 rows as line-aligned files + their exported log-probs and BPE tokens."""
    require((MLQE / "test20.ruen.df.short.tsv").is_file(), "MLQE-PE data not available")
    header, *rows = _head(MLQE / "test20.ruen.df.short.tsv", 6)
    cols = header.split("\t")
    i_src, i_mt = cols.index("original"), cols.index("translation")
    src, mt = tmp_path / "src.txt", tmp_path / "mt.txt"
    src.write_text("".join(r.split("\t")[i_src] + "\n" for r in rows), encoding="utf-8")
    mt.write_text("".join(r.split("\t")[i_mt] + "\n" for r in rows), encoding="utf-8")
    lp, tok = tmp_path / "lp.txt", tmp_path / "tok.txt"
    lp.write_text("\n".join(_head(MLQE / "word-probas" / "word_probas.test20.ruen", 5)) + "\n", encoding="utf-8")
    tok.write_text("\n".join(_head(MLQE / "word-probas" / "mt.test20.ruen", 5)) + "\n", encoding="utf-8")
    return src, mt, lp, tok


def test_mt_logprobs_use_the_logprobs_qe_variant(runner, mlqe_five, tmp_path):
    src, mt, lp, tok = mlqe_five
    out = tmp_path / "r.json"
    run(runner, "check", src, mt, "--mt-logprobs", lp, "--mt-tokens", tok, "-o", out, "-q")
    data = json.loads(out.read_text("utf-8"))
    validate(data)
    names = {m["role"]: m["name"] for m in data["signature"]["models"]}
    assert names["qe-sentence"].endswith("-logprobs") and names["qe-word"].endswith("-logprobs")
    assert "qe-sentence-logprobs" in data["signature"]["string"] or "-logprobs@" in data["signature"]["string"]
    segs = data["documents"][0]["segments"]
    assert len(segs) == 5 and all(s["score"] is not None and s["words"] for s in segs)

    # without log-probs the base variant is used: the signature tells the two runs apart
    out2 = tmp_path / "r2.json"
    run(runner, "check", src, mt, "-o", out2, "-q")
    base = json.loads(out2.read_text("utf-8"))
    assert {m["role"]: m["name"] for m in base["signature"]["models"]}["qe-sentence"].endswith("-base")
    assert base["signature"]["string"] != data["signature"]["string"]


def test_mt_logprobs_wrong_line_count_is_exit_2(runner, mlqe_five, tmp_path):
    src, mt, lp, tok = mlqe_five
    lp.write_text("\n".join(lp.read_text("utf-8").splitlines()[:4]) + "\n", encoding="utf-8")
    tok.write_text("\n".join(tok.read_text("utf-8").splitlines()[:4]) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    res = runner.invoke(cli, ["check", str(src), str(mt), "--mt-logprobs", str(lp), "--mt-tokens", str(tok),
                              "-o", str(out)])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("mtcheck: error: ") and "Traceback" not in res.output
    assert "4" in lines[0] and "5" in lines[0] and "lp.txt" in lines[0]
    assert not out.exists()


def test_mt_logprobs_match_their_segments_when_checked_in_parts(runner, mlqe_five, tmp_path, monkeypatch):
    """Long pre-aligned files are checked in parts; every part must read its own segments' log-probs."""
    from mtcheck import pipeline

    src, mt, lp, tok = mlqe_five
    scores = {}
    default = pipeline.PART_UNITS
    for part_units in (default, 2):
        monkeypatch.setattr(pipeline, "PART_UNITS", part_units)
        out = tmp_path / f"r{part_units}.json"
        run(runner, "check", src, mt, "--mt-logprobs", lp, "--mt-tokens", tok, "-o", out, "-q")
        data = json.loads(out.read_text("utf-8"))
        validate(data)
        scores[part_units] = [s["score"] for s in data["documents"][0]["segments"]]
    assert len(scores[2]) == 5 and scores[2] == pytest.approx(scores[default], abs=0.01)


RU = ("Мэрия Казани открыла новый парк у реки.\n"
      "В парке посадили 2,5 тыс. деревьев.\n"
      "Вход в парк будет бесплатным.\n")
EN = ("The Kazan city hall opened a new park by the river.\n"
      "25 thousand trees were planted in the park.\n"
      "Entrance to the park will be free.\n")
REF = ("Kazan city hall opened a new park by the river.\n"
       "2,500 trees were planted in the park.\n"
       "Entrance to the park will be free.\n")


def test_reference_metrics_in_a_valid_report(runner, tmp_path):
    src, mt, ref = tmp_path / "a.ru.txt", tmp_path / "a.en.txt", tmp_path / "a.ref.txt"
    for p, t in ((src, RU), (mt, EN), (ref, REF)):
        p.write_text(t, encoding="utf-8")
    out = tmp_path / "r.json"
    run(runner, "check", src, mt, "--ref", ref, "-o", out, "-q")
    data = json.loads(out.read_text("utf-8"))
    validate(data)
    corpus = data["summary"]["reference_metrics"]
    assert set(corpus) == {"bleu", "chrf++", "ter"}
    sigs = data["summary"]["reference_signatures"]
    assert sigs["bleu"].startswith("nrefs:1|") and "tok:13a" in sigs["bleu"]
    assert "nw:2" in sigs["chrf++"] and sigs["ter"].startswith("nrefs:1|")
    segs = data["documents"][0]["segments"]
    assert data["documents"][0]["summary"]["reference_metrics"] == pytest.approx(corpus)
    # the identical third sentence is perfect; the changed number costs the second one
    assert segs[2]["metrics"]["bleu"] == pytest.approx(100.0) and segs[2]["metrics"]["ter"] == 0.0
    assert segs[1]["metrics"]["chrf++"] < segs[2]["metrics"]["chrf++"]
    assert 0 < corpus["bleu"] < 100

    # a reference that is not aligned like the MT is an input error
    ref.write_text(REF + "One more line.\n", encoding="utf-8")
    res = runner.invoke(cli, ["check", str(src), str(mt), "--ref", str(ref), "-o", str(tmp_path / "x.json")])
    assert res.exit_code == 2 and res.stderr.startswith("mtcheck: error: ")
    assert not (tmp_path / "x.json").exists()


FORMAT_CASES = {
    "lines": (["council_fares.ru.lines", "council_fares.en.lines"], "lines"),
    "tsv": (["city_park.tsv"], "tsv"),
    "jsonl": (["economy_rate.jsonl"], "jsonl"),
    "xliff-1.2": (["culture_theatre.xlf"], "xliff"),
    "xliff-2.0": (["sport_hockey.xlf"], "xliff"),
    "tmx": (["weather_frost.tmx"], "tmx"),
}


@pytest.mark.parametrize("case", sorted(FORMAT_CASES))
def test_every_demo_format_gives_a_valid_report(runner, tmp_path, case):
    files, fmt = FORMAT_CASES[case]
    paths = [DEMO / "formats" / f for f in files]
    out = tmp_path / "r.json"
    run(runner, "check", *paths, "-o", out, "-q")
    data = json.loads(out.read_text("utf-8"))
    validate(data)
    pairs = read_inputs(*paths) if len(paths) == 2 else read_inputs(paths[0], None)
    assert len(data["documents"]) == len(pairs) >= 1
    n_segs = 0
    for doc, dp in zip(data["documents"], pairs):
        assert doc["input_format"] == fmt
        for seg in doc["segments"]:
            n_segs += 1
            assert dp.src.text[seg["src_start"]:seg["src_end"]] == seg["src_text"]
            assert dp.mt.text[seg["mt_start"]:seg["mt_end"]] == seg["mt_text"]
            for flag in seg["flags"]:
                if flag["mt_span"]:
                    assert dp.mt.text[flag["mt_span"]["start"]:flag["mt_span"]["end"]] == flag["mt_text"]
    assert n_segs >= 5
    if case == "xliff-1.2":  # the unit without a target is the planted omission
        flags = [f for d in data["documents"] for s in d["segments"] for f in s["flags"]]
        assert any(f["category"] == "accuracy/omission" and "Декорации" in f["src_text"] for f in flags)


def test_align_documents_to_json_and_tsv(runner, tmp_path):
    from mtcheck.align.output import validate_alignment

    src, mt = DEMO / "science_sponge.ru.txt", DEMO / "science_sponge.en.txt"
    out = tmp_path / "a.json"
    run(runner, "align", src, mt, "-o", out, "-q", ok=(0,))
    data = json.loads(out.read_text("utf-8"))
    validate_alignment(data)
    src_text, mt_text = src.read_text("utf-8"), mt.read_text("utf-8")
    for sent in data["source"]:
        assert src_text[sent["start"]:sent["end"]] == sent["text"]
    for sent in data["target"]:
        assert mt_text[sent["start"]:sent["end"]] == sent["text"]
    kinds = [lk["type"] for lk in data["links"]]
    assert "2-1" in kinds and "0-1" in kinds  # the merged sentences and the added one

    res = run(runner, "align", src, mt, "-f", "tsv", "-q", ok=(0,))
    rows = [r.split("\t") for r in res.stdout.splitlines()]
    body = [r for r in rows if r and r[0] != "src"] if rows[0][0] == "src" else rows
    assert len(body) == len(data["links"])
    assert [r[2] for r in body] == kinds
    assert (tmp_path / "a.tsv").exists() is False
    run(runner, "align", src, mt, "-o", tmp_path / "a.tsv", "-q", ok=(0,))
    assert (tmp_path / "a.tsv").read_text("utf-8") == res.stdout


@pytest.mark.parametrize("name,category", [("culture_theatre", "accuracy/omission"),
                                           ("science_sponge", "accuracy/addition")])
def test_documents_input_flags_omission_and_addition(runner, tmp_path, name, category):
    spec = EXPECTED["documents"][name]
    problem = next(p for p in spec["problems"] if p["category"] == category)
    out = tmp_path / "r.json"
    run(runner, "check", DEMO / spec["src"], DEMO / spec["mt"], "-o", out, "-q")
    data = json.loads(out.read_text("utf-8"))
    validate(data)
    doc = data["documents"][0]
    assert doc["input_format"] == "documents"
    flags = [f for s in doc["segments"] for f in s["flags"] if f["category"] == category]
    assert flags, [f["category"] for s in doc["segments"] for f in s["flags"]]
    if category == "accuracy/omission":
        assert any(problem["src_contains"] in f["src_text"] or f["src_text"] in problem["src_contains"]
                   for f in flags if f["src_text"])
        assert doc["summary"]["omissions"] >= 1
    else:
        assert any(problem["mt_contains"] in f["mt_text"] for f in flags)
        assert doc["summary"]["additions"] >= 1


def test_reference_document_for_documents_input(runner, tmp_path):
    """A reference for unaligned documents is split into sentences like the MT."""
    src, mt = DEMO / "weather_frost.ru.txt", DEMO / "weather_frost.en.txt"
    ref = tmp_path / "ref.en.txt"
    ref.write_text(mt.read_text("utf-8").replace("minus 38 degrees", "38 degrees below zero"), encoding="utf-8")
    out = tmp_path / "r.json"
    run(runner, "check", src, mt, "--ref", ref, "-o", out, "-q")
    data = json.loads(out.read_text("utf-8"))
    validate(data)
    segs = data["documents"][0]["segments"]
    changed = [s for s in segs if "minus 38" in s["mt_text"]]
    assert len(changed) == 1 and changed[0]["metrics"]["bleu"] < 100 and changed[0]["metrics"]["ter"] > 0
    assert all(s["metrics"]["bleu"] == pytest.approx(100) for s in segs if s is not changed[0])
    assert 0 < data["summary"]["reference_metrics"]["bleu"] < 100

    # another document as "reference": an input error before any work
    res = runner.invoke(cli, ["check", str(src), str(mt), "--ref", str(DEMO / "city_park.en.txt"),
                              "-o", str(tmp_path / "x.json")])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "city_park.en.txt" in lines[0] and "13" in lines[0] and "11" in lines[0]
    assert not (tmp_path / "x.json").exists()
