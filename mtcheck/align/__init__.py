"""Sentence alignment of a document and its translation (vecalign-style
links: 1-1, 1-2, 2-1, 2-2, 1-0 omissions, 0-1 additions).

``align`` is a pure function over sentence vectors and texts; ``score_alignment``
scores links against gold ones as vecalign's scorer does; ``gap_flags`` turns
omissions and additions into report flags (``gap_evidence`` gathers their
evidence); ``backtranslation_sim`` makes Bleualign's back-translation chrF an
``extra_sim``; ``align_document`` and ``aligned_pairs`` connect it to
``DocumentPair``/``AlignedPair``. Serialisation is in ``mtcheck.align.output``. Importing this
package loads no model.
"""

from mtcheck.align.aligner import align, joined_pairs
from mtcheck.align.backtranslation import backtranslation_sim
from mtcheck.align.config import AlignConfig
from mtcheck.align.flags import gap_evidence, gap_flags
from mtcheck.align.pairs import align_document, aligned_pairs
from mtcheck.align.scoring import score_alignment, score_alignments

__all__ = ["AlignConfig", "align", "align_document", "aligned_pairs", "backtranslation_sim", "gap_evidence", "gap_flags", "joined_pairs",
           "score_alignment", "score_alignments"]
