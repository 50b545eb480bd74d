"""The MT tokens that word-level quality tags are given for.

A token is a word of :data:`mtcheck.text.WORD_RE` or a run of one repeated
punctuation or symbol character ("," or "..."), so every visible piece of the MT gets a tag (post-editors
change punctuation too) and offsets point into the text as given.
"""

from __future__ import annotations

import re

from mtcheck.text import WORD_RE, Word

TOKEN_RE = re.compile(WORD_RE.pattern + r"|([^\w\s])\1*|_+", re.UNICODE)


def tokens(text: str) -> list[Word]:
    """Words and punctuation marks of ``text`` with their offsets (local to ``text``)."""
    return [Word(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


def is_word(token: str) -> bool:
    return WORD_RE.fullmatch(token) is not None
