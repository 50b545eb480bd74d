"""Untranslated text: Cyrillic left in the English, and source copied to target.

Decisions:

- Every run of Cyrillic words in the MT is flagged (one flag per run, the span
  covering the run). A run in quotes (« », " ", “ ”) that also carries a Latin
  gloss or transliteration in parentheses right next to it ('the word «тоска»
  (longing)') is a deliberately kept term and is not flagged; a quoted run
  without a gloss is flagged minor with low confidence (it may be deliberate),
  an unquoted one major.
- MT identical or near-identical to a source that is mostly Cyrillic is a copy:
  one critical flag over the whole MT. A source that is mostly Latin (an
  English quotation, code, a URL) may legitimately be copied.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Iterable

from mtcheck.checks.base import Check, PairContext, register
from mtcheck.data import AlignedPair, Flag, Severity, Span
from mtcheck.text import lang_script, normalize, script_share

_CYR_WORD = r"[^\W\d_]*[\u0400-\u04FF][^\W\d_]*(?:[-'’][^\W\d_]+)*"
_CYR_RUN = re.compile(rf"{_CYR_WORD}(?:[\s,\-–]+{_CYR_WORD})*")
_QUOTES = {"«": "»", '"': '"', "“": "”", "„": "“", "'": "'"}
_GLOSS_AFTER = re.compile(r"^\s*[»\"”'“]?\s*\([^()\u0400-\u04FF]*[A-Za-z][^()\u0400-\u04FF]*\)")
_GLOSS_BEFORE = re.compile(r"\([^()\u0400-\u04FF]*[A-Za-z][^()\u0400-\u04FF]*\)\s*[«\"“']?\s*$")


def _quoted(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return bool(before) and before[-1] in _QUOTES and bool(after) and after[0] == _QUOTES[before[-1]]


@register
class UntranslatedCheck(Check):
    name = "untranslated"
    categories = ("accuracy/untranslated",)
    defaults = {
        "copy_ratio": 0.9,  # similarity (after normalising) that makes the MT a copy of the source
        "min_source_script_share": 0.5,  # the source must be mostly in its own script for a copy to count
        "min_source_letters": 4,  # "7 926 531-85-28 и ..." copied is not untranslated text
    }

    def check_pair(self, pair: AlignedPair, ctx: PairContext) -> Iterable[Flag]:
        mt = pair.mt_text
        if not mt.strip():
            return []
        src_script = lang_script(ctx.resources.src_lang)
        tgt_script = lang_script(ctx.resources.tgt_lang)
        flags: list[Flag] = []
        src_letters = sum(1 for ch in pair.src_text if ch.isalpha())
        if src_letters >= self.options["min_source_letters"] and \
                script_share(pair.src_text, src_script) >= self.options["min_source_script_share"]:
            ratio = SequenceMatcher(None, normalize(pair.src_text).strip(), normalize(mt).strip()).ratio()
            if ratio >= self.options["copy_ratio"]:
                return [Flag(self.name, "accuracy/untranslated", Severity.CRITICAL, round(min(0.99, ratio), 3),
                             "The translation is a copy of the source",
                             mt_span=Span(0, len(mt)), src_span=Span(0, len(pair.src_text)),
                             evidence={"similarity": round(ratio, 3)})]
        if src_script != "cyrillic" or tgt_script == "cyrillic":
            return flags
        share = script_share(mt, "cyrillic")
        for m in _CYR_RUN.finditer(mt):
            s, e = m.start(), m.end()
            run = m.group()
            quoted = _quoted(mt, s, e)
            glossed = bool(_GLOSS_AFTER.match(mt[e:]) or _GLOSS_BEFORE.search(mt[:s]))
            in_src = run.lower() in pair.src_text.lower()
            evidence = {"cyrillic": run, "quoted": quoted, "glossed": glossed, "in_source": in_src,
                        "cyrillic_share": round(share, 3)}
            if quoted and glossed:
                continue
            if quoted:
                flags.append(Flag(self.name, "accuracy/untranslated", Severity.MINOR, 0.4,
                                  f"Quoted Russian '{run}' left in the translation (deliberate only if explained)",
                                  mt_span=Span(s, e), evidence=evidence, in_quote=True))
                continue
            severity = Severity.CRITICAL if share >= 0.5 else Severity.MAJOR
            flags.append(Flag(self.name, "accuracy/untranslated", severity, 0.9 if in_src else 0.8,
                              f"Untranslated Russian '{run}'", mt_span=Span(s, e), evidence=evidence))
        return flags
