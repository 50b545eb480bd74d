"""Anchors that survive translation: numbers, months, Latin-script words,
Cyrillic names with their Latin transliterations, quotations.

Each sentence gets a set of anchor tokens; a token counts only when it occurs
on both sides of the document (numbers spelled out in words or names
translated rather than transliterated would otherwise read as mismatches).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

import numpy as np

_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[A-Za-z]")
_QUOTE_OPEN = re.compile(r"[«„“\"]")

_MONTHS_RU = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
              "ноябр", "декабр")
_MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
_MONTH_RU_RE = re.compile(r"^(январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)"
                          r"(ь|я|е|ю|ем|а|у|ом|й|)$")


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) >= 2:  # single digits are as often spelled out as not
            out.add("n:" + (digits.lstrip("0") or "0"))
    return out


def _month(word_lower: str) -> str | None:
    if word_lower in _MONTHS_EN:
        return f"m:{_MONTHS_EN.index(word_lower) + 1}"
    m = _MONTH_RU_RE.match(word_lower)
    if m:
        stem = m.group(1)
        stem = "ма" if stem in ("май", "мая", "мае") else stem
        return f"m:{_MONTHS_RU.index(stem) + 1}"
    return None


def _quotes(text: str) -> set[str]:
    return {"q"} if _QUOTE_OPEN.search(text) else set()


def sentence_anchors(text: str, script: str) -> tuple[set[str], set[str]]:
    """``(tokens, names)`` of one sentence: language-neutral tokens, and the
    capitalised words (lower case) that may be names to match across scripts."""
    tokens = _numbers(text) | _quotes(text)
    names: set[str] = set()
    for m in _WORD.finditer(text):
        w = m.group()
        low = w.lower()
        month = _month(low)
        if month:
            tokens.add(month)
            continue
        if _LAT.match(w) and (w[0].isupper() or script == "cyrillic") and len(w) >= 2:
            tokens.add("w:" + low)  # Latin-script word: kept as is by translation
        elif script == "cyrillic" and _CYR.match(w) and w[0].isupper() and len(w) >= 4:
            names.add(low)
    return tokens, names


class AnchorIndex:
    """Anchor sets of a document pair and fast overlap counts between sentences."""

    def __init__(self, src_texts: Sequence[str], tgt_texts: Sequence[str], src_script: str = "cyrillic",
                 tgt_script: str = "latin"):
        src = [sentence_anchors(t, src_script) for t in src_texts]
        tgt = [sentence_anchors(t, tgt_script) for t in tgt_texts]
        src_sets = [set(tok) for tok, _ in src]
        tgt_sets = [set(tok) for tok, _ in tgt]
        if src_script == "cyrillic" and tgt_script == "latin":
            self._link_names(src, tgt, src_sets, tgt_sets)
        common = set().union(*src_sets) & set().union(*tgt_sets) if src_sets and tgt_sets else set()
        self.src_sets = [s & common for s in src_sets]
        self.tgt_sets = [s & common for s in tgt_sets]
        self.src_count = np.array([len(s) for s in self.src_sets], dtype=np.float32)
        self.tgt_count = np.array([len(s) for s in self.tgt_sets], dtype=np.float32)
        self._positions: dict[str, list[int]] = {}
        for j, s in enumerate(self.tgt_sets):
            for tok in s:
                self._positions.setdefault(tok, []).append(j)

    @staticmethod
    def _link_names(src, tgt, src_sets, tgt_sets) -> None:
        """Give a Cyrillic name and its Latin transliteration the same token."""
        from mtcheck.morph import lemma
        from mtcheck.translit import latin_variants

        tgt_words = {tok[2:] for s in tgt_sets for tok in s if tok.startswith("w:")}
        if not tgt_words:
            return
        for (_, names), tokens in zip(src, src_sets):
            for name in names:
                for form in (name, lemma(name)):  # "Путина" -> "путин" -> putin
                    hit = next((v for v in sorted(latin_variants(form)) if v in tgt_words), None)
                    if hit:
                        tokens.add("w:" + hit)  # the Latin word's own token
                        break

    def overlap_row(self, s: int, t0: int, t1: int) -> np.ndarray:
        """Shared anchors of source sentence ``s`` with target sentences ``t0..t1-1``."""
        out = np.zeros(max(0, t1 - t0), dtype=np.float32)
        if s < 0 or t1 <= t0:
            return out
        for tok in self.src_sets[s]:
            pos = self._positions.get(tok, ())
            k = bisect_left(pos, t0)
            while k < len(pos) and pos[k] < t1:
                out[pos[k] - t0] += 1
                k += 1
        return out

    @property
    def empty(self) -> bool:
        return not self._positions
