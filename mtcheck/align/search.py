"""The alignment search: dynamic programming over link types 1-1, 1-2, 2-1,
2-2, 1-0 and 0-1, in a band found coarse-to-fine (as vecalign does).

A DP point ``(i, j)`` means "the first ``i`` source and ``j`` target sentences
are aligned". Row ``i`` of the band holds the points ``(i, lo[i]..hi[i])``.
Rows are computed one at a time with numpy over the band: every link type
except 0-1 reaches row ``i`` from rows ``i-1``/``i-2``; the 0-1 links
(additions) within a row are a running maximum, solved with
``np.maximum.accumulate`` (see ``_solve_row``). Memory is O(band size), so a
10,000-sentence document needs a few megabytes.

Long documents are first aligned at half resolution (neighbouring sentences
averaged), recursively, until the full matrix is small; the path found at a
coarse level, widened by ``config.band``, is the band of the next finer level.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from mtcheck.align.anchors import AnchorIndex
from mtcheck.align.config import AlignConfig

START, L11, L10, L01, L12, L21, L22 = range(7)
STEPS = {L11: (1, 1), L10: (1, 0), L01: (0, 1), L12: (1, 2), L21: (2, 1), L22: (2, 2)}
NEG = -np.inf


def normalise_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(n, 1e-12)


def pair_sums(x: np.ndarray) -> np.ndarray:
    """Normalised sums of neighbouring rows: the "joined sentence" approximation."""
    if len(x) < 2:
        return np.zeros((0, x.shape[1]), dtype=np.float32)
    return normalise_rows(x[:-1] + x[1:])


def bases(x: np.ndarray, y: np.ndarray, cfg: AlignConfig) -> np.ndarray:
    """Expected cosine of each row of ``x`` with an unrelated row of ``y``.

    The mean cosine with a fixed sample of ``y`` (its best match left out, as
    it is likely the translation), shrunk towards ``cfg.base_prior`` for short
    documents. Subtracting it is vecalign's normalisation of cosine costs: some
    sentences are close to everything, others to nothing.
    """
    if len(x) == 0:
        return np.zeros(0, dtype=np.float32)
    if len(y) == 0:
        return np.full(len(x), cfg.base_prior, dtype=np.float32)
    k = min(len(y), cfg.base_samples)
    idx = np.sort(np.random.default_rng(0).choice(len(y), size=k, replace=False))
    s = x @ y[idx].T
    if k >= 2:
        total, k_eff = s.sum(1) - s.max(1), k - 1
    else:
        total, k_eff = s.sum(1), k
    w = cfg.base_prior_weight
    return ((total + w * cfg.base_prior) / (k_eff + w)).astype(np.float32)


@dataclass
class Level:
    """Everything the search needs about one (sub)document at one resolution."""

    V: np.ndarray  # source sentence vectors (n, d)
    U: np.ndarray  # target sentence vectors (m, d)
    P: np.ndarray  # source pairs (n-1, d): P[k] joins sentences k and k+1
    Q: np.ndarray  # target pairs (m-1, d)
    bV: np.ndarray
    bU: np.ndarray
    bP: np.ndarray
    bQ: np.ndarray
    ls: np.ndarray  # character lengths
    lt: np.ndarray
    ratio: float  # target characters per source character
    anchors: AnchorIndex | None = None
    extra: Callable[[tuple[int, ...], tuple[int, ...]], float] | None = None
    src_off: int = 0  # index of V[0] in the whole document (for anchors / extra)
    tgt_off: int = 0

    @property
    def n(self) -> int:
        return len(self.V)

    @property
    def m(self) -> int:
        return len(self.U)


def make_level(V, U, P, Q, ls, lt, cfg: AlignConfig, anchors=None, extra=None) -> Level:
    ratio = float(lt.sum() / ls.sum()) if ls.sum() > 0 and lt.sum() > 0 else 1.0
    return Level(V, U, P, Q, bases(V, U, cfg), bases(U, V, cfg), bases(P, U, cfg), bases(Q, V, cfg),
                 ls, lt, ratio, anchors, extra)


def sub_level(L: Level, s0: int, s1: int, t0: int, t1: int) -> Level:
    """The part of ``L`` between source sentences ``s0..s1-1`` and target ``t0..t1-1``."""
    return Level(L.V[s0:s1], L.U[t0:t1], L.P[s0:max(s0, s1 - 1)], L.Q[t0:max(t0, t1 - 1)],
                 L.bV[s0:s1], L.bU[t0:t1], L.bP[s0:max(s0, s1 - 1)], L.bQ[t0:max(t0, t1 - 1)],
                 L.ls[s0:s1], L.lt[t0:t1], L.ratio, L.anchors, L.extra, L.src_off + s0, L.tgt_off + t0)


def coarsen(L: Level, cfg: AlignConfig) -> Level:
    """Half resolution: neighbouring sentences averaged, lengths added."""
    def half(x):
        if len(x) % 2:
            x = np.vstack([x, np.zeros((1, x.shape[1]), dtype=x.dtype)])
        return normalise_rows(x[0::2] + x[1::2])

    def half_len(x):
        if len(x) % 2:
            x = np.append(x, 0.0)
        return x[0::2] + x[1::2]

    V, U = half(L.V), half(L.U)
    return make_level(V, U, pair_sums(V), pair_sums(U), half_len(L.ls), half_len(L.lt), cfg)


def _take(row: np.ndarray, lo: int, cols: np.ndarray) -> np.ndarray:
    """``row[cols - lo]`` with -inf outside the row's band."""
    idx = cols - lo
    ok = (idx >= 0) & (idx < len(row))
    out = np.full(len(cols), NEG)
    out[ok] = row[idx[ok]]
    return out


def _scaled(cos: np.ndarray, bx, by) -> np.ndarray:
    base = (bx + by) / 2
    return (cos - base) / np.maximum(1 - base, 1e-3)


def _link_values(L: Level, cfg: AlignConfig, a: int, i: int, cols: np.ndarray, b: int):
    """Values and similarities of links taking ``a`` source sentences ending at
    ``i`` and ``b`` target sentences ending at each column of ``cols``
    (contiguous), -inf where no such link exists."""
    W = len(cols)
    out_val = np.full(W, NEG)
    out_sim = np.zeros(W, dtype=np.float32)
    s = i - a  # first source sentence of the block
    t0 = int(cols[0]) - b  # first target sentence of the first column's block
    lo = max(t0, 0)
    hi = int(cols[-1]) - b + 1  # blocks start at lo..hi-1 (slices: no copies)
    if hi <= lo:
        return out_val, out_sim
    x, bx = (L.V[s], L.bV[s]) if a == 1 else (L.P[s], L.bP[s])
    if b == 1:
        Y, by, lt = L.U[lo:hi], L.bU[lo:hi], L.lt[lo:hi]
    else:
        Y, by, lt = L.Q[lo:hi], L.bQ[lo:hi], L.lt[lo:hi] + L.lt[lo + 1:hi + 1]
    sim = _scaled(Y @ x, bx, by)
    val = sim.astype(np.float64)
    if cfg.w_part and a + b > 2:
        weakest = np.full(hi - lo, np.inf)
        if a == 2:  # each source sentence against the target block
            for k in (s, s + 1):
                weakest = np.minimum(weakest, _scaled(Y @ L.V[k], L.bV[k], by))
        if b == 2:  # each target sentence against the source block
            for k in (0, 1):
                weakest = np.minimum(weakest, _scaled(L.U[lo + k:hi + k] @ x, bx, L.bU[lo + k:hi + k]))
        # A true merge or split relates both parts to the other side; a
        # neighbour wrongly absorbed (an omission or addition next to a 1-1
        # link) is unrelated to it.
        val -= cfg.w_part * np.maximum(0.0, cfg.part_min - weakest)
    ls = float(L.ls[s:s + a].sum())
    if cfg.w_len:
        delta = (lt - L.ratio * ls) / np.sqrt(cfg.len_var * (ls + lt / L.ratio) / 2 + 1.0)
        val -= cfg.w_len * np.minimum(delta * delta / 2, cfg.len_cap)
    if L.anchors is not None and cfg.w_anchor and not L.anchors.empty:
        A = L.anchors
        gs, g0, g1 = L.src_off + s, L.tgt_off + lo, L.tgt_off + hi
        na = float(A.src_count[gs:gs + a].sum())
        nb = A.tgt_count[g0:g1].copy()
        rows = [A.overlap_row(k, g0, g1 + b - 1) for k in range(gs, gs + a)]
        inter = sum(r[:hi - lo] for r in rows)
        if b == 2:
            nb += A.tgt_count[g0 + 1:g1 + 1]
            inter = inter + sum(r[1:hi - lo + 1] for r in rows)
        tot = na + nb
        val += cfg.w_anchor * np.where(tot > 0, 2 * inter / np.maximum(tot, 1) - 0.5, 0.0)
    if L.extra is not None and cfg.w_extra:
        src_ids = tuple(range(L.src_off + s, L.src_off + s + a))
        ex = np.array([L.extra(src_ids, tuple(range(L.tgt_off + t, L.tgt_off + t + b))) for t in range(lo, hi)],
                      dtype=np.float64)
        val += cfg.w_extra * (ex - cfg.extra_unrelated)
    val -= cfg.penalty_2_2 if a + b == 4 else cfg.penalty_1_2 if a + b == 3 else 0.0
    out_val[lo - t0:] = val
    out_sim[lo - t0:] = sim
    return out_val, out_sim


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def search(L: Level, cfg: AlignConfig, lo: np.ndarray, hi: np.ndarray):
    """Best path through the band ``lo[i]..hi[i]``; returns links as
    ``(src_range, tgt_range, sim)`` in document order (local indices)."""
    n, m = L.n, L.m
    bps: list[np.ndarray] = []
    sims: list[np.ndarray] = []
    D_prev2 = D_prev = None
    for i in range(n + 1):
        cols = np.arange(lo[i], hi[i] + 1)
        A = np.full(len(cols), NEG)
        code = np.zeros(len(cols), dtype=np.int8)
        sim = np.zeros(len(cols), dtype=np.float32)
        if i == 0:
            A[cols == 0] = 0.0
        else:
            cands = [(L10, _take(D_prev, lo[i - 1], cols) + cfg.skip, None)]
            for a, b, c in ((1, 1, L11), (1, 2, L12), (2, 1, L21), (2, 2, L22)):
                if a > i or (a == 2 and L.n < 2) or (b == 2 and L.m < 2):
                    continue
                prev = D_prev if a == 1 else D_prev2
                base = _take(prev, lo[i - a], cols - b)
                if not np.isfinite(base).any():
                    continue
                val, s = _link_values(L, cfg, a, i, cols, b)
                cands.append((c, base + val, s))
            for c, v, s in cands:
                better = v > A
                A = np.where(better, v, A)
                code[better] = c
                if s is not None:
                    sim = np.where(better, s, sim)
                else:
                    sim[better] = 0.0
        D, from_add = _solve_row(A, cfg.skip)
        code[from_add] = L01
        sim[from_add] = 0.0
        bps.append(code)
        sims.append(sim)
        D_prev2, D_prev = D_prev, D
    links = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - lo[i]
        c = int(bps[i][k])
        if c == START:
            raise RuntimeError(f"alignment search lost its path at ({i}, {j})")
        a, b = STEPS[c]
        links.append((range(i - a, i), range(j - b, j), float(sims[i][k])))
        i, j = i - a, j - b
    links.reverse()
    return links


def _solve_row(A: np.ndarray, skip: float) -> tuple[np.ndarray, np.ndarray]:
    """``D[j] = max(A[j], D[j-1] + skip)`` for a whole row at once.

    Unrolled, ``D[j] = max_k<=j (A[k] + (j-k)*skip)``, i.e. ``C[j] + running
    max of (A - C)`` with ``C[j] = j*skip``; where the running maximum was set
    earlier than ``j`` the best way in is a 0-1 link.
    """
    C = skip * np.arange(len(A), dtype=np.float64)
    with np.errstate(invalid="ignore"):
        run = np.maximum.accumulate(A - C)
        D = run + C
        from_add = (A - C) < run
    return D, from_add


def project_band(links, n: int, m: int, width: int, scale: int = 2):
    """Band around a path found at ``1/scale`` of the resolution, widened by ``width``."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for src, tgt, _ in links:
        r0, r1 = min(scale * src.start, n), min(scale * src.stop, n)
        c0, c1 = min(scale * tgt.start, m), min(scale * tgt.stop, m)
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], c0)
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], c1)
    # widen by `width` along both axes
    lo_w, hi_w = lo.copy(), hi.copy()
    for d in range(1, width + 1):
        lo_w[d:] = np.minimum(lo_w[d:], lo[:-d])
        hi_w[:-d] = np.maximum(hi_w[:-d], hi[d:])
    lo = np.clip(lo_w - width, 0, m)
    hi = np.clip(hi_w + width, 0, m)
    lo[0], hi[n] = 0, m
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[1:] = np.minimum(lo[1:], hi[:-1])  # consecutive rows overlap
    return lo, hi


def align_level(L: Level, cfg: AlignConfig):
    """Coarse-to-fine search over one (sub)document."""
    n, m = L.n, L.m
    if (n + 1) * (m + 1) <= cfg.full_cells or n < 4 or m < 4:
        lo, hi = full_band(n, m)
    else:
        C = coarsen(L, cfg)
        coarse_links = align_level(C, cfg)
        lo, hi = project_band(coarse_links, n, m, cfg.band)
    if L.extra is not None and cfg.w_extra:
        # The extra similarity is costly (chrF): find the path without it,
        # then rescore a narrow band around that path with it.
        first = search(replace(L, extra=None), cfg, lo, hi)
        lo, hi = project_band(first, n, m, cfg.extra_band, scale=1)
    return search(L, cfg, lo, hi)
