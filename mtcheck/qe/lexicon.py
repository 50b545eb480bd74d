"""A word translation lexicon learned from word-aligned training data.

Counts of aligned (source word, MT word) pairs give ``p(mt word | src word)``
and ``p(src word | mt word)``; a Russian word also backs off to its first
five letters (a crude stem: Russian inflects at word ends), so unseen forms
of a known word still match. Shipped as gzip-compressed JSON (no pickle).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from mtcheck.text import normalize

STEM = 5


def key(word: str) -> str:
    return normalize(word)


def stem(word: str) -> str:
    return key(word)[:STEM]


@dataclass
class Lexicon:
    pairs: dict[str, dict[str, int]]  # src key -> mt key -> count
    src_count: dict[str, int]
    tgt_count: dict[str, int]
    _stem_pairs: dict[str, Counter] = field(default_factory=dict, repr=False)
    _stem_count: Counter = field(default_factory=Counter, repr=False)

    def __post_init__(self) -> None:
        sp: dict[str, Counter] = defaultdict(Counter)
        sc: Counter = Counter()
        for s, c in self.src_count.items():
            sc[s[:STEM]] += c
        for s, d in self.pairs.items():
            sp[s[:STEM]].update(d)
        self._stem_pairs, self._stem_count = dict(sp), sc

    @classmethod
    def fit(cls, aligned: Iterable[tuple[list[str], list[str], list[tuple[int, int]]]], min_count: int = 1) -> "Lexicon":
        """Count links ``(i, j)`` between source tokens and MT tokens of each sentence."""
        pairs: dict[str, Counter] = defaultdict(Counter)
        sc: Counter = Counter()
        tc: Counter = Counter()
        for src, mt, links in aligned:
            sc.update(key(w) for w in src)
            tc.update(key(w) for w in mt)
            for i, j in links:
                pairs[key(src[i])][key(mt[j])] += 1
        pruned = {s: {t: c for t, c in d.items() if c >= min_count} for s, d in pairs.items()}
        return cls({s: d for s, d in pruned.items() if d}, dict(sc), dict(tc))

    def p_tgt_given_src(self, s: str, t: str) -> float:
        d = self.pairs.get(s)
        if d and s in self.src_count:
            return d.get(t, 0) / self.src_count[s]
        return 0.0

    def p_tgt_given_stem(self, s: str, t: str) -> float:
        st = s[:STEM]
        d = self._stem_pairs.get(st)
        return d.get(t, 0) / self._stem_count[st] if d and self._stem_count[st] else 0.0

    def p_src_given_tgt(self, s: str, t: str) -> float:
        c = self.tgt_count.get(t, 0)
        return self.pairs.get(s, {}).get(t, 0) / c if c else 0.0

    def to_json(self) -> dict:
        return {"format": "mtcheck-lexicon-1", "pairs": self.pairs, "src_count": self.src_count,
                "tgt_count": self.tgt_count}

    def save(self, path: Path) -> None:
        data = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        # mtime=0 keeps the file bytes (and its hash in the signature) reproducible
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))

    @classmethod
    def load(cls, path: Path) -> "Lexicon":
        obj = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
        if obj.get("format") != "mtcheck-lexicon-1":
            raise ValueError(f"{path}: not an mtcheck lexicon")
        return cls(obj["pairs"], obj["src_count"], obj["tgt_count"])
