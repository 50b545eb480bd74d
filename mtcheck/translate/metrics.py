"""Sentence-level similarity of a back-translation to the source (sacrebleu)."""

from __future__ import annotations


def backtranslation_metrics(backtranslation: str, source: str) -> dict[str, float]:
    """chrF, BLEU and TER of ``backtranslation`` against ``source`` as the reference.

    Sentence-level sacrebleu scores: chrF and BLEU in 0..100 (higher is
    closer), TER in edits per reference word x100 (lower is closer). BLEU uses
    exponential smoothing with effective order, as sacrebleu recommends for
    single sentences.
    """
    from sacrebleu.metrics import BLEU, CHRF, TER

    refs = [source]
    return {
        "chrf": float(CHRF().sentence_score(backtranslation, refs).score),
        "bleu": float(BLEU(effective_order=True).sentence_score(backtranslation, refs).score),
        "ter": float(TER().sentence_score(backtranslation, refs).score),
    }
