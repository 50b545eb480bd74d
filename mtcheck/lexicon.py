"""The Russian idiom lexicon: loading, validation and matching.

The lexicon is a tab-separated data file (``mtcheck/data/idioms_ru.tsv``,
format in ``docs/lexicon.md``). Each entry gives an idiom's Russian form, a
lemma pattern used to find it in running text, its meaning, idiomatic English
equivalents and the English "literal cues" whose presence in a translation
betrays a word-for-word rendering.

Matching works on pymorphy3 lemmas (through :mod:`mtcheck.morph`), so
inflected forms and small changes of word order still match: every required
pattern token must be found among the words of a short window of the source.
English cues are compared by Snowball stems (``snowballstemmer``, the stemmer
Sphinx uses), so "jerking" matches the cue "jerk" and "noodles" the cue "noodle".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from mtcheck.errors import InputError
from mtcheck.text import normalize, words

#: Where the built-in lexicon lives.
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "idioms_ru.tsv"

KINDS = ("idiom", "set-phrase", "proverb", "colloquial-verb")
COLUMNS = ("id", "ru", "kind", "pattern", "meaning", "equivalents", "literal", "severity", "exclude", "notes")
REQUIRED_COLUMNS = COLUMNS[:7]
SEVERITIES = ("", "minor", "major", "critical")

#: English words that carry no content when comparing an equivalent with the MT.
EN_STOPWORDS = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been being am
    it its it's this that these those not no nor so than then there here do does did doing
    have has had i you he she we they me him her us them my your his our their one's
    someone someone's somebody something sb sth smb one oneself yourself himself herself
    themselves who whom what which will would shall should can could may might must""".split()
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def en_stem(word: str) -> str:
    """Snowball stem of an English word (lower-cased, curly apostrophes folded)."""
    w = normalize(word).replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return _stemmer().stemWord(w)


@lru_cache(maxsize=200_000)
def ru_lemmas(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 proposes for a Russian word (``ё`` folded).

    The best parse alone (``mtcheck.morph.lemma``) is sometimes wrong for the
    archaic or poetic words of proverbs; keeping all normal forms trades a
    little precision (recovered by requiring several tokens together) for recall.
    """
    from mtcheck import morph

    w = normalize(word)
    if not any("\u0400" <= ch <= "\u04ff" for ch in w):
        return frozenset({w})
    forms = {normalize(p.normal_form) for p in morph.parses(w)}
    forms.add(morph.lemma(word))
    return frozenset(forms)


@dataclass(frozen=True)
class PatternToken:
    """One token of a lemma pattern.

    ``alternatives`` are lemmas (or prefixes when ``prefix``) any of which
    satisfies the token; optional tokens only widen the matched span.
    """

    text: str
    alternatives: tuple[str, ...]
    optional: bool = False
    prefix: bool = False

    def matches(self, lemmas: frozenset[str]) -> bool:
        if self.prefix:
            return any(lem.startswith(alt) for lem in lemmas for alt in self.alternatives)
        return any(alt in lemmas for alt in self.alternatives)


def parse_pattern(pattern: str) -> list[PatternToken]:
    """Parse ``"вешать лапша ухо"`` / ``"передерг*"`` / ``"год неделя ещё?"``.

    Tokens are separated by spaces; ``a/b`` gives alternatives, a trailing
    ``?`` marks a token optional, a trailing ``*`` makes it a lemma prefix.
    Alternatives are lemmatised with the same analyser as the text, so they
    may be written in any form (dictionary form is clearest).
    """
    tokens: list[PatternToken] = []
    for raw in pattern.split():
        optional = raw.endswith("?")
        body = raw.rstrip("?")
        prefix = body.endswith("*")
        body = body.rstrip("*")
        alts: list[str] = []
        for alt in body.split("/"):
            alt = normalize(alt)
            if not alt:
                continue
            if prefix:
                alts.append(alt)
            else:
                alts.extend(sorted({alt, _best_lemma(alt)}))
        if alts:
            tokens.append(PatternToken(raw, tuple(dict.fromkeys(alts)), optional, prefix))
    return tokens


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """Stems of the words of an English phrase, in order."""
    return tuple(en_stem(w.text) for w in words(phrase))


def content_stems(phrase: str) -> tuple[str, ...]:
    """Stems of the content words of an English phrase (stopwords dropped)."""
    return tuple(en_stem(w.text) for w in words(phrase) if normalize(w.text).replace("’", "'") not in EN_STOPWORDS)


@dataclass
class IdiomEntry:
    """One lexicon entry (see ``docs/lexicon.md`` for the meaning of each field)."""

    id: str
    ru: str
    kind: str
    pattern: str
    meaning: str
    equivalents: list[str]
    literal: list[str]
    severity: str = ""
    exclude: list[str] = field(default_factory=list)
    notes: str = ""
    line: int = 0
    ordered: bool = False  # pattern starts with "=": tokens in order, close together
    tokens: list[PatternToken] = field(default_factory=list, repr=False)
    exclude_tokens: list[PatternToken] = field(default_factory=list, repr=False)

    @property
    def required(self) -> list[PatternToken]:
        return [t for t in self.tokens if not t.optional]

    def literal_cues(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(cue, stems)`` for every literal cue: stems of its content words, in order.

        Stopwords are dropped so "behind the teeth" also finds "behind your
        teeth"; a cue made only of stopwords keeps all its words.
        """
        out = []
        for cue in self.literal:
            stems = content_stems(cue) or phrase_stems(cue)
            if stems:
                out.append((cue, stems))
        return out

    def equivalent_stems(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(eq, content_stems(eq)) for eq in self.equivalents if content_stems(eq)]


@dataclass
class IdiomMatch:
    """An occurrence of a lexicon entry in a Russian text (offsets into that text)."""

    entry: IdiomEntry
    start: int
    end: int
    words: list[tuple[int, int, str]]  # (start, end, surface form) of the matched words
    lemmas: list[str]

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.end


class Lexicon:
    """A loaded idiom lexicon with its version and content hash."""

    def __init__(self, entries: list[IdiomEntry], version: str, sha256: str, path: str | None = None):
        self.entries = entries
        self.version = version
        self.sha256 = sha256
        self.path = path
        self.name = "idioms-ru"
        self._by_id = {e.id: e for e in entries}
        # Index: first alternative of each required token -> entries, to avoid testing all entries.
        self._index: dict[str, list[IdiomEntry]] = {}
        self._prefix_entries: list[IdiomEntry] = []
        for e in entries:
            if any(t.prefix for t in e.required):
                self._prefix_entries.append(e)
                continue
            anchor = min(e.required, key=lambda t: len(t.alternatives))
            for alt in anchor.alternatives:
                self._index.setdefault(alt, []).append(e)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def get(self, entry_id: str) -> IdiomEntry | None:
        return self._by_id.get(entry_id)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Lexicon":
        """Read and validate a lexicon file (the built-in one when ``path`` is None).

        Raises :class:`InputError` naming the line of the first invalid entry.
        """
        p = Path(path) if path is not None else DEFAULT_PATH
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise InputError(str(p), f"cannot read lexicon: {exc.strerror or exc}") from exc
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(str(p), "lexicon is not UTF-8") from exc
        entries, version = parse_lexicon(text, str(p))
        return cls(entries, version, hashlib.sha256(raw).hexdigest(), str(p))

    def match(self, src_text: str, window_slack: int = 1) -> list[IdiomMatch]:
        """Find lexicon entries in a Russian text.

        All required tokens of an entry must occur, in any order, among at
        most ``2 * n + window_slack`` consecutive words (``+ 2`` more when
        ``n >= 3`` tokens); an ordered pattern (``= ...``) needs them in order
        with at most two other words between neighbours. An entry with an
        ``exclude`` lemma within eight words of the match is skipped (that
        word signals the literal sense). When one match covers another of an
        entry with fewer tokens, only the longer one is kept.
        """
        toks = [(w.start, w.end, w.text, ru_lemmas(w.text)) for w in words(src_text)]
        if not toks:
            return []
        present: set[str] = set()
        for t in toks:
            present |= t[3]
        candidates: dict[str, IdiomEntry] = {}
        for lem in present:
            for e in self._index.get(lem, ()):
                candidates[e.id] = e
        for e in self._prefix_entries:
            candidates[e.id] = e
        found: list[IdiomMatch] = []
        for e in candidates.values():
            m = _match_entry(e, toks, window_slack)
            if m is not None:
                found.append(m)
        return _drop_covered(found)


def _match_entry(e: IdiomEntry, toks: list, slack: int) -> IdiomMatch | None:
    req = e.required
    if not req:
        return None
    width = len(req) * 2 + slack + (2 if len(req) > 2 else 0)
    hits = [[i for i, t in enumerate(toks) if tok.matches(t[3])] for tok in req]
    if any(not h for h in hits):
        return None
    chosen = _ordered(hits) if e.ordered else _unordered(hits, width)
    if chosen is None:
        return None
    lo, hi = min(chosen), max(chosen)
    if e.exclude_tokens:
        reach = max(width, 8)  # the sense-deciding word may sit anywhere in the clause
        ctx = range(max(0, lo - reach), min(len(toks), hi + reach + 1))
        if any(x.matches(toks[k][3]) for x in e.exclude_tokens for k in ctx):
            return None
    idx = set(chosen)
    for tok in e.tokens:
        if tok.optional:
            for k in range(max(0, lo - 2), min(len(toks), hi + 3)):
                if k not in idx and tok.matches(toks[k][3]):
                    idx.add(k)
                    break
    order = sorted(idx)
    return IdiomMatch(
        entry=e,
        start=toks[order[0]][0],
        end=toks[order[-1]][1],
        words=[(toks[k][0], toks[k][1], toks[k][2]) for k in order],
        lemmas=[_best_lemma(toks[k][2]) for k in order],
    )


def _unordered(hits: list[list[int]], width: int) -> list[int] | None:
    """The tightest choice of one word per token inside ``width`` words, any order."""
    best: tuple[int, list[int]] | None = None
    for i in hits[0] if len(hits) == 1 else sorted({i for h in hits for i in h}):
        chosen = _assign(hits, i, i + width)
        if chosen is not None and (best is None or max(chosen) - min(chosen) < best[0]):
            best = (max(chosen) - min(chosen), chosen)
    return best[1] if best else None


def _ordered(hits: list[list[int]], max_gap: int = 2) -> list[int] | None:
    """Tokens in pattern order with at most ``max_gap`` other words between neighbours."""
    for first in hits[0]:
        chosen = [first]
        for h in hits[1:]:
            nxt = next((i for i in h if chosen[-1] < i <= chosen[-1] + 1 + max_gap), None)
            if nxt is None:
                break
            chosen.append(nxt)
        if len(chosen) == len(hits):
            return chosen
    return None


def _assign(hits: list[list[int]], lo: int, hi: int) -> list[int] | None:
    """Give each required token a distinct word position in ``[lo, hi)`` (greedy, nearest first)."""
    used: set[int] = set()
    chosen: list[int] = []
    # Tokens with fewer options first, so a shared word goes to the token that needs it.
    for h in sorted(hits, key=len):
        pos = next((i for i in h if lo <= i < hi and i not in used), None)
        if pos is None:
            return None
        used.add(pos)
        chosen.append(pos)
    return chosen


def _best_lemma(word: str) -> str:
    from mtcheck import morph

    return morph.lemma(word)


def _drop_covered(found: list[IdiomMatch]) -> list[IdiomMatch]:
    found.sort(key=lambda m: (-(m.end - m.start), -len(m.entry.required), m.start))
    kept: list[IdiomMatch] = []
    for m in found:
        if any(k.start <= m.start and m.end <= k.end and len(k.entry.required) > len(m.entry.required) for k in kept):
            continue
        kept.append(m)
    kept.sort(key=lambda m: (m.start, m.end))
    return kept


def parse_lexicon(text: str, path: str = "<lexicon>") -> tuple[list[IdiomEntry], str]:
    """Parse the TSV text of a lexicon; returns ``(entries, version)``.

    Validates every entry (see :func:`validate_entry`) and rejects duplicate ids.
    """
    version = "unversioned"
    header: list[str] | None = None
    entries: list[IdiomEntry] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            m = re.match(r"#\s*version\s*:\s*(\S+)", line)
            if m:
                version = m.group(1)
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise InputError(path, f"header lacks column {missing[0]!r}", lineno)
            continue
        if len(cells) > len(header):
            raise InputError(path, f"{len(cells)} fields, header has {len(header)}", lineno)
        row = dict(zip(header, [c.strip() for c in cells]))
        entry = IdiomEntry(
            id=row.get("id", ""),
            ru=row.get("ru", ""),
            kind=row.get("kind", ""),
            pattern=row.get("pattern", ""),
            meaning=row.get("meaning", ""),
            equivalents=_split_list(row.get("equivalents", "")),
            literal=_split_list(row.get("literal", "")),
            severity=row.get("severity", ""),
            exclude=row.get("exclude", "").split(),
            notes=row.get("notes", ""),
            line=lineno,
        )
        problem = validate_entry(entry)
        if problem:
            raise InputError(path, f"entry {entry.id or '?'}: {problem}", lineno)
        if entry.id in seen:
            raise InputError(path, f"duplicate id {entry.id!r} (first on line {seen[entry.id]})", lineno)
        seen[entry.id] = lineno
        entry.ordered = entry.pattern.lstrip().startswith("=")
        entry.tokens = parse_pattern(entry.pattern.lstrip().lstrip("=").strip())
        entry.exclude_tokens = parse_pattern(" ".join(entry.exclude))
        if not entry.required:
            raise InputError(path, f"entry {entry.id}: pattern has no required token", lineno)
        entries.append(entry)
    if header is None:
        raise InputError(path, "no header line")
    return entries, version


def _split_list(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


def validate_entry(e: IdiomEntry) -> str | None:
    """Return what is wrong with an entry's fields, or None (pattern checked by the caller)."""
    if not _ID_RE.match(e.id):
        return "id must be lower-case ASCII letters, digits and hyphens"
    if not e.ru:
        return "empty Russian form"
    if e.kind not in KINDS:
        return f"kind {e.kind!r} is not one of {', '.join(KINDS)}"
    if not e.pattern.strip():
        return "empty pattern"
    if not e.meaning:
        return "empty meaning"
    if not e.equivalents:
        return "no equivalents"
    if not e.literal:
        return "no literal cues"
    if e.severity not in SEVERITIES:
        return f"severity {e.severity!r} is not minor, major or critical"
    return None


def self_match(entry: IdiomEntry) -> bool:
    """Whether an entry's pattern matches its own canonical Russian form."""
    lex = Lexicon([entry], "check", "")
    return any(m.entry.id == entry.id for m in lex.match(entry.ru))
