"""Russian lemmas through pymorphy3, loaded once and memoised per word."""

from __future__ import annotations

from functools import lru_cache

from mtcheck.text import normalize, words


@lru_cache(maxsize=1)
def _analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Most probable normal form of a Russian word (``ё`` folded to ``е``), lower case.

    Non-Cyrillic words come back normalised but otherwise unchanged.
    """
    w = normalize(word)
    if not any("\u0400" <= ch <= "\u04ff" for ch in w):
        return w
    # Parse the word as written: pymorphy3 looks up "е" words under every "ё" variant
    # (a slow DAWG walk), so folding ё→е before parsing costs time and loses nothing after.
    parses = _analyzer().parse(word.lower())
    return normalize(parses[0].normal_form) if parses else w


@lru_cache(maxsize=200_000)
def pos(word: str) -> str | None:
    """Part of speech tag (OpenCorpora, e.g. NOUN, VERB, INFN, ADJF) of the best parse."""
    parses = _analyzer().parse(word.lower())
    return str(parses[0].tag.POS) if parses and parses[0].tag.POS else None


def lemmas(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, lemma)`` for every word of a Russian text."""
    return [(w.start, w.end, lemma(w.text)) for w in words(text)]


def parses(word: str) -> list:
    """All pymorphy3 parses of ``word`` (most probable first)."""
    return _analyzer().parse(word)


def is_known(word: str) -> bool:
    """True if ``word`` is in pymorphy3's dictionary (not guessed from its ending)."""
    return bool(_analyzer().word_is_known(word))
