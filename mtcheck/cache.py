"""A small persistent key-value cache on SQLite.

SQLite gives us what a hand-rolled file cache would have to re-invent:
atomic transactions (an interrupted run never leaves a torn entry) and
locking between concurrent runs. Values are bytes; keys are hex digests that
callers build from the model hash and the text.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Iterable


def cache_key(*parts: str) -> str:
    """A sha256 hex key of its parts (joined with a separator that text never holds)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


class SqliteCache:
    """Persistent ``key -> bytes`` store in one SQLite file, safe across processes."""

    def __init__(self, path: str | Path, table: str = "kv"):
        if not table.isidentifier():
            raise ValueError(f"bad table name {table!r}")
        self.path = Path(path)
        self.table = table
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
            conn.commit()
            self._conn = conn
        return self._conn

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, bytes] = {}
        with self._lock:
            conn = self._connect()
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                q = f"SELECT k, v FROM {self.table} WHERE k IN ({','.join('?' * len(chunk))})"
                out.update({k: bytes(v) for k, v in conn.execute(q, chunk)})
        return out

    def get(self, key: str) -> bytes | None:
        return self.get_many([key]).get(key)

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        items = list(items)
        if not items:
            return
        with self._lock:
            conn = self._connect()
            with conn:  # one transaction: all or nothing
                conn.executemany(f"INSERT OR REPLACE INTO {self.table} (k, v) VALUES (?, ?)", items)

    def put(self, key: str, value: bytes) -> None:
        self.put_many([(key, value)])

    def __len__(self) -> int:
        with self._lock:
            return self._connect().execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
