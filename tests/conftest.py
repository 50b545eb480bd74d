"""Shared fixtures: a CLI runner, an isolated cache, the real e5 embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "corpora" / "demo"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One embedding cache for the whole test session (keeps the suite fast)."""
    return tmp_path_factory.mktemp("mtcheck-cache")


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch, tmp_path, cache_dir):
    """Never touch the user's real model directory or cache from tests."""
    monkeypatch.setenv("MTCHECK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MTCHECK_CACHE", str(cache_dir))


@pytest.fixture(scope="session")
def embedder():
    from mtcheck.embed import E5Embedder

    return E5Embedder()


@pytest.fixture(scope="session")
def store(embedder, cache_dir):
    from mtcheck.cache import SqliteCache
    from mtcheck.embed import EmbeddingStore

    return EmbeddingStore(embedder, SqliteCache(cache_dir / "embeddings.sqlite"))


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return SHARED / "data"
