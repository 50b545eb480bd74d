"""A deterministic dictionary translator for tests of the rest of mtcheck."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Sequence

from mtcheck.text import words as text_words
from mtcheck.translate.base import ScoreResult, Translator, WordScore

_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|\S", re.UNICODE)


class DictionaryTranslator(Translator):
    """Word-by-word translation from a small lowercase dictionary.

    ``translate`` replaces each known word (case-insensitively, keeping an
    initial capital) and keeps unknown words and punctuation. ``score`` gives a
    target word ``known_logprob`` when it translates some source word and
    ``unknown_logprob`` otherwise, so words not explained by the source stand
    out as improbable, as they do with a real model.
    """

    def __init__(self, mapping: dict[str, str], src_lang: str = "en", tgt_lang: str = "ru",
                 known_logprob: float = -0.1, unknown_logprob: float = -6.0):
        self.mapping = {k.lower(): v for k, v in mapping.items()}
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.known_logprob, self.unknown_logprob = known_logprob, unknown_logprob
        self.calls: list[tuple[str, int]] = []  # (method, number of inputs), for tests

    @property
    def name(self) -> str:
        return f"dictionary-{self.src_lang}-{self.tgt_lang}"

    @property
    def model_hash(self) -> str:
        blob = json.dumps([self.src_lang, self.tgt_lang, sorted(self.mapping.items())], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _word(self, w: str) -> str:
        t = self.mapping.get(w.lower())
        if t is None:
            return w
        return t[:1].upper() + t[1:] if w[:1].isupper() else t

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.calls.append(("translate", len(sentences)))
        out = []
        for s in sentences:
            text = ""
            for m in _TOKEN_RE.finditer(s):
                tok = self._word(m.group()) if m.group()[0].isalnum() else m.group()
                sep = "" if not text or (not tok[0].isalnum() and tok not in "«(\"") else " "
                text += sep + tok
            out.append(text)
        return out

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[ScoreResult]:
        self.calls.append(("score", len(sources)))
        results = []
        for src, tgt in zip(sources, targets):
            expected = {self._word(w.text).lower() for w in text_words(src)}
            words = []
            for w in text_words(tgt):
                lp = self.known_logprob if w.text.lower() in expected else self.unknown_logprob
                words.append(WordScore(w.start, w.end, w.text, lp, [(w.text, lp)]))
            tokens = [(w.word, w.logprob) for w in words]
            mean = sum(lp for _, lp in tokens) / len(tokens) if tokens else 0.0
            results.append(ScoreResult(tokens=tokens, words=words, mean_logprob=mean))
        return results
