"""Reference-based metrics (when human reference translations are given).

BLEU, chrF++ (chrF with word bigrams, ``word_order=2``) and TER from
sacrebleu, at corpus level and per segment, each with sacrebleu's own
signature string so the numbers can be compared with published ones.
Segment-level BLEU uses ``effective_order=True`` (sacrebleu's recommendation
for single sentences), which its signature shows as ``eff:yes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

METRICS = ("bleu", "chrf++", "ter")


@dataclass
class MetricResult:
    """One metric: corpus score, per-segment scores and sacrebleu signatures."""

    name: str
    corpus: float
    segments: list[float]
    signature: str  # of the corpus-level score
    segment_signature: str
    higher_is_better: bool = True
    details: str = ""  # sacrebleu's one-line summary of the corpus score

    def to_dict(self) -> dict:
        return {"name": self.name, "corpus": self.corpus, "segments": self.segments,
                "signature": self.signature, "segment_signature": self.segment_signature,
                "higher_is_better": self.higher_is_better, "details": self.details}


@dataclass
class ReferenceMetrics:
    results: dict[str, MetricResult] = field(default_factory=dict)

    def segment(self, i: int) -> dict[str, float]:
        """Metric values of segment ``i`` (e.g. for ``SegmentResult.metrics``)."""
        return {name: r.segments[i] for name, r in self.results.items()}

    def corpus(self) -> dict[str, float]:
        return {name: r.corpus for name, r in self.results.items()}

    def signatures(self) -> dict[str, str]:
        return {name: r.signature for name, r in self.results.items()}

    def to_dict(self) -> dict:
        return {name: r.to_dict() for name, r in self.results.items()}


def _metric_objects(tgt_lang: str):
    from sacrebleu.metrics import BLEU, CHRF, TER

    # BLEU's tokenizer depends on the target language (zh/ja/ko need their own).
    tok = {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}.get(tgt_lang)
    bleu_kw = {"tokenize": tok} if tok else {}
    return {
        "bleu": (BLEU(**bleu_kw), BLEU(effective_order=True, **bleu_kw), True),
        "chrf++": (CHRF(word_order=2), CHRF(word_order=2), True),
        "ter": (TER(), TER(), False),
    }


def reference_metrics(hypotheses: Sequence[str], references: Sequence[str], tgt_lang: str = "en",
                      metrics: Sequence[str] = METRICS) -> ReferenceMetrics:
    """Score ``hypotheses`` (MT segments) against ``references`` (aligned one to one)."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} MT segments but {len(references)} references")
    unknown = set(metrics) - set(METRICS)
    if unknown:
        raise ValueError(f"unknown metric {sorted(unknown)[0]!r} (choose from {', '.join(METRICS)})")
    hyps, refs = list(hypotheses), list(references)
    objs = _metric_objects(tgt_lang)
    out = ReferenceMetrics()
    for name in metrics:
        corpus_m, seg_m, hib = objs[name]
        c = corpus_m.corpus_score(hyps, [refs])
        segs = [seg_m.sentence_score(h, [r]).score for h, r in zip(hyps, refs)]
        out.results[name] = MetricResult(name, c.score, segs, str(corpus_m.get_signature()),
                                         str(seg_m.get_signature()), hib, str(c))
    return out
