"""Turn BAD word tags into low-severity "likely error" flags for reviewers."""

from __future__ import annotations

from typing import Sequence

from mtcheck.data import Flag, Severity, Span
from mtcheck.qe.tokens import is_word

CHECK_NAME = "qe-word"


def likely_error_flags(mt_text: str, tags: Sequence[tuple[int, int, str, float]], threshold: float,
                       existing: Sequence[Flag] = (), max_gap: int = 1) -> list[Flag]:
    """Flags (spans local to ``mt_text``) for runs of BAD words no existing flag covers.

    BAD words (``p_bad >= threshold``) separated by at most ``max_gap``
    characters of space/punctuation are merged into one span; punctuation
    tokens alone never make a flag (they are highlighted with a neighbouring
    word or not at all). Confidence is the highest ``p_bad`` in the span.
    """
    covered = [f.mt_span for f in existing if f.mt_span is not None]
    runs: list[list[tuple[int, int, str, float]]] = []
    for t in tags:
        start, end, word, p = t
        if p < threshold or not is_word(word) or any(Span(start, end).overlaps(c) for c in covered):
            continue
        if runs and start - runs[-1][-1][1] <= max_gap + 1 and mt_text[runs[-1][-1][1]:start].strip(" ,") == "":
            runs[-1].append(t)
        else:
            runs.append([t])
    out = []
    for run in runs:
        start, end = run[0][0], run[-1][1]
        p = max(x[3] for x in run)
        words = " ".join(x[2] for x in run)
        out.append(Flag(check=CHECK_NAME, category="other/likely-error", severity=Severity.MINOR,
                        confidence=round(p, 3), message=f"likely translation error (QE word model): {words}",
                        mt_span=Span(start, end), evidence={"p_bad": [round(x[3], 3) for x in run]}))
    return out
