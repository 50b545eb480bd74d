"""Sentence quality scores and word-level OK/BAD tags from the shipped models.

Two predictors, both small numpy networks (a linear layer, an MLP with
ReLU hidden layers, or the mean of several) over standardised features from
:mod:`mtcheck.qe.features`, trained by ``bench/train_qe.py`` on MLQE-PE
ru-en train (model selection on dev):

* the **sentence** model predicts the human DA z-score; the score is that
  prediction mapped linearly onto the 0-100 DA scale (the fit of raw mean
  DA on z_mean in training data) and clipped to 0-100;
* the **word** model gives every MT token (word or punctuation mark) a
  probability of being BAD (changed by a post-editor); a token is tagged BAD
  when the probability reaches the threshold tuned on dev for MCC.

Variants: ``base`` uses only what a plain pip install provides (e5 vectors,
lengths, punctuation/number/script/casing cues, the shipped lexicon);
``logprobs`` adds the MT system's token log-probabilities. ``auto`` picks the
richest variant whose inputs are present. The checks' flags are not model
inputs: the models were trained before the checks existed, so a score does
not change when checks are switched on or off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from mtcheck.data import Flag, ModelInfo
from mtcheck.errors import ModelError
from mtcheck.logprobs import SegmentLogprobs, WordLogprob, word_logprobs as map_word_logprobs
from mtcheck.qe.artefact import load_npz, sha256_file
from mtcheck.qe.features import (
    PairAnalysis, analyse, logprob_sentence, sentence_scalars, sentence_vector, word_matrix,
)
from mtcheck.qe.lexicon import Lexicon

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
LEXICON_FILE = "lexicon-ru-en.json.gz"
VARIANTS = ("base", "logprobs")

#: Default label thresholds on the 0-100 score: ``good`` at or above
#: ``good``, ``bad`` below ``bad``, ``review`` in between. On the DA scale
#: the score imitates, 64 % of MLQE-PE ru-en train segments are >= 70 and
#: 21 % are < 45 (same values as the pipeline's ``DEFAULT_LABELS``).
DEFAULT_THRESHOLDS = {"good": 70.0, "bad": 45.0}


def label(score: float, thresholds: dict[str, float] | None = None) -> str:
    """``"good"``, ``"review"`` or ``"bad"`` for a 0-100 score."""
    t = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    if t["bad"] > t["good"]:
        from mtcheck.errors import ConfigError

        raise ConfigError("thresholds", f"bad ({t['bad']}) must not exceed good ({t['good']})")
    if score >= t["good"]:
        return "good"
    return "bad" if score < t["bad"] else "review"


def document_score(scores: Sequence[float | None], src_texts: Sequence[str]) -> float | None:
    """One 0-100 score for a document: segment scores weighted by source length in words.

    Longer sentences hold more of the content, so they weigh more; an
    omission (a source sentence with no MT, scored 0 by the caller) counts
    with its full length. ``None`` scores are left out.
    """
    from mtcheck.text import words

    num = den = 0.0
    for sc, src in zip(scores, src_texts):
        if sc is None:
            continue
        w = max(1, len(words(src)))
        num += w * sc
        den += w
    return num / den if den else None


@dataclass
class Network:
    """Standardise, then linear layers with ReLU between them."""

    mean: np.ndarray
    std: np.ndarray
    layers: list[tuple[np.ndarray, np.ndarray]]

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], n_layers: int, prefix: str = "") -> "Network":
        layers = [(arrays[f"{prefix}W{i}"].astype(np.float64), arrays[f"{prefix}b{i}"].astype(np.float64))
                  for i in range(n_layers)]
        return cls(arrays["mean"].astype(np.float64), arrays["std"].astype(np.float64), layers)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        h = (X - self.mean) / self.std
        for i, (W, b) in enumerate(self.layers):
            h = h @ W + b
            if i < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return h[:, 0]


@dataclass
class Ensemble:
    """The mean output of several networks over the same standardised features."""

    members: list[Network]

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> "Ensemble":
        members = meta.get("members") or [{"prefix": "", "n_layers": meta["n_layers"]}]
        return cls([Network.from_arrays(arrays, m["n_layers"], m["prefix"]) for m in members])

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return np.mean([m(X) for m in self.members], axis=0)


@dataclass
class SentenceModel:
    net: Ensemble
    meta: dict[str, Any]
    path: Path

    @property
    def scalar_names(self) -> list[str]:
        return self.meta["scalars"]

    def predict_z(self, X: np.ndarray) -> np.ndarray:
        return self.net(X) if len(X) else np.zeros(0)

    def to_score(self, z: np.ndarray) -> np.ndarray:
        a, b = self.meta["z_to_da"]
        return np.clip(a * z + b, 0.0, 100.0)


@dataclass
class WordModel:
    net: Ensemble
    meta: dict[str, Any]
    priors: dict[str, tuple[float, float]]
    src_priors: dict[str, tuple[float, float]]
    path: Path

    @property
    def threshold(self) -> float:
        return float(self.meta["threshold"])

    @property
    def feature_names(self) -> list[str]:
        return self.meta["features"]

    def p_bad(self, X: np.ndarray) -> np.ndarray:
        if not len(X):
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self.net(X)))


def _load_sentence(path: Path) -> SentenceModel:
    arrays, meta = load_npz(path)
    return SentenceModel(Ensemble.from_arrays(arrays, meta), meta, path)


def _load_word(path: Path) -> WordModel:
    arrays, meta = load_npz(path)
    def table(prefix: str) -> dict[str, tuple[float, float]]:
        return {str(k): (float(n), float(b))
                for k, n, b in zip(arrays[f"{prefix}_keys"], arrays[f"{prefix}_n"], arrays[f"{prefix}_bad"])}

    return WordModel(Ensemble.from_arrays(arrays, meta), meta, table("prior"), table("src_prior"), path)


@dataclass
class QEModels:
    """The loaded sentence and word models of one variant, plus the lexicon."""

    variant: str
    sentence: SentenceModel
    word: WordModel
    lexicon: Lexicon
    lexicon_path: Path
    notes: list[str] = field(default_factory=list)
    _analysis: dict[tuple[str, str], PairAnalysis] = field(default_factory=dict, repr=False)

    @property
    def uses_logprobs(self) -> bool:
        return self.variant == "logprobs"

    def model_infos(self) -> list[ModelInfo]:
        """Artefacts for the report signature (role, name with variant, file hash, version)."""
        out = []
        for role, m in (("qe-sentence", self.sentence), ("qe-word", self.word)):
            out.append(ModelInfo(role, f"{m.meta['name']}-{self.variant}", sha256_file(m.path), m.meta["version"]))
        out.append(ModelInfo("qe-lexicon", "mlqe-ru-en-lexicon", sha256_file(self.lexicon_path),
                             self.sentence.meta["version"]))
        return out

    def _an(self, src: str, mt: str) -> PairAnalysis:
        k = (src, mt)
        if k not in self._analysis:
            if len(self._analysis) > 20000:
                self._analysis.clear()
            self._analysis[k] = analyse(src, mt, self.lexicon)
        return self._analysis[k]

    def _sentence_rows(self, src_texts, mt_texts, src_vecs, mt_vecs, extras) -> tuple[np.ndarray, list[dict]]:
        rows, scal = [], []
        for i, (s, m) in enumerate(zip(src_texts, mt_texts)):
            u, v = np.asarray(src_vecs[i], dtype=np.float64), np.asarray(mt_vecs[i], dtype=np.float64)
            cos = float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-12))
            d = sentence_scalars(s, m, cos, self._an(s, m))
            if self.uses_logprobs:
                seg = _segment_logprobs(extras, i)
                d.update(logprob_sentence(seg.logprobs if seg else None, seg.eos if seg else None))
            scal.append(d)
            rows.append(sentence_vector(d, u, v, self.sentence.scalar_names))
        X = np.vstack(rows) if rows else np.zeros((0, 0))
        return X, scal

    def predict_z(self, src_texts, mt_texts, src_vecs, mt_vecs, extras=None) -> np.ndarray:
        X, _ = self._sentence_rows(src_texts, mt_texts, src_vecs, mt_vecs, extras)
        return self.sentence.predict_z(X)

    def score_pairs(self, src_texts: Sequence[str], mt_texts: Sequence[str], src_vecs: np.ndarray,
                    mt_vecs: np.ndarray, flags_per_pair: list[list[Flag]] | None = None,
                    extras: list[dict] | None = None) -> list[float]:
        """0-100 quality scores (higher is better), one per pair; 0 for omissions and additions.

        ``extras[i]`` may hold ``"mt_logprobs"``: a :class:`SegmentLogprobs`
        (used by the ``logprobs`` variant). ``flags_per_pair`` is accepted
        for interface stability and not used (see the module doc).
        """
        _check_lengths(src_texts, mt_texts, src_vecs, mt_vecs)
        z = self.predict_z(src_texts, mt_texts, src_vecs, mt_vecs, extras)
        scores = [float(x) for x in self.sentence.to_score(z)]
        # an omission (no MT) or an addition (no source) is a translation error whatever its features say
        return [0.0 if not s.strip() or not m.strip() else x for s, m, x in zip(src_texts, mt_texts, scores)]

    def tag_words(self, src_texts: Sequence[str], mt_texts: Sequence[str], src_vecs: np.ndarray,
                  mt_vecs: np.ndarray, word_logprobs: list[list[WordLogprob] | None] | None = None,
                  extras: list[dict] | None = None) -> list[list[tuple[int, int, str, float]]]:
        """``(start, end, token, p_bad)`` for every MT token, offsets local to ``mt_texts[i]``.

        A token is BAD when ``p_bad >= self.word.threshold``. ``word_logprobs``
        (per pair, from :func:`mtcheck.logprobs.word_logprobs`) is computed from
        ``extras[i]["mt_logprobs"]`` when not given.
        """
        _check_lengths(src_texts, mt_texts, src_vecs, mt_vecs)
        X, scal = self._sentence_rows(src_texts, mt_texts, src_vecs, mt_vecs, extras)
        z = self.sentence.predict_z(X)
        out = []
        for i, (s, m) in enumerate(zip(src_texts, mt_texts)):
            an = self._an(s, m)
            wlp = word_logprobs[i] if word_logprobs is not None else None
            if wlp is None and self.uses_logprobs:
                seg = _segment_logprobs(extras, i)
                wlp = map_word_logprobs(m, seg) if seg else None
            if not s.strip():  # an addition: every word of it lacks a source
                out.append([(t.start, t.end, t.text, 1.0) for t in an.mt_tokens])
                continue
            W, names = word_matrix(s, m, an, scal[i], float(z[i]), self.word.priors, wlp, self.uses_logprobs,
                                   self.word.src_priors)
            if not len(W):
                out.append([])
                continue
            if names != self.word.feature_names:
                raise ModelError(f"{self.word.path.name}: feature names differ from this mtcheck version")
            p = self.word.p_bad(W)
            out.append([(t.start, t.end, t.text, float(pb)) for t, pb in zip(an.mt_tokens, p)])
        return out


def _segment_logprobs(extras, i) -> SegmentLogprobs | None:
    if not extras or extras[i] is None:
        return None
    return extras[i].get("mt_logprobs")


def _check_lengths(*seqs) -> None:
    n = {len(s) for s in seqs}
    if len(n) > 1:
        raise ValueError(f"inputs differ in length: {sorted(n)}")


def available_variants(directory: Path = ARTEFACTS) -> list[str]:
    return [v for v in VARIANTS
            if (directory / f"qe-sentence-{v}.npz").exists() and (directory / f"qe-word-{v}.npz").exists()]


def load_models(variant: str = "auto", has_logprobs: bool = False, has_backtranslation: bool = False,
                has_dictionary: bool = False, directory: Path | None = None) -> QEModels:
    """Load the QE models of ``variant`` (``auto``: the richest one the inputs allow).

    No variant uses back-translations or system dictionaries yet (none could
    be trained: no MT model exists on the training machine); those inputs are
    noted in ``QEModels.notes`` and leave the choice unchanged.
    """
    directory = directory or ARTEFACTS
    have = available_variants(directory)
    notes = []
    if variant == "auto":
        variant = "logprobs" if has_logprobs and "logprobs" in have else "base"
        if has_backtranslation:
            notes.append("no QE variant uses back-translation yet; the score ignores it")
        if has_dictionary:
            notes.append("no QE variant uses system dictionaries yet; the score ignores them")
    if variant not in VARIANTS:
        from mtcheck.errors import ConfigError

        raise ConfigError("qe.variant", f"unknown variant {variant!r} (choose auto, {', '.join(VARIANTS)})")
    if variant not in have:
        raise ModelError(f"QE model variant {variant!r} is not installed in {directory}")
    try:
        lex_path = directory / LEXICON_FILE
        lex = Lexicon.load(lex_path)
        sent = _load_sentence(directory / f"qe-sentence-{variant}.npz")
        word = _load_word(directory / f"qe-word-{variant}.npz")
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load QE models ({variant}): {exc}") from None
    return QEModels(variant, sent, word, lex, lex_path, notes)
