"""``align``: sentence lists and their embeddings in, alignment links out."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from mtcheck.align.anchors import AnchorIndex
from mtcheck.align.config import AlignConfig
from mtcheck.align.search import Level, align_level, make_level, normalise_rows, pair_sums, sub_level
from mtcheck.data import Link
from mtcheck.text import script_share

ExtraSim = Callable[[tuple[int, ...], tuple[int, ...]], float]
EmbedFn = Callable[[Sequence[str]], np.ndarray]


def _script(texts: Sequence[str]) -> str:
    sample = " ".join(texts[:200])
    return "cyrillic" if script_share(sample, "cyrillic") > 0.5 else "latin"


def _runs(paras: Sequence[int]) -> list[tuple[int, int]]:
    """``(start, stop)`` of each run of equal paragraph ids."""
    out: list[tuple[int, int]] = []
    for k, p in enumerate(paras):
        if k == 0 or p != paras[k - 1]:
            out.append((k, k + 1))
        else:
            out[-1] = (out[-1][0], k + 1)
    return out


def joined_pairs(texts: Sequence[str], joiner: str = " ") -> list[str]:
    """The texts of neighbouring sentences joined: what 2-1, 1-2 and 2-2 links compare."""
    return [texts[k] + joiner + texts[k + 1] for k in range(len(texts) - 1)]


def align(src_vecs: np.ndarray, tgt_vecs: np.ndarray, src_texts: Sequence[str], tgt_texts: Sequence[str],
          src_paras: Sequence[int] | None = None, tgt_paras: Sequence[int] | None = None,
          config: AlignConfig | None = None, extra_sim: ExtraSim | None = None,
          embed_fn: EmbedFn | None = None) -> list[Link]:
    """Align two sentence lists; returns links in document order covering
    every sentence exactly once (``Link(src=(), tgt=(j,))`` is an addition,
    ``Link(src=(i,), tgt=())`` an omission).

    ``src_vecs``/``tgt_vecs`` are the sentences' embeddings (passage mode).
    Joined neighbours (for 1-2, 2-1, 2-2 links) are embedded with ``embed_fn``
    when it is given and ``config.concat`` is "auto" or "embed", else
    approximated by normalised sums of the two vectors. ``extra_sim(src_ids,
    tgt_ids) -> 0..1`` adds another similarity (e.g. back-translation chrF).
    When both sides have the same number (> 1) of paragraphs, paragraph ``k``
    of the source is aligned with paragraph ``k`` of the target only.
    """
    cfg = config or AlignConfig()
    n, m = len(src_texts), len(tgt_texts)
    if len(src_vecs) != n or len(tgt_vecs) != m:
        raise ValueError("one vector per sentence expected")
    if n == 0 or m == 0:
        return [Link((i,), ()) for i in range(n)] + [Link((), (j,)) for j in range(m)]
    V, U = normalise_rows(src_vecs), normalise_rows(tgt_vecs)
    mode = cfg.concat if cfg.concat != "auto" else ("lazy" if embed_fn is not None else "sum")
    if mode not in ("sum", "embed", "lazy"):
        raise ValueError(f"unknown concat mode {cfg.concat!r}")
    if mode != "sum" and embed_fn is None:
        raise ValueError(f"config.concat={mode!r} needs an embed_fn")
    P, Q = pair_sums(V), pair_sums(U)
    if mode == "embed":
        P = _embedded_pairs(P, src_texts, range(n - 1), cfg.joiner, embed_fn)
        Q = _embedded_pairs(Q, tgt_texts, range(m - 1), cfg.joiner, embed_fn)
    ls = np.array([len(t) for t in src_texts], dtype=np.float64)
    lt = np.array([len(t) for t in tgt_texts], dtype=np.float64)
    anchors = AnchorIndex(src_texts, tgt_texts, _script(src_texts), _script(tgt_texts)) if cfg.w_anchor else None
    L = make_level(V, U, P, Q, ls, lt, cfg, anchors=anchors, extra=extra_sim)
    blocks = _blocks(n, m, src_paras, tgt_paras)
    links = _align_blocks(L, blocks, cfg)
    if mode == "lazy":
        src_pairs, tgt_pairs = _uncertain_pairs(links, n, m, cfg.lazy_sim)
        if src_pairs or tgt_pairs:
            P = _embedded_pairs(P, src_texts, src_pairs, cfg.joiner, embed_fn)
            Q = _embedded_pairs(Q, tgt_texts, tgt_pairs, cfg.joiner, embed_fn)
            L = make_level(V, U, P, Q, ls, lt, cfg, anchors=anchors, extra=extra_sim)
            links = _align_blocks(L, blocks, cfg)
    return links


def _embedded_pairs(approx: np.ndarray, texts: Sequence[str], which, joiner: str, embed_fn: EmbedFn) -> np.ndarray:
    """``approx`` with the rows in ``which`` replaced by embeddings of the joined texts."""
    which = sorted(which)
    if not which:
        return approx
    out = approx.copy()
    out[which] = normalise_rows(embed_fn([texts[k] + joiner + texts[k + 1] for k in which]))
    return out


def _uncertain_pairs(links: list[Link], n: int, m: int, sim_ok: float) -> tuple[set[int], set[int]]:
    """Neighbour pairs worth a real embedding after a search with summed
    vectors: on both sides, the pairs that overlap a link that is not a
    confident 1-1 link (for an empty side: the pair straddling the gap)."""
    src_pairs: set[int] = set()
    tgt_pairs: set[int] = set()
    i = j = 0  # sentences consumed before the link
    for lk in links:
        i1, j1 = i + len(lk.src), j + len(lk.tgt)
        if not (lk.kind == "1-1" and lk.score >= sim_ok):
            # pair k joins sentences k and k+1
            src_pairs.update(range(max(0, i - 1), min(n - 1, max(i1, i + 1))))
            tgt_pairs.update(range(max(0, j - 1), min(m - 1, max(j1, j + 1))))
        i, j = i1, j1
    return src_pairs, tgt_pairs


def _blocks(n: int, m: int, src_paras, tgt_paras) -> list[tuple[int, int, int, int]]:
    blocks = [(0, n, 0, m)]
    if src_paras is not None and tgt_paras is not None:
        rs, rt = _runs(list(src_paras)), _runs(list(tgt_paras))
        if len(rs) == len(rt) > 1:
            blocks = [(a0, a1, b0, b1) for (a0, a1), (b0, b1) in zip(rs, rt)]
    return blocks


def _align_blocks(L: Level, blocks, cfg: AlignConfig) -> list[Link]:
    links: list[Link] = []
    for s0, s1, t0, t1 in blocks:
        part: Level = sub_level(L, s0, s1, t0, t1)
        for src, tgt, sim in align_level(part, cfg):
            links.append(Link(tuple(s0 + k for k in src), tuple(t0 + k for k in tgt), round(sim, 4)))
    return links
