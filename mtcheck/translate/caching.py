"""A caching wrapper: translations and scores kept on disk, keyed by model hash + text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Sequence

from mtcheck.cache import SqliteCache, cache_key
from mtcheck.translate.base import ScoreResult, Translator, WordScore


class CachingTranslator(Translator):
    """Wraps a translator; only texts missing from the cache reach the model.

    Keys are ``cache_key(model_hash, direction, options, text...)``: another
    model, direction or decoding option never returns a stale entry.
    """

    def __init__(self, inner: Translator, cache: SqliteCache, options: str | None = None):
        self.inner = inner
        self.cache = cache
        self.options = options if options is not None else str(getattr(inner, "options_key", ""))
        self.src_lang = inner.src_lang
        self.tgt_lang = inner.tgt_lang

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model_hash(self) -> str:
        return self.inner.model_hash

    @property
    def direction(self) -> str:
        return f"{self.src_lang}-{self.tgt_lang}"

    def _keys(self, kind: str, *texts: Sequence[str]) -> list[str]:
        return [cache_key(self.model_hash, self.direction, kind, self.options, *parts) for parts in zip(*texts)]

    def translate(self, sentences: Sequence[str]) -> list[str]:
        keys = self._keys("translate", sentences)
        found = self.cache.get_many(keys)
        todo = [i for i, k in enumerate(keys) if k not in found]
        fresh = self.inner.translate([sentences[i] for i in todo]) if todo else []
        self.cache.put_many((keys[i], t.encode("utf-8")) for i, t in zip(todo, fresh))
        result = {keys[i]: t for i, t in zip(todo, fresh)}
        return [result[k] if k in result else found[k].decode("utf-8") for k in keys]

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[ScoreResult]:
        keys = self._keys("score", sources, targets)
        found = self.cache.get_many(keys)
        todo = [i for i, k in enumerate(keys) if k not in found]
        fresh = self.inner.score([sources[i] for i in todo], [targets[i] for i in todo]) if todo else []
        self.cache.put_many((keys[i], json.dumps(asdict(r)).encode("utf-8")) for i, r in zip(todo, fresh))
        out: dict[str, ScoreResult] = {keys[i]: r for i, r in zip(todo, fresh)}
        return [out[k] if k in out else _score_from_json(found[k]) for k in keys]

    def align(self, sources, targets):  # alignment is cheap next to scoring; not cached
        return self.inner.align(sources, targets)


def _score_from_json(data: bytes) -> ScoreResult:
    d = json.loads(data.decode("utf-8"))
    words = [WordScore(w["start"], w["end"], w["word"], w["logprob"], [tuple(t) for t in w["tokens"]])
             for w in d["words"]]
    return ScoreResult(tokens=[tuple(t) for t in d["tokens"]], words=words, mean_logprob=d["mean_logprob"])
