"""English–Russian bilingual dictionary from Debian's ``mueller7-dict``.

Source: V. K. Müller's English–Russian dictionary (7th ed.), as packaged for
dictd by Debian (``/usr/share/dictd/mueller7.index`` + ``mueller7.dict.dz``).
No PyPI package reads dictd files *and* Müller's notation, so both are parsed
here (about 150 lines).

**dictd format.** ``NAME.index`` is UTF-8 text, one line per headword:
``headword<TAB>offset<TAB>length``, where offset and length are byte counts
into the *uncompressed* ``NAME.dict`` written in dictd's base64 digits
(``A-Za-z0-9+/`` = 0..63, most significant first, e.g. ``"Bi"`` = 1*64+34).
``NAME.dict.dz`` is a gzip file (dictzip adds a random-access table in the
gzip extra field, which plain ``gzip`` ignores), so it is read whole.
Headwords starting with ``00-database`` (metadata) or ``_`` (Müller's label
legend, e.g. ``_n.``) are not dictionary entries.

**Müller's notation.** An entry is the headword line, then indented lines:
``[transcription]``, labels starting with ``_`` (``_n.``, ``_v.``, ``_разг.``,
homonym numbers ``_I``/``_II``), sense markers ``1.`` (part of speech),
``1)`` (sense), ``а)`` (sub-sense), ``(comments)``, ``{см. тж. ...}``
cross-references, ``= word`` (same as another headword). Within a sense,
Russian equivalents are separated by ``,`` and ``;``; an English phrase
followed by Russian (``bank of snow снежный занос; сугроб``) is an example
whose translation runs until the next English text. Lines wrap anywhere; a
line ending in ``-`` continues the same word.

**What is kept.** For each headword (and each example phrase of at most
three English words, ``to`` dropped) the Russian equivalents, as lemmas
(``mtcheck.morph.lemma``). A one-word equivalent links its lemma *strongly*;
a multi-word one (``делать насыпь``) links the lemma of each content word
*loosely*. Longer example sentences are ignored. The inverted map is meant
for matching, where a generous candidate set means fewer false alarms.

**English lemmas** come from ``simplemma`` (MIT, ships its data, no download,
multilingual; chosen over NLTK's WordNet, which needs a data download, and
``lemminflect``, English only and POS-dependent), plus the word itself.

Parsing and lemmatising take tens of seconds, so the inverted form is cached
as JSON in ``cache_dir`` keyed by the files' sha256 and the parser version.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mtcheck.checks.base import ResourceUnavailable

#: Bump when parsing changes: it is part of the cache key.
PARSER_VERSION = "3"
DEFAULT_PREFIX = Path("/usr/share/dictd/mueller7")
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
#: Dictionaries parsed in this process without a disk cache, by file hash.
_LOADED: dict[str, "BilingualDictionary"] = {}

_CYR = "а-яёА-ЯЁ"
_CYR_WORD_RE = re.compile(rf"[{_CYR}]+(?:-[{_CYR}]+)*")
_LATIN_RE = re.compile(r"[A-Za-z]")
_FIRST_CYR_RE = re.compile(rf"[{_CYR}]")
_SENSE_RE = re.compile(r"(?<![\w.])(?:\d{1,2}[.)]|[абвгдежз]\))")
_LABEL_RE = re.compile(r"(?<!\w)_\S+")
_PLACEHOLDER_RE = re.compile(rf"[{_CYR}]+-л\.|\bи\s*т\.\s*[пд]\.|\bт\.\s*[епд]\.|\bтж\.|\bсм\.|\bособ\.|\bнапр\.")
_EN_PHRASE_RE = re.compile(r"^[a-z][a-z' -]*[a-z]$|^[a-z]$")
#: Russian parts of speech that carry content (OpenCorpora tags).
CONTENT_POS = {"NOUN", "VERB", "INFN", "ADJF", "ADJS", "COMP", "PRTF", "PRTS", "GRND", "ADVB", "NUMR"}


def b64_number(digits: str) -> int:
    """Decode a dictd base64 number (``"Bi"`` -> 98)."""
    n = 0
    for ch in digits:
        n = n * 64 + _B64.index(ch)
    return n


def _files(path: Path | None) -> tuple[Path, Path]:
    """``(.index, .dict.dz)`` for a prefix, either file, or a directory holding ``mueller7*``."""
    p = Path(path) if path is not None else DEFAULT_PREFIX
    if p.is_dir():
        found = sorted(p.glob("mueller7*.index"))
        p = found[0] if found else p / "mueller7"
    name = p.name
    for suffix in (".index", ".dict.dz", ".dict"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    base = p.with_name(name)
    index, data = base.with_name(name + ".index"), base.with_name(name + ".dict.dz")
    if not data.exists() and base.with_name(name + ".dict").exists():
        data = base.with_name(name + ".dict")
    if not index.exists() or not data.exists():
        raise ResourceUnavailable(
            f"Müller English-Russian dictionary not found at {base}.index/.dict.dz "
            "(install the Debian package mueller7-dict)")
    return index, data


def _sha256(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def _dpkg_version(package: str = "mueller7-dict") -> str | None:
    """The installed Debian package version, read from dpkg's status file."""
    status = Path("/var/lib/dpkg/status")
    if not status.exists():
        return None
    for stanza in status.read_text(encoding="utf-8", errors="replace").split("\n\n"):
        if f"Package: {package}\n" in stanza + "\n":
            m = re.search(r"^Version: (\S+)", stanza, re.M)
            return m.group(1) if m else None
    return None


def iter_entries(index: Path, data: Path):
    """``(headword, body)`` for every real entry of a dictd dictionary."""
    raw = gzip.open(data).read() if data.suffix == ".dz" else data.read_bytes()
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[0].startswith(("00-database", "00database", "_")):
            continue
        start, length = b64_number(parts[1]), b64_number(parts[2])
        text = raw[start:start + length].decode("utf-8", errors="replace")
        head, _, body = text.partition("\n")
        yield (head.strip() or parts[0]), body


def _join_lines(body: str) -> str:
    out = ""
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            out += line
        else:
            out += " " + line
    return out


def _strip_brackets(text: str) -> str:
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\{[^{}]*\}", " ", text)
    prev = None
    while prev != text:
        prev, text = text, re.sub(r"\([^()]*\)", " ", text)
    return text


def _en_key(phrase: str) -> str | None:
    p = " ".join(phrase.lower().replace("’", "'").split()).strip(" .,!?:")
    if p.startswith("to "):
        p = p[3:]
    if not p or len(p.split()) > 3 or "smb" in p or "smth" in p or "one's" in p:
        return None
    return p if _EN_PHRASE_RE.match(p) else None


def parse_entry(head: str, body: str) -> tuple[list[tuple[str, list[list[str]]]], list[str]]:
    """Translations and ``= see`` references of one entry.

    Returns ``([(english_key, [russian_item_words, ...]), ...], [referenced headwords])``.
    """
    heads = [k for k in (_en_key(h) for h in head.split(",")) if k]
    text = _LABEL_RE.sub(" ", _strip_brackets(_join_lines(body)))
    text = _PLACEHOLDER_RE.sub(" ", text)
    found: dict[str, list[list[str]]] = defaultdict(list)
    refs: list[str] = []
    for sense in _SENSE_RE.split(text):
        targets = heads
        for chunk in sense.split(";"):
            chunk = chunk.strip()
            if not chunk:
                continue
            if chunk.startswith("="):
                refs.extend(k for k in (_en_key(r) for r in chunk[1:].split(",")) if k)
                continue
            if _LATIN_RE.search(chunk):
                m = _FIRST_CYR_RE.search(chunk)
                latin = chunk[: m.start()] if m else chunk
                if _LATIN_RE.search(chunk[m.start():] if m else ""):
                    targets = []  # English and Russian interleaved: an example sentence
                    continue
                targets = [k for k in (_en_key(x) for x in latin.split(",")) if k]
                chunk = chunk[m.start():] if m else ""
            for item in chunk.split(","):
                ws = _CYR_WORD_RE.findall(item)
                if ws and targets:
                    for t in targets:
                        found[t].append(ws)
    return list(found.items()), refs


@dataclass
class BilingualDictionary:
    """Russian lemma <-> English word/short phrase links from Müller's dictionary."""

    ru2en_strong: dict[str, set[str]] = field(default_factory=dict)
    ru2en_loose: dict[str, set[str]] = field(default_factory=dict)
    en2ru: dict[str, set[str]] = field(default_factory=dict)
    version: str = ""
    sha256: str = ""
    name: str = "mueller7"
    _sorted: list[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None, cache_dir: Path | None = None) -> "BilingualDictionary":
        """Load (and on first use parse, then cache) the dictionary.

        ``path``: the ``mueller7`` prefix, either of its files or their directory
        (default ``/usr/share/dictd/mueller7``). Raises ``ResourceUnavailable``
        when the files are absent.
        """
        index, data = _files(path)
        sha = _sha256([index, data])
        if cache_dir is not None:
            return cls._load_uncached(index, data, sha, path is None, cache_dir)
        # Without a disk cache, parse once per process (each parse takes tens of seconds).
        key = f"{sha}:{path is None}"
        if key not in _LOADED:
            _LOADED[key] = cls._load_uncached(index, data, sha, path is None, None)
        return _LOADED[key]

    @classmethod
    def _load_uncached(cls, index: Path, data: Path, sha: str, default_path: bool,
                       cache_dir: Path | None) -> "BilingualDictionary":
        version = _dpkg_version() if default_path else None
        version = version or f"sha256:{sha[:12]}"
        cache_file = Path(cache_dir) / f"dictionary-{index.stem}-{sha[:16]}-p{PARSER_VERSION}.json" if cache_dir else None
        if cache_file is not None and cache_file.exists():
            try:
                raw = json.loads(cache_file.read_text(encoding="utf-8"))
                return cls({k: set(v) for k, v in raw["strong"].items()},
                           {k: set(v) for k, v in raw["loose"].items()},
                           {k: set(v) for k, v in raw["en2ru"].items()}, version, sha, index.stem)
            except (ValueError, KeyError, OSError):
                pass  # a damaged cache is rebuilt below
        out = cls.build(index, data)
        out.version, out.sha256, out.name = version, sha, index.stem
        if cache_file is not None:
            from mtcheck.atomic import write_text

            cache_file.parent.mkdir(parents=True, exist_ok=True)
            write_text(cache_file, json.dumps({
                "strong": {k: sorted(v) for k, v in out.ru2en_strong.items()},
                "loose": {k: sorted(v) for k, v in out.ru2en_loose.items()},
                "en2ru": {k: sorted(v) for k, v in out.en2ru.items()}}, ensure_ascii=False))
        return out

    @classmethod
    def build(cls, index: Path, data: Path) -> "BilingualDictionary":
        """Parse the dictd files and invert them (slow: lemmatises every Russian word)."""
        from mtcheck.morph import lemma, pos

        strong: dict[str, set[str]] = defaultdict(set)
        loose: dict[str, set[str]] = defaultdict(set)
        en2ru: dict[str, set[str]] = defaultdict(set)
        refs: dict[str, list[str]] = {}
        for head, body in iter_entries(index, data):
            pairs, entry_refs = parse_entry(head, body)
            for en, items in pairs:
                for ws in items:
                    if len(ws) == 1:
                        lem = lemma(ws[0])
                        strong[lem].add(en)
                        en2ru[en].add(lem)
                        continue
                    for w in ws:
                        if pos(w) in CONTENT_POS:
                            lem = lemma(w)
                            loose[lem].add(en)
                            en2ru[en].add(lem)
            if entry_refs:
                for h in (_en_key(x) for x in head.split(",")):
                    if h:
                        refs[h] = entry_refs
        for en, targets in refs.items():  # "'cause = because": share the target's translations
            for t in targets:
                for lem in list(en2ru.get(t, ())):
                    en2ru[en].add(lem)
                    (strong if en in strong.get(lem, ()) or t in strong.get(lem, ()) else loose)[lem].add(en)
        return cls(dict(strong), dict(loose), dict(en2ru))

    def en_for_ru_lemma(self, lemma: str, loose: bool = True) -> set[str]:
        """English words/phrases linked to a Russian lemma (``loose`` adds multi-word links)."""
        out = set(self.ru2en_strong.get(lemma, ()))
        if loose:
            out |= self.ru2en_loose.get(lemma, set())
        return out

    def en_for_ru_stem(self, stem: str, limit: int = 60, loose: bool = True) -> set[str]:
        """English links of every Russian lemma starting with ``stem`` (at most ``limit`` lemmas).

        For verbs, whose aspect partners (``отметить``/``отмечать``) are separate
        lemmas and Müller usually lists only one.
        """
        if self._sorted is None:
            self._sorted = sorted(set(self.ru2en_strong) | set(self.ru2en_loose))
        out: set[str] = set()
        i = bisect_left(self._sorted, stem)
        for key in self._sorted[i:i + limit]:
            if not key.startswith(stem):
                break
            out |= self.en_for_ru_lemma(key, loose)
        return out

    def ru_for_en(self, word: str) -> set[str]:
        """Russian lemmas linked to an English word (tried as written and as its lemma)."""
        out: set[str] = set()
        for form in english_lemmas(word):
            out |= self.en2ru.get(form, set())
        return out

    def __len__(self) -> int:
        return len(self.en2ru)


def load_dictionary_resource(cache_dir: Path | None) -> BilingualDictionary:
    """Loader for ``resources.loaders["dictionary"]``: the installed Müller dictionary,
    cached under ``cache_dir`` (parsed afresh each run when it is None)."""
    return BilingualDictionary.load(cache_dir=cache_dir)


@lru_cache(maxsize=100_000)
def english_lemma(word: str) -> str:
    """Lemma of an English word by simplemma (lower case)."""
    import simplemma

    w = word.lower().replace("’", "'")
    return simplemma.lemmatize(w, lang="en").lower()


def english_lemmas(word: str) -> set[str]:
    """The lower-cased word and its lemma (both are tried against the dictionary)."""
    w = word.lower().replace("’", "'")
    return {w, english_lemma(w)}
