"""Müller English-Russian dictionary: dictd parsing, Müller notation, the inverted map."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck.checks.base import ResourceUnavailable
from mtcheck.dictionary import (BilingualDictionary, b64_number, english_lemma, english_lemmas,
                                parse_entry)
from tests.resources import require

MUELLER = Path("/usr/share/dictd/mueller7.index")


def test_b64_numbers():
    assert b64_number("A") == 0
    assert b64_number("Bi") == 64 + 34
    assert b64_number("/") == 63
    assert b64_number("BAA") == 4096


def test_parse_entry_mueller_notation():
    body = """   _I  [bæŋk]
      1. _n.
         1) вал, насыпь
         2) берег (особ. реки); bank of snow снежный занос; сугроб
         3) _ав. крен
      2. _v.
         1) делать насыпь; the river banked up its sides river text река
         2) класть (деньги) в банк; to bank on smb. полагаться на кого-л.
"""
    pairs, refs = parse_entry("bank", body)
    got = {en: sorted(" ".join(ws) for ws in items) for en, items in pairs}
    assert got["bank"] == sorted(["вал", "насыпь", "берег", "крен", "делать насыпь", "класть в банк"])
    assert got["bank of snow"] == ["снежный занос", "сугроб"]
    assert refs == []
    # the example sentence with English inside Russian is ignored, "smb." phrases too
    assert not any("река" in " ".join(ws) for _, items in pairs for ws in items)


def test_parse_entry_reference_and_wrapped_hyphen():
    pairs, refs = parse_entry("'cause", "   [kɘz] _уст. = because\n")
    assert refs == ["because"] and pairs == []
    pairs, _ = parse_entry("north-east", "   _n. северо-\n   восток; _мор. норд-ост\n")
    assert dict(pairs)["north-east"] == [["северо-восток"], ["норд-ост"]]


def test_english_lemmas():
    assert english_lemma("went") == "go"
    assert english_lemma("weapons") == "weapon"
    assert english_lemma("Children") == "child"
    assert english_lemmas("Peacekeepers") == {"peacekeepers", "peacekeeper"}


def test_missing_dictionary_is_resource_unavailable(tmp_path):
    with pytest.raises(ResourceUnavailable, match="mueller7-dict"):
        BilingualDictionary.load(tmp_path / "nothing", cache_dir=tmp_path)


@pytest.fixture(scope="module")
def mueller(tmp_path_factory):
    require(MUELLER.exists(), "Debian mueller7-dict not installed")
    cache = tmp_path_factory.mktemp("dict-cache")
    return BilingualDictionary.load(cache_dir=cache), cache


@pytest.mark.slow
def test_real_dictionary_links(mueller):
    d, _ = mueller
    assert len(d) > 40_000
    assert {"dog", "hound"} <= d.en_for_ru_lemma("собака", loose=False)
    assert {"council", "advice"} <= d.en_for_ru_lemma("совет")
    assert "jerk" in d.en_for_ru_lemma("дергать")  # ё-folded lemma of "дёргать"
    assert "weapon" in d.en_for_ru_lemma("оружие")
    assert "оружие" in d.ru_for_en("weapons")  # plural found through its lemma
    assert "идти" in d.ru_for_en("went")  # irregular past found through its lemma
    assert "безопасность" in d.ru_for_en("Security")
    assert d.en_for_ru_lemma("несуществующееслово") == set()
    assert d.ru_for_en("qwertyuiop") == set()


@pytest.mark.slow
def test_real_dictionary_signature_and_cache(mueller):
    d, cache = mueller
    assert len(d.sha256) == 64 and int(d.sha256, 16) >= 0
    assert d.version  # Debian package version or a file hash
    files = list(cache.glob("dictionary-mueller7-*.json"))
    assert len(files) == 1
    again = BilingualDictionary.load(cache_dir=cache)  # from the cache this time
    assert again.sha256 == d.sha256 and again.version == d.version
    assert again.en_for_ru_lemma("собака") == d.en_for_ru_lemma("собака")
    assert again.ru2en_strong == d.ru2en_strong and again.en2ru == d.en2ru


@pytest.mark.slow
def test_damaged_cache_is_rebuilt(mueller, tmp_path):
    d, cache = mueller
    src = next(cache.glob("dictionary-mueller7-*.json"))
    (tmp_path / src.name).write_text("{not json", encoding="utf-8")
    rebuilt = BilingualDictionary.load(cache_dir=tmp_path)
    assert rebuilt.en_for_ru_lemma("собака") == d.en_for_ru_lemma("собака")


@pytest.mark.slow
def test_without_cache_dir_parsed_once_per_process(mueller):
    first = BilingualDictionary.load()
    assert BilingualDictionary.load() is first
    assert first.en_for_ru_lemma("собака") == mueller[0].en_for_ru_lemma("собака")
