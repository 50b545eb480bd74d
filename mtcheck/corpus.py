"""Corpus mode: find the document pairs of a directory, check them (reusing
cached results of unchanged files), gate the whole corpus."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from mtcheck.config import CorpusConfig, PairSpec
from mtcheck.errors import ConfigError, InputError


@dataclass(frozen=True)
class FilePair:
    source: Path
    mt: Path | None  # None: the source file holds both sides (TSV, JSONL, XLIFF, TMX)
    input_format: str = "auto"


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Regex for a glob with one capturing group per wildcard (``**`` spans directories)."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("((?:[^/]+/)*)")
            i += 3
        elif pattern.startswith("**", i):
            out.append("(.*)")
            i += 2
        elif pattern[i] == "*":
            out.append("([^/]*)")
            i += 1
        elif pattern[i] == "?":
            out.append("([^/])")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")


def _fill(pattern: str, groups: tuple[str, ...]) -> str:
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    it = iter(groups)
    return "".join(next(it) if p in ("**/", "**", "*", "?") else p for p in parts)


def discover(cfg: CorpusConfig) -> list[FilePair]:
    """Every (source, MT) file pair the configuration describes, sorted by source path."""
    pairs: list[FilePair] = []
    for i, spec in enumerate(cfg.pairs):
        pairs.extend(_discover_spec(cfg.root, spec, i))
    seen: set[Path] = set()
    unique = []
    for p in sorted(pairs, key=lambda p: str(p.source)):
        if p.source not in seen:
            seen.add(p.source)
            unique.append(p)
    return unique


def _discover_spec(root: Path, spec: PairSpec, i: int) -> list[FilePair]:
    if spec.manifest:
        return _read_manifest(root / spec.manifest, spec.input_format)
    assert spec.source
    rx = _glob_regex(spec.source)
    out = []
    for path in sorted(root.glob(spec.source)):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        m = rx.match(rel)
        if not m:
            continue
        if spec.mt is None:
            out.append(FilePair(path, None, spec.input_format))
            continue
        mt = root / _fill(spec.mt, m.groups())
        if mt == path:
            raise ConfigError(f"pairs[{i}].mt", f"pattern maps {rel} onto itself")
        if not mt.is_file():
            raise InputError(path, f"no MT file for this source (expected {mt.relative_to(root).as_posix()})")
        out.append(FilePair(path, mt, spec.input_format))
    if not out:
        # An empty corpus would pass any gate: a pattern that matches nothing is a mistake.
        raise ConfigError(f"pairs[{i}].source", f"pattern {spec.source!r} matches no file under {root}")
    return out


def _read_manifest(path: Path, input_format: str) -> list[FilePair]:
    if not path.is_file():
        raise InputError(path, "manifest not found")
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2:
            raise InputError(path, "expected 'source<TAB>mt' paths", line=n)
        src, mt = (path.parent / c.strip() for c in cols)
        for p in (src, mt):
            if not p.is_file():
                raise InputError(path, f"listed file {p} not found", line=n)
        out.append(FilePair(src, mt, input_format))
    return out


def changed_files(root: Path, rev: str) -> set[Path]:
    """Files changed in git since ``rev`` (committed, staged, unstaged and untracked)."""
    def git(*args: str) -> list[str]:
        # -z everywhere: without it git quotes non-ASCII names ("\\320\\264...") and they never match
        try:
            res = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8",
                                 check=False)
        except FileNotFoundError:
            raise ConfigError("--changed-since", "git is not installed") from None
        if res.returncode != 0:
            raise ConfigError("--changed-since", f"git failed: {res.stderr.strip().splitlines()[-1] if res.stderr.strip() else res.returncode}")
        return [name for name in res.stdout.split("\0") if name.strip()]

    top = Path(git("rev-parse", "--show-toplevel")[0].strip())
    names = (git("diff", "-z", "--no-relative", "--name-only", rev, "--")
             + git("ls-files", "-z", "--others", "--exclude-standard", "--full-name", ":/"))
    return {(top / n).resolve() for n in names}


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class ResultCache:
    """Cached per-document report entries keyed by file contents and the run signature."""

    def __init__(self, cache_dir: Path | None):
        from mtcheck.cache import SqliteCache

        self.db = SqliteCache(cache_dir / "documents.sqlite", table="documents") if cache_dir else None

    def key(self, pair: FilePair, signature: str, doc_id: str) -> str:
        """``doc_id`` is part of the key: it is in the cached entries (and in their flag fingerprints),
        so identical files at two places of a corpus must not share an entry."""
        from mtcheck.cache import cache_key

        mt_hash, mt_name = (file_hash(pair.mt), pair.mt.name) if pair.mt else ("", "")
        return cache_key("doc", signature, pair.input_format, file_hash(pair.source), mt_hash,
                         pair.source.name, mt_name, doc_id)

    def get(self, key: str) -> list[dict[str, Any]] | None:
        if self.db is None:
            return None
        raw = self.db.get(key)
        return json.loads(raw.decode("utf-8")) if raw is not None else None

    def put(self, key: str, docs: list[dict[str, Any]]) -> None:
        if self.db is not None:
            self.db.put(key, json.dumps(docs, ensure_ascii=False).encode("utf-8"))


def iter_documents(pairs: list[FilePair], cfg: CorpusConfig, settings: Any, engines: Any, cache: ResultCache,
                   signature: str, stats: dict[str, int],
                   progress: Callable | None = None) -> Iterator[dict[str, Any]]:
    """Report entries (JSON dicts) of each pair's documents, from the cache when unchanged."""
    from mtcheck.inputs import read_inputs
    from mtcheck.pipeline import iter_check
    from mtcheck.report.json_report import document_to_dict

    for pair in pairs:
        key = cache.key(pair, signature, _doc_id(cfg.root, pair, "", 1))
        cached = cache.get(key)
        if cached is not None:
            stats["cached"] += 1
            yield from cached
            continue
        doc_pairs = read_inputs(pair.source, pair.mt, input_format=pair.input_format,
                                src_lang=cfg.src_lang, tgt_lang=cfg.tgt_lang)
        for dp in doc_pairs:
            dp.id = _doc_id(cfg.root, pair, dp.id, len(doc_pairs))
        docs = [document_to_dict(d) for d in iter_check(doc_pairs, settings, engines, progress)]
        stats["checked"] += 1
        cache.put(key, docs)
        yield from docs


def _doc_id(root: Path, pair: FilePair, original: str, n: int) -> str:
    named = pair.mt or pair.source
    try:
        rel = named.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = named.as_posix()
    return rel if n == 1 else f"{rel}#{original}"
