"""Back-translation similarity for the aligner, as Bleualign uses it: the MT
sentences translated back into the source language and compared with the
source sentences, here with chrF (sacrebleu) instead of BLEU, since chrF is
stable on single sentences and on inflected languages."""

from __future__ import annotations

from typing import Callable, Sequence


def backtranslation_sim(src_texts: Sequence[str], back_translations: Sequence[str],
                        joiner: str = " ") -> Callable[[tuple[int, ...], tuple[int, ...]], float]:
    """An ``extra_sim`` for ``align``: chrF (0..1) between the source block and
    the back-translation of the target block (``back_translations[j]`` is
    target sentence ``j`` translated back into the source language).

    Scores are memoised per block pair; the search calls it only inside its
    band at full resolution (about 4 calls per band cell).
    """
    from sacrebleu.metrics import CHRF

    if len(back_translations) == 0:
        raise ValueError("no back-translations given")
    chrf = CHRF()
    memo: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}

    def sim(src_ids: tuple[int, ...], tgt_ids: tuple[int, ...]) -> float:
        key = (src_ids, tgt_ids)
        if key not in memo:
            hyp = joiner.join(back_translations[j] for j in tgt_ids)
            ref = joiner.join(src_texts[i] for i in src_ids)
            memo[key] = chrf.sentence_score(hyp, [ref]).score / 100.0
        return memo[key]

    return sim
