"""Glue between documents and the aligner: align a ``DocumentPair``'s
sentences through the run's ``EmbeddingStore`` and turn links into
``AlignedPair`` objects."""

from __future__ import annotations

from typing import Any, Sequence

from mtcheck.align.aligner import ExtraSim, align
from mtcheck.align.config import AlignConfig
from mtcheck.data import AlignedPair, DocumentPair, Link, Segment


def align_document(pair: DocumentPair, store: Any, config: AlignConfig | None = None,
                   extra_sim: ExtraSim | None = None) -> list[Link]:
    """Links between ``pair.src_segments`` and ``pair.mt_segments``.

    ``store`` is the run's ``mtcheck.embed.EmbeddingStore``: sentence vectors
    come from it (and stay in it for later stages), and so do the vectors of
    joined neighbours. Paragraph numbers of the segments are respected when
    both sides have the same number of paragraphs.
    """
    src = [s.text for s in pair.src_segments]
    mt = [s.text for s in pair.mt_segments]
    return align(store.vectors(src), store.vectors(mt), src, mt,
                 src_paras=[s.paragraph for s in pair.src_segments],
                 tgt_paras=[s.paragraph for s in pair.mt_segments],
                 config=config, extra_sim=extra_sim, embed_fn=store.vectors)


def aligned_pairs(pair: DocumentPair, links: Sequence[Link]) -> list[AlignedPair]:
    """One ``AlignedPair`` per link, with the exact document substrings; a
    gap side is empty and starts where the gap is (after the previous
    sentence on that side, or at the next one when nothing precedes it)."""
    out: list[AlignedPair] = []
    src_pos = _gap_positions(pair.src_segments, [lk.src for lk in links])
    mt_pos = _gap_positions(pair.mt_segments, [lk.tgt for lk in links])
    for k, lk in enumerate(links):
        ss = [pair.src_segments[i] for i in lk.src]
        ms = [pair.mt_segments[j] for j in lk.tgt]
        src_start, src_text = _extent(pair.src.text, ss, src_pos[k])
        mt_start, mt_text = _extent(pair.mt.text, ms, mt_pos[k])
        out.append(AlignedPair(k, pair.id, lk, ss, ms, src_text, mt_text, src_start, mt_start))
    return out


def _extent(text: str, segs: list[Segment], gap_at: int) -> tuple[int, str]:
    if not segs:
        return gap_at, ""
    return segs[0].start, text[segs[0].start:segs[-1].end]


def _gap_positions(segments: Sequence[Segment], sides: list[tuple[int, ...]]) -> list[int]:
    """For each link, where an empty side of it sits in the document."""
    out: list[int] = []
    prev_end: int | None = None
    for k, ids in enumerate(sides):
        if ids:
            out.append(segments[ids[0]].start)
            prev_end = segments[ids[-1]].end
            continue
        if prev_end is not None:
            out.append(prev_end)
        else:
            nxt = next((s for s in sides[k + 1:] if s), None)
            out.append(segments[nxt[0]].start if nxt else 0)
    return out
