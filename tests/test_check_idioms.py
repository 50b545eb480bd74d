"""The literal-idiom check on hand-written pairs, the seed quote and real shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck.checks.base import PairContext, Resources, registry
from mtcheck.checks.idioms import LiteralIdiomCheck
from mtcheck.data import AlignedPair, Link, Severity
from mtcheck.lexicon import Lexicon
from tests.resources import require

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

# The seed's pull-quote: the team's reconstruction of the Russian and the real MT, which lost the quotation marks.
SEED_SRC = ("«Передёргивать — о какой-то интервенции или ещё о чём-то, даже до „оккупации“ договорились, — "
            "это, извините, вообще полная глупость»")
SEED_MT = ("Come on jerking – about some kind of invasion or something else, even an “occupation” was agreed – "
           "this, excuse me, is generally complete stupidity Stanislav Zas CSTO Secretary General")


@pytest.fixture(scope="module")
def resources() -> Resources:
    lex = Lexicon.load()
    return Resources(loaders={"idioms": lambda: lex})


def run(src: str, mt: str, resources: Resources):
    pair = AlignedPair(0, "doc", Link((0,), (0,)), [], [], src, mt, 0, 0)
    return list(LiteralIdiomCheck().check_pair(pair, PairContext(pair, resources)))


def test_check_is_registered():
    assert registry()["idioms"] is LiteralIdiomCheck


def test_seed_quote_is_a_literal_idiom_in_quoted_speech(resources):
    flags = run(SEED_SRC, SEED_MT, resources)
    assert len(flags) == 1
    f = flags[0]
    assert f.category == "style/literal-idiom" and f.check == "idioms"
    assert f.severity is Severity.CRITICAL  # major, raised inside a quote
    assert f.in_quote and f.evidence["in_quote"] and f.evidence["severity_raised"] == "inside quoted speech"
    assert f.evidence["entry"] == "peredergivat" and f.evidence["ru"] == "передёргивать"
    assert "distort" in f.evidence["meaning"]
    assert f.message.startswith("Literal rendering of the Russian idiom «передёргивать» (meaning: ")
    assert "consider: distort" in f.message
    assert "distort" in f.suggestions and "twist the facts" in f.suggestions
    assert SEED_MT[f.mt_span.start:f.mt_span.end] == "jerking"
    assert SEED_SRC[f.src_span.start:f.src_span.end] == "Передёргивать"
    assert f.evidence["literal_cues"] == ["jerk"] and f.evidence["mt_cue_words"] == ["jerking"]
    assert f.evidence["matched_lemmas"] == ["передергивать"]
    assert 0.5 <= f.confidence <= 0.95


def test_same_idiom_outside_quotes_is_major(resources):
    flags = run("Он передёргивает факты.", "He is jerking the facts.", resources)
    assert [f.severity for f in flags] == [Severity.MAJOR]
    assert not flags[0].in_quote


def test_equivalent_in_mt_means_no_flag(resources):
    assert run("Передёргивать — это глупость.", "To twist the facts like that is stupid.", resources) == []
    assert run("Не вешай мне лапшу на уши!", "Stop pulling my leg!", resources) == []
    assert run("Он у нас без году неделя.", "He is a newcomer here.", resources) == []


def test_mt_without_literal_cues_means_no_flag(resources):
    # An imperfect but non-literal rendering: the check has no evidence of a word-for-word translation.
    assert run("Не вешай мне лапшу на уши!", "Stop telling me stories!", resources) == []


@pytest.mark.parametrize("src, mt, entry, cue", [
    ("Не вешай мне лапшу на уши!", "Don't hang noodles on my ears!", "veshat-lapshu-na-ushi", "noodles"),
    ("Они целыми днями баклуши били.", "They beat the baklushi all day long.", "bit-baklushi", "baklushi"),
    ("Он тут без году неделя.", "He has been here without a year a week.", "bez-godu-nedelya", "without a year"),
    ("Вернёт долг, когда рак на горе свистнет.", "He will repay the debt when the crayfish whistles on the mountain.",
     "kogda-rak-na-gore-svistnet", "crayfish"),
    ("Ни пуха ни пера на экзамене!", "Neither fluff nor feather on the exam!", "ni-pukha-ni-pera", "fluff"),
    ("Ласковое слово лучше мягкого пирога.", "An affectionate word is better than a soft pie.",
     "laskovoye-slovo-luchshe-myagkogo-piroga", "soft pie"),
])
def test_literal_renderings_are_flagged(resources, src, mt, entry, cue):
    flags = run(src, mt, resources)
    assert [f.evidence["entry"] for f in flags] == [entry]
    found = [w.lower() for w in flags[0].evidence["mt_cue_words"]]
    assert all(w in found for w in cue.split() if w != "a"), found
    assert flags[0].suggestions


def test_more_cues_give_more_confidence(resources):
    one = run("Не вешай мне лапшу на уши!", "Don't hang noodles on me!", resources)[0]
    many = run("Не вешай мне лапшу на уши!", "Don't hang noodles on my ears!", resources)[0]
    assert many.confidence > one.confidence


def test_literal_sense_of_a_colloquial_verb_is_not_flagged(resources):
    assert run("Он передёрнул затвор.", "He jerked the bolt.", resources) == []


def test_minor_entry_in_quotes_is_raised_to_major(resources):
    flags = run("«Ласковое слово лучше мягкого пирога», — сказала бабушка.",
                "“An affectionate word is better than a soft pie,” grandmother said.", resources)
    assert [f.severity for f in flags] == [Severity.MAJOR] and flags[0].in_quote


def test_no_lexicon_means_no_flags():
    assert run(SEED_SRC, SEED_MT, Resources()) == []


def test_min_confidence_option_filters(resources):
    pair = AlignedPair(0, "doc", Link((0,), (0,)), [], [], SEED_SRC, SEED_MT, 0, 0)
    check = LiteralIdiomCheck(min_confidence=0.99)
    assert list(check.check_pair(pair, PairContext(pair, resources))) == []


def test_idiomatic_english_proverbs_are_rarely_flagged(resources):
    """Real data: Russian proverbs against the English proverb with the same meaning (no literal rendering)."""
    d = SHARED / "proverbs-wikiquote-en-ru"
    require((d / "proverbs_idiomatic.en-ru.ru").exists(), "shared proverbs data set not found")
    ru = (d / "proverbs_idiomatic.en-ru.ru").read_text(encoding="utf-8").splitlines()
    en = (d / "proverbs_idiomatic.en-ru.en").read_text(encoding="utf-8").splitlines()
    lex = resources.get("idioms")
    matched = [(r, e) for r, e in zip(ru, en) if lex.match(r)]
    flagged = [(r, e) for r, e in matched if run(r, e, resources)]
    assert len(matched) >= 60  # the lexicon knows a good share of common proverbs
    assert len(flagged) <= 0.05 * len(matched), flagged


def test_literal_mlqe_translations_are_flagged(resources):
    """Real NMT output from MLQE-PE dev: literal proverb translations that post-editors rewrote."""
    import csv

    path = SHARED / "mlqe-pe-ru-en" / "da" / "dev.ruen.df.short.tsv"
    require(path.exists(), "shared MLQE-PE data not found")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = {r["original"]: r["translation"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}
    for src, entry in [("Пуганая ворона и куста боится.", "puganaya-vorona-kusta-boitsya"),
                       ("Любовь зла, полюбишь и козла.", "lyubov-zla-polyubish-i-kozla")]:
        flags = run(src, rows[src], resources)
        assert [f.evidence["entry"] for f in flags] == [entry], rows[src]
