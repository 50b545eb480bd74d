"""Literal renderings of Russian idioms (category ``style/literal-idiom``).

The source is matched against the idiom lexicon (``mtcheck.lexicon``). For
each idiom found, the MT is searched for the entry's idiomatic equivalents
and its literal cues (English words that betray a word-for-word rendering).
A flag fires only when at least one literal cue is present and no
equivalent is: the MT-side test is what keeps precision for idioms whose
words also have a literal sense (``передёргивать`` = "to jerk/reload").
"""

from __future__ import annotations

from typing import Iterable

from mtcheck.checks.base import Check, PairContext, register
from mtcheck.data import AlignedPair, Flag, Severity, Span
from mtcheck.lexicon import IdiomEntry, IdiomMatch, Lexicon, en_stem
from mtcheck.quotes import find_quotes, in_quote
from mtcheck.text import words


@register
class LiteralIdiomCheck(Check):
    """Flag Russian idioms whose translation reproduces the literal words."""

    name = "idioms"
    categories = ("style/literal-idiom",)
    uses = ("idioms",)
    defaults = {
        "min_confidence": 0.0,  # flags under this confidence are dropped
        "max_suggestions": 4,
    }

    def check_pair(self, pair: AlignedPair, ctx: PairContext) -> Iterable[Flag]:
        if not pair.src_text.strip() or not pair.mt_text.strip():
            return []
        lexicon: Lexicon | None = ctx.resources.get("idioms")
        if lexicon is None:
            return []
        matches = ctx.memo("idioms.matches", lambda: lexicon.match(pair.src_text))
        if not matches:
            return []
        src_quotes = ctx.memo("quotes.src", lambda: find_quotes(pair.src_text, ctx.resources.src_lang))
        mt_quotes = ctx.memo("quotes.mt", lambda: find_quotes(pair.mt_text, ctx.resources.tgt_lang))
        flags = []
        for m in matches:
            flag = literal_flag(m, pair.src_text, pair.mt_text, src_quotes, mt_quotes,
                                max_suggestions=self.options["max_suggestions"])
            if flag is not None and flag.confidence >= self.options["min_confidence"]:
                flags.append(flag)
        return flags


def _mt_stems(mt_text: str) -> list[tuple[int, int, str]]:
    return [(w.start, w.end, en_stem(w.text)) for w in words(mt_text)]


def find_phrase(stems: list[tuple[int, int, str]], phrase: tuple[str, ...], gap: int = 0) -> list[int] | None:
    """Word indexes where ``phrase`` (stems, in order) occurs, allowing ``gap`` extra words between."""
    n = len(phrase)
    for i, (_, _, s) in enumerate(stems):
        if s != phrase[0]:
            continue
        idx, k = [i], i
        for p in phrase[1:]:
            nxt = next((j for j in range(k + 1, min(len(stems), k + 2 + gap)) if stems[j][2] == p), None)
            if nxt is None:
                break
            idx.append(nxt)
            k = nxt
        if len(idx) == n:
            return idx
    return None


def equivalent_present(entry: IdiomEntry, mt_text: str) -> str | None:
    """The first idiomatic equivalent found in the MT, if any.

    The content words of the equivalent must occur by stem, in order, with at
    most two other words between neighbours, so "pulling my leg" counts for
    "pull someone's leg" but scattered words ("live ... learn") do not.
    """
    stems = _mt_stems(mt_text)
    for eq, eq_stems in entry.equivalent_stems():
        if find_phrase(stems, eq_stems, gap=2) is not None:
            return eq
    return None


def literal_cues(entry: IdiomEntry, mt_text: str) -> list[tuple[str, list[int]]]:
    """Literal cues of ``entry`` found in the MT, with the MT word indexes carrying them."""
    stems = _mt_stems(mt_text)
    found = []
    for cue, cue_stems in entry.literal_cues():
        idx = find_phrase(stems, cue_stems, gap=2)
        if idx is not None:
            found.append((cue, idx))
    # A cue contained in a longer cue found at the same place adds nothing.
    found.sort(key=lambda c: -len(c[1]))
    kept: list[tuple[str, list[int]]] = []
    for cue, idx in found:
        if not any(set(idx) <= set(k) for _, k in kept):
            kept.append((cue, idx))
    return kept


def confidence(entry: IdiomEntry, n_cues: int, n_cue_words: int) -> float:
    """How sure the flag is: more literal cues and longer patterns are stronger evidence.

    A single-token entry (a colloquial verb with a literal sense) starts lower:
    one matched cue word can still be a correct literal use.
    """
    base = 0.45 if len(entry.required) == 1 else 0.55
    score = base + 0.12 * min(n_cues, 3) + 0.04 * min(max(0, n_cue_words - n_cues), 3)
    return round(min(0.95, score), 2)


def literal_flag(m: IdiomMatch, src_text: str, mt_text: str, src_quotes=(), mt_quotes=(),
                 max_suggestions: int = 4) -> Flag | None:
    """The flag for one idiom match, or None when the MT is not a literal rendering."""
    entry = m.entry
    if equivalent_present(entry, mt_text):
        return None
    cues = literal_cues(entry, mt_text)
    if not cues:
        return None
    mt_words = words(mt_text)
    cue_idx = sorted({i for _, idx in cues for i in idx})
    # The span runs over the cue words that sit close together (the literal rendering itself).
    groups: list[list[int]] = [[cue_idx[0]]]
    for i in cue_idx[1:]:
        if i - groups[-1][-1] <= 6:
            groups[-1].append(i)
        else:
            groups.append([i])
    main = max(groups, key=len)
    mt_span = Span(mt_words[main[0]].start, mt_words[main[-1]].end)
    src_span = Span(m.start, m.end)
    quoted = in_quote(src_span, list(src_quotes)) or in_quote(mt_span, list(mt_quotes))
    severity = Severity.parse(entry.severity or "major")
    if quoted:
        severity = severity.raised(1)
    n_words = sum(len(idx) for _, idx in cues)
    suggestions = entry.equivalents[:max_suggestions]
    message = (f"Literal rendering of the Russian idiom «{entry.ru}» "
               f"(meaning: {entry.meaning}); consider: {', '.join(suggestions)}")
    return Flag(
        check="idioms",
        category="style/literal-idiom",
        severity=severity,
        confidence=confidence(entry, len(cues), n_words),
        message=message,
        mt_span=mt_span,
        src_span=src_span,
        evidence={
            "entry": entry.id,
            "ru": entry.ru,
            "kind": entry.kind,
            "meaning": entry.meaning,
            "matched_lemmas": list(m.lemmas),
            "matched_words": [w for _, _, w in m.words],
            "literal_cues": [c for c, _ in cues],
            "mt_cue_words": [mt_words[i].text for i in cue_idx],
            "in_quote": quoted,
            **({"severity_raised": "inside quoted speech"} if quoted else {}),
        },
        suggestions=suggestions,
        in_quote=quoted,
    )
