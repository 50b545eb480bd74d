"""Coverage: content missing from the translation (omission) or added to it.

Decisions (precision before recall):

- A Russian content word (noun, verb and its forms, adjective, numeral word;
  light verbs and pronominal adjectives excluded) is *missing* when Müller's
  dictionary knows it (``en_for_ru_lemma``) and none of its English
  equivalents occurs in the MT: compared as simplemma lemmas, multi-word
  equivalents need all their words, a shared six-letter prefix counts
  (derivations), currency/percent symbols count as their words, a
  transliteration counts (names), and for verbs the equivalents of lemmas
  sharing the stem count too (Müller lists ``отмечать``, the text says
  ``отметил``) and so do those of its aspect partner and unprefixed verb
  (``найти``/``находить``, ``подумать``/``думать``); a numeral word counts as found when the MT has digits (the
  numbers check compares values). A word the dictionary does not know is
  never flagged.
- With a back-translation (``ctx.backtranslation``, Russian), a missing word
  whose lemma the back-translation contains is dropped (the MT conveys it);
  a flag confirmed this way gets more confidence.
- Only then are clauses embedded (``ctx.resources.embeddings``): both sides
  are cut at ``, ; :``, dashes, brackets and sentence ends; a source clause with missing
  words is compared with every MT clause and every two adjacent MT clauses
  joined. An omission needs both signals of the embedder:
  (1) the clause's best similarity is below ``clause_threshold`` (below
  ``single_word_threshold`` when a single word is missing), and
  (2) cutting the clause out of the source does not lower the source's
  similarity to the whole MT by more than ``ablation_max`` (a clause the
  MT conveys lowers it by 0.04-0.08 with e5-small; an omitted one raises
  it). So a word merely translated with a synonym the dictionary lacks sits
  in a covered clause and is not flagged; a clause that is the whole
  sentence is never judged (nothing to cut it against).
- One flag per clause: ``src_span`` from the first to the last missing word,
  ``mt_span`` the most similar MT clause (window).
- Additions mirror this: English words (not function words, 3+ letters)
  whose Russian equivalents (``ru_for_en``) are all absent from the source
  lemmas (stems, aspect partners and unprefixed verbs compared too) and
  that are not part of a two- or three-word dictionary phrase whose
  equivalents are in the source (``fur coat`` = ``шуба``), inside an MT clause that fails both tests
  against the source.
- Severity: major when the missing words weigh at least 2 (noun, verb,
  numeral 1; participle 0.8; adjective 0.6) or at least 1 and half the
  clause's content, else minor; additions: major from two words or half the
  clause. Confidence 0.35-0.9 grows with the similarity gap, the share of the
  clause missing and back-translation agreement (rough, not fitted).
- Without the dictionary resource (``resources.get("dictionary")`` is None)
  or the embedding store the check does nothing and says nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from mtcheck.checks.base import Check, PairContext, register
from mtcheck.data import AlignedPair, Flag, Severity, Span
from mtcheck.text import normalize, words

_CLAUSE_SPLIT_RE = re.compile(r"\s*(?:[,;:()\[\]]|\s[—–-]\s|—)\s*|(?<=[.!?…])\s+")
_CYR_RE = re.compile(r"[\u0400-\u04FF]")

#: OpenCorpora POS tags counted as content, with their weight for severity.
_RU_WEIGHT = {"NOUN": 1.0, "VERB": 1.0, "INFN": 1.0, "PRTF": 0.8, "PRTS": 0.8, "GRND": 0.8, "NUMR": 1.0,
              "ADJF": 0.6, "ADJS": 0.6, "COMP": 0.6}
#: Symbols that stand for a word in English text ("$1 billion" for "1 млрд долларов").
_SYMBOL_WORDS = {"$": "dollar", "€": "euro", "£": "pound", "₽": "rouble", "%": "percent", "&": "and",
                 "№": "number", "°": "degree"}
_VERBAL = {"VERB", "INFN", "PRTF", "PRTS", "GRND"}
#: Russian lemmas too light or too generic to count as missing content.
_RU_LIGHT = {
    "быть", "мочь", "стать", "являться", "иметь", "который", "свой", "весь", "этот", "тот", "такой", "сам",
    "самый", "один", "какой", "наш", "ваш", "мой", "твой", "каждый", "другой", "иной", "некоторый", "год",
    "также", "нужно", "должный", "делать", "сделать", "становиться", "оказаться", "раз",
    "случай", "время", "данный", "следующий", "последний", "первый", "второй", "должен", "хотеть",
}
#: English function and light words never flagged as additions (hand-written: no stop-word
#: list ships with the packages the project already uses).
_EN_LIGHT = set("""
a an the and or but nor so yet for of to in on at by with from into onto upon about above below over under
after before between through during without within against among around across along behind beyond near
off out up down than then there here this that these those it its it's he him his she her hers they them
their theirs we us our you your yours i me my mine who whom whose which what when where why how whether if
while as because since until unless though although also too very just only even still already again ever
never not no yes all any some each every both either neither other another such same more most less least
much many few several own be is are was were been being am have has had having do does did done doing will
would shall should can could may might must get got gets getting make made makes let lets one ones thing
things way well really quite rather however therefore thus hence indeed now today said says say tell told
mr mrs ms dr st per via etc like unlike whereas matter myself yourself himself herself itself ourselves
yourselves themselves oneself s t don didn doesn isn aren wasn weren won wouldn
""".split())


@dataclass
class _Clause:
    start: int
    end: int
    text: str


@dataclass
class _Word:
    start: int
    end: int
    text: str
    lemma: str
    weight: float
    candidates: list[str] = field(default_factory=list)


def clauses(text: str) -> list[_Clause]:
    """Clauses of ``text`` cut at commas, semicolons, colons, dashes, brackets and sentence ends."""
    out: list[_Clause] = []
    pos = 0
    for m in list(_CLAUSE_SPLIT_RE.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        piece = text[pos:end]
        s = pos + len(piece) - len(piece.lstrip())
        e = pos + len(piece.rstrip())
        if e > s and words(text[s:e]):
            out.append(_Clause(s, e, text[s:e]))
        if m:
            pos = m.end()
    return out


def _windows(cl: list[_Clause], text: str) -> list[_Clause]:
    """Each clause and each two adjacent clauses joined (as the original substring)."""
    out = list(cl)
    for a, b in zip(cl, cl[1:]):
        out.append(_Clause(a.start, b.end, text[a.start:b.end]))
    return out


def _best_matches(store: Any, left: list[_Clause], right: list[_Clause]) -> list[tuple[float, int]]:
    """For each clause of ``left``: (best similarity, index of the best clause in ``right``)."""
    if not left or not right:
        return [(0.0, -1) for _ in left]
    lv = store.vectors([c.text for c in left])
    rv = store.vectors([c.text for c in right])
    sims = np.asarray(lv) @ np.asarray(rv).T
    return [(float(row.max()), int(row.argmax())) for row in sims]


def _ablation_delta(store: Any, text: str, clause: _Clause, other: str) -> float | None:
    """How much the similarity of ``text`` to ``other`` drops when ``clause`` is cut out of it.

    Positive: the clause carries content that ``other`` has. Zero or negative:
    ``other`` reads better without it, i.e. it probably lacks that content.
    None when the clause is the whole text.
    """
    rest = (text[:clause.start].rstrip(" ,;:—–-") + " " + text[clause.end:].lstrip(" ,;:—–-")).strip()
    if not words(rest):
        return None
    v = store.vectors([text, rest, other])
    return float(v[0] @ v[2] - v[1] @ v[2])


#: Aspect partners that share no prefix (hand-written: pymorphy does not link aspect pairs).
_ASPECT_PAIRS = {
    "взять": "брать", "сказать": "говорить", "положить": "класть", "поймать": "ловить", "сесть": "садиться",
    "лечь": "ложиться", "купить": "покупать", "дать": "давать", "понять": "понимать", "начать": "начинать",
    "принять": "принимать", "занять": "занимать", "снять": "снимать", "поднять": "поднимать",
    "найти": "находить", "пойти": "идти", "прийти": "приходить", "уйти": "уходить",
}
_ASPECT_PAIRS.update({v: k for k, v in list(_ASPECT_PAIRS.items())})
_VERB_PREFIXES = ("недо", "пере", "пред", "разо", "рас", "раз", "при", "про", "под", "над", "обо", "об", "от",
                  "ото", "вы", "вз", "вс", "воз", "вос", "до", "за", "из", "ис", "на", "по", "со", "с", "у", "о", "в")


def _ru_variants(lemma: str) -> set[str]:
    """Related Russian lemmas a dictionary may list instead: aspect partners and the unprefixed verb.

    ``найти``/``находить``, ``прийти``/``приходить`` (``-йти`` = ``-ходить``),
    ``подумать``/``думать``, ``дожить``/``жить``.
    """
    out = {lemma}
    if lemma in _ASPECT_PAIRS:
        out.add(_ASPECT_PAIRS[lemma])
    if lemma.endswith("йти") and len(lemma) > 4:
        out.add(lemma[:-3] + "ходить")
    if lemma.endswith(("ть", "ться", "ти", "чь")):
        for pre in _VERB_PREFIXES:
            rest = lemma[len(pre):]
            if lemma.startswith(pre) and len(rest) >= 4:
                out.add(rest)
                out.add(_ASPECT_PAIRS.get(rest, rest))
    return out


def _stem_match(a: str, b: str) -> bool:
    """Russian lemmas sharing a stem: a common prefix of 4+ letters, at most 4 letters short of either."""
    if len(a) < 6 or len(b) < 6:
        return False
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= min(len(a), len(b)) - 4


def _prefix_match(a: str, b: str, n: int = 6) -> bool:
    return len(a) >= n and len(b) >= n and a[:n] == b[:n]


def load_dictionary_resource(cache_dir: Path | None):
    """The pipeline's ``resources.loaders["dictionary"]`` (see ``mtcheck.dictionary``)."""
    from mtcheck.dictionary import load_dictionary_resource as load

    return load(cache_dir)


@register
class CoverageCheck(Check):
    name = "coverage"
    categories = ("accuracy/omission", "accuracy/addition")
    uses = ("dictionary",)
    defaults = {
        "clause_threshold": 0.86,  # a clause is covered when its best cross-lingual cosine reaches this
        "single_word_threshold": 0.8,  # the same limit when the clause misses a single word
        # a flag also needs cutting the clause out to lower the sentence similarity by at most this:
        "ablation_max": 0.01,
        "min_clause_words": 2,  # shorter clauses are not judged (too little for the embedder)
        "additions": True,
    }

    def check_pair(self, pair: AlignedPair, ctx: PairContext) -> Iterable[Flag]:
        src, mt = pair.src_text, pair.mt_text
        if not src.strip() or not mt.strip():
            return []
        dictionary = ctx.resources.get("dictionary")
        store = ctx.resources.embeddings
        if dictionary is None or store is None:
            return []
        from mtcheck.dictionary import english_lemmas

        src_cl, mt_cl = clauses(src), clauses(mt)
        if not src_cl or not mt_cl:
            return []
        mt_words = words(mt)
        mt_lemmas: set[str] = set()
        for w in mt_words:
            mt_lemmas |= english_lemmas(w.text)
        mt_lemmas |= {word for sym, word in _SYMBOL_WORDS.items() if sym in mt}
        src_lemma_set = {lm for _, _, lm in self._src_lemmas(src, ctx)}
        flags: list[Flag] = []
        flags.extend(self._omissions(pair, ctx, dictionary, store, src_cl, mt_cl, mt_words, mt_lemmas))
        if self.options["additions"]:
            flags.extend(self._additions(pair, ctx, dictionary, store, src_cl, mt_cl, src_lemma_set))
        return flags

    # --- helpers -----------------------------------------------------------

    @staticmethod
    def _src_lemmas(src: str, ctx: PairContext) -> list[tuple[int, int, str]]:
        from mtcheck.morph import lemmas

        return ctx.memo("coverage.src_lemmas", lambda: lemmas(src))

    def _too_short(self, clause: _Clause) -> bool:
        """Clauses this short are not judged: the embedder says little about them."""
        return len(words(clause.text)) < self.options["min_clause_words"]

    @staticmethod
    def _confidence(sim: float, threshold: float, share: float, bt_agrees: bool) -> float:
        gap = max(0.0, threshold - sim)
        conf = 0.35 + min(0.3, gap * 4) + 0.2 * share + (0.1 if bt_agrees else 0.0)
        return round(min(0.9, conf), 3)

    def _missing_words(self, clause: _Clause, dictionary, mt_lower, mt_lemmas, bt_lemmas, mt_has_digits):
        """(content words, missing words) of a source clause."""
        from mtcheck.dictionary import english_lemmas
        from mtcheck.morph import lemma, pos
        from mtcheck.translit import matches

        content: list[_Word] = []
        missing: list[_Word] = []
        for w in words(clause.text):
            if not _CYR_RE.search(w.text):
                continue
            tag = pos(w.text)
            lm = lemma(w.text)
            if tag not in _RU_WEIGHT or lm in _RU_LIGHT:
                continue
            word = _Word(clause.start + w.start, clause.start + w.end, w.text, lm, _RU_WEIGHT[tag],
                         sorted(dictionary.en_for_ru_lemma(lm)))
            content.append(word)
            if not word.candidates:
                continue  # unknown to the dictionary: no evidence either way
            if tag == "NUMR" and mt_has_digits:
                continue  # "две тысячи" may well be "2,000": the numbers check compares values
            if any(matches(w.text, m) or matches(lm, m) for m in mt_lower):
                continue  # a name, transliterated
            if self._found(word.candidates, mt_lemmas, english_lemmas):
                continue
            if tag in _VERBAL and self._found(sorted(self._verb_candidates(dictionary, lm)), mt_lemmas,
                                              english_lemmas):
                continue  # an aspect partner or derivation the dictionary lists instead
            if bt_lemmas is not None and lm in bt_lemmas:
                continue  # the back-translation says the MT conveys it
            missing.append(word)
        return content, missing

    @staticmethod
    def _verb_candidates(dictionary, lm: str) -> set[str]:
        out: set[str] = set()
        # Strong (one-word) links only: a related verb's multi-word glosses ("строить мост"
        # for "bridge") would match too much.
        for v in _ru_variants(lm) - {lm}:
            out |= dictionary.en_for_ru_lemma(v, loose=False)
        if len(lm) > 6:
            out |= dictionary.en_for_ru_stem(lm[:len(lm) - 4], loose=False)
        return out

    def _omissions(self, pair, ctx, dictionary, store, src_cl, mt_cl, mt_words, mt_lemmas) -> list[Flag]:
        from mtcheck.morph import lemmas as ru_lemmas

        bt_lemmas = None
        if ctx.backtranslation:
            bt_lemmas = {lm for _, _, lm in ru_lemmas(ctx.backtranslation)}
        mt_lower = [normalize(w.text) for w in mt_words]
        # Dictionary first (cheap); only clauses with missing words reach the embedder.
        todo = []
        for clause in src_cl:
            if self._too_short(clause):
                continue
            content, missing = self._missing_words(clause, dictionary, mt_lower, mt_lemmas, bt_lemmas,
                                                   any(ch.isdigit() for ch in pair.mt_text))
            if missing:
                todo.append((clause, content, missing))
        if not todo:
            return []
        mt_windows = _windows(mt_cl, pair.mt_text)
        best = _best_matches(store, [t[0] for t in todo], mt_windows)
        flags: list[Flag] = []
        for (clause, content, missing), (sim, best_i) in zip(todo, best):
            if not self._uncovered(sim, len(missing)):
                continue
            delta = _ablation_delta(store, pair.src_text, clause, pair.mt_text)
            if delta is None or delta > self.options["ablation_max"]:
                continue
            weight = sum(w.weight for w in missing)
            share = weight / max(1e-9, sum(w.weight for w in content))
            severity = Severity.MAJOR if weight >= 2 or (share >= 0.5 and weight >= 1) else Severity.MINOR
            best_mt = mt_windows[best_i] if best_i >= 0 else None
            words_txt = ", ".join(w.text for w in missing)
            flags.append(Flag(
                self.name, "accuracy/omission", severity,
                self._confidence(sim, self.options["clause_threshold"], share, bt_lemmas is not None),
                f"Source content missing from the translation: {words_txt}",
                src_span=Span(missing[0].start, missing[-1].end),
                mt_span=Span(best_mt.start, best_mt.end) if best_mt else None,
                evidence={
                    "word": missing[0].text, "lemma": missing[0].lemma,
                    "words": [w.text for w in missing], "lemmas": [w.lemma for w in missing],
                    "candidates": {w.lemma: w.candidates[:20] for w in missing},
                    "clause": clause.text, "clause_similarity": round(sim, 4),
                    "ablation_delta": round(delta, 4),
                    "best_mt_clause": best_mt.text if best_mt else None,
                    "missing_share": round(share, 3),
                    "backtranslation_checked": bt_lemmas is not None,
                }))
        return flags

    def _uncovered(self, sim: float, n_words: int) -> bool:
        """A clause is uncovered below the threshold; a lone word needs a clearer gap."""
        limit = self.options["clause_threshold"] if n_words >= 2 else self.options["single_word_threshold"]
        return sim < limit

    @staticmethod
    def _found(cands: list[str], mt_lemmas: set[str], english_lemmas) -> bool:
        for c in cands:
            parts = c.split()
            if len(parts) == 1:
                forms = english_lemmas(c)
                if forms & mt_lemmas:
                    return True
                if any(_prefix_match(f, m) for f in forms for m in mt_lemmas):
                    return True
            elif all(english_lemmas(p) & mt_lemmas for p in parts if p not in _EN_LIGHT):
                return True
        return False

    def _additions(self, pair, ctx, dictionary, store, src_cl, mt_cl, src_lemma_set) -> list[Flag]:
        from mtcheck.translit import matches

        src_words = [normalize(w.text) for w in words(pair.src_text)]
        src_lemma_set = set().union(*(_ru_variants(lm) for lm in src_lemma_set)) if src_lemma_set else set()
        src_cyr_lemmas = [lm for lm in src_lemma_set if _CYR_RE.search(lm) and len(lm) >= 6]
        # Words covered as part of a dictionary phrase ("fur coat" = "шуба").
        mt_ws = words(pair.mt_text)
        in_phrase: set[int] = set()
        for n in (2, 3):
            for i in range(len(mt_ws) - n + 1):
                phrase = " ".join(normalize(w.text) for w in mt_ws[i:i + n])
                if dictionary.ru_for_en(phrase) & src_lemma_set:
                    in_phrase.update(w.start for w in mt_ws[i:i + n])
        todo = []
        for clause in mt_cl:
            if self._too_short(clause):
                continue
            content: list[_Word] = []
            added: list[_Word] = []
            for w in words(clause.text):
                if clause.start + w.start in in_phrase:
                    continue
                low = normalize(w.text)
                if not w.text.isalpha() or len(low) < 3 or low in _EN_LIGHT or _CYR_RE.search(low):
                    continue
                cands = dictionary.ru_for_en(low)
                word = _Word(clause.start + w.start, clause.start + w.end, w.text, low, 1.0, sorted(cands)[:20])
                content.append(word)
                if not cands or cands & src_lemma_set:
                    continue
                if any(_stem_match(c, lm) for c in cands for lm in src_cyr_lemmas):
                    continue  # an aspect partner or derivation (наряжать / нарядить)
                if any(matches(s, low) for s in src_words if _CYR_RE.search(s)):
                    continue
                added.append(word)
            if added:
                todo.append((clause, content, added))
        if not todo:
            return []
        src_windows = _windows(src_cl, pair.src_text)
        best = _best_matches(store, [t[0] for t in todo], src_windows)
        flags: list[Flag] = []
        for (clause, content, added), (sim, best_i) in zip(todo, best):
            if not self._uncovered(sim, len(added)):
                continue
            delta = _ablation_delta(store, pair.mt_text, clause, pair.src_text)
            if delta is None or delta > self.options["ablation_max"]:
                continue
            share = len(added) / max(1, len(content))
            severity = Severity.MAJOR if len(added) >= 2 or share >= 0.5 else Severity.MINOR
            best_src = src_windows[best_i] if best_i >= 0 else None
            flags.append(Flag(
                self.name, "accuracy/addition", severity,
                self._confidence(sim, self.options["clause_threshold"], share, False),
                f"Translation content with no counterpart in the source: {', '.join(w.text for w in added)}",
                mt_span=Span(added[0].start, added[-1].end),
                src_span=Span(best_src.start, best_src.end) if best_src else None,
                evidence={
                    "word": added[0].text, "lemma": added[0].lemma,
                    "words": [w.text for w in added],
                    "candidates": {w.lemma: w.candidates for w in added},
                    "clause": clause.text, "clause_similarity": round(sim, 4),
                    "ablation_delta": round(delta, 4),
                    "best_src_clause": best_src.text if best_src else None,
                    "added_share": round(share, 3),
                }))
        return flags
