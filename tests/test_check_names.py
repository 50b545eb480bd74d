"""The names check: transliterations, exonyms, and consistency within a document."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck.checks.base import PairContext, Resources, registry
from mtcheck.data import AlignedPair, Link
from mtcheck.spelling import DEFAULT_DICT, load_speller
from tests.resources import require


@pytest.fixture(scope="module")
def resources() -> Resources:
    require(Path(str(DEFAULT_DICT) + ".dic").is_file(), "hunspell-en-us dictionary not installed")
    return Resources(loaders={"hunspell": load_speller})


def pair(src: str, mt: str, index: int = 0) -> AlignedPair:
    return AlignedPair(index, "d", Link((index,), (index,)), [], [], src, mt, 0, 0)


def run(resources: Resources, src: str, mt: str):
    p = pair(src, mt)
    return list(registry()["names"]().check_pair(p, PairContext(p, resources)))


@pytest.mark.parametrize("src,mt", [
    ("Вчера приехал Зась.", "Zas arrived yesterday."),
    ("Я видел Зася вчера.", "I saw Zas yesterday."),
    ("Вчера в Москве выступил Путин.", "Yesterday in Moscow, Putin spoke."),
    ("Он живёт в Казахстане.", "He lives in Kazakhstan."),
    ("По словам Евгения Сатановского, это ошибка.", "According to Yevgeny Satanovsky, this is a mistake."),
    ("Это заявила Мария Захарова.", "This was stated by Maria Zakharova."),
    ("Досье по делу Скрипаля.", "The dossier on the Skripal case."),
    ("Живу в Якутии.", "I live in Yakutia."),
    ("Он посмотрел видео на ютубе.", "He watched a video on YouTube."),
    ("Цитата Ницше.", "A quote by Nietzsche."),
    ("Жителю Набережных Челнов присудили штраф.", "A resident of Naberezhnye Chelny was fined."),
    ("Я пишу в Киеве.", "I am writing in Kyiv."),
])
def test_correct_renderings_not_flagged(resources, src, mt):
    assert run(resources, src, mt) == []


def test_misspelt_rendering_flagged_major_with_evidence(resources):
    flags = run(resources, "Вчера приехал Зась.", "Yesterday Zass arrived.")
    assert len(flags) == 1
    f = flags[0]
    assert (f.category, f.severity.value) == ("accuracy/mistranslation", "minor")
    assert 0.4 <= f.confidence <= 0.7
    assert "Yesterday Zass arrived."[f.mt_span.start:f.mt_span.end] == "Zass"
    assert "zas" in f.evidence["transliterations_tried"]


def test_unrelated_name_flagged_minor(resources):
    flags = run(resources, "Вчера приехал Зась.", "Yesterday Brokenshire arrived.")
    assert [(f.severity.value, f.evidence["name"]) for f in flags] == [("minor", "Brokenshire")]


def test_without_dictionary_no_pair_flags():
    assert run(Resources(), "Вчера приехал Зась.", "Yesterday Zass arrived.") == []


def test_inconsistent_rendering_in_document(resources):
    pairs = [pair("Сатановский выступил вчера.", "Satanovsky spoke yesterday.", 0),
             pair("Об этом сказал Сатановский.", "This was said by Satanovsky.", 1),
             pair("Но Сатановского не услышали.", "But nobody heard Satanovskii.", 2)]
    check = registry()["names"]()
    ctxs = [PairContext(p, resources) for p in pairs]
    assert all(list(check.check_pair(p, c)) == [] for p, c in zip(pairs, ctxs))
    out = list(check.check_document(pairs, ctxs))
    assert len(out) == 1
    index, flag = out[0]
    assert index == 2 and flag.category == "terminology" and flag.confidence >= 0.8
    assert pairs[2].mt_text[flag.mt_span.start:flag.mt_span.end] == "Satanovskii"
    assert flag.suggestions == ["Satanovsky"]
    assert flag.evidence["renderings"] == {"Satanovsky": 2, "Satanovskii": 1}


def test_consistent_document_not_flagged(resources):
    pairs = [pair("Захарова выступила.", "Zakharova spoke.", 0),
             pair("Об этом сказал Захаров.", "This was said by Zakharov.", 1),
             pair("Сатановский выступил.", "Satanovsky spoke.", 2)]
    ctxs = [PairContext(p, resources) for p in pairs]
    assert list(registry()["names"]().check_document(pairs, ctxs)) == []
