"""Translation models through the CLI: `mtcheck models install/list/info`, then
`mtcheck check --model en-ru,ru-en` with tiny real CTranslate2 models."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mtcheck.cli import cli
from mtcheck.report.json_report import validate
from tests import tinymodel
from tests.conftest import SHARED
from tests.resources import require

MLQE = SHARED / "data" / "mlqe-pe-ru-en" / "da"

RU = ("Привет, как дела?\n"
      "Этот молодой человек учился в России.\n"
      "Мы пьём чай с молоком и сахаром.\n")
EN = ("Hello, how are you?\n"
      "This young man studied in Russia.\n"
      "We drink tea with milk and sugar.\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny-models")
    return {"en-ru": tinymodel.build_tiny_ct2_dir(root, "en-ru").ct2_dir,
            "ru-en": tinymodel.build_separate_vocab_dir(root, "ru-en")}


def _install(runner, built) -> Path:
    home = Path(os.environ["MTCHECK_HOME"])
    for pair in ("en-ru", "ru-en"):
        res = runner.invoke(cli, ["models", "install", str(built[pair])])
        assert res.exit_code == 0, res.output
        assert f"installed {pair} ({pair.replace('-', '->')})" in res.output
    assert (home / "models" / "en-ru" / "model.bin").is_file()
    return home


@pytest.fixture
def pair(tmp_path):
    src, mt = tmp_path / "a.ru.txt", tmp_path / "a.en.txt"
    src.write_text(RU, encoding="utf-8")
    mt.write_text(EN, encoding="utf-8")
    return src, mt


def test_models_list_and_info(runner, built):
    res = runner.invoke(cli, ["models", "list"])
    assert res.exit_code == 0 and "no models installed" in res.output
    _install(runner, built)
    res = runner.invoke(cli, ["models", "list"])
    assert res.exit_code == 0
    assert res.output.splitlines() == ["en-ru\ten->ru\tctranslate2", "ru-en\tru->en\tctranslate2"]
    res = runner.invoke(cli, ["models", "list", "--json"])
    listed = json.loads(res.output)
    assert [m["name"] for m in listed["models"]] == ["en-ru", "ru-en"] and listed["broken"] == {}
    res = runner.invoke(cli, ["models", "info", "ru-en"])
    assert res.exit_code == 0
    assert "languages:      ru -> en" in res.output
    assert "vocabulary:     source " in res.output and ", target " in res.output  # separate vocabularies
    info = json.loads(runner.invoke(cli, ["models", "info", "ru-en", "--json"]).output)
    assert (info["from_code"], info["to_code"], info["shared_vocab"]) == ("ru", "en", False)
    assert len(info["sha256"]) == 64
    res = runner.invoke(cli, ["models", "info", "xx-yy"])
    assert res.exit_code == 2 and res.stderr.startswith("mtcheck: error: ") and "Traceback" not in res.output


def test_check_with_models(runner, built, pair, tmp_path):
    _install(runner, built)
    hashes = {p: json.loads(runner.invoke(cli, ["models", "info", p, "--json"]).output)["sha256"]
              for p in ("en-ru", "ru-en")}
    src, mt = pair
    out = tmp_path / "r.json"
    res = runner.invoke(cli, ["check", str(src), str(mt), "--model", "en-ru,ru-en", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text("utf-8"))
    validate(data)
    segs = data["documents"][0]["segments"]
    assert len(segs) == 3
    for seg in segs:
        assert isinstance(seg["backtranslation"], str) and seg["backtranslation"]
        m = seg["metrics"]
        assert {"bt_chrf", "bt_bleu", "bt_ter", "mt_mean_logprob"} <= set(m)
        assert 0 <= m["bt_chrf"] <= 100 and 0 <= m["bt_bleu"] <= 100 and m["bt_ter"] >= 0
        assert m["mt_mean_logprob"] < 0
    models = {m["role"]: m for m in data["signature"]["models"]}
    assert models["backtranslation"]["name"] == "en-ru" and models["backtranslation"]["sha256"] == hashes["en-ru"]
    assert models["forward"]["name"] == "ru-en" and models["forward"]["sha256"] == hashes["ru-en"]
    sig = data["signature"]["string"]
    assert f"backtranslation:en-ru#{hashes['en-ru'][:12]}" in sig and f"forward:ru-en#{hashes['ru-en'][:12]}" in sig
    assert not any("not installed" in n for n in data["notes"])


def test_missing_model_is_a_note_not_an_error(runner, pair, tmp_path):
    src, mt = pair
    out = tmp_path / "r.json"
    res = runner.invoke(cli, ["check", str(src), str(mt), "--model", "xx-yy", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text("utf-8"))
    validate(data)
    assert any("'xx-yy' is not installed" in n for n in data["notes"]), data["notes"]
    roles = {m["role"] for m in data["signature"]["models"]}
    assert "backtranslation" not in roles and "forward" not in roles
    assert all(seg["backtranslation"] is None for seg in data["documents"][0]["segments"])


@pytest.fixture(scope="module")
def logprob_runs(built, tmp_path_factory, cache_dir):
    """Five real MLQE-PE rows with their exported log-probs, checked with and without models."""
    require((MLQE / "test20.ruen.df.short.tsv").is_file(), "MLQE-PE data not available")
    from click.testing import CliRunner

    d = tmp_path_factory.mktemp("logprob-runs")
    home = d / "home"
    runner = CliRunner()
    for pair in ("en-ru", "ru-en"):
        assert runner.invoke(cli, ["models", "install", str(built[pair]), "--home", str(home)]).exit_code == 0
    with open(MLQE / "test20.ruen.df.short.tsv", encoding="utf-8") as fh:
        rows = [next(fh).rstrip("\n").split("\t") for _ in range(6)][1:]
    (d / "src.txt").write_text("".join(r[1] + "\n" for r in rows), encoding="utf-8")
    (d / "mt.txt").write_text("".join(r[2] + "\n" for r in rows), encoding="utf-8")
    for name, target in (("word_probas.test20.ruen", "lp.txt"), ("mt.test20.ruen", "tok.txt")):
        with open(MLQE / "word-probas" / name, encoding="utf-8") as fh:
            (d / target).write_text("".join(next(fh) for _ in range(5)), encoding="utf-8")
    base = ["check", str(d / "src.txt"), str(d / "mt.txt"), "--mt-logprobs", str(d / "lp.txt"),
            "--mt-tokens", str(d / "tok.txt"), "--cache-dir", str(cache_dir), "--models-home", str(home), "-q"]
    out = {}
    for name, extra in (("file", []), ("file+models", ["--model", "en-ru,ru-en"])):
        res = runner.invoke(cli, [*base, *extra, "-o", str(d / f"{name}.json")])
        assert res.exit_code == 0, res.output
        out[name] = json.loads((d / f"{name}.json").read_text("utf-8"))
        validate(out[name])
    return out


def test_mt_logprobs_file_still_feeds_qe_with_a_forward_model(logprob_runs):
    """The sentence score uses texts, embeddings and the MT system's log-probs only, so a
    back-translation/forward model must not change it."""
    plain, both = logprob_runs["file"], logprob_runs["file+models"]
    assert {m["name"] for m in both["signature"]["models"] if m["role"] == "qe-sentence"} == \
        {"mtcheck-qe-sentence-logprobs"}
    assert [s["score"] for s in both["documents"][0]["segments"]] == \
        pytest.approx([s["score"] for s in plain["documents"][0]["segments"]], abs=0.01)


def test_report_notes_that_qe_ignores_back_translation(logprob_runs):
    assert any("back-translation" in n for n in logprob_runs["file+models"]["notes"])
    assert not any("back-translation" in n for n in logprob_runs["file"]["notes"])
