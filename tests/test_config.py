"""Corpus configuration: reading, validation, pairing by glob and manifest."""

import pytest

from mtcheck.config import load_config
from mtcheck.corpus import discover
from mtcheck.errors import ConfigError, InputError


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_pyproject_table_and_glob_pairing(tmp_path):
    write(tmp_path / "pyproject.toml", """
[tool.mtcheck]
formats = ["json"]
[[tool.mtcheck.pairs]]
source = "texts/**/*.ru.txt"
mt = "texts/**/*.en.txt"
[tool.mtcheck.gate]
max-critical = 0
min-mean-score = 55
""")
    for stem in ("a", "sub/b"):
        write(tmp_path / f"texts/{stem}.ru.txt", "Привет.")
        write(tmp_path / f"texts/{stem}.en.txt", "Hello.")
    cfg = load_config(tmp_path)
    assert cfg.gate == {"max_critical": 0, "min_mean_score": 55.0}
    pairs = discover(cfg)
    assert [(p.source.relative_to(tmp_path).as_posix(), p.mt.relative_to(tmp_path).as_posix()) for p in pairs] == [
        ("texts/a.ru.txt", "texts/a.en.txt"), ("texts/sub/b.ru.txt", "texts/sub/b.en.txt")]


def test_mtcheck_toml_wins_and_manifest(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.mtcheck]\nsrc-lang = 'de'\n")
    write(tmp_path / "mtcheck.toml", "[pairs]\nmanifest = 'list.tsv'\n")
    write(tmp_path / "list.tsv", "# source\tmt\nx.ru\tx.en\n")
    write(tmp_path / "x.ru", "Привет.")
    write(tmp_path / "x.en", "Hello.")
    cfg = load_config(tmp_path)
    assert cfg.src_lang == "ru"
    assert [p.mt.name for p in discover(cfg)] == ["x.en"]


@pytest.mark.parametrize("toml, key", [
    ("[gate]\nmax-critical = 'many'\n", "gate.max-critical"),
    ("[gate]\nmax-bad-share = 3\n", "gate.max-bad-share"),
    ("[gate]\nmin-score = 3\n", "gate.min-score"),
    ("colour = 'red'\n", "colour"),
    ("formats = ['pdf']\n", "formats"),
    ("[checks]\ndisable = ['no-such-check']\n", "checks"),
    ("[[pairs]]\nsource = '*.ru'\n", "pairs[0]"),
    ("[[pairs]]\nsource = '*.ru'\nmt = 'x.en'\n", "pairs[0].mt"),
    ("[labels]\ngood = 120\nreview = 40\n", "labels.good"),
    ("src-lang = \n", "toml"),
])
def test_bad_config_names_the_key(tmp_path, toml, key):
    write(tmp_path / "mtcheck.toml", toml)
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    assert f"{key}:" in str(err.value)
    assert "mtcheck.toml" in str(err.value)


def test_missing_mt_file_is_input_error(tmp_path):
    write(tmp_path / "mtcheck.toml", "[[pairs]]\nsource = '*.ru.txt'\nmt = '*.en.txt'\n")
    write(tmp_path / "a.ru.txt", "Привет.")
    with pytest.raises(InputError, match="a.en.txt"):
        discover(load_config(tmp_path))


def test_single_file_formats_need_no_mt_pattern(tmp_path):
    write(tmp_path / "mtcheck.toml", "[[pairs]]\nsource = 'tm/*.tmx'\n[[pairs]]\nsource = 'units/*.data'\n"
                                     "input-format = 'tsv'\n")
    write(tmp_path / "tm/a.tmx", "<tmx/>")
    write(tmp_path / "units/b.data", "Привет.\tHello.\n")
    pairs = discover(load_config(tmp_path))
    assert [(p.source.name, p.mt, p.input_format) for p in pairs] == [("a.tmx", None, "auto"), ("b.data", None, "tsv")]


def test_text_pairs_still_need_mt(tmp_path):
    write(tmp_path / "mtcheck.toml", "[[pairs]]\nsource = '*.ru.txt'\n")
    with pytest.raises(ConfigError, match=r"pairs\[0\]: needs both"):
        load_config(tmp_path)
