"""Small text utilities shared by every stage: words with offsets, scripts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: A word: letters/digits with inner apostrophes, hyphens or dots between digits.
WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str


def words(text: str) -> list[Word]:
    """Words of ``text`` with their offsets (punctuation and spaces left out)."""
    return [Word(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]


def letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def script_share(text: str, script: str) -> float:
    """Share of letters of ``text`` in ``script`` ("cyrillic" or "latin"); 0 without letters."""
    n = letters(text)
    if n == 0:
        return 0.0
    rx = CYRILLIC_RE if script == "cyrillic" else LATIN_RE
    return len(rx.findall(text)) / n


#: Main script of the languages mtcheck knows; others default to Latin.
LANG_SCRIPT = {"ru": "cyrillic", "uk": "cyrillic", "be": "cyrillic", "bg": "cyrillic", "sr": "cyrillic",
               "mk": "cyrillic", "kk": "cyrillic"}


def lang_script(lang: str) -> str:
    return LANG_SCRIPT.get(lang, "latin")


def normalize(text: str) -> str:
    """NFC, ``ё``→``е`` and lower case: the form used to compare words."""
    return unicodedata.normalize("NFC", text).lower().replace("ё", "е")
