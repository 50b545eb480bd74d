"""Reading token log-probabilities exported by the MT system (``--mt-logprobs``).

MT systems built on Marian or CTranslate2 can write the log-probability of
every target token they produced. mtcheck reads two formats, one line per MT
segment, in the order of the MT segments:

* **JSONL** -- each line a JSON object ``{"tokens": [...], "logprobs": [...]}``
  with one log-probability per token. Tokens may be subword pieces in
  Moses/subword-nmt style (``"Moz@@"``), SentencePiece style (``"▁Moz"``) or
  plain words; a ``logprobs`` list one longer than ``tokens`` carries the
  end-of-sentence token last.
* **Plain** -- each line the space-separated log-probabilities of the BPE
  pieces (plus, optionally, the end-of-sentence token last), as in MLQE-PE's
  ``word_probas.*`` files. The pieces themselves come from a companion file
  with the same number of lines (MLQE-PE's ``mt.*``: Moses-tokenized,
  ``@@ `` joins pieces, ``&apos;``-style escapes). Pass it as ``tokens_path``;
  when omitted, a file named like the log-prob file with ``word_probas``
  replaced by ``mt`` (or with the suffix ``.tok``) is used if it exists.

Pieces are joined into tokens, unescaped and located in the detokenized MT
text, so each word of the MT gets the log-probabilities of the pieces that
overlap it (their sum, and the lowest one).
"""

from __future__ import annotations

import difflib
import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from mtcheck.errors import InputError
from mtcheck.qe.tokens import tokens as mt_tokens

#: Moses aggressive-hyphen style joiners (stand for the character, no spaces around).
_MOSES_JOINERS = {"@-@": "-", "@/@": "/", "@,@": ",", "@.@": "."}


@dataclass(frozen=True)
class WordLogprob:
    """Log-probabilities of one MT token (offsets local to the MT text)."""

    start: int
    end: int
    word: str
    logprob: float  # sum over the pieces that overlap the token
    min_logprob: float  # the least likely of those pieces
    pieces: int


@dataclass
class SegmentLogprobs:
    """The pieces and log-probabilities of one MT segment as exported."""

    pieces: list[str]
    logprobs: list[float]  # one per piece
    eos: float | None = None

    def mean(self) -> float:
        lp = self.logprobs + ([self.eos] if self.eos is not None else [])
        return sum(lp) / len(lp) if lp else 0.0


def _companion(path: Path) -> Path | None:
    cands = []
    if "word_probas" in path.name:
        cands.append(path.with_name(path.name.replace("word_probas", "mt")))
    cands.append(path.with_name(path.name + ".tok"))
    for c in cands:
        if c.exists():
            return c
    return None


def _floats(line: str, path: Path, lineno: int) -> list[float]:
    try:
        vals = [float(x) for x in line.split()]
    except ValueError:
        raise InputError(path, "expected space-separated log-probabilities", lineno) from None
    if any(math.isnan(v) or v > 1e-6 for v in vals):
        raise InputError(path, "log-probabilities must be numbers <= 0", lineno)
    return vals


def read_logprobs(path: str | Path, tokens_path: str | Path | None = None) -> list[SegmentLogprobs]:
    """Read a log-probability file (JSONL or plain, see the module doc), one entry per line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read log-probabilities: {exc}") from None
    first = next((ln for ln in lines if ln.strip()), "")
    out: list[SegmentLogprobs] = []
    if first.lstrip().startswith("{"):
        for i, line in enumerate(lines, 1):
            try:
                obj = json.loads(line)
                toks, lps = list(obj["tokens"]), [float(x) for x in obj["logprobs"]]
            except (ValueError, KeyError, TypeError):
                raise InputError(path, 'expected a JSON object {"tokens": [...], "logprobs": [...]}', i) from None
            out.append(_segment(toks, lps, path, i))
        return out
    tpath = Path(tokens_path) if tokens_path else _companion(path)
    if tpath is None:
        raise InputError(path, "plain log-probabilities need the tokenized MT (companion mt.* file); "
                               "use the JSONL format to give tokens and log-probabilities together")
    try:
        tok_lines = tpath.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(tpath, f"cannot read tokenized MT: {exc}") from None
    if len(tok_lines) != len(lines):
        raise InputError(path, f"{len(lines)} lines of log-probabilities but {len(tok_lines)} lines in {tpath}")
    for i, (tl, ll) in enumerate(zip(tok_lines, lines), 1):
        out.append(_segment(tl.split(), _floats(ll, path, i), path, i))
    return out


def _segment(pieces: list[str], lps: list[float], path: Path, lineno: int) -> SegmentLogprobs:
    if len(lps) == len(pieces) + 1:
        return SegmentLogprobs(pieces, lps[:-1], lps[-1])
    if len(lps) == len(pieces):
        return SegmentLogprobs(pieces, lps)
    raise InputError(path, f"{len(pieces)} tokens but {len(lps)} log-probabilities", lineno)


_ENTITY_RE = re.compile(r"&#?\w+;")


def _piece_chars(pieces: Sequence[str]) -> tuple[str, list[tuple[int, ...]]]:
    """The MT's non-space characters as the pieces spell them, and the piece of each.

    Pieces glued by ``@@`` are joined into tokens before unescaping, since
    BPE may split an escape (``&#@@ 12@@ 4@@ ;``); an unescaped character
    belongs to all the pieces its escape spans.
    """
    chars: list[str] = []
    owner: list[tuple[int, ...]] = []
    tok: list[tuple[str, int]] = []

    def flush() -> None:
        raw = "".join(c for c, _ in tok)
        own = [(k,) for _, k in tok]
        pos = 0
        for m in _ENTITY_RE.finditer(raw):
            chars.extend(raw[pos:m.start()])
            owner.extend(own[pos:m.start()])
            rep = html.unescape(m.group())
            chars.extend(rep)
            spanned = tuple(sorted({k for o in own[m.start():m.end()] for k in o}))
            owner.extend([spanned] * len(rep))
            pos = m.end()
        chars.extend(raw[pos:])
        owner.extend(own[pos:])
        tok.clear()

    for k, p in enumerate(pieces):
        if p in _MOSES_JOINERS:
            flush()
            p = _MOSES_JOINERS[p]
            glue = False
        else:
            p = p[1:] if p.startswith("▁") else p  # SentencePiece word-start mark
            glue = p.endswith("@@")
            if glue:
                p = p[:-2]
        tok.extend((c, k) for c in p if not c.isspace())
        if not glue:
            flush()
    flush()
    return "".join(chars), owner


def locate(text: str, surfaces: Sequence[str]) -> dict[int, int]:
    """Map offsets of ``text`` to the index of the token (surface string) covering them.

    Aligns the tokens' characters with the non-space characters of ``text``:
    exact in the usual case, with ``difflib`` bridging small differences such
    as changed quote marks. Offsets no token covers are absent.
    """
    owner: list[tuple[int, ...]] = []
    for k, s in enumerate(surfaces):
        owner.extend([(k,)] * len("".join(s.split())))
    found = locate_chars(text, "".join("".join(s.split()) for s in surfaces), owner)
    return {i: ks[0] for i, ks in found.items()}


def locate_chars(text: str, a: str, owner: Sequence[tuple[int, ...]]) -> dict[int, tuple[int, ...]]:
    """Like :func:`locate` for characters ``a``, each belonging to the tokens ``owner[i]``."""
    text_pos = [i for i, ch in enumerate(text) if not ch.isspace()]
    b = "".join(text[i] for i in text_pos)
    out: dict[int, tuple[int, ...]] = {}
    if a == b:
        for j, k in enumerate(owner):
            out[text_pos[j]] = k
        return out
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for ai, bi, n in sm.get_matching_blocks():
        for d in range(n):
            out[text_pos[bi + d]] = owner[ai + d]
    return out


def word_logprobs(mt_text: str, seg: SegmentLogprobs) -> list[WordLogprob]:
    """Map a segment's pieces onto the tokens of ``mt_text`` (see :mod:`mtcheck.qe.tokens`).

    Pieces are located by aligning their characters with the non-space
    characters of the text (exact in the usual case; ``difflib`` bridges
    small differences such as changed quote marks). Tokens that no piece
    overlaps get no entry.
    """
    char_piece = locate_chars(mt_text, *_piece_chars(seg.pieces))
    out: list[WordLogprob] = []
    for tok in mt_tokens(mt_text):
        ks = sorted({k for i in range(tok.start, tok.end) if i in char_piece for k in char_piece[i]})
        if not ks:
            continue
        lps = [seg.logprobs[k] for k in ks]
        out.append(WordLogprob(tok.start, tok.end, tok.text, sum(lps), min(lps), len(ks)))
    return out


def as_context_tuples(words: Sequence[WordLogprob]) -> list[tuple[int, int, float]]:
    """The ``(start, end, logprob)`` form that :class:`mtcheck.checks.base.PairContext` holds."""
    return [(w.start, w.end, w.logprob) for w in words]
