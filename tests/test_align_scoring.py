"""The alignment scorer (vecalign's strict/lax definitions), on hand-made links."""

from __future__ import annotations

import pytest

from mtcheck.align import score_alignment, score_alignments
from mtcheck.data import Link

GOLD = [Link((0,), (0,)), Link((1, 2), (1,)), Link((3,), ()), Link((), (2,)), Link((4,), (3, 4))]


def test_perfect_alignment_scores_one():
    s = score_alignment(list(GOLD), GOLD)
    for key in ("strict_precision", "strict_recall", "strict_f1", "lax_precision", "lax_recall", "lax_f1",
                "gaps_precision", "gaps_recall"):
        assert s[key] == 1.0, key


def test_partial_overlap_is_lax_but_not_strict():
    # the merge 1,2->1 predicted as 1->1 plus omission of 2
    pred = [Link((0,), (0,)), Link((1,), (1,)), Link((2,), ()), Link((3,), ()), Link((), (2,)),
            Link((4,), (3, 4))]
    s = score_alignment(pred, GOLD)
    # precision: 6 predicted links; (1,)->(1,) is lax only, (2,)->() is wrong
    assert s["strict_precision"] == pytest.approx(4 / 6)
    assert s["lax_precision"] == pytest.approx(5 / 6)
    # recall ignores 1-0/0-1 links: gold (0-0, 12-1, 4-34), test (0-0, 1-1, 4-34)
    assert s["strict_recall"] == pytest.approx(2 / 3)
    assert s["lax_recall"] == pytest.approx(1.0)
    assert s["strict_f1"] == pytest.approx(2 * (4 / 6) * (2 / 3) / (4 / 6 + 2 / 3))
    # omission of 3 and addition of 2 found, one false omission (2)
    assert s["gaps_precision"] == pytest.approx(2 / 3)
    assert s["gaps_recall"] == 1.0


def test_missed_omission_lowers_precision_only_through_the_wrong_link():
    # the omitted 3 and the added 2 wrongly paired
    pred = [Link((0,), (0,)), Link((1, 2), (1,)), Link((3,), (2,)), Link((4,), (3, 4))]
    s = score_alignment(pred, GOLD)
    assert s["strict_precision"] == pytest.approx(3 / 4)
    assert s["lax_precision"] == pytest.approx(3 / 4)  # no gold link joins 3 with 2
    assert s["strict_recall"] == 1.0  # recall never sees the 1-0/0-1 links
    assert s["gaps_recall"] == 0.0


def test_corpus_scores_sum_counts_before_dividing():
    a = score_alignment([Link((0,), (0,))], [Link((0,), (0,))])
    b = score_alignment([Link((0,), (1,)), Link((1,), (0,))], [Link((0,), (0,)), Link((1,), (1,))])
    both = score_alignments([[Link((0,), (0,))], [Link((0,), (1,)), Link((1,), (0,))]],
                            [[Link((0,), (0,))], [Link((0,), (0,)), Link((1,), (1,))]])
    assert a["strict_precision"] == 1.0 and b["strict_precision"] == 0.0
    assert both["strict_precision"] == pytest.approx(1 / 3)  # not the mean of 1.0 and 0.0


def test_empty_inputs_use_the_division_default():
    s = score_alignment([], [], empty=1.0)
    assert s["strict_f1"] == 1.0
    assert score_alignment([], [])["strict_precision"] == 0.0
