"""Sentence segmentation with character offsets.

The boundaries come from **sentencex** (Wikimedia's rule-based segmenter,
maintained, ~300 languages, returns character offsets), chosen over pysbd
(last release 2021, weaker on Russian) and razdel (Russian only) by
``bench/segment.py`` on the fixtures in ``tests/fixtures/segmentation``.
Around it mtcheck adds only what the fixtures showed it gets wrong:

* **Lines.** The text is first cut into paragraphs at blank lines and into
  lines at single newlines. A single newline ends a sentence (headings,
  list items and dialogue lines have no final punctuation) *unless* the next
  line starts with a lower-case letter, which marks a hard-wrapped sentence
  continuing. The paragraph index counts blank-line breaks only; a heading
  followed by a single newline stays in the paragraph of its text.
  sentencex treats a newline inside a paragraph as part of the sentence.
* **Abbreviations and initials.** A cut right after a short abbreviation
  that is never sentence-final in practice (``им.``, ``ул.``, ``Mr.``,
  ``Dr.``, ``No.``, ``e.g.`` …) or after a single capital letter (``В.``,
  ``J.``) is removed; a cut after an abbreviation that often ends sentences
  (``г.``, ``руб.``, ``т. д.``, ``etc.``, ``U.S.``) is removed only when the
  next word starts with a lower-case letter or a digit.
* **Closing quotes and brackets.** A cut that separates ``?``/``!``/``.``
  from a closing quote (``»``, ``“``, ``”``, ``"``) or bracket is moved
  past it; a cut between ``?»``/``!"`` and a lower-case word or a dialogue
  dash (``«Кто там?» — спросил он``) is removed.
* **Dialogue dashes.** ``— Да, — сказал он. — Я согласен.``: a cut is
  added before a dash that follows sentence-final punctuation and starts a
  new remark.

Every non-whitespace character of the text belongs to exactly one sentence:
the segmenter only decides *cut points*, and sentences are the stretches
between consecutive cuts with surrounding whitespace trimmed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable

from mtcheck.data import Document, Segment

#: A backend maps (text without newlines, lang) to sentence start offsets.
Backend = Callable[[str, str], list[int]]

_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_WS_RE = re.compile(r"\s+")

# --- abbreviations -------------------------------------------------------
# Lower-cased, without the final dot; "t. d." style multi-part forms are
# matched by their last part plus the preceding context (see _ends_with_abbr).

#: Never end a sentence in practice: always glued to what follows.
_NEVER_FINAL = {
    "ru": {
        "им", "ул", "пр", "просп", "пер", "д", "кв", "корп", "стр", "обл", "р-н", "пос", "дер", "с", "ст", "ч",
        "п", "пп", "т", "гл", "рис", "табл", "см", "ср", "напр", "проф", "акад", "доц", "канд", "ген", "полк",
        "св", "тов", "гр", "г-н", "г-жа", "оз", "о", "пл", "наб", "бул", "ш", "тел", "факс", "№", "вып", "изд",
        "кн", "ок", "прим", "род", "ум",
    },
    "en": {
        "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "v", "e.g", "i.e", "cf", "approx", "fig", "figs",
        "art", "sec", "ch", "vol", "pp", "p", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "gen", "col", "lt", "sgt", "capt", "rev", "hon", "sen", "rep", "gov", "pres", "mt",
        "ft", "jr", "sr", "ph.d", "dept", "est", "tel", "ave", "blvd", "rd",
    },
}

#: Often end a sentence: glued only when a lower-case word or a digit follows.
_OFTEN_FINAL = {
    "ru": {
        "г", "гг", "в", "вв", "руб", "коп", "тыс", "млн", "млрд", "трлн", "км", "кг", "м", "см", "мм", "л",
        "д", "др", "пр", "т. д", "т. п", "т. е", "т.д", "т.п", "т.е", "и т. д", "долл", "ч", "мин", "сек",
        "чел", "экз", "ед", "шт", "ок", "англ", "нем", "франц", "лат",
    },
    "en": {
        "etc", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "inc", "ltd", "co", "corp", "jr", "sr", "ph.d", "al",
        "u.s.a", "d.c", "b.c", "a.d", "st",
    },
}

_INITIAL_RE = re.compile(r"(?:^|[\s(«„“\"'])(\w)\.\s*$", re.UNICODE)
_WORD_BEFORE_DOT_RE = re.compile(r"([^\s(«„“\"'\[]+)\.\s*$", re.UNICODE)
_CLOSERS = "»“”\"'’)]"
_DASHES = "—–-"


def _line_chunks(text: str, start: int, end: int, join_wrapped: bool = True) -> list[tuple[int, int]]:
    """Lines of ``text[start:end]``, merged where the next line starts lower case (if ``join_wrapped``)."""
    chunks: list[tuple[int, int]] = []
    pos = start
    cur_start = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            break
        nxt = nl + 1
        while nxt < end and text[nxt] in " \t\r\f\v":
            nxt += 1
        if join_wrapped and nxt < end and text[nxt].isalpha() and text[nxt].islower():
            pos = nl + 1  # hard-wrapped line: the sentence goes on
            continue
        chunks.append((cur_start, nl))
        cur_start = pos = nl + 1
    chunks.append((cur_start, end))
    return chunks


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the stretches between blank lines."""
    out = []
    pos = 0
    for m in _BLANK_LINE_RE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


# --- backends ------------------------------------------------------------

def sentencex_starts(text: str, lang: str) -> list[int]:
    """Sentence start offsets from sentencex (character offsets)."""
    from sentencex import get_sentence_boundaries

    return [b["start_index"] for b in get_sentence_boundaries(lang, text)]


_PYSBD = {}


def pysbd_starts(text: str, lang: str) -> list[int]:
    """Sentence start offsets from pysbd (``char_span`` mode); English rules for unknown languages."""
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    code = lang if lang in LANGUAGE_CODES else "en"
    if code not in _PYSBD:
        _PYSBD[code] = pysbd.Segmenter(language=code, clean=False, char_span=True)
    return [s.start for s in _PYSBD[code].segment(text)]


def razdel_starts(text: str, lang: str) -> list[int]:
    """Sentence start offsets from razdel (Russian rules whatever ``lang`` is)."""
    from razdel import sentenize

    return [s.start for s in sentenize(text)]


BACKENDS: dict[str, Backend] = {"sentencex": sentencex_starts, "pysbd": pysbd_starts, "razdel": razdel_starts}


# --- post-processing -----------------------------------------------------

def _glue_abbreviation(left: str, right: str, lang: str) -> bool:
    """Whether a cut between ``left`` (ending in a dot) and ``right`` is a false one."""
    base = lang.split("-")[0]
    stripped = left.rstrip()
    if not stripped.endswith("."):
        return False
    nxt = right.lstrip()
    if not nxt:
        return False
    first = nxt[0]
    lower_or_digit = (first.isalpha() and first.islower()) or first.isdigit()
    m = _WORD_BEFORE_DOT_RE.search(stripped)
    word = m.group(1).lower() if m else ""
    tail3 = " ".join(stripped[:-1].split()[-3:]).lower()
    tail2 = " ".join(stripped[:-1].split()[-2:]).lower()
    tail2 = tail2[tail2.rfind("(") + 1:] if "(" in tail2 else tail2
    never = _NEVER_FINAL.get(base, set())
    often = _OFTEN_FINAL.get(base, set())
    if word in never and (first.isalnum() or first in "«„“\"'("):
        # "ч. 2", "им. Пушкина", "Mr. Smith"; not before a dash or nothing.
        if (word in often or tail2 in often or tail3 in often) and not lower_or_digit:
            return False
        return True
    if _INITIAL_RE.search(stripped) and first.isalpha() and first.isupper():
        # "В. В. Путин", "J. R. R. Tolkien": a single capital letter then a capitalised word.
        letter = _INITIAL_RE.search(stripped).group(1)
        if letter.isupper():
            return True
    if lower_or_digit and (word in often or tail2 in often or tail3 in often or "." in word[:-1]):
        return True
    if first.isalpha() and first.islower() and len(word) <= 4 and word.isalpha():
        # A short word with a dot followed by lower case: an abbreviation we do not list.
        return True
    return False


_LIST_MARKER_RE = re.compile(r"^(?:\d{1,3}|[A-Za-zА-Яа-я]|[IVXLC]{1,5})[.)]$")
_NUMBER_BEFORE_RE = re.compile(r"(?:\d|\b[IVXLC]+)\s*$")
#: Abbreviations of units that end a sentence only after a number ("в 1956 г.", "в XII в.").
_AFTER_NUMBER_ONLY = {"г", "гг", "в", "вв"}


def _added_cuts(text: str, lang: str) -> list[int]:
    """Cuts sentencex misses: after a sentence-final abbreviation, an ellipsis or a
    closing bracket before a capitalised word, and before a dialogue dash."""
    base = lang.split("-")[0]
    often = _OFTEN_FINAL.get(base, set())
    out: list[int] = []
    for m in re.finditer(r"(\S+)\.(\s+)(?=[\"«„“(]*[A-ZА-ЯЁ])", text):
        word = m.group(1).lower()
        before = text[:m.start(1)]
        tail2 = " ".join((before + m.group(1)).split()[-2:]).lower()
        if word in _AFTER_NUMBER_ONLY and base == "ru":
            if not _NUMBER_BEFORE_RE.search(before):
                continue  # "в г. Москве", "В. В. Путин": not a year or a century
        elif word not in often and tail2 not in often:
            continue
        out.append(m.end())
    for m in re.finditer(r"(?:…|\.\.\.|[.?!…][)\]])\s+(?=[\"«„“(—–-]?\s*[A-ZА-ЯЁ0-9])", text):
        out.append(m.end())
    # Dialogue: "— Да, — сказал он. — Я согласен." — a dash after final punctuation
    # opens a new remark when a capitalised word follows it.
    for m in re.finditer(r"[.?!…]\s+([—–])\s+(?=[A-ZА-ЯЁ])", text):
        out.append(m.start(1))
    return out


def _fix_cuts(text: str, cuts: list[int], lang: str) -> list[int]:
    """Apply the post-processing rules (see module doc) to cut offsets inside one chunk."""
    out: list[int] = []
    prev = 0
    for c in sorted(set(cuts) | set(_added_cuts(text, lang))):
        # Move a cut past closing quotes/brackets that belong to the sentence before it.
        while c < len(text) and text[c] in _CLOSERS and c > 0 and text[c - 1] in ".?!…":
            c += 1
        left = text[:c]
        right = text[c:]
        ls = left.rstrip()
        rs = right.lstrip()
        if not rs or not ls:
            continue
        if _LIST_MARKER_RE.match(text[prev:c].strip()):
            continue  # "1. Откройте файл." — the marker belongs to its item
        if _glue_abbreviation(left, right, lang):
            continue
        # «Кто там?» — спросил он / "Stop!" shouted the guard / "Run!" she cried
        if ls[-1] in _CLOSERS and len(ls) > 1 and ls[-2] in "?!…." and ls[-1] not in ")]":
            if rs[0] in _DASHES[:2] or (rs[0].isalpha() and rs[0].islower()) or rs[0] == ",":
                continue
        # «Прочь! — закричал он»: a dash then a lower-case word continues the sentence.
        if ls[-1] in "?!" and rs[0] in _DASHES:
            after_dash = rs[1:].lstrip()
            if after_dash[:1].isalpha() and after_dash[:1].islower():
                continue
        if ls[-1] in "?!" and rs[0].isalpha() and rs[0].islower():
            continue
        out.append(c)
        prev = c
    return sorted(set(out))


def _chunk_cuts(text: str, start: int, end: int, lang: str, backend: Backend) -> list[int]:
    """Cut offsets (absolute) inside ``text[start:end]``, a stretch without sentence-ending newlines."""
    chunk = text[start:end].replace("\n", " ").replace("\r", " ")
    if not chunk.strip():
        return []
    raw = [s for s in backend(chunk, lang) if 0 < s < len(chunk)]
    return [start + c for c in _fix_cuts(chunk, raw, lang)]


def sentence_spans(text: str, lang: str, backend: str | Backend = "sentencex",
                   post_process: bool = True, join_wrapped_lines: bool = True) -> list[tuple[int, int, int]]:
    """``(start, end, paragraph)`` of every sentence of ``text``.

    ``text[start:end]`` is the sentence without surrounding whitespace; the
    paragraph index counts blank-line breaks before the sentence. Every
    non-whitespace character belongs to exactly one sentence. With
    ``join_wrapped_lines`` False every newline ends a sentence (for texts
    made of units joined by newlines). ``backend`` and ``post_process``
    exist for the benchmark.
    """
    fn = BACKENDS[backend] if isinstance(backend, str) else backend
    cuts: list[int] = []
    para_starts: list[int] = []
    for p_start, p_end in _paragraphs(text):
        para_starts.append(p_start)
        if post_process:
            chunks = _line_chunks(text, p_start, p_end, join_wrapped_lines)
        else:
            chunks = [(p_start, p_end)]
        for c_start, c_end in chunks:
            cuts.append(c_start)
            if post_process:
                cuts.extend(_chunk_cuts(text, c_start, c_end, lang, fn))
            else:
                chunk = text[c_start:c_end]
                cuts.extend(c_start + s for s in fn(chunk, lang) if 0 < s < len(chunk))
    bounds = sorted(set(cuts)) + [len(text)]
    out: list[tuple[int, int, int]] = []
    for a, b in zip(bounds, bounds[1:]):
        seg = text[a:b]
        stripped = seg.strip()
        if not stripped:
            continue
        s = a + (len(seg) - len(seg.lstrip()))
        e = s + len(stripped)
        out.append((s, e, bisect_right(para_starts, s) - 1))
    return out


def segment_document(doc: Document) -> list[Segment]:
    """Sentences of ``doc`` as ``Segment`` objects (``line`` is 1-based, of the sentence start).

    In a ``units`` document (units joined by newlines) a newline always ends a sentence.
    """
    spans = sentence_spans(doc.text, doc.lang, join_wrapped_lines=doc.kind != "units")
    line_starts = [0] + [m.end() for m in re.finditer("\n", doc.text)]
    return [
        Segment(doc_id=doc.id, index=i, start=s, end=e, text=doc.text[s:e], paragraph=p,
                line=bisect_right(line_starts, s))
        for i, (s, e, p) in enumerate(spans)
    ]


def sentences(text: str, lang: str, **kwargs) -> list[str]:
    """The sentence texts (convenience for tests and the benchmark)."""
    return [text[s:e] for s, e, _ in sentence_spans(text, lang, **kwargs)]


def collapse_ws(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()
