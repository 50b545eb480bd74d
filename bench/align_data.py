"""Benchmark documents for the aligner, built from MLQE-PE ru-en.

Rows of one ``doc_ids`` document, in file order, make a document (long ones
are cut into chunks of at most ``max_len`` rows). The English side is then
perturbed reproducibly — neighbours merged (gold 2-1), a sentence split in
two (1-2), a sentence deleted (1-0), an unrelated sentence from another
document inserted (0-1) — and the gold links are recorded as it is done.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from mtcheck.data import Link

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "mlqe-pe-ru-en"


@dataclass
class BenchDoc:
    id: str
    src: list[str]
    tgt: list[str]
    gold: list[Link]
    ops: dict[str, int] = field(default_factory=dict)


def load_rows(data: Path, split: str) -> list[tuple[str, str, str]]:
    """``(doc_id, russian, english)`` rows of a split, in file order."""
    da = data / "da"
    with open(da / f"{split}.ruen.df.short.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    with open(da / f"{split}.doc_ids", encoding="utf-8") as fh:
        ids = [line.rstrip("\n") for line in fh][1:]
    if len(ids) != len(rows):
        raise ValueError(f"{split}: {len(rows)} rows but {len(ids)} doc ids")
    return [(d, r["original"].strip(), r["translation"].strip()) for d, r in zip(ids, rows)]


def documents(rows, min_len: int = 2, max_len: int = 40) -> list[tuple[str, list[str], list[str]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for doc_id, ru, en in rows:
        groups.setdefault(doc_id, []).append((ru, en))
    out = []
    for doc_id, pairs in groups.items():
        for c in range(0, len(pairs), max_len):
            chunk = pairs[c:c + max_len]
            if len(chunk) >= min_len:
                out.append((f"{doc_id}#{c // max_len}", [p[0] for p in chunk], [p[1] for p in chunk]))
    return out


_SPLIT_AT = re.compile(r"(?:[,;:]\s+|\s+(?=(?:and|but|which|while|because|so)\s))")


def split_sentence(text: str) -> tuple[str, str] | None:
    """Split at a clause boundary (or, failing that, a space) near the middle."""
    if len(text.split()) < 6:
        return None
    n = len(text)
    cands = [m for m in _SPLIT_AT.finditer(text) if 0.25 * n < m.start() < 0.75 * n]
    if cands:
        m = min(cands, key=lambda m: abs(m.start() - n / 2))
        left, right = text[:m.start()], text[m.end():]
    else:
        spaces = [m.start() for m in re.finditer(r"\s", text)]
        k = min(spaces, key=lambda p: abs(p - n / 2))
        left, right = text[:k], text[k + 1:]
    left = left.rstrip(" ,;:") + "."
    right = right.strip()
    if not right or not left.strip("."):
        return None
    return left, right[0].upper() + right[1:]


def merge_sentences(a: str, b: str, rng: random.Random) -> str:
    if a.endswith(".") and rng.random() < 0.5 and b[:1].isupper() and not b[:2].isupper():
        return a[:-1] + ", and " + b[0].lower() + b[1:]
    return a + " " + b


def perturb(doc_id: str, src: list[str], tgt: list[str], pool: list[str], rng: random.Random,
            p_merge=0.08, p_split=0.08, p_delete=0.06, p_insert=0.06) -> BenchDoc:
    out: list[str] = []
    gold: list[Link] = []
    ops = {"merge": 0, "split": 0, "delete": 0, "insert": 0}

    def maybe_insert():
        if rng.random() < p_insert:
            gold.append(Link((), (len(out),)))
            out.append(rng.choice(pool))
            ops["insert"] += 1

    k = 0
    while k < len(src):
        maybe_insert()
        r = rng.random()
        if r < p_merge and k + 1 < len(src):
            gold.append(Link((k, k + 1), (len(out),)))
            out.append(merge_sentences(tgt[k], tgt[k + 1], rng))
            ops["merge"] += 1
            k += 2
            continue
        r -= p_merge
        if r < p_split and (parts := split_sentence(tgt[k])):
            gold.append(Link((k,), (len(out), len(out) + 1)))
            out.extend(parts)
            ops["split"] += 1
        elif r - p_split < p_delete:
            gold.append(Link((k,), ()))
            ops["delete"] += 1
        else:
            gold.append(Link((k,), (len(out),)))
            out.append(tgt[k])
        k += 1
    maybe_insert()
    return BenchDoc(doc_id, list(src), out, gold, ops)


def bench_documents(data: Path, split: str, seed: int, pool_split: str = "train", **rates) -> list[BenchDoc]:
    """Perturbed documents of ``split``; inserted sentences come from ``pool_split``."""
    rng = random.Random(f"{seed}:{split}")
    pool = [en for _, _, en in load_rows(data, pool_split)]
    return [perturb(d, s, t, pool, rng, **rates) for d, s, t in documents(load_rows(data, split))]
