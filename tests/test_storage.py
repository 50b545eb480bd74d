"""Atomic output and the SQLite cache."""

import multiprocessing
import os

import pytest

from mtcheck.atomic import atomic_open, write_text
from mtcheck.cache import SqliteCache, cache_key
from mtcheck.errors import OutputError


def test_atomic_write_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.json"]  # no temporary file left behind
    write_text(target, "new")
    assert target.read_text() == "new"


def test_missing_directory_is_output_error(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_text(tmp_path / "nope" / "x.json", "{}")


def _writer(path, start):
    cache = SqliteCache(path)
    cache.put_many((cache_key(str(i)), str(i).encode()) for i in range(start, start + 200))


def test_cache_concurrent_writers(tmp_path):
    path = tmp_path / "c.sqlite"
    procs = [multiprocessing.Process(target=_writer, args=(path, k * 100)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    cache = SqliteCache(path)
    assert len(cache) == 400  # 0..399, overlapping ranges deduplicated
    assert cache.get(cache_key("123")) == b"123"


def test_cache_key_separates_parts():
    assert cache_key("ab", "c") != cache_key("a", "bc")


def test_atomic_write_has_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "r.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644
