"""Numbers, dates, units and currencies: a changed, missing or added quantity.

Quantities are extracted and normalised by :mod:`mtcheck.numbers`
("2,5 тыс." == "2,500" == "2.5 thousand"). Digit-written discrepancies are
major; discrepancies where a side is spelled out ("пять" vs "six") are minor
with lower confidence, because proverbs and idioms use numbers loosely
("семь раз отмерь" -> "measure twice").
"""

from __future__ import annotations

from typing import Iterable

from mtcheck.checks.base import Check, PairContext, register
from mtcheck.data import AlignedPair, Flag, Severity, Span
from mtcheck.numbers import CURRENCIES, Comparison, Quantity, compare, extract


def pair_quantities(pair: AlignedPair, ctx: PairContext, src_lang: str, tgt_lang: str) -> Comparison:
    """Extract and compare quantities once per pair (memoised in ``ctx``)."""
    return ctx.memo("numbers.comparison", lambda: compare(extract(pair.src_text, src_lang),
                                                          extract(pair.mt_text, tgt_lang)))


@register
class NumbersCheck(Check):
    name = "numbers"
    categories = ("accuracy/mistranslation", "accuracy/omission", "accuracy/addition", "locale/number-format")
    defaults = {
        "digit_confidence": 0.8,  # changed quantity written with digits on both sides
        "spelled_confidence": 0.45,  # a side spelled out
        "flag_spelled": True,  # flag discrepancies involving spelled-out numbers (minor)
        "format_flags": True,  # locale/number-format for "2,5 thousand" in English
    }

    def check_pair(self, pair: AlignedPair, ctx: PairContext) -> Iterable[Flag]:
        if not pair.src_text.strip() or not pair.mt_text.strip():
            return []
        cmp = pair_quantities(pair, ctx, ctx.resources.src_lang, ctx.resources.tgt_lang)
        evidence = {
            "source_numbers": [q.evidence() for q in cmp.src],
            "mt_numbers": [q.evidence() for q in cmp.mt],
            "missing": [q.evidence() for q in cmp.missing + [s for s, _ in cmp.changed]],
            "added": [q.evidence() for q in cmp.added + [m for _, m in cmp.changed]],
        }
        opts = self.options
        flags: list[Flag] = []

        def grade(*qs: Quantity) -> tuple[Severity, float] | None:
            if any(q.spelled for q in qs):
                return (Severity.MINOR, opts["spelled_confidence"]) if opts["flag_spelled"] else None
            return Severity.MAJOR, opts["digit_confidence"]

        for s, m in cmp.changed:
            g = grade(s, m)
            if g:
                flags.append(Flag(self.name, "accuracy/mistranslation", g[0], g[1],
                                  f"Quantity changed: source '{s.text}' ({_fmt(s)}) became '{m.text}' ({_fmt(m)})",
                                  mt_span=Span(m.start, m.end), src_span=Span(s.start, s.end), evidence=evidence))
        for s in cmp.missing:
            g = grade(s)
            if g:
                flags.append(Flag(self.name, "accuracy/omission", g[0], round(g[1] - 0.1, 2),
                                  f"Quantity '{s.text}' ({_fmt(s)}) of the source is missing from the translation",
                                  src_span=Span(s.start, s.end), evidence=evidence))
        for m in cmp.added:
            g = grade(m)
            if g:
                flags.append(Flag(self.name, "accuracy/addition", g[0], round(g[1] - 0.1, 2),
                                  f"Quantity '{m.text}' ({_fmt(m)}) is not in the source",
                                  mt_span=Span(m.start, m.end), evidence=evidence))
        for s, m in cmp.unit_mismatch:
            flags.append(Flag(self.name, "accuracy/mistranslation", Severity.MAJOR, opts["digit_confidence"],
                              f"{'Currency' if s.unit in CURRENCIES else 'Unit'} changed: {s.unit} in the source, "
                              f"{m.unit} in the translation",
                              mt_span=Span(m.start, m.end), src_span=Span(s.start, s.end), evidence=evidence))
        if opts["format_flags"]:
            for m in cmp.format_issues:
                flags.append(Flag(self.name, "locale/number-format", Severity.MINOR, 0.8,
                                  f"'{m.text}' has a {m.format_issue}; English writes {_en_format(m)}",
                                  mt_span=Span(m.start, m.end), evidence=evidence,
                                  suggestions=[_en_format(m)]))
        return flags


def _fmt(q: Quantity) -> str:
    v = int(q.value) if float(q.value).is_integer() else q.value
    if q.kind == "date":
        return f"day {int(q.value) % 100} of month {int(q.value) // 100}"
    if q.kind == "decade":
        return f"the {v}s"
    if q.kind == "time":
        return f"{int(q.value) // 60}:{int(q.value) % 60:02d}"
    return f"{v:,}" + (f" {q.unit}" if q.unit else "")


def _en_format(q: Quantity) -> str:
    if q.format_issue == "decimal comma":
        return q.text.replace(",", ".", 1)
    return q.text.replace(" ", "")
