"""Feature extraction for the sentence and word quality models.

Everything here is cheap and deterministic: the sentence vectors are given
(embedded once per run by :class:`mtcheck.embed.EmbeddingStore`), the rest
are counts over the two texts and look-ups in the shipped lexicon. Optional
inputs (MT log-probabilities) add their own feature blocks, used only by the
model variants trained with them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from mtcheck.logprobs import WordLogprob
from mtcheck.qe.lexicon import Lexicon, key
from mtcheck.qe.tokens import is_word, tokens
from mtcheck.text import CYRILLIC_RE, LATIN_RE, script_share, words
from mtcheck.translit import matches as translit_matches

NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
QUOTES = "\"«»“”„'"
SUPPORT = 0.05  # a lexicon probability above this counts as a translation


@dataclass
class PairAnalysis:
    """Lexicon alignment of one pair, shared by sentence and word features."""

    src_keys: list[str]
    mt_tokens: list  # mtcheck.text.Word
    mt_keys: list[str]
    fwd: np.ndarray  # per MT token: max_s p(t|s)
    fwd_stem: np.ndarray  # per MT token: max_s p(t|stem(s))
    bwd: np.ndarray  # per MT token: max_s p(s|t)
    src_cov: np.ndarray  # per source word: max_t p(t|s) (stem backoff)
    known_tgt: np.ndarray
    known_src: np.ndarray
    aligned_src: np.ndarray  # per MT token: index of the source word that best translates to it, or -1


def analyse(src: str, mt: str, lex: Lexicon) -> PairAnalysis:
    src_keys = [key(w.text) for w in words(src)]
    toks = tokens(mt)
    mt_keys = [key(t.text) for t in toks]
    n, m = len(toks), len(src_keys)
    fwd, fwd_stem, bwd = np.zeros(n), np.zeros(n), np.zeros(n)
    src_cov = np.zeros(m)
    aligned = np.full(n, -1)
    for j, t in enumerate(mt_keys):
        best = SUPPORT
        for i, s in enumerate(src_keys):
            a = lex.p_tgt_given_src(s, t)
            b = lex.p_tgt_given_stem(s, t)
            if max(a, b) > best:
                best, aligned[j] = max(a, b), i
            fwd[j] = max(fwd[j], a)
            fwd_stem[j] = max(fwd_stem[j], b)
            bwd[j] = max(bwd[j], lex.p_src_given_tgt(s, t))
            src_cov[i] = max(src_cov[i], a, b)
    known_tgt = np.array([t in lex.tgt_count for t in mt_keys], dtype=float)
    known_src = np.array([s in lex.src_count for s in src_keys], dtype=float)
    return PairAnalysis(src_keys, toks, mt_keys, fwd, fwd_stem, bwd, src_cov, known_tgt, known_src, aligned)


def _log1(x: float) -> float:
    return math.log1p(max(0.0, x))


def _numbers(text: str) -> set[str]:
    return {re.sub(r"[.,]", "", n) for n in NUMBER_RE.findall(text)}


def sentence_scalars(src: str, mt: str, cos: float, an: PairAnalysis) -> dict[str, float]:
    """Scalar sentence features (everything but the embedding blocks)."""
    sw, mw = words(src), words(mt)
    ls, lm = len(src), len(mt)
    ns, nm = _numbers(src), _numbers(mt)
    word_mask = np.array([is_word(t.text) for t in an.mt_tokens], dtype=bool)
    fw = np.maximum(an.fwd, an.fwd_stem)[word_mask] if word_mask.any() else np.zeros(1)
    bw = an.bwd[word_mask] if word_mask.any() else np.zeros(1)
    kt = an.known_tgt[word_mask] if word_mask.any() else np.zeros(1)
    sc = an.src_cov if an.src_cov.size else np.zeros(1)
    ks = an.known_src if an.known_src.size else np.zeros(1)
    mkeys = [k for k, w in zip(an.mt_keys, word_mask) if w]
    bigrams = list(zip(mkeys, mkeys[1:]))
    cap = lambda ws: sum(1 for w in ws[1:] if w.text[:1].isupper()) / max(1, len(ws) - 1)  # noqa: E731
    end = lambda t: t.rstrip()[-1:] if t.strip() else ""  # noqa: E731
    return {
        "cos": cos,
        "log_chars_src": _log1(ls), "log_chars_mt": _log1(lm),
        "log_words_src": _log1(len(sw)), "log_words_mt": _log1(len(mw)),
        "char_ratio": math.log((lm + 1) / (ls + 1)), "word_ratio": math.log((len(mw) + 1) / (len(sw) + 1)),
        "abs_char_ratio": abs(math.log((lm + 1) / (ls + 1))),
        "num_missing": len(ns - nm) / (len(ns) + 1), "num_extra": len(nm - ns) / (len(nm) + 1),
        "q_diff": abs(sum(src.count(c) for c in QUOTES) - sum(mt.count(c) for c in QUOTES)),
        "qm_diff": abs(src.count("?") - mt.count("?")), "ex_diff": abs(src.count("!") - mt.count("!")),
        "paren_diff": abs(src.count("(") - mt.count("(")),
        "comma_ratio": math.log((mt.count(",") + 1) / (src.count(",") + 1)),
        "end_same": float(end(src) == end(mt)),
        "mt_cyrillic": script_share(mt, "cyrillic"), "src_latin": script_share(src, "latin"),
        "cap_diff": cap(mw) - cap(sw),
        "mt_repeat": (len(bigrams) - len(set(bigrams))) / max(1, len(bigrams)),
        "lex_fwd_mean": float(fw.mean()), "lex_fwd_support": float((fw > SUPPORT).mean()),
        "lex_bwd_mean": float(bw.mean()), "lex_tgt_known": float(kt.mean()),
        "lex_src_cov_mean": float(sc.mean()), "lex_src_cov_support": float((sc > SUPPORT).mean()),
        "lex_src_known": float(ks.mean()),
    }


def logprob_sentence(seg_lps: Sequence[float] | None, eos: float | None) -> dict[str, float]:
    lp = np.asarray(list(seg_lps or []) + ([eos] if eos is not None else []), dtype=float)
    if lp.size == 0:
        lp = np.zeros(1)
    return {"lp_mean": float(lp.mean()), "lp_min": float(lp.min()), "lp_std": float(lp.std()),
            "lp_low_share": float((lp < -2.0).mean()), "lp_eos": float(eos if eos is not None else 0.0),
            "lp_sum_log": -math.log1p(-float(lp.sum()))}


SENT_EMB_BLOCKS = ("u", "v", "u*v", "|u-v|")


def sentence_vector(scalars: dict[str, float], u: np.ndarray, v: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Features in the order of ``names`` followed by the embedding blocks."""
    u = np.asarray(u, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    return np.concatenate([[scalars[n] for n in names], u, v, u * v, np.abs(u - v)])


def word_matrix(src: str, mt: str, an: PairAnalysis, sent: dict[str, float], sent_pred: float,
                priors: dict[str, tuple[float, float]], wlp: Sequence[WordLogprob] | None,
                with_logprobs: bool, src_priors: dict[str, tuple[float, float]] | None = None,
                ) -> tuple[np.ndarray, list[str]]:
    """One row of word features per MT token (see :func:`mtcheck.qe.tokens.tokens`).

    ``priors`` give, per MT word type, its training count and BAD rate;
    ``src_priors`` the same for source words (how often their translation
    was post-edited), looked up for the source word each MT token translates.
    """
    toks = an.mt_tokens
    n = len(toks)
    src_words = [w.text for w in words(src)]
    src_nums = _numbers(src)
    fw = np.maximum(an.fwd, an.fwd_stem)
    lp_by_start = {w.start: w for w in (wlp or [])}
    pri = [priors.get(k, (0.0, -1.0)) for k in an.mt_keys]
    pbad = np.array([b if c > 0 else np.nan for c, b in pri])
    fill = float(np.nanmean(pbad)) if np.isfinite(pbad).any() else 0.0
    pbad = np.where(np.isnan(pbad), fill, pbad)  # unknown words: the sentence's mean
    spri = np.array([(src_priors or {}).get(k, (0.0, np.nan))[1] for k in an.src_keys] or [np.nan])
    sfill = float(np.nanmean(spri)) if np.isfinite(spri).any() else 0.0
    spri = np.where(np.isnan(spri), sfill, spri)
    rows = []
    names: list[str] = []
    for j, t in enumerate(toks):
        w = t.text
        isw = is_word(w)
        prior_n, prior_bad = pri[j]
        nums = _numbers(w)
        name_like = isw and w[:1].isupper() and j > 0 and bool(LATIN_RE.search(w))
        f = {
            "sent_pred": sent_pred, "cos": sent["cos"], "char_ratio": sent["char_ratio"],
            "lex_fwd_support": sent["lex_fwd_support"], "lex_src_cov_support": sent["lex_src_cov_support"],
            "log_words_mt": sent["log_words_mt"],
            "is_word": float(isw), "is_punct": float(not isw), "is_digit": float(any(c.isdigit() for c in w)),
            "is_cap": float(w[:1].isupper()), "is_caps": float(len(w) > 1 and w.isupper()),
            "is_first": float(j == 0), "is_last": float(j == n - 1), "rel_pos": j / max(1, n - 1),
            "log_len": _log1(len(w)), "cyrillic": float(bool(CYRILLIC_RE.search(w))),
            "prior_logn": _log1(prior_n), "prior_bad": prior_bad if prior_n > 0 else -1.0,
            "prior_known": float(prior_n > 0), "sent_prior_bad": fill,
            "prev_prior_bad": pbad[j - 1] if j > 0 else fill, "next_prior_bad": pbad[j + 1] if j + 1 < n else fill,
            "src_prior_mean": sfill, "src_prior_max": float(spri.max()),
            "aligned_src_prior": float(spri[an.aligned_src[j]]) if an.aligned_src[j] >= 0 else sfill,
            "aligned": float(an.aligned_src[j] >= 0),
            "fwd": an.fwd[j], "fwd_stem": an.fwd_stem[j], "bwd": an.bwd[j], "supported": float(fw[j] > SUPPORT),
            "known": an.known_tgt[j],
            "prev_fwd": fw[j - 1] if j > 0 else 1.0, "next_fwd": fw[j + 1] if j + 1 < n else 1.0,
            "prev2_fwd": fw[j - 2] if j > 1 else 1.0, "next2_fwd": fw[j + 2] if j + 2 < n else 1.0,
            "num_match": (1.0 if nums <= src_nums else 0.0) if nums else -1.0,
            "name_translit": (float(any(translit_matches(s, w) for s in src_words if CYRILLIC_RE.search(s)))
                              if name_like else -1.0),
        }
        if with_logprobs:
            cur = lp_by_start.get(t.start)
            lps = [lp_by_start.get(toks[k].start) for k in (j - 1, j + 1) if 0 <= k < n]
            f.update({
                "lp": cur.logprob if cur else 0.0, "lp_min": cur.min_logprob if cur else 0.0,
                "lp_pieces": float(cur.pieces) if cur else 1.0,
                "lp_ctx_min": min([x.min_logprob for x in lps if x] or [0.0]),
                "sent_lp_mean": sent.get("lp_mean", 0.0),
            })
        if not names:
            names = list(f)
        rows.append([f[k] for k in names])
    if not rows:
        return np.zeros((0, 0)), names
    return np.asarray(rows, dtype=np.float64), names
