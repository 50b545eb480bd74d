"""The embedding cache the aligner relies on (mtcheck.embed.EmbeddingStore on
mtcheck.cache.SqliteCache): a warm run embeds nothing, concurrent writers do
not corrupt it, and a writer killed mid-run leaves it usable."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest

from mtcheck.cache import SqliteCache
from mtcheck.embed import E5Embedder, Embedder, EmbeddingStore

RU = ["Вчера в Москве прошёл сильный дождь.", "Многие улицы были затоплены.", "Мэр провёл совещание."]
EN = ["Heavy rain fell in Moscow yesterday.", "Many streets were flooded.", "The mayor held a meeting."]


class HashEmbedder(Embedder):
    """A deterministic embedder for the multi-process tests (loading the real
    model in every child would only slow them down); counts its calls."""

    name = "hash-test"
    dim = 384

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.calls = 0

    @property
    def model_hash(self) -> str:
        return "0" * 64

    def embed(self, texts):
        self.calls += len(texts)
        time.sleep(self.delay * len(texts))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for k, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).normal(size=self.dim).astype(np.float32)
            out[k] = v / np.linalg.norm(v)
        return out


def _texts(prefix: str, n: int) -> list[str]:
    return [f"{prefix} sentence number {k}." for k in range(n)]


def _writer(path: str, texts: list[str], batch: int, delay: float) -> None:
    store = EmbeddingStore(HashEmbedder(delay), SqliteCache(path))
    for i in range(0, len(texts), batch):
        store.prefetch(texts[i:i + batch])


def test_warm_run_with_the_real_model_embeds_nothing(tmp_path: Path):
    embedder = E5Embedder(num_threads=1)
    cold = EmbeddingStore(embedder, SqliteCache(tmp_path / "emb.sqlite"))
    first = cold.vectors(RU + EN + RU)  # repeated texts are embedded once
    assert cold.stats["computed"] == 6
    warm = EmbeddingStore(embedder, SqliteCache(tmp_path / "emb.sqlite"))
    again = warm.vectors(RU + EN)
    assert warm.stats["computed"] == 0 and warm.stats["disk"] == 6
    np.testing.assert_array_equal(first[:6], again)
    # a translation is closer to its source than to the other sentences
    sims = again[:3] @ again[3:].T
    assert list(sims.argmax(1)) == [0, 1, 2]


def test_cache_is_keyed_by_model(tmp_path: Path):
    a = HashEmbedder()
    EmbeddingStore(a, SqliteCache(tmp_path / "emb.sqlite")).vectors(EN)

    class Other(HashEmbedder):
        name = "another-model"

    b = Other()
    store = EmbeddingStore(b, SqliteCache(tmp_path / "emb.sqlite"))
    store.vectors(EN)
    assert store.stats["computed"] == 3 and b.calls == 3


def test_two_processes_writing_concurrently(tmp_path: Path):
    path = str(tmp_path / "emb.sqlite")
    shared = _texts("shared", 200)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, shared + _texts(f"p{k}", 300), 25, 0.0)) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    embedder = HashEmbedder()
    store = EmbeddingStore(embedder, SqliteCache(path))
    every = shared + _texts("p0", 300) + _texts("p1", 300)
    got = store.vectors(every)
    assert embedder.calls == 0  # everything either process wrote is there
    np.testing.assert_array_equal(got, HashEmbedder().embed(every))
    assert len(SqliteCache(path)) == len(every)


def test_killed_writer_leaves_a_usable_cache(tmp_path: Path):
    path = str(tmp_path / "emb.sqlite")
    texts = _texts("killed", 4000)
    ctx = mp.get_context("spawn")
    proc = ctx.Process(target=_writer, args=(path, texts, 10, 0.002))
    proc.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if Path(path).exists():
            try:
                if len(SqliteCache(path)) >= 50:
                    break
            except Exception:  # the writer may still be creating the table
                continue
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    assert proc.exitcode == -signal.SIGKILL
    cache = SqliteCache(path)
    stored = len(cache)
    assert 50 <= stored < len(texts)
    embedder = HashEmbedder()
    store = EmbeddingStore(embedder, cache)
    got = store.vectors(texts)
    # what was committed is whole and correct; the rest is computed and written
    assert store.stats["disk"] == stored and embedder.calls == len(texts) - stored
    np.testing.assert_array_equal(got, HashEmbedder().embed(texts))
    assert len(SqliteCache(path)) == len(texts)


@pytest.mark.parametrize("n", [1, 3])
def test_store_returns_vectors_in_the_order_asked(tmp_path: Path, n: int):
    store = EmbeddingStore(HashEmbedder(), SqliteCache(tmp_path / "emb.sqlite"))
    texts = EN[:n]
    np.testing.assert_array_equal(store.vectors(list(reversed(texts))), HashEmbedder().embed(list(reversed(texts))))
