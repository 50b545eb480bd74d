"""The awkward-English check: repeats, debris, misspellings, improbable runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck.checks.base import PairContext, Resources, registry
from mtcheck.data import AlignedPair, Link
from mtcheck.spelling import DEFAULT_DICT, load_speller
from tests.resources import require


@pytest.fixture(scope="module")
def speller_resources() -> Resources:
    require(Path(str(DEFAULT_DICT) + ".dic").is_file(), "hunspell-en-us dictionary not installed")
    return Resources(loaders={"hunspell": load_speller})


def run(src: str, mt: str, resources: Resources | None = None, logprobs=None, **options):
    pair = AlignedPair(0, "d", Link((0,), (0,)), [], [], src, mt, 0, 0)
    ctx = PairContext(pair, resources or Resources(), mt_word_logprobs=logprobs)
    return list(registry()["awkward"](**options).check_pair(pair, ctx))


def spans(mt: str, flags) -> list[tuple[str, str]]:
    return [(f.category, mt[f.mt_span.start:f.mt_span.end]) for f in flags]


def test_repeated_word():
    mt = "He opened the the door."
    assert spans(mt, run("Он открыл дверь.", mt)) == [("fluency/grammar", "the the")]


def test_idiomatic_or_source_repeats_not_flagged():
    assert run("Он сказал, что это было.", "He said that that was it.") == []
    assert run("Очень-очень давно.", "Very very long ago.") == []
    assert run("Он открыл дверь.", "He opened the door, then the window.") == []


@pytest.mark.parametrize("mt,debris", [
    ("Who would have known if he hadn 't said it himself.", "hadn 't"),
    ("Who would have known if he hadn&apos;t said it.", "&apos;"),
    ("He said , no.", " ,"),
    ("The sub@@ marine sank.", "@@ "),
    ("He  said no.", "  "),
])
def test_debris(mt, debris):
    flags = run("Кто бы знал.", mt)
    assert [(f.category, mt[f.mt_span.start:f.mt_span.end]) for f in flags] == [("fluency/punctuation", debris)]


def test_debris_copied_from_source_not_flagged():
    assert run("Он сказал , нет.", "He said , no.") == []
    assert run("Who would have known if he hadn't said it himself...", "Who would have known if he hadn't said it himself...") == []


def test_misspelling_flagged_with_suggestions(speller_resources):
    mt = "The goverment decided otherwise."
    flags = run("Правительство решило иначе.", mt, speller_resources)
    assert spans(mt, flags) == [("fluency/spelling", "goverment")]
    assert "government" in flags[0].suggestions


def test_names_british_spelling_and_translits_not_misspellings(speller_resources):
    assert run("Анна Шестакова потеряла 600 тысяч рублей.",
               "Anna Shestakova lost 600,000 roubles; the colour of whistleblowers.", speller_resources) == []
    assert run("Что знает кум, знает и кумова жена.", "What the kum knows, kumova's wife knows.",
               speller_resources) == []
    assert run("Смотри https://clck.ru/Jzjxe", "See https://clck.ru/Jzjxe and r/PikabuPolitics",
               speller_resources) == []


def test_spelling_needs_dictionary():
    assert run("Правительство решило.", "The goverment decided.", Resources()) == []


def test_low_probability_run():
    mt = "Come on jerking, said he."
    lp = [(0, 4, -2.1), (5, 7, -2.5), (8, 15, -3.0), (17, 21, -0.2), (22, 24, -0.1)]
    flags = run("Давай, дёргай, сказал он.", mt, logprobs=lp)
    assert spans(mt, flags) == [("style/awkward", "Come on jerking")]
    assert flags[0].evidence["logprobs"] == [-2.1, -2.5, -3.0]
    assert flags[0].severity.value == "minor"
    # a single improbable word is not a run; a stricter threshold finds nothing
    assert run("Давай.", mt, logprobs=[(0, 4, -2.1), (5, 7, -0.2)]) == []
    assert run("Давай.", mt, logprobs=lp, logprob_threshold=-5.0) == []


def test_source_repeating_a_lemma_allows_repeat_and_transliterations_are_not_misspellings(speller_resources):
    assert run("Поп попа родит, солдат солдата.", "Pop will give birth, soldier soldier.") == []
    assert run("Ешь щи с мясом.", "Eat shchi with meat.", speller_resources) == []
    assert run("Он сказал так де-факто.", "He said so de facto.", speller_resources) == []
