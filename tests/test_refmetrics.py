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


def test_report_gets_segment_document_and_corpus_metrics():
    from mtcheck.data import Document, DocumentPair, Segment
    from mtcheck.refmetrics import add_reference_metrics

    mt_s = ["The cat sat on the mat.", "It was raining."]
    ref_s = ["The cat sat on the mat.", "It rained heavily."]
    mt_text, ref_text = " ".join(mt_s), " ".join(ref_s)

    def segs(doc_id, texts):
        out, pos = [], 0
        for i, t in enumerate(texts):
            out.append(Segment(doc_id, i, pos, pos + len(t), t))
            pos += len(t) + 1
        return out

    dp = DocumentPair("d1", Document("d1", "ru", "x"), Document("d1", "en", mt_text), aligned=True,
                      mt_segments=segs("d1", mt_s), ref=Document("d1", "en", ref_text), ref_segments=segs("d1", ref_s))
    data = {"summary": {}, "documents": [{"id": "d1", "summary": {}, "segments": [
        {"mt_text": mt_s[0], "mt_start": 0, "mt_end": len(mt_s[0]), "metrics": {}},
        {"mt_text": mt_s[1], "mt_start": len(mt_s[0]) + 1, "mt_end": len(mt_text), "metrics": {"cosine": 0.9}},
    ]}]}
    add_reference_metrics(data, [dp])
    s0, s1 = (s["metrics"] for s in data["documents"][0]["segments"])
    assert s0["chrf++"] == pytest.approx(100.0) and s0["ter"] == 0.0
    assert s1["bleu"] == pytest.approx(BLEU(effective_order=True).sentence_score(mt_s[1], [ref_s[1]]).score)
    assert s1["cosine"] == 0.9
    corpus = data["summary"]["reference_metrics"]
    assert corpus["chrf++"] == pytest.approx(CHRF(word_order=2).corpus_score(mt_s, [ref_s]).score)
    assert data["documents"][0]["summary"]["reference_metrics"] == corpus
    assert "nw:2" in data["summary"]["reference_signatures"]["chrf++"]


def test_reference_count_must_match_the_mt():
    from mtcheck.data import Document, DocumentPair, Segment
    from mtcheck.errors import InputError
    from mtcheck.refmetrics import add_reference_metrics

    dp = DocumentPair("d", Document("d", "ru", "x"), Document("d", "en", "A. B."),
                      mt_segments=[Segment("d", 0, 0, 2, "A."), Segment("d", 1, 3, 5, "B.")],
                      ref=Document("d", "en", "A.", path="ref.txt"), ref_segments=[Segment("d", 0, 0, 2, "A.")])
    with pytest.raises(InputError, match="ref.txt: 1 reference segments but 2 MT segments"):
        add_reference_metrics({"summary": {}, "documents": []}, [dp])
