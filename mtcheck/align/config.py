"""Settings of the sentence aligner (all weights in one place, passed in explicitly)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlignConfig:
    """Weights and limits of the alignment search.

    The search maximises the sum of its links' values. A link joining source
    block S and target block T (one or two sentences each) is worth

        sim(S, T)
        - w_part * max(0, part_min - weakest part's sim)        (1-2, 2-1, 2-2 only)
        - w_len * min(delta**2 / 2, len_cap)                    (Gale-Church length z-score)
        + w_anchor * (2 * shared / (anchors in S + in T) - 0.5) (when S or T has anchors)
        + w_extra * (extra_sim - extra_unrelated)                (when an extra_sim is given)
        - penalty_1_2 / penalty_2_2

    where ``sim`` is the cosine of the blocks' embeddings rescaled so that an
    unrelated pair scores about 0 and identical vectors 1 (see
    ``search.bases``). An omission (1-0) or addition (0-1) is worth ``skip``.
    Defaults were tuned on the MLQE-PE ru-en *dev* documents of
    ``bench/align.py --split dev``; the benchmark reports test20.
    """

    skip: float = -0.05  # value of a 1-0 or 0-1 link
    penalty_1_2: float = 0.0  # 1-2 and 2-1 links
    penalty_2_2: float = 0.30
    w_part: float = 1.0  # merges/splits: penalty per unit that the weakest part's sim falls below part_min
    part_min: float = 0.1
    w_len: float = 0.1  # Gale-Church length agreement (negative half squared z-score, capped)
    len_cap: float = 8.0
    len_var: float = 6.8  # Gale & Church's variance per character
    w_anchor: float = 0.15  # numbers, months, names, quotations that appear on both sides
    w_extra: float = 0.5  # e.g. back-translation chrF (0..1), when given
    extra_unrelated: float = 0.2  # extra similarity of unrelated sentences (chrF of unrelated pairs)
    extra_band: int = 2  # the extra similarity is computed this close to the path found without it
    base_prior: float = 0.78  # typical cosine of unrelated ru/en sentences under e5-small
    base_prior_weight: float = 2.0  # how many "samples" the prior counts for
    base_samples: int = 256  # other-side sentences sampled to estimate each base
    full_cells: int = 250_000  # DP over the full matrix below this many cells
    band: int = 8  # coarse-to-fine: half-width of the search band around the projected path
    # Vectors of two joined sentences (for 1-2, 2-1, 2-2 links): "embed" embeds every joined
    # neighbour pair; "sum" uses normalised sums of the two vectors; "lazy" searches with sums
    # first, then embeds only the pairs around links that are not confident 1-1 links and
    # searches again; "auto" is "lazy" when align() gets an embed_fn, else "sum".
    concat: str = "auto"
    lazy_sim: float = 0.3  # a 1-1 link at least this similar is "confident" in "lazy" mode
    joiner: str = " "  # how two sentences are joined before embedding the pair
