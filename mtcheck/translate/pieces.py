"""SentencePiece pieces <-> words of the text: offsets, aggregation, splitting.

SentencePiece's Python API gives character offsets only through protobuf
output (an extra dependency), so the offsets are rebuilt here from the pieces:
the detokenized text is the concatenation of the pieces with ``▁`` as a
space; where normalization made it differ from the original sentence,
``difflib`` maps the offsets back onto the original.
"""

from __future__ import annotations

import difflib
from typing import Sequence

from mtcheck.text import words as text_words
from mtcheck.translate.base import WordScore

SPACE = "\u2581"  # SentencePiece's meta symbol for a space


def piece_spans(pieces: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The detokenized text and each piece's ``(start, end)`` in it (spaces excluded)."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, piece in enumerate(pieces):
        text = piece.replace(SPACE, " ")
        if i == 0 or pos == 0:
            text = text.lstrip(" ")  # the dummy prefix space is not part of the text
        lead = len(text) - len(text.lstrip(" "))
        out.append(text)
        spans.append((pos + lead, pos + len(text)))
        pos += len(text)
    return "".join(out), spans


def offset_map(surface: str, original: str) -> list[int]:
    """For each character position of ``surface`` (and its end), the position in ``original``."""
    if surface == original:
        return list(range(len(surface) + 1))
    mapping = [-1] * (len(surface) + 1)
    sm = difflib.SequenceMatcher(None, surface, original, autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size + 1):
            if a + k <= len(surface):
                mapping[a + k] = b + k
    # positions inside changed stretches take the next known position
    nxt = len(original)
    for i in range(len(surface), -1, -1):
        if mapping[i] == -1:
            mapping[i] = nxt
        else:
            nxt = mapping[i]
    return mapping


def aggregate_words(pieces: Sequence[str], logprobs: Sequence[float], target: str) -> list[WordScore]:
    """Sum piece log-probabilities over the words of ``target`` (mtcheck.text words).

    A piece belongs to the word its characters overlap; a bare ``▁`` piece
    belongs to the word that follows it; pieces of punctuation belong to no word.
    """
    surface, spans = piece_spans(pieces)
    omap = offset_map(surface, target)
    wlist = text_words(target)
    scores = [WordScore(w.start, w.end, w.text, 0.0, []) for w in wlist]
    pending: list[tuple[str, float]] = []
    wi = 0
    for piece, lp, (s, e) in zip(pieces, logprobs, spans):
        if s >= e:  # a bare space piece: carry it to the next word
            pending.append((piece, lp))
            continue
        os_, oe = omap[s], omap[e]
        while wi < len(wlist) and wlist[wi].end <= os_:
            wi += 1
        if wi < len(wlist) and wlist[wi].start < oe:
            target_word = scores[wi]
            for tok in pending + [(piece, lp)]:
                target_word.tokens.append(tok)
                target_word.logprob += tok[1]
        pending = []
    return [w for w in scores if w.tokens]


def split_pieces(pieces: list[str], limit: int) -> list[list[str]]:
    """Split an over-long piece sequence into chunks of at most ``limit`` pieces.

    Cuts prefer the end of a clause (after ``.;:!?,``), then a word start
    (a piece beginning with ``▁``), and only then any piece.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[list[str]] = []
    rest = list(pieces)
    while len(rest) > limit:
        window = rest[: limit + 1]
        lowest = max(limit // 2, 1)  # never cut off chunks shorter than half the limit
        cut = 0
        for i in range(limit, lowest - 1, -1):  # i = number of pieces kept
            if window[i - 1].rstrip()[-1:] in ".;:!?,":
                cut = i
                break
        if not cut:
            for i in range(limit, lowest - 1, -1):
                if window[i].startswith(SPACE):
                    cut = i
                    break
        cut = cut or limit
        chunks.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        chunks.append(rest)
    return chunks
