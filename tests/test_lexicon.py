"""The idiom lexicon: every entry is valid, and matching finds inflected, reordered idioms."""

from __future__ import annotations

from collections import Counter

import pytest

from mtcheck.errors import InputError
from mtcheck.lexicon import KINDS, Lexicon, parse_lexicon, parse_pattern, self_match


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


def test_lexicon_size_version_and_hash(lex):
    assert len(lex) >= 400
    assert lex.version == "1.0.0"
    assert len(lex.sha256) == 64 and int(lex.sha256, 16) >= 0
    kinds = Counter(e.kind for e in lex)
    assert set(kinds) == set(KINDS)


def test_every_entry_is_complete(lex):
    for e in lex:
        assert e.id and e.ru and e.kind in KINDS, e.id
        assert e.meaning.strip(), e.id
        assert e.equivalents and all(x.strip() for x in e.equivalents), e.id
        assert e.literal and all(x.strip() for x in e.literal), e.id
        assert e.required, e.id
        assert e.severity in ("", "minor", "major", "critical"), e.id


def test_every_pattern_matches_its_own_canonical_form(lex):
    failures = [e.id for e in lex if not self_match(e)]
    assert failures == []


def test_ids_and_patterns_are_unique(lex):
    ids = Counter(e.id for e in lex)
    assert [i for i, n in ids.items() if n > 1] == []
    keys = Counter(frozenset(t.alternatives for t in e.required) for e in lex)
    dup = [e.id for e in lex if keys[frozenset(t.alternatives for t in e.required)] > 1]
    assert dup == []


def test_no_literal_cue_contains_an_equivalent(lex):
    """A cue holding a whole equivalent would make the entry unable to ever fire."""
    from mtcheck.checks.idioms import find_phrase

    bad = []
    for e in lex:
        for cue, cue_stems in e.literal_cues():
            cue_words = [(0, 0, s) for s in cue_stems]
            for eq, eq_stems in e.equivalent_stems():
                if find_phrase(cue_words, eq_stems, gap=2) is not None:
                    bad.append((e.id, cue, eq))
    assert bad == []


def test_demo_idioms_are_present(lex):
    forms = {e.ru.lower() for e in lex}
    for ru in ["передёргивать", "вешать лапшу на уши", "без году неделя", "ласковое слово лучше мягкого пирога",
               "бить баклуши", "водить за нос", "когда рак на горе свистнет", "медвежья услуга", "как с гуся вода",
               "ни пуха ни пера"]:
        assert ru in forms, ru


def ids(lex: Lexicon, text: str) -> list[str]:
    return [m.entry.id for m in lex.match(text)]


@pytest.mark.parametrize("text, entry", [
    ("Не вешай мне лапшу на уши!", "veshat-lapshu-na-ushi"),
    ("Он нам лапшу на уши вешает уже третий год.", "veshat-lapshu-na-ushi"),  # reordered
    ("Навешали лапши на уши избирателям.", "veshat-lapshu-na-ushi"),  # other aspect, genitive
    ("Они целыми днями баклуши били.", "bit-baklushi"),
    ("Хватит водить меня за нос.", "vodit-za-nos"),
    ("Заплатит, когда рак на горе свистнет.", "kogda-rak-na-gore-svistnet"),
    ("Он оказал нам медвежью услугу.", "medvezhya-usluga"),
    ("А ему всё как с гуся вода.", "kak-s-gusya-voda"),
    ("Он у нас без году неделя, а уже командует.", "bez-godu-nedelya"),
    ("Ласковое слово лучше мягкого пирога.", "laskovoye-slovo-luchshe-myagkogo-piroga"),
    ("Передёргиваете, коллега!", "peredergivat"),
])
def test_match_inflected_and_reordered(lex, text, entry):
    assert entry in ids(lex, text)


@pytest.mark.parametrize("text, entry", [
    ("Он передёрнул затвор и прицелился.", "peredergivat"),  # the literal sense: exclude lemma
    ("Неделю спустя, 10 июля 2014 года, он дал пресс-конференцию.", "bez-godu-nedelya"),  # no «без», words apart
    ("У неё красивые глаза.", "ni-v-odnom-glazu"),
    ("Суп с лапшой остыл, а уши замёрзли.", "veshat-lapshu-na-ushi"),  # no «вешать»
])
def test_no_match_without_the_idiom(lex, text, entry):
    assert entry not in ids(lex, text)


def test_match_offsets_point_at_the_idiom(lex):
    text = "Говорят, он опять водит всех за нос."
    (m,) = [m for m in lex.match(text) if m.entry.id == "vodit-za-nos"]
    assert text[m.start:m.end] == "водит всех за нос"
    assert m.lemmas == ["водить", "нос"]


def test_pattern_syntax():
    toks = parse_pattern("вешать/навешать лапша? передерг*")
    assert [t.optional for t in toks] == [False, True, False]
    assert "навешать" in toks[0].alternatives and toks[2].prefix
    assert toks[2].matches(frozenset({"передергивание"}))


HEADER = "id\tru\tkind\tpattern\tmeaning\tequivalents\tliteral\n"


def test_parse_rejects_bad_entries():
    with pytest.raises(InputError, match="duplicate id"):
        parse_lexicon(HEADER + "a\tводить за нос\tidiom\tводить нос\tdeceive\tfool\tnose\n"
                               "a\tводить за нос\tidiom\tводить нос\tdeceive\tfool\tnose\n")
    with pytest.raises(InputError, match="kind"):
        parse_lexicon(HEADER + "a\tводить за нос\tsaying\tводить нос\tdeceive\tfool\tnose\n")
    with pytest.raises(InputError, match="literal"):
        parse_lexicon(HEADER + "a\tводить за нос\tidiom\tводить нос\tdeceive\tfool\t\n")
    with pytest.raises(InputError, match="header lacks"):
        parse_lexicon("id\tru\tkind\n")
    with pytest.raises(InputError) as err:
        parse_lexicon("# version: 2\n" + HEADER + "Bad Id\tводить за нос\tidiom\tводить нос\tdeceive\tfool\tnose\n")
    assert err.value.line == 3


def test_parse_reads_version_and_optional_columns():
    entries, version = parse_lexicon("# version: 7.1\n" + HEADER.rstrip("\n") + "\tseverity\texclude\n"
                                     "a\tводить за нос\tidiom\tводить нос\tdeceive\tfool ; con\tnose\tminor\tлошадь\n")
    assert version == "7.1"
    assert entries[0].equivalents == ["fool", "con"] and entries[0].severity == "minor"
    assert entries[0].exclude == ["лошадь"]


def test_load_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        Lexicon.load(tmp_path / "nope.tsv")
