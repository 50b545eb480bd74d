"""Awkward English: repeated words, tokenisation debris, misspellings and runs
of words the MT engine itself found improbable.

- Repeated words ("the the"): fluency/grammar, unless the repetition is
  idiomatic ("had had", "bye bye") or the source repeats a word too
  ("очень-очень" -> "very very").
- Debris (" ,", "&apos;", "@@", "▁", "<unk>", double spaces):
  fluency/punctuation, unless the source shows the same debris (then the MT
  is faithful to a sloppy source).
- Misspellings through Hunspell (``mtcheck.spelling``): only lower-case,
  letters-only words (capitalised words are names or sentence starts and go
  to the names check), skipping words of the source and transliterations of
  source words, URLs, handles and hashtags.
- Low-probability runs: with ``ctx.mt_word_logprobs`` (from a ru->en model),
  runs of >= ``min_run`` consecutive words below ``logprob_threshold``.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from mtcheck.checks.base import Check, PairContext, register
from mtcheck.data import AlignedPair, Flag, Severity, Span
from mtcheck.text import words
from mtcheck.checks.names import phonetic_key
from mtcheck.translit import latin_variants

_REPEAT = re.compile(r"\b([A-Za-z]+(?:'[a-z]+)?)(\s+\1)+\b", re.IGNORECASE)
#: Repetitions that are grammatical or idiomatic in English.
_OK_REPEATS = {"had", "that", "bye", "no", "yes", "ha", "haha", "la", "knock", "tut", "go", "so", "very",
               "really", "well", "oh", "ah", "hey", "now", "come", "there", "is", "boo", "chop", "choo", "blah",
               "bla", "hip", "never", "more", "again", "over", "far", "long", "on", "round", "out", "up",
               "down", "in", "by", "step", "day", "year", "time", "one", "little", "less", "faster", "closer",
               "better", "worse", "higher", "bigger", "louder", "quickly", "slowly"}
_DEBRIS = [
    ("space before punctuation", re.compile(r"(?<=\w) +[,;](?=\s|$)|(?<=\w) +\.(?!\.)(?=\s|$)|(?<=\w) +[!?:](?=\s|$)")),
    ("split contraction", re.compile(r"\b\w+ +['’](?:t|s|re|ve|ll|d|m)\b|\b\w+n +['’]t\b")),
    ("HTML entity", re.compile(r"&(?:apos|quot|amp|lt|gt|#\d+|#x[0-9a-fA-F]+);")),
    ("BPE marker", re.compile(r"@@ ?|\u2581")),
    ("unknown-token marker", re.compile(r"<unk>|<UNK>|<s>|</s>")),
    ("double space", re.compile(r"(?<=\S)  +(?=\S)")),
]
_SKIP_CONTEXT = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+|[@#]\w+|\b[ru]/\w+|\S*[/\\_=]\S*")


@register
class AwkwardCheck(Check):
    name = "awkward"
    categories = ("fluency/grammar", "fluency/punctuation", "fluency/spelling", "style/awkward")
    uses = ("hunspell",)
    defaults = {
        "logprob_threshold": -1.5,  # per-word log-probability (natural log) under which a word is improbable; tuned on MLQE-PE dev
        "min_run": 2,  # consecutive improbable words that make a flag
        "spelling": True,
        "spelling_confidence": 0.6,
        "min_spelling_length": 3,
    }

    def check_pair(self, pair: AlignedPair, ctx: PairContext) -> Iterable[Flag]:
        mt = pair.mt_text
        if not mt.strip():
            return []
        flags = list(self._repeats(pair))
        flags += self._debris(pair)
        if self.options["spelling"]:
            speller = ctx.resources.get("hunspell")
            if speller is not None:
                flags += self._spelling(pair, speller)
        if ctx.mt_word_logprobs:
            flags += self._low_probability(ctx.mt_word_logprobs)
        return flags

    def _repeats(self, pair: AlignedPair) -> Iterable[Flag]:
        src_has_repeat = _has_repeat(pair.src_text)
        for m in _REPEAT.finditer(pair.mt_text):
            word = m.group(1).lower()
            if word in _OK_REPEATS or src_has_repeat:
                continue
            yield Flag(self.name, "fluency/grammar", Severity.MINOR, 0.8, f"Repeated word '{m.group(1)}'",
                       mt_span=Span(m.start(), m.end()), evidence={"repeated": m.group(1)},
                       suggestions=[m.group(1)])

    def _debris(self, pair: AlignedPair) -> Iterable[Flag]:
        for label, rx in _DEBRIS:
            if rx.search(pair.src_text):
                continue
            for m in rx.finditer(pair.mt_text):
                yield Flag(self.name, "fluency/punctuation", Severity.MINOR, 0.9,
                           f"Tokenisation debris ({label}): '{m.group()}'",
                           mt_span=Span(m.start(), m.end()), evidence={"debris": label, "text": m.group()})

    def _spelling(self, pair: AlignedPair, speller: Any) -> Iterable[Flag]:
        mt = pair.mt_text
        skip = [(m.start(), m.end()) for m in _SKIP_CONTEXT.finditer(mt)]
        src_lower = pair.src_text.lower()
        src_translits: frozenset[str] | None = None
        for w in words(mt):
            text = w.text
            if not text.isascii() or not text.replace("'", "").replace("-", "").isalpha():
                continue
            if not text.islower() or len(text) < self.options["min_spelling_length"]:
                continue
            if any(s <= w.start < e for s, e in skip):
                continue
            text = re.sub(r"['’]s$", "", text)
            parts = [p for p in re.split(r"-", text) if p]
            bad = [p for p in parts if not speller.accepts(p) and (len(parts) == 1 or len(p) >= 4)]
            if not bad or speller.known(text):
                continue
            if re.search(rf"(?<![a-z]){re.escape(text)}(?![a-z])", src_lower):
                continue
            if src_translits is None:
                src_translits = _source_keys(pair.src_text)
            if text in src_translits or phonetic_key(text) in src_translits:
                continue  # a transliteration of a source word (щи -> shi), not a misspelling
            suggestions = speller.suggest(text)
            yield Flag(self.name, "fluency/spelling", Severity.MINOR, self.options["spelling_confidence"],
                       f"Possible misspelling '{text}'", mt_span=Span(w.start, w.start + len(text)),
                       evidence={"word": text, "dictionary": "hunspell en_US", "suggestions": suggestions},
                       suggestions=suggestions)

    def _low_probability(self, logprobs: list[tuple[int, int, float]]) -> Iterable[Flag]:
        thr, min_run = self.options["logprob_threshold"], self.options["min_run"]
        run: list[tuple[int, int, float]] = []
        for item in list(logprobs) + [(0, 0, 0.0)]:
            if item[1] > item[0] and item[2] < thr:
                run.append(item)
                continue
            if len(run) >= min_run:
                mean = sum(r[2] for r in run) / len(run)
                yield Flag(self.name, "style/awkward", Severity.MINOR,
                           round(min(0.9, 0.4 + 0.05 * (thr - mean)), 3),
                           f"{len(run)} consecutive words the MT engine found improbable",
                           mt_span=Span(run[0][0], run[-1][1]),
                           evidence={"logprobs": [round(r[2], 3) for r in run], "threshold": thr})
            run = []



def _source_keys(src: str) -> frozenset[str]:
    """Transliterations (and their phonetic keys) of every source word and lemma."""
    from mtcheck.morph import lemma

    out: set[str] = set()
    for w in words(src):
        for form in {w.text, lemma(w.text)}:
            for v in latin_variants(form):
                out.add(v)
                out.add(phonetic_key(v))
    return frozenset(out)


def _has_repeat(src: str) -> bool:
    """The source repeats a word ("очень-очень", "солдат солдата"): compare lemmas."""
    from mtcheck.morph import lemma

    ws = [lemma(w.text) for w in words(src)]
    return any(a == b for a, b in zip(ws, ws[1:]))
