"""Reference-based metrics agree with sacrebleu used directly."""

from __future__ import annotations

import math

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from mtcheck.refmetrics import reference_metrics
from tests.conftest import SHARED
from tests.resources import require

PE = SHARED / "data" / "mlqe-pe-ru-en" / "pe" / "dev"


def _mt_pe(n=150):
    require((PE / "dev.pe").exists(), "MLQE-PE ru-en data")
    mt = (PE / "dev.mt").read_text(encoding="utf-8").splitlines()[:n]
    pe = (PE / "dev.pe").read_text(encoding="utf-8").splitlines()[:n]
    return mt, pe


def test_corpus_and_segment_scores_match_sacrebleu():
    mt, pe = _mt_pe()
    res = reference_metrics(mt, pe)
    assert math.isclose(res.results["bleu"].corpus, BLEU().corpus_score(mt, [pe]).score)
    assert math.isclose(res.results["chrf++"].corpus, CHRF(word_order=2).corpus_score(mt, [pe]).score)
    assert math.isclose(res.results["ter"].corpus, TER().corpus_score(mt, [pe]).score)
    seg_bleu = BLEU(effective_order=True)
    for i in (0, 7, 42):
        assert math.isclose(res.segment(i)["bleu"], seg_bleu.sentence_score(mt[i], [pe[i]]).score)
        assert math.isclose(res.segment(i)["chrf++"], CHRF(word_order=2).sentence_score(mt[i], [pe[i]]).score)
        assert math.isclose(res.segment(i)["ter"], TER().sentence_score(mt[i], [pe[i]]).score)
    sigs = res.signatures()
    assert sigs["chrf++"].startswith("nrefs:1|") and "nw:2" in sigs["chrf++"]
    assert "tok:13a" in sigs["bleu"] and "tok:tercom" in sigs["ter"]
    assert "eff:yes" in res.results["bleu"].segment_signature


def test_post_edits_score_better_than_unrelated_references():
    mt, pe = _mt_pe()
    good = reference_metrics(mt, pe).corpus()
    shifted = reference_metrics(mt, pe[1:] + pe[:1]).corpus()
    assert good["bleu"] > shifted["bleu"] + 20
    assert good["chrf++"] > shifted["chrf++"] + 20
    assert good["ter"] < shifted["ter"] - 20
    identical = reference_metrics(pe[:5], pe[:5])
    assert identical.results["ter"].segments == [0.0] * 5
    assert all(s == pytest.approx(100.0) for s in identical.results["chrf++"].segments)


def test_misaligned_inputs_are_rejected():
    with pytest.raises(ValueError, match="2 MT segments but 1"):
        reference_metrics(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="unknown metric"):
        reference_metrics(["a"], ["a"], metrics=["meteor"])
