"""Alignment accuracy with vecalign's definitions of strict and lax
precision/recall (Thompson & Koehn 2019, ``score.py``).

Precision is over predicted links (1-0 and 0-1 included): a link is a strict
hit when the gold has exactly that link, a lax hit when it shares at least one
source *and* one target sentence with a gold link. Recall is the same count
with the roles swapped and with 1-0/0-1 links left out of both sides.
Omission/addition detection is reported separately (``gaps_*``), since
vecalign's recall does not see it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

from mtcheck.data import Link

Pairs = Iterable["Link | tuple[Sequence[int], Sequence[int]]"]


def _as_set(links: Pairs) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    out = set()
    for link in links:
        src, tgt = (link.src, link.tgt) if isinstance(link, Link) else link
        if src or tgt:
            out.add((tuple(src), tuple(tgt)))
    return out


def _hits(gold: set, test: set) -> tuple[int, int, int]:
    """``(strict hits, lax hits, number of test links)``."""
    gold_tgts: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold:
        for s in src:
            gold_tgts[s].update(tgt)
    strict = lax = 0
    for src, tgt in test:
        if (src, tgt) in gold:
            strict += 1
            lax += 1
        elif any(t in gold_tgts.get(s, ()) for s in src for t in tgt):
            lax += 1
    return strict, lax, len(test)


def _counts(predicted: Pairs, gold: Pairs) -> dict[str, int]:
    pred, ref = _as_set(predicted), _as_set(gold)
    ps, pl, pn = _hits(ref, pred)
    both = lambda xs: {x for x in xs if x[0] and x[1]}  # noqa: E731
    rs, rl, rn = _hits(both(pred), both(ref))
    gaps_pred = {x for x in pred if not (x[0] and x[1])}
    gaps_gold = {x for x in ref if not (x[0] and x[1])}
    return {"p_strict": ps, "p_lax": pl, "p_n": pn, "r_strict": rs, "r_lax": rl, "r_n": rn,
            "gaps_hit": len(gaps_pred & gaps_gold), "gaps_pred": len(gaps_pred), "gaps_gold": len(gaps_gold)}


def _ratio(a: int, b: int, empty: float) -> float:
    return a / b if b else empty


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _summary(c: dict[str, int], empty: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for kind in ("strict", "lax"):
        p = _ratio(c[f"p_{kind}"], c["p_n"], empty)
        r = _ratio(c[f"r_{kind}"], c["r_n"], empty)
        out.update({f"{kind}_precision": p, f"{kind}_recall": r, f"{kind}_f1": _f1(p, r)})
    gp = _ratio(c["gaps_hit"], c["gaps_pred"], empty)
    gr = _ratio(c["gaps_hit"], c["gaps_gold"], empty)
    out.update({"gaps_precision": gp, "gaps_recall": gr, "gaps_f1": _f1(gp, gr)})
    out.update({k: float(v) for k, v in c.items()})
    return out


def score_alignment(predicted: list[Link], gold: list[Link], empty: float = 0.0) -> dict[str, float]:
    """Strict and lax precision, recall and F1 of one document's links
    (plus the raw counts and omission/addition detection); ``empty`` is the
    value of a ratio whose denominator is 0 (vecalign's ``value_for_div_by_0``)."""
    return _summary(_counts(predicted, gold), empty)


def score_alignments(predicted: Sequence[list[Link]], gold: Sequence[list[Link]],
                     empty: float = 0.0) -> dict[str, float]:
    """Like ``score_alignment`` over many documents, counts summed first (micro average)."""
    if len(predicted) != len(gold):
        raise ValueError("one predicted alignment per gold alignment expected")
    total: dict[str, int] = defaultdict(int)
    for p, g in zip(predicted, gold):
        for k, v in _counts(p, g).items():
            total[k] += v
    return _summary(dict(total), empty)
