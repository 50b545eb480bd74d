"""Omissions (1-0 links) and additions (0-1 links) as report flags."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from mtcheck.data import AlignedPair, Flag, Link, Severity, Span

CHECK = "align"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def gap_evidence(links: Sequence[Link], src_vecs: np.ndarray, tgt_vecs: np.ndarray,
                 src_texts: Sequence[str], tgt_texts: Sequence[str]) -> dict[int, dict[str, Any]]:
    """Evidence for each omission/addition, keyed by link index: the best
    cosine of the unaligned sentence with any sentence of the other side (and
    which one), and the texts of its neighbours on the other side."""
    out: dict[int, dict[str, Any]] = {}
    for k, link in enumerate(links):
        if link.src and link.tgt:
            continue
        if link.src:
            own, other, other_texts = src_vecs[list(link.src)], tgt_vecs, tgt_texts
        else:
            own, other, other_texts = tgt_vecs[list(link.tgt)], src_vecs, src_texts
        ev: dict[str, Any] = {}
        if len(other):
            sims = (np.asarray(other) @ np.asarray(own).mean(0)).ravel()
            best = int(np.argmax(sims))
            ev["best_similarity"] = round(float(sims[best]), 4)
            ev["best_match_index"] = best
            ev["best_match_text"] = other_texts[best]
        before = next((lk for lk in reversed(links[:k]) if (lk.tgt if link.src else lk.src)), None)
        after = next((lk for lk in links[k + 1:] if (lk.tgt if link.src else lk.src)), None)
        side = tgt_texts if link.src else src_texts
        pick = (lambda lk: lk.tgt) if link.src else (lambda lk: lk.src)
        ev["previous_neighbour"] = " ".join(side[i] for i in pick(before)) if before else None
        ev["next_neighbour"] = " ".join(side[i] for i in pick(after)) if after else None
        out[k] = ev
    return out


def gap_flags(pair: AlignedPair, evidence: dict[str, Any] | None = None) -> list[Flag]:
    """An ``accuracy/omission`` flag for a 1-0 pair (span: the whole source
    text, local offsets) or an ``accuracy/addition`` flag for a 0-1 pair (span:
    the whole MT text); nothing for other pairs. ``evidence`` (from
    ``gap_evidence``) is attached as it is."""
    ev = {"link": pair.link.kind, **(evidence or {})}
    if pair.is_omission:
        return [Flag(
            check=CHECK, category="accuracy/omission", severity=Severity.MAJOR, confidence=0.8,
            message=f"Omission: no translation of the source sentence “{_short(pair.src_text)}”",
            src_span=Span(0, len(pair.src_text)), evidence=ev,
        )]
    if pair.is_addition:
        return [Flag(
            check=CHECK, category="accuracy/addition", severity=Severity.MAJOR, confidence=0.8,
            message=f"Addition: the translation has a sentence with no source: “{_short(pair.mt_text)}”",
            mt_span=Span(0, len(pair.mt_text)), evidence=ev,
        )]
    return []
