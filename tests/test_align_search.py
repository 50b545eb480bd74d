"""The search itself on synthetic vectors: coarse-to-fine banding finds the
same path as the full matrix, and the row solver handles additions."""

from __future__ import annotations

import numpy as np

from mtcheck.align import AlignConfig, align, score_alignment
from mtcheck.align.search import _solve_row, project_band
from mtcheck.data import Link


def synthetic(n: int, seed: int = 1):
    """Source vectors with a shared direction (as e5's are), their noisy
    translations, with some target sentences deleted and unrelated ones
    inserted; returns the vectors and the gold links."""
    rng = np.random.default_rng(seed)
    d = 64
    common = rng.normal(size=d)
    common /= np.linalg.norm(common)
    z = rng.normal(size=(n, d)) / np.sqrt(d)
    src = 1.7 * common + z
    tgt, gold = [], []
    for i in range(n):
        r = rng.random()
        if r < 0.05:
            gold.append(Link((i,), ()))
            continue
        if r < 0.10:
            gold.append(Link((), (len(tgt),)))
            tgt.append(1.7 * common + rng.normal(size=d) / np.sqrt(d))
        gold.append(Link((i,), (len(tgt),)))
        tgt.append(1.7 * common + z[i] + rng.normal(size=d) / np.sqrt(d) * 0.5)
    return src, np.array(tgt), gold


def test_coarse_to_fine_matches_the_full_search():
    src, tgt, gold = synthetic(300)
    texts_s = ["x" * 40] * len(src)
    texts_t = ["x" * 40] * len(tgt)
    full = align(src, tgt, texts_s, texts_t, config=AlignConfig(full_cells=10**9))
    banded = align(src, tgt, texts_s, texts_t, config=AlignConfig(full_cells=2_000, band=4))
    assert banded == full
    assert score_alignment(banded, gold)["strict_f1"] > 0.97


def test_band_follows_the_path_and_stays_connected():
    coarse = [(range(0, 1), range(0, 1), 0.0), (range(1, 2), range(1, 1), 0.0), (range(2, 3), range(1, 2), 0.0)]
    lo, hi = project_band(coarse, 6, 4, width=1)
    assert lo[0] == 0 and hi[-1] == 4
    assert all(lo[k] <= lo[k + 1] and hi[k] <= hi[k + 1] and lo[k + 1] <= hi[k] for k in range(6))
    assert lo[6] >= 1 and hi[0] <= 3  # not the whole matrix


def test_row_solver_takes_additions_when_they_pay():
    A = np.array([0.0, -np.inf, -np.inf, 5.0, 1.0])
    D, from_add = _solve_row(A, -0.5)
    assert list(D) == [0.0, -0.5, -1.0, 5.0, 4.5]
    assert list(from_add) == [False, True, True, False, True]


def test_links_cover_every_sentence_once_for_all_small_shapes():
    rng = np.random.default_rng(3)
    for n in range(1, 7):
        for m in range(1, 7):
            sv, tv = rng.normal(size=(n, 16)), rng.normal(size=(m, 16))
            for paras in (None, ([0] * (n // 2) + [1] * (n - n // 2), [0] * (m // 2) + [1] * (m - m // 2))):
                links = align(sv, tv, ["Слово 12."] * n, ["Word 12."] * m,
                              src_paras=paras[0] if paras else None, tgt_paras=paras[1] if paras else None)
                assert [i for lk in links for i in lk.src] == list(range(n))
                assert [j for lk in links for j in lk.tgt] == list(range(m))
                assert all(lk.src or lk.tgt for lk in links)
                assert all(len(lk.src) <= 2 and len(lk.tgt) <= 2 for lk in links)
