"""Direct speech and quotations in Russian and English text.

``find_quotes`` finds quoted passages: «ёлочки», „лапки“, “curly” and
"straight" quotation marks (nested ones too) and dialogue lines opened by a
dash (``— Реплика, — сказал он.``), with the speaker when an attribution
(заявил, отметил, said, according to ...) stands next to the quote.
``map_quotes`` pairs the quotes of a source with those of its translation;
``in_quote`` tells whether a span lies inside quoted speech (the pipeline
raises the severity of accuracy errors there: a wrong quote misreports what a
person said).

Written by hand: quotation scanning is a few dozen lines of bookkeeping over
a handful of characters, and no maintained library covers Russian typography
(«…» with „…“ nested, dialogue dashes) together with English.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from mtcheck.data import Span

#: Opening mark -> (closing marks, kind).
_PAIRS: dict[str, tuple[str, str]] = {
    "«": ("»", "guillemets"),
    "„": ("“”", "lapki"),
    "“": ("”", "curly"),
    "‘": ("’", "curly-single"),
    '"': ('"', "straight"),
}
_CLOSERS = set("»“”’\"")
_DASHES = "—–-"

SAY_VERBS = {
    "ru": (
        "заявил заявила заявили заявило сказал сказала сказали отметил отметила отметили добавил добавила "
        "добавили подчеркнул подчеркнула подчеркнули пояснил пояснила пояснили сообщил сообщила сообщили "
        "уточнил уточнила уточнили заметил заметила заметили признался призналась признал признала "
        "уверен уверена считает считают говорит говорят говорил говорила ответил ответила ответили "
        "написал написала написали продолжил продолжила спросил спросила заверил заверила указал указала "
        "рассказал рассказала объяснил объяснила констатировал констатировала резюмировал иронизировал "
        "иронизировала воскликнул воскликнула цитирует процитировал передает передаёт пишет"
    ).split(),
    "en": (
        "said says say told tells added noted stated explained stressed emphasized emphasised "
        "asked replied answered wrote writes insisted assured claimed declared remarked continued "
        "argued warned admitted announced commented specified observed quipped ironized informed "
        "reported recalled concluded pointed"
    ).split(),
}
ACCORDING = {"ru": ("по словам", "по мнению", "как заявил", "как сказал", "как отметил"),
             "en": ("according to", "in the words of", "as quoted by")}

_NAME = r"(?:[A-ZА-ЯЁ][\w’'\-]+(?:\s+[A-ZА-ЯЁ][\w’'\-]+){0,4})"
_PRON = {"ru": r"(?:он|она|они|оно)", "en": r"(?:he|she|they|it|we|I)"}


@dataclass(frozen=True)
class Quote:
    """A quoted passage: ``[start, end)`` with the marks, ``content`` without."""

    start: int
    end: int
    content_start: int
    content_end: int
    kind: str  # guillemets | lapki | curly | curly-single | straight | dash-dialogue
    speaker: str | None = None
    speaker_span: Span | None = None
    attribution: str | None = None  # the reporting verb or phrase, when found
    depth: int = 0  # 0 for outermost quotes, 1 for a quote inside a quote

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def content(self) -> Span:
        return Span(self.content_start, self.content_end)

    def text(self, full: str) -> str:
        return full[self.content_start:self.content_end]


@dataclass(frozen=True)
class QuoteLink:
    """A source quote and its counterpart in the translation (None when lost/added)."""

    src: Quote | None
    mt: Quote | None
    score: float


def scan_quotes(text: str, lang: str = "ru") -> tuple[list[Quote], list[int]]:
    """Quotes with marks in ``text`` and the offsets of marks left unmatched."""
    stack: list[tuple[str, int]] = []  # (opening mark, offset)
    quotes: list[Quote] = []
    unmatched: list[int] = []
    for i, ch in enumerate(text):
        if ch not in _PAIRS and ch not in _CLOSERS:
            continue
        if ch == "’" and _is_apostrophe(text, i):
            continue
        if ch in ("‘",) and not stack:
            continue  # a lone single quote is an apostrophe or a typo, not a quotation
        top = stack[-1][0] if stack else None
        if ch == '"':
            if top == '"' and not _opens(text, i):
                op, at = stack.pop()
                quotes.append(_mk(at, i, "straight", len(stack)))
            elif _opens(text, i):
                stack.append((ch, i))
            elif top == '"':
                op, at = stack.pop()
                quotes.append(_mk(at, i, "straight", len(stack)))
            else:
                unmatched.append(i)
            continue
        if ch == "“" and top == "„":
            op, at = stack.pop()
            quotes.append(_mk(at, i, "lapki", len(stack)))
            continue
        if top is not None and ch in _PAIRS[top][0]:
            op, at = stack.pop()
            quotes.append(_mk(at, i, _PAIRS[op][1], len(stack)))
            continue
        if ch in _PAIRS:
            stack.append((ch, i))
            continue
        # A closer that does not close the top: close a deeper one if it matches, else unmatched.
        depth = next((k for k in range(len(stack) - 1, -1, -1) if ch in _PAIRS[stack[k][0]][0]), None)
        if depth is None:
            unmatched.append(i)
            continue
        for op, at in stack[depth + 1:]:
            unmatched.append(at)
        op, at = stack[depth]
        del stack[depth:]
        quotes.append(_mk(at, i, _PAIRS[op][1], depth))
    unmatched.extend(at for _, at in stack)
    quotes.extend(_dialogue_lines(text, quotes))
    quotes = [_attribute(text, q, lang) for q in quotes]
    quotes.sort(key=lambda q: (q.start, -q.end))
    return quotes, sorted(unmatched)


def find_quotes(text: str, lang: str = "ru") -> list[Quote]:
    """All quotations and dialogue lines of ``text`` (Russian or English)."""
    return scan_quotes(text, lang)[0]


def unmatched_marks(text: str, lang: str = "ru") -> list[int]:
    """Offsets of quotation marks that open or close nothing."""
    return scan_quotes(text, lang)[1]


def _mk(open_at: int, close_at: int, kind: str, depth: int) -> Quote:
    return Quote(open_at, close_at + 1, open_at + 1, close_at, kind, depth=depth)


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum() or (before.isalpha() and after in " .,;:!?" and before in "sS")


def _opens(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space/start/bracket and precedes a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:«„“") and not after.isspace()


_DIALOGUE_RE = re.compile(r"(?m)^[ \t]*[—–][ \t\u00a0]*(?=\S)")


def _dialogue_lines(text: str, marked: list[Quote]) -> list[Quote]:
    """Lines opened by a dash are a character's (or an interviewee's) speech.

    The speech runs to the end of the line, or to the author's words
    introduced by ``, —`` (``— Да, — сказал он, — конечно.``).
    """
    out: list[Quote] = []
    for m in _DIALOGUE_RE.finditer(text):
        start = m.end()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if any(q.start <= start < q.end for q in marked):
            continue
        author = re.search(r"[,!?.…]\s*[—–]\s*(?=[a-zа-яё])", text[start:line_end])
        end = start + author.start() + (1 if text[start + author.start()] in "!?.…" else 0) if author else line_end
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Quote(m.start() + (len(m.group()) - len(m.group().lstrip())), end, start, end, "dash-dialogue"))
    return out


def _attribute(text: str, q: Quote, lang: str) -> Quote:
    """Find the speaker next to a quote: after it (``», — заявил Зась``) or before it (``Зась заявил: «``)."""
    verbs = SAY_VERBS.get(lang, SAY_VERBS["en"])
    verb_re = r"(?:" + "|".join(re.escape(v) for v in verbs) + r")"
    pron = _PRON.get(lang, _PRON["en"])
    after = text[q.end:q.end + 160]
    # «…», — заявил (генеральный секретарь ОДКБ) Станислав Зась: lower-case title words may precede the name.
    m = re.match(rf"\s*[,.!?…]?\s*[—–-]?\s*,?\s*(?P<verb>(?i:{verb_re}))\s+"
                 rf"(?P<who>(?:[a-zа-яё\-]+\s+){{0,4}}?{_NAME}|(?i:{pron})\b)", after)
    if m:
        return _with_speaker(q, m, q.end)
    m = re.match(rf"\s*[,.!?…]?\s*[—–-]?\s*,?\s*(?P<who>{_NAME}|{pron})\s+(?P<verb>{verb_re})\b", after)
    if m:
        return _with_speaker(q, m, q.end)
    if lang == "en":  # “…,” the secretary general added.
        m = re.match(rf"\s*[,.!?…]?\s*,?\s*(?P<who>(?:the|a|an|his|her|their)\s+[\w\- ]{{2,40}}?)\s+(?P<verb>{verb_re})\b", after)
        if m:
            return _with_speaker(q, m, q.end)
    before_start = max(0, q.start - 160)
    before = text[before_start:q.start]
    m = re.search(rf"(?P<who>{_NAME}|{pron})\s+(?:\w+\s+)?(?P<verb>{verb_re})\s*(?:,?\s*(?:что|that)\s*)?:?\s*$", before)
    if m:
        return _with_speaker(q, m, before_start)
    m = re.search(rf"(?P<verb>{verb_re})\s+(?P<who>{_NAME})\s*:?\s*$", before)
    if m:
        return _with_speaker(q, m, before_start)
    for phrase in ACCORDING.get(lang, ()):
        m = re.search(rf"(?i:{re.escape(phrase)})\s+(?P<who>{_NAME})", text[before_start:q.end + 160])
        if m:
            return _with_speaker(q, m, before_start, verb=phrase)
    return q


def _with_speaker(q: Quote, m: re.Match, base: int, verb: str | None = None) -> Quote:
    who = m.group("who")
    return Quote(q.start, q.end, q.content_start, q.content_end, q.kind, speaker=who,
                 speaker_span=Span(base + m.start("who"), base + m.end("who")),
                 attribution=verb or m.group("verb"), depth=q.depth)


def in_quote(span: Span | None, quotes: list[Quote], min_share: float = 0.5) -> bool:
    """Whether at least ``min_share`` of ``span`` lies inside the content of a quote."""
    if span is None or not quotes:
        return False
    length = max(1, span.end - span.start)
    for q in quotes:
        inside = min(span.end, q.content_end) - max(span.start, q.content_start)
        if inside > 0 and inside / length >= min_share:
            return True
        if span.start == span.end and q.content_start <= span.start < q.content_end:
            return True
    return False


def outer(quotes: list[Quote]) -> list[Quote]:
    """Quotes not nested in another quote."""
    return [q for q in quotes if not any(o is not q and o.start <= q.start and q.end <= o.end
                                         and (o.start, o.end) != (q.start, q.end) for o in quotes)]


def map_quotes(src_quotes: list[Quote], mt_quotes: list[Quote], src_len: int, mt_len: int,
               min_score: float = 0.35) -> list[QuoteLink]:
    """Pair source quotes with MT quotes, keeping their order (monotone alignment).

    Similarity combines where the quote sits in its text (relative position of
    its centre) and how long it is relative to the text; a quote whose best
    counterpart scores under ``min_score`` is reported unpaired. Texts are the
    whole pair (or document) each quote list was found in.
    """
    s, t = len(src_quotes), len(mt_quotes)

    def sim(a: Quote, b: Quote) -> float:
        pa = (a.start + a.end) / 2 / max(1, src_len)
        pb = (b.start + b.end) / 2 / max(1, mt_len)
        la = (a.end - a.start) / max(1, src_len)
        lb = (b.end - b.start) / max(1, mt_len)
        ratio = abs(math.log((la + 0.02) / (lb + 0.02)))
        return max(0.0, 1.0 - 2.0 * abs(pa - pb) - 0.5 * ratio)

    # Needleman-Wunsch style DP maximising the total similarity of the pairs taken.
    best = [[0.0] * (t + 1) for _ in range(s + 1)]
    move = [[""] * (t + 1) for _ in range(s + 1)]
    for i in range(s + 1):
        for j in range(t + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i and j:
                sc = sim(src_quotes[i - 1], mt_quotes[j - 1])
                if sc >= min_score:
                    options.append((best[i - 1][j - 1] + sc, "d"))
            if i:
                options.append((best[i - 1][j], "s"))
            if j:
                options.append((best[i][j - 1], "t"))
            best[i][j], move[i][j] = max(options)
    links: list[QuoteLink] = []
    i, j = s, t
    while i or j:
        mv = move[i][j]
        if mv == "d":
            links.append(QuoteLink(src_quotes[i - 1], mt_quotes[j - 1], sim(src_quotes[i - 1], mt_quotes[j - 1])))
            i, j = i - 1, j - 1
        elif mv == "s":
            links.append(QuoteLink(src_quotes[i - 1], None, 0.0))
            i -= 1
        else:
            links.append(QuoteLink(None, mt_quotes[j - 1], 0.0))
            j -= 1
    links.reverse()
    return links
