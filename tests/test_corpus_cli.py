"""`mtcheck corpus` end to end: config, outputs, gate, cache, --changed-since,
option overrides and baselines, on a small temporary copy of the demo corpus."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mtcheck.cli import cli
from mtcheck.report.json_report import validate
from tests.conftest import DEMO, ROOT

NAMES = ("city_park", "weather_frost")  # one with planted problems, one clean

CONFIG = """\
src-lang = "ru"
tgt-lang = "en"
output = "out/corpus"
formats = ["json", "md"]

[[pairs]]
source = "{folder}/**/*.ru.txt"
mt = "{folder}/**/*.en.txt"
"""


def make_corpus(root: Path, gate: str = "", folder: str = "texts", names: dict[str, str] | None = None) -> Path:
    """A corpus under ``root``: demo documents (demo name -> file stem) in ``folder`` and an mtcheck.toml."""
    (root / folder).mkdir(parents=True)
    for name, stem in (names or {n: n for n in NAMES}).items():
        (root / folder / stem).parent.mkdir(parents=True, exist_ok=True)
        for side in ("ru", "en"):
            shutil.copy(DEMO / f"{name}.{side}.txt", root / folder / f"{stem}.{side}.txt")
    (root / "mtcheck.toml").write_text(CONFIG.format(folder=folder) + gate, encoding="utf-8")
    return root


def corpus(runner, *args):
    return runner.invoke(cli, ["corpus", *[str(a) for a in args]], catch_exceptions=False)


def _stats(stderr: str) -> str:
    return next(ln for ln in stderr.splitlines() if ln.startswith("corpus: "))


def test_corpus_writes_formats_and_serves_the_cache(runner, tmp_path):
    root = make_corpus(tmp_path / "c")
    res = corpus(runner, root)
    assert res.exit_code == 0, res.output
    data = json.loads((root / "out" / "corpus.json").read_text("utf-8"))
    validate(data)
    assert (root / "out" / "corpus.md").read_text("utf-8").strip()
    assert sorted(d["id"] for d in data["documents"]) == [f"texts/{n}.en.txt" for n in NAMES]
    park = next(d for d in data["documents"] if "city_park" in d["id"])
    assert park["summary"]["flags"] > 0
    assert "2 file pair(s) checked, 0 from cache" in _stats(res.stderr)

    again = corpus(runner, root)
    assert again.exit_code == 0
    assert "0 file pair(s) checked, 2 from cache" in _stats(again.stderr)
    cached = json.loads((root / "out" / "corpus.json").read_text("utf-8"))
    validate(cached)
    assert cached["documents"] == data["documents"]

    # one changed MT file is checked again, the other still comes from the cache
    mt = root / "texts" / "weather_frost.en.txt"
    mt.write_text(mt.read_text("utf-8") + "\nThe frost will last until Sunday.\n", encoding="utf-8")
    third = corpus(runner, root)
    assert "1 file pair(s) checked, 1 from cache" in _stats(third.stderr)


def test_gate_from_config_fails_and_options_override(runner, tmp_path):
    root = make_corpus(tmp_path / "c", "\n[gate]\nmax-critical = 0\nmax-major = 0\n")
    res = corpus(runner, root)
    assert res.exit_code == 1, res.output
    reasons = [ln for ln in res.stderr.splitlines() if ln.startswith("mtcheck: gate failed: ")]
    assert reasons and any("major" in r for r in reasons)
    data = json.loads((root / "out" / "corpus.json").read_text("utf-8"))
    assert data["gate"]["passed"] is False and data["gate"]["reasons"]

    res = corpus(runner, root, "--max-critical", "100", "--max-major", "100", "-q")
    assert res.exit_code == 0, res.output
    data = json.loads((root / "out" / "corpus.json").read_text("utf-8"))
    assert data["gate"]["passed"] is True

    # -o and -f override 'output' and 'formats'
    res = corpus(runner, root, "--max-major", "100", "--max-critical", "100", "-o", tmp_path / "elsewhere",
                 "-f", "sarif,json", "-q")
    assert res.exit_code == 0
    assert (tmp_path / "elsewhere.sarif").is_file() and (tmp_path / "elsewhere.json").is_file()


def test_baseline_makes_only_new_flags_count(runner, tmp_path):
    root = make_corpus(tmp_path / "c", "\n[gate]\nmax-critical = 0\nmax-major = 0\n")
    assert corpus(runner, root).exit_code == 1
    base = tmp_path / "base.json"
    res = runner.invoke(cli, ["baseline", str(root / "out" / "corpus.json"), "-o", str(base)])
    assert res.exit_code == 0, res.output
    assert json.loads(base.read_text("utf-8"))["flags"]
    res = corpus(runner, root, "--baseline", base)
    assert res.exit_code == 0, res.stderr
    # a new planted problem in the clean document is not in the baseline: the gate fails again
    mt = root / "texts" / "weather_frost.en.txt"
    mt.write_text(mt.read_text("utf-8").replace("minus 38 degrees", "minus 83 degrees"), encoding="utf-8")
    res = corpus(runner, root, "--baseline", base)
    assert res.exit_code == 1, res.output
    assert "gate failed" in res.stderr


@pytest.mark.parametrize("old,new,key", [
    ("", '\n[gate]\nmax-critical = "none"\n', "gate.max-critical"),
    ('formats = ["json", "md"]', 'formats = ["json", "pdf"]', "formats"),
    ('output = ', 'colour = "red"\noutput = ', "colour"),
    ("", '\n[checks]\ndisable = ["no-such-check"]\n', "checks"),
    ("", '\n[checks.options.numbers]\nflag_spelled = "no"\n', "checks.options.numbers.flag_spelled"),
    ("", '\n[checks.options.awkward]\nmin_run = 2.5\n', "checks.options.awkward.min_run"),
    ("", '\n[gate]\nmax-bad-share = 2\n', "gate.max-bad-share"),
    ("", '\n[gate]\nmin-mean-score = 150\n', "gate.min-mean-score"),
    ("", '\n[labels]\ngood = 40\nreview = 60\n', "labels.review"),
    ('source = "texts/**/*.ru.txt"', 'source = 5', "pairs[0].source"),
    ('source = "texts/**/*.ru.txt"\nmt = "texts/**/*.en.txt"', 'source = "/tmp/*.ru.txt"\nmt = "/tmp/*.en.txt"',
     "pairs[0].source"),
    ('source = "texts/**/*.ru.txt"\nmt = "texts/**/*.en.txt"', 'source = "../*.ru.txt"\nmt = "../*.en.txt"',
     "pairs[0].source"),
    ('mt = "texts/**/*.en.txt"', 'mt = "texts/**/*.en.txt"\ninput-format = "pdf"', "pairs[0].input-format"),
    ('source = "texts/**/*.ru.txt"\nmt = "texts/**/*.en.txt"', 'source = "tekst/*.ru.txt"\nmt = "tekst/*.en.txt"',
     "pairs[0].source"),  # matches no file: an empty corpus would pass any gate
])
def test_bad_config_exit_2_names_the_key(runner, tmp_path, old, new, key):
    root = make_corpus(tmp_path / "c")
    cfg = root / "mtcheck.toml"
    text = cfg.read_text("utf-8")
    assert old in text
    cfg.write_text(text + new if not old else text.replace(old, new), encoding="utf-8")
    res = runner.invoke(cli, ["corpus", str(root)])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("mtcheck: error: ") and key in lines[0]
    assert "Traceback" not in res.output
    assert not (root / "out").exists()


def test_changed_since_checks_only_changed_pairs(runner, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    # Cyrillic file names: git quotes them in its plain output unless asked for -z
    root = make_corpus(tmp_path / "repo", folder="тексты",
                       names={"city_park": "город/парк", "weather_frost": "погода/мороз"})

    _git_commit_all(root)
    assert "0 file pair(s) checked" in _stats(corpus(runner, root, "--changed-since", "HEAD", "--no-cache").stderr)
    mt = root / "тексты" / "погода" / "мороз.en.txt"
    mt.write_text(mt.read_text("utf-8").replace("minus 38", "minus 83"), encoding="utf-8")
    res = corpus(runner, root, "--changed-since", "HEAD", "--no-cache")
    assert res.exit_code == 0, res.output
    assert "1 file pair(s) checked, 0 from cache, 1 unchanged and skipped" in _stats(res.stderr)
    data = json.loads((root / "out" / "corpus.json").read_text("utf-8"))
    assert [d["id"] for d in data["documents"]] == ["тексты/погода/мороз.en.txt"]
    # a new, untracked pair counts as changed too
    make_corpus(root / "тексты" / "new", names={"culture_theatre": "театр"}, folder=".")
    (root / "тексты" / "new" / "mtcheck.toml").unlink()
    res = corpus(runner, root, "--changed-since", "HEAD", "--no-cache", "-q")
    ids = [d["id"] for d in json.loads((root / "out" / "corpus.json").read_text("utf-8"))["documents"]]
    assert ids == ["тексты/new/театр.en.txt", "тексты/погода/мороз.en.txt"]
    res = runner.invoke(cli, ["corpus", str(root), "--changed-since", "no-such-rev"])
    assert res.exit_code == 2 and "--changed-since" in res.stderr


def _git_commit_all(root):
    """Make ``root`` a git repository with everything in it committed."""
    for args in (("init", "-q"), ("add", "."), ("commit", "-q", "-m", "corpus")):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                       check=True, capture_output=True)


def test_documented_ci_commands(runner, tmp_path, monkeypatch):
    """The commands of docs/examples/github-actions.yml and .pre-commit-hooks.yaml, run in a
    fresh checkout (no reports/ folder) of a corpus repository."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = make_corpus(tmp_path / "repo", "\n[gate]\nmax-critical = 0\nmax-major = 0\n")

    _git_commit_all(root)
    monkeypatch.chdir(root)
    workflow = (ROOT / "docs" / "examples" / "github-actions.yml").read_text("utf-8")
    assert "mtcheck corpus . --format sarif,junit,md,json --output reports/mtcheck" in workflow
    res = corpus(runner, ".", "--format", "sarif,junit,md,json", "--output", "reports/mtcheck")
    assert res.exit_code == 1, res.output  # the planted problems fail this gate
    for suffix in (".sarif", ".xml", ".md", ".json"):
        assert (root / "reports" / f"mtcheck{suffix}").stat().st_size > 0
    sarif = json.loads((root / "reports" / "mtcheck.sarif").read_text("utf-8"))
    assert sarif["runs"][0]["results"]

    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert "entry: mtcheck corpus --changed-since HEAD --format terminal --quiet" in hooks
    hook = ["--changed-since", "HEAD", "--format", "terminal", "--quiet"]
    res = corpus(runner, *hook)
    assert res.exit_code == 0 and res.output == ""  # nothing changed: nothing checked, silent
    mt = root / "texts" / "weather_frost.en.txt"
    mt.write_text(mt.read_text("utf-8").replace("minus 38", "minus 83"), encoding="utf-8")
    res = corpus(runner, *hook)
    assert res.exit_code == 1
    assert [ln for ln in res.stderr.splitlines() if ln.startswith("mtcheck: gate failed: ")]


def test_repository_corpus(tmp_path, cache_dir):
    """The repository's own [tool.mtcheck] corpus (demo + seeds), written outside the repo."""
    out = tmp_path / "repo-corpus"
    res = subprocess.run([sys.executable, "-m", "mtcheck", "corpus", "-o", str(out), "-f", "json", "-q",
                          "--cache-dir", str(cache_dir)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    data = json.loads(out.with_suffix(".json").read_text("utf-8"))
    validate(data)
    ids = {d["id"] for d in data["documents"]}
    assert {f"corpora/demo/{n}.en.txt" for n in ("city_park", "culture_theatre", "science_sponge")} <= ids
    assert any(i.startswith("seeds/") for i in ids)


def test_identical_files_at_two_places_keep_their_own_ids(runner, tmp_path):
    """The document cache must not hand one file's entry (id, flag ids) to an identical copy."""
    root = make_corpus(tmp_path / "c", names={"city_park": "2024/park", "culture_theatre": "2025/park"})
    shutil.copy(root / "texts" / "2024" / "park.ru.txt", root / "texts" / "2025" / "park.ru.txt")
    shutil.copy(root / "texts" / "2024" / "park.en.txt", root / "texts" / "2025" / "park.en.txt")
    for run_no in (1, 2):  # checked, then from the cache
        res = corpus(runner, root, "-q")
        assert res.exit_code == 0, res.output
        docs = json.loads((root / "out" / "corpus.json").read_text("utf-8"))["documents"]
        assert [d["id"] for d in docs] == ["texts/2024/park.en.txt", "texts/2025/park.en.txt"]
        flag_ids = [[f["id"] for s in d["segments"] for f in s["flags"]] for d in docs]
        assert flag_ids[0] and not set(flag_ids[0]) & set(flag_ids[1])


def test_checks_table_is_applied(runner, tmp_path):
    root = make_corpus(tmp_path / "c", '\n[checks]\ndisable = ["idioms"]\n'
                                       '[checks.options.numbers]\nflag_spelled = false\ndigit_confidence = 1\n')
    res = corpus(runner, root, "-q")
    assert res.exit_code == 0, res.output
    data = json.loads((root / "out" / "corpus.json").read_text("utf-8"))
    assert "idioms" not in data["signature"]["settings"]["checks"]
    checks = {f["check"] for d in data["documents"] for s in d["segments"] for f in s["flags"]}
    assert checks and "idioms" not in checks


def test_corpus_of_xliff_and_tmx_files(runner, tmp_path):
    for name in ("culture_theatre.xlf", "weather_frost.tmx"):
        shutil.copy(DEMO / "formats" / name, tmp_path / name)
    (tmp_path / "mtcheck.toml").write_text("formats = ['json']\n[[pairs]]\nsource = '*.xlf'\n[[pairs]]\nsource = '*.tmx'\n",
                                           encoding="utf-8")
    res = runner.invoke(cli, ["corpus", str(tmp_path), "-q", "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert {d["input_format"] for d in data["documents"]} == {"xliff", "tmx"}
    assert all(d["id"].startswith(("culture_theatre.xlf", "weather_frost.tmx")) for d in data["documents"])
