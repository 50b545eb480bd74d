"""Anchors that survive translation (numbers, months, names, quotations)."""

from __future__ import annotations

import pytest

from mtcheck.align.anchors import AnchorIndex, sentence_anchors


def test_numbers_are_compared_without_separators():
    ru, _ = sentence_anchors("Бюджет — 1 000 000 рублей, рост 3,5 процента.", "cyrillic")
    en, _ = sentence_anchors("The budget is 1,000,000 rubles, growth of 3.5 percent.", "latin")
    assert {"n:1000000", "n:35"} <= ru & en


def test_months_in_both_languages_share_a_token():
    ru, _ = sentence_anchors("Это случилось 12 марта, а не в мае.", "cyrillic")
    en, _ = sentence_anchors("It happened on March 12, not in May.", "latin")
    assert {"m:3", "m:5", "n:12"} <= ru & en


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_inflected_names_match_their_transliteration():
    idx = AnchorIndex(["Журналисты спросили Путина о Зеленском.", "Погода была хорошей."],
                      ["The weather was good.", "Journalists asked Putin about Zelensky."])
    assert idx.src_sets[0] == idx.tgt_sets[1] == {"w:putin", "w:zelensky"}
    assert list(idx.overlap_row(0, 0, 2)) == [0, 2]
    assert list(idx.overlap_row(1, 0, 2)) == [0, 0]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_anchors_on_one_side_only_are_dropped():
    # "2019" was spelled out or dropped by the translation; it must not count against any link
    idx = AnchorIndex(["В 2019 году «Газпром» вырос."], ["Last year Gazprom grew."])
    assert idx.src_sets == idx.tgt_sets == [{"w:gazprom"}]


def test_quotations_are_anchors():
    idx = AnchorIndex(["Он сказал: «Нет».", "Дождь."], ["He said: \"No.\"", "Rain."])
    assert idx.src_sets == [{"q"}, set()] and idx.tgt_sets == [{"q"}, set()]
