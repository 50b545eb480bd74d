"""Quoted speech: detection in Russian and English, mapping across the pair, the quotes check."""

from __future__ import annotations

from mtcheck.checks.base import PairContext, Resources, registry
from mtcheck.checks.quotes import QuotesCheck
from mtcheck.data import AlignedPair, Link, Severity, Span
from mtcheck.quotes import find_quotes, in_quote, map_quotes, outer, unmatched_marks


def texts(text: str, lang: str) -> list[tuple[str, str]]:
    return [(q.kind, q.text(text)) for q in find_quotes(text, lang)]


def test_guillemets_with_nested_lapki_and_speaker_after():
    t = "«Даже до „оккупации“ договорились — это глупость», — заявил Станислав Зась."
    qs = find_quotes(t, "ru")
    assert [(q.kind, q.text(t), q.depth) for q in qs] == [
        ("guillemets", "Даже до „оккупации“ договорились — это глупость", 0), ("lapki", "оккупации", 1)]
    assert qs[0].speaker == "Станислав Зась" and qs[0].attribution == "заявил"
    assert t[qs[0].speaker_span.start:qs[0].speaker_span.end] == "Станислав Зась"
    assert outer(qs) == [qs[0]]


def test_speaker_before_quote_ru_and_en():
    t = "Зась заявил: «Мы ожидаем, что срок будет коротким»."
    (q,) = find_quotes(t, "ru")
    assert (q.speaker, q.attribution) == ("Зась", "заявил")
    e = "Zas said: “We expect that the period will be short.”"
    (q,) = find_quotes(e, "en")
    assert (q.kind, q.speaker, q.attribution) == ("curly", "Zas", "said")


def test_english_curly_and_straight_quotes_with_attribution_after():
    t = "“We expect that the period will be short,” the secretary general added."
    (q,) = find_quotes(t, "en")
    assert q.text(t) == "We expect that the period will be short,"
    assert q.speaker == "the secretary general" and q.attribution == "added"
    s = '"Well-organized militants appeared," he explained. It\'s John\'s car.'
    (q,) = find_quotes(s, "en")
    assert (q.kind, q.speaker, q.attribution) == ("straight", "he", "explained")


def test_apostrophes_are_not_quotes():
    assert find_quotes("It’s the people’s choice, isn’t it?", "en") == []
    assert unmatched_marks("It’s the people’s choice, isn’t it?", "en") == []


def test_dialogue_dash():
    t = "— Выборы — тема, которую нельзя обойти, — сказал он. — Это важно.\n— Согласен."
    qs = find_quotes(t, "ru")
    assert [(q.kind, q.text(t)) for q in qs] == [
        ("dash-dialogue", "Выборы — тема, которую нельзя обойти"), ("dash-dialogue", "Согласен.")]
    assert qs[0].speaker == "он" and qs[0].attribution == "сказал"


def test_unbalanced_marks_are_reported():
    t = "He said “this quote never closes."
    assert find_quotes(t, "en") == [] and unmatched_marks(t, "en") == [8]
    assert unmatched_marks("Он сказал: «Да».", "ru") == []


def test_in_quote():
    t = "Он сказал: «Передёргивать — это глупость», и ушёл."
    qs = find_quotes(t, "ru")
    start = t.index("Передёргивать")
    assert in_quote(Span(start, start + len("Передёргивать")), qs)
    assert not in_quote(Span(0, 2), qs)
    assert not in_quote(None, qs)
    assert not in_quote(Span(start, start + 5), [])


def test_map_quotes_pairs_in_order_and_reports_lost():
    src = "«Первая цитата здесь», — сказал он. Потом добавил: «Вторая цитата, подлиннее первой»."
    mt = "“The first quote here,” he said. Then he added: the second quote, longer than the first."
    links = map_quotes(find_quotes(src, "ru"), find_quotes(mt, "en"), len(src), len(mt))
    assert [(l.src is not None, l.mt is not None) for l in links] == [(True, True), (True, False)]
    assert links[0].mt.text(mt).startswith("The first quote")


def run(src: str, mt: str):
    pair = AlignedPair(0, "doc", Link((0,), (0,)), [], [], src, mt, 0, 0)
    return list(QuotesCheck().check_pair(pair, PairContext(pair, Resources())))


def test_quotes_check_registered():
    assert registry()["quotes"] is QuotesCheck


def test_seed_pull_quote_lost_in_mt():
    src = ("«Передёргивать — о какой-то интервенции или ещё о чём-то, даже до „оккупации“ договорились, — "
           "это, извините, вообще полная глупость»")
    mt = ("Come on jerking – about some kind of invasion or something else, even an “occupation” was agreed – "
          "this, excuse me, is generally complete stupidity Stanislav Zas CSTO Secretary General")
    flags = run(src, mt)
    assert len(flags) == 1
    f = flags[0]
    assert f.category == "fluency/punctuation" and f.severity is Severity.MINOR and f.in_quote
    assert f.evidence["problem"] == "lost" and f.src_span == Span(0, len(src))


def test_quoted_names_are_not_speech():
    # Russian quotes names of firms and ships; English drops the marks: not a lost quote.
    assert run("В «Альянсе» пообещали добиваться восстановления Корневой.",
               "The Alliance has promised to seek Korneva's reinstatement.") == []
    assert run("Изменения внесены в закон «О предотвращении коррупции и взяточничества».",
               "Changes have been made to the Prevention of Corruption and Bribery Act.") == []


def test_kept_quotes_give_no_flag():
    assert run("«Мы ожидаем, что срок будет коротким», — добавил генсек.",
               "“We expect that the period will be short,” the secretary general added.") == []


def test_broken_quote_in_mt():
    flags = run("Он сказал: «Мы ожидаем, что срок будет коротким».",
                "He said: “We expect that the period will be short.")
    assert [f.evidence["problem"] for f in flags] == ["broken"]
    assert flags[0].mt_span == Span(9, 10)


def test_dialogue_line_rendered_without_dash_is_lost():
    flags = run("— Выборы — тема, которую нельзя обойти стороной, — сказал он.",
                "Elections are a topic that cannot be overlooked, he said.")
    assert [f.evidence["problem"] for f in flags] == ["lost"]


def test_speaker_with_title_after_the_verb():
    t = "«Это, извините, вообще полная глупость», — заявил генеральный секретарь ОДКБ Станислав Зась."
    (q,) = find_quotes(t, "ru")
    assert (q.speaker, q.attribution) == ("генеральный секретарь ОДКБ Станислав Зась", "заявил")
