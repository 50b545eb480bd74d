"""Quoted speech lost or broken in the MT (check ``quotes``).

Source quotes are paired with MT quotes (``mtcheck.quotes.map_quotes``). A
source quotation that looks like speech (an attribution, or several words:
Russian also quotes names of firms and ships, «Альянс», which English
leaves unquoted) and has no counterpart is "lost"; quotation marks left
unmatched in the MT while the source's are balanced are "broken".
"""

from __future__ import annotations

from typing import Iterable

from mtcheck.checks.base import Check, PairContext, register
from mtcheck.data import AlignedPair, Flag, Severity, Span
from mtcheck.quotes import Quote, map_quotes, outer, scan_quotes
from mtcheck.text import words


#: Lemmas of words that introduce a quoted *name* (a law, a book, a firm), not speech.
NAME_INTRODUCERS = frozenset(
    """закон указ постановление приказ кодекс книга роман повесть рассказ поэма стихотворение статья газета
    журнал фильм сериал мультсериал мультфильм спектакль песня альбом передача программа шоу проект операция
    компания фирма холдинг концерн банк фонд партия движение организация объединение ассоциация союз клуб
    театр журнал издательство агентство телеканал радиостанция сайт портал корабль судно крейсер ракета
    премия конкурс фестиваль акция кампания название называться ооо оао зао пао ао нко им""".split())


def looks_like_speech(q: Quote, text: str, min_words: int = 4) -> bool:
    """Speech or a quotation rather than a quoted name or term.

    A quote right after a word like «закон», «книга», «компания» is a name;
    otherwise a dialogue line, an attributed quote or one of ``min_words``
    words or more counts as speech.
    """
    if q.kind == "dash-dialogue" or q.speaker is not None:
        return True
    before = words(text[max(0, q.start - 40):q.start])
    if before:
        from mtcheck.morph import lemma

        if lemma(before[-1].text) in NAME_INTRODUCERS:
            return False
    return len(words(q.text(text))) >= min_words


@register
class QuotesCheck(Check):
    """Flag quotations lost or broken in the translation."""

    name = "quotes"
    categories = ("fluency/punctuation",)
    defaults = {"min_words": 4, "lost_severity": "minor", "broken_severity": "minor"}

    def check_pair(self, pair: AlignedPair, ctx: PairContext) -> Iterable[Flag]:
        if not pair.src_text.strip() or not pair.mt_text.strip():
            return []
        src_quotes, src_unmatched = ctx.memo("quotes.src.scan", lambda: scan_quotes(pair.src_text, ctx.resources.src_lang))
        mt_quotes, mt_unmatched = ctx.memo("quotes.mt.scan", lambda: scan_quotes(pair.mt_text, ctx.resources.tgt_lang))
        ctx.cache.setdefault("quotes.src", src_quotes)
        ctx.cache.setdefault("quotes.mt", mt_quotes)
        return list(quote_flags(pair.src_text, pair.mt_text, src_quotes, mt_quotes, src_unmatched, mt_unmatched,
                                min_words=self.options["min_words"],
                                lost=Severity.parse(self.options["lost_severity"]),
                                broken=Severity.parse(self.options["broken_severity"])))


def quote_flags(src_text: str, mt_text: str, src_quotes: list[Quote], mt_quotes: list[Quote],
                src_unmatched: list[int], mt_unmatched: list[int], min_words: int = 4,
                lost: Severity = Severity.MINOR, broken: Severity = Severity.MINOR) -> Iterable[Flag]:
    """Flags for one pair of texts (spans local to the texts)."""
    src_outer = [q for q in outer(src_quotes) if looks_like_speech(q, src_text, min_words)]
    mt_outer = outer(mt_quotes)
    lead, trail = len(mt_text) - len(mt_text.lstrip()), len(mt_text.rstrip())
    whole_mt = Span(lead, trail)
    for link in map_quotes(src_outer, mt_outer, len(src_text), len(mt_text)):
        if link.src is None or link.mt is not None or mt_unmatched:
            continue  # with unbalanced MT marks the quote is broken (flagged below), not lost
        q = link.src
        who = f" by {q.speaker}" if q.speaker else ""
        yield Flag(
            check="quotes",
            category="fluency/punctuation",
            severity=lost,
            confidence=0.7 if q.speaker or q.kind == "dash-dialogue" else 0.55,
            message=(f"Quoted speech{who} in the source has no quotation marks in the MT: "
                     "the reader cannot tell these are someone's own words"),
            mt_span=whole_mt,
            src_span=q.span,
            evidence={"src_quote_kind": q.kind, "speaker": q.speaker, "attribution": q.attribution,
                      "src_quotes": len(src_outer), "mt_quotes": len(mt_outer), "problem": "lost"},
            in_quote=True,
        )
    if mt_unmatched and not src_unmatched:
        for at in mt_unmatched:
            yield Flag(
                check="quotes",
                category="fluency/punctuation",
                severity=broken,
                confidence=0.75,
                message=f"Unbalanced quotation mark {mt_text[at]!s} in the MT (the source's quotes are balanced)",
                mt_span=Span(at, at + 1),
                evidence={"mark": mt_text[at], "problem": "broken"},
                in_quote=True,
            )

