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


def add_reference_metrics(data: dict, doc_pairs: Sequence, tgt_lang: str | None = None) -> None:
    """Add reference-based metrics to a report dict (from ``mtcheck.report.json_report.to_dict``).

    References are aligned like the MT: ``ref_segments[i]`` is the human
    translation of ``mt_segments[i]``. Adds, in place:

    * ``segment["metrics"]["bleu" | "chrf++" | "ter"]`` for each report segment
      whose MT sentences have references (several MT sentences of one
      alignment link are scored against their references joined by a space);
    * ``document["summary"]["reference_metrics"]``: corpus scores of the document;
    * ``data["summary"]["reference_metrics"]``: corpus scores over all documents
      with references, and ``data["summary"]["reference_signatures"]``: sacrebleu's
      signature of each metric.
    """
    from mtcheck.errors import InputError

    docs = {d["id"]: d for d in data.get("documents", [])}
    all_hyp: list[str] = []
    all_ref: list[str] = []
    lang = tgt_lang
    for dp in doc_pairs:
        if dp.ref is None:
            continue
        lang = lang or dp.mt.lang
        if len(dp.ref_segments) != len(dp.mt_segments):
            raise InputError(dp.ref.path or dp.id, f"{len(dp.ref_segments)} reference segments but "
                                                   f"{len(dp.mt_segments)} MT segments (references must be aligned like the MT)")
        hyps = [s.text for s in dp.mt_segments]
        refs = [s.text for s in dp.ref_segments]
        all_hyp += hyps
        all_ref += refs
        doc = docs.get(dp.id)
        if doc is None or not hyps:
            continue
        doc.setdefault("summary", {})["reference_metrics"] = reference_metrics(hyps, refs, lang or "en").corpus()
        seg_hyp, seg_ref, targets = [], [], []
        for seg in doc.get("segments", []):
            ks = [k for k, s in enumerate(dp.mt_segments) if seg["mt_start"] <= s.start and s.end <= seg["mt_end"]]
            if not ks or not seg.get("mt_text"):
                continue
            seg_hyp.append(seg["mt_text"])
            seg_ref.append(" ".join(refs[k] for k in ks))
            targets.append(seg)
        if targets:
            res = reference_metrics(seg_hyp, seg_ref, lang or "en")
            for i, seg in enumerate(targets):
                seg.setdefault("metrics", {}).update(res.segment(i))
    if all_hyp:
        res = reference_metrics(all_hyp, all_ref, lang or "en")
        summary = data.setdefault("summary", {})
        summary["reference_metrics"] = res.corpus()
        summary["reference_signatures"] = res.signatures()
