"""Coverage check: omissions and additions inside aligned sentence pairs.

Real resources throughout: Müller's dictionary (Debian mueller7-dict) and the
multilingual e5 embedder; hand-written Russian/English pairs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck.cache import SqliteCache
from mtcheck.checks.base import PairContext, Resources, registry
from mtcheck.checks.coverage import CoverageCheck, clauses, load_dictionary_resource
from mtcheck.data import AlignedPair, Link, Severity
from mtcheck.dictionary import BilingualDictionary
from mtcheck.embed import E5Embedder, EmbeddingStore
from tests.resources import require

MUELLER = Path("/usr/share/dictd/mueller7.index")


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    require(MUELLER.exists(), "Debian mueller7-dict not installed")
    tmp = tmp_path_factory.mktemp("coverage")
    store = EmbeddingStore(E5Embedder(), SqliteCache(tmp / "emb.sqlite"))
    res = Resources(embeddings=store)
    res.loaders["dictionary"] = lambda: load_dictionary_resource(tmp / "dict")
    assert isinstance(res.get("dictionary"), BilingualDictionary)
    return res


def run(resources, src: str, mt: str, backtranslation: str | None = None, **options):
    pair = AlignedPair(0, "doc", Link((0,), (0,)), [], [], src, mt, 100, 200)
    ctx = PairContext(pair=pair, resources=resources, backtranslation=backtranslation)
    return pair, list(CoverageCheck(**options).check_pair(pair, ctx))


def test_registered():
    assert registry()["coverage"] is CoverageCheck
    assert set(CoverageCheck.categories) == {"accuracy/omission", "accuracy/addition"}


def test_clauses_split_at_commas_dashes_semicolons():
    text = "Дитя падает — Бог подстилает; стар падает, чёрт подставляет (так говорят)."
    got = [c.text for c in clauses(text)]
    assert got == ["Дитя падает", "Бог подстилает", "стар падает", "чёрт подставляет", "так говорят"]
    assert all(text[c.start:c.end] == c.text for c in clauses(text))


# --- omissions -------------------------------------------------------------

def test_dropped_clause_is_an_omission(resources):
    src = "Он пришёл домой поздно вечером, усталый и голодный, и сразу лёг спать."
    pair, flags = run(resources, src, "He came home late in the evening and immediately went to bed.")
    assert [f.category for f in flags] == ["accuracy/omission"]
    f = flags[0]
    assert f.severity is Severity.MAJOR
    assert set(f.evidence["words"]) == {"усталый", "голодный"}
    assert src[f.src_span.start:f.src_span.end] == "усталый и голодный"
    assert f.evidence["lemma"] == "усталый" and "tired" in f.evidence["candidates"]["усталый"]
    assert f.evidence["clause_similarity"] < 0.86 and f.evidence["ablation_delta"] <= 0.01
    assert f.mt_span is not None and 0.35 <= f.confidence <= 0.9
    absolute = f.absolute(pair)
    assert absolute.src_span.start == 100 + f.src_span.start and absolute.src_text == "усталый и голодный"


def test_dropped_concessive_clause(resources):
    _, flags = run(resources, "Несмотря на сильный дождь, мы пошли гулять в парк.", "We went for a walk in the park.")
    assert len(flags) == 1 and "дождь" in flags[0].evidence["words"]
    assert flags[0].evidence["clause"] == "Несмотря на сильный дождь"


def test_dropped_relative_clause(resources):
    _, flags = run(resources, "Старый мост, который был построен в прошлом веке, вчера обрушился.",
                   "The old bridge collapsed yesterday.")
    assert [f.category for f in flags] == ["accuracy/omission"]
    assert "веке" in flags[0].evidence["words"]


def test_backtranslation_confirms_or_clears_an_omission(resources):
    src = "Он пришёл домой поздно вечером, усталый и голодный, и сразу лёг спать."
    mt = "He came home late in the evening and immediately went to bed."
    _, plain = run(resources, src, mt)
    _, confirmed = run(resources, src, mt, backtranslation="Он пришёл домой поздно вечером и сразу лёг спать.")
    _, cleared = run(resources, src, mt, backtranslation="Усталый и голодный, он пришёл домой и лёг спать.")
    assert confirmed and confirmed[0].confidence > plain[0].confidence
    assert confirmed[0].evidence["backtranslation_checked"] is True
    assert cleared == []


# --- additions -------------------------------------------------------------

def test_added_phrase_is_an_addition(resources):
    mt = "He bought bread, milk and cheese, as well as a bottle of expensive French wine."
    pair, flags = run(resources, "Он купил хлеб, молоко и сыр.", mt)
    assert [f.category for f in flags] == ["accuracy/addition"]
    f = flags[0]
    assert {"bottle", "wine"} <= set(f.evidence["words"])
    assert mt[f.mt_span.start:f.mt_span.end].startswith("bottle") and f.severity is Severity.MAJOR


def test_added_clause_is_an_addition(resources):
    _, flags = run(resources, "Министр заявил, что цены не вырастут.",
                   "The minister said that prices would not rise, and the central bank will cut interest rates "
                   "next month.")
    assert [f.category for f in flags] == ["accuracy/addition"]
    assert "bank" in flags[0].evidence["words"]


def test_additions_can_be_switched_off(resources):
    _, flags = run(resources, "Он купил хлеб, молоко и сыр.",
                   "He bought bread, milk and cheese, as well as a bottle of expensive French wine.", additions=False)
    assert flags == []


# --- faithful translations: no flags ----------------------------------------

@pytest.mark.parametrize("src,mt", [
    ("Несмотря на сильный дождь, мы пошли гулять в парк.", "Despite the heavy rain, we went for a walk in the park."),
    # synonyms the dictionary may not link: covered clauses keep them unflagged
    ("Несмотря на сильный дождь, мы пошли гулять в парк.", "In spite of the downpour, we went strolling in the park."),
    ("Министр заявил, что цены не вырастут.", "The minister stated that prices will not go up."),
    ("Старый мост, который был построен в прошлом веке, вчера обрушился.",
     "The old bridge, which was built in the last century, collapsed yesterday."),
    ("Зас отметил, что миротворцы имеют право применять оружие.",
     "Zas noted that peacekeepers have the right to use weapons."),
    ("Всего в охваченную беспорядками республику будет направлено около 2,5 тысячи человек.",
     "In total, about 2.5 thousand people will be sent to the riot-ridden republic."),
    ("96 бизнесменов, имеющих состояние более 1 млрд долларов, и 114 российских политиков.",
     "96 businessmen with a fortune of more than $1 billion and 114 Russian politicians."),
    ("Он пришёл домой поздно вечером, усталый и голодный, и сразу лёг спать.",
     "He came home late in the evening, tired and hungry, and went straight to bed."),
    ("Я растерян, мне хочется поведать о пережитом мной.", "I am confused, I want to talk about my experience."),
    # a two-word dictionary phrase for one Russian word
    ("Есть шуба и на волке, да пришита.", "There is a fur coat on the wolf, too, and it is sewn."),
    # aspect partners and prefixed verbs the dictionary lists in another form
    ("Я подумал, что не доживу до первого числа, и решил найти работу.",
     "I thought to myself that I would not live to see the first, and decided to find a job."),
])
def test_faithful_translation_not_flagged(resources, src, mt):
    assert run(resources, src, mt)[1] == []


# --- when it stays silent -----------------------------------------------------

def test_without_dictionary_does_nothing(resources):
    res = Resources(embeddings=resources.embeddings)  # no "dictionary" loader
    pair = AlignedPair(0, "doc", Link((0,), (0,)), [], [], "Несмотря на сильный дождь, мы пошли гулять в парк.",
                       "We went for a walk in the park.", 0, 0)
    assert list(CoverageCheck().check_pair(pair, PairContext(pair=pair, resources=res))) == []


def test_whole_sentence_omission_left_to_the_aligner(resources):
    assert run(resources, "Мы пошли гулять в парк.", "")[1] == []
    assert run(resources, "", "We went for a walk in the park.")[1] == []


def test_unknown_option_rejected():
    from mtcheck.errors import ConfigError

    with pytest.raises(ConfigError):
        CoverageCheck(treshold=0.5)
