"""The translator interface (argos-translate style): a real CTranslate2 engine,
a caching wrapper and a fake for tests all implement it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Sequence


@dataclass
class WordScore:
    """A word of the detokenized target with its aggregated log-probability."""

    start: int  # character offsets into the target sentence
    end: int
    word: str
    logprob: float  # sum of the word's token log-probabilities
    tokens: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class ScoreResult:
    """Forced-decoding score of one (source, target) pair."""

    tokens: list[tuple[str, float]]  # target pieces and their log-probabilities
    words: list[WordScore]
    mean_logprob: float

    def word_logprobs(self) -> list[tuple[int, int, float]]:
        """``(start, end, logprob)`` per word, the shape of ``PairContext.mt_word_logprobs``."""
        return [(w.start, w.end, w.logprob) for w in self.words]


class Translator(ABC):
    """Translates sentences from ``src_lang`` to ``tgt_lang`` and scores pairs.

    Models load lazily on the first call to ``translate`` or ``score``.
    """

    src_lang: str
    tgt_lang: str

    @property
    @abstractmethod
    def name(self) -> str: ...

    @property
    @abstractmethod
    def model_hash(self) -> str:
        """Content hash of the model files (goes into cache keys and the signature)."""

    @abstractmethod
    def translate(self, sentences: Sequence[str]) -> list[str]: ...

    @abstractmethod
    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[ScoreResult]: ...

    # Optional capability (added after the first interface; not abstract, so
    # existing implementations keep working).
    def align(self, sources: Sequence[str], targets: Sequence[str]) -> list[list[WordLink] | None]:
        """Source-target word links for each pair, or ``None`` where unsupported."""
        return [None] * len(sources)


@dataclass(frozen=True)
class WordLink:
    """One aligned word pair, as character offsets into the source and target."""

    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int
