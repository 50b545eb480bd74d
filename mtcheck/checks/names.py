"""Names: Latin names in the MT that match no rendering of a source name, and
one source name rendered differently within a document.

Source names are capitalised Cyrillic words that are not sentence-initial, or
sentence-initial ones that pymorphy3 tags as a name (Name/Surn/Patr/Geox/
Orgn/Trad). Each is tried in its surface form and every lemma pymorphy3
proposes (Зася -> Зась, Путина -> Путин), through all ``mtcheck.translit``
schemes plus a few extra informal variants (ks -> x, ...).

MT names are capitalised Latin words that are not sentence-initial, not all
capitals (acronyms) and not common English words (Hunspell knows the lower-
case form). A name is explained when it occurs in the source, matches a
transliteration (also as a prefix: "Kazakh" of "казахский"), is an English
exonym Hunspell knows only capitalised ("Moscow", "Nietzsche"), or is in the
small built-in :data:`EXONYMS` table for names Hunspell lacks. An unexplained
name is flagged with moderate confidence: major when it is close to a source
name (a misspelt rendering, "Zass" for "Зась"), minor otherwise.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Iterable

from mtcheck.checks.base import Check, PairContext, register
from mtcheck.data import AlignedPair, Flag, Severity, Span
from mtcheck.text import words
from mtcheck.translit import latin_variants

#: English renderings that no transliteration scheme produces and the en_US
#: Hunspell dictionary does not know (lemma -> accepted Latin words, lower case).
EXONYMS: dict[str, tuple[str, ...]] = {
    "киев": ("kyiv", "kiev"), "харьков": ("kharkiv", "kharkov"), "львов": ("lviv", "lvov"),
    "одесса": ("odesa", "odessa"), "днепр": ("dnipro", "dnieper"), "беларусь": ("belarus",),
    "белоруссия": ("belarus", "byelorussia"), "кыргызстан": ("kyrgyzstan",), "киргизия": ("kyrgyzstan",),
    "алма-ата": ("almaty",), "луганск": ("luhansk",), "луганский": ("luhansk",), "киевский": ("kyiv", "kiev"),
    "киевлянин": ("kyiv", "kiev"), "владимир": ("volodymyr", "vladimir", "vladimir"), "северный": ("nord",),
    "нижний": ("nizhny",), "нижегородский": ("nizhny",), "евровидение": ("eurovision",), "николаев": ("mykolaiv",), "запорожье": ("zaporizhzhia",), "алматы": ("almaty",), "крым": ("crimea",), "чечня": ("chechnya",),
    "пикабу": ("pikabu",), "санкт-петербург": ("petersburg", "saint", "st"), "питер": ("petersburg", "piter"),
    "нью-йорк": ("york",), "германия": ("germany",), "фрг": ("frg", "germany"), "сша": ("usa", "us"),
    "ссср": ("ussr",), "рф": ("rf", "russia"), "ес": ("eu",), "оон": ("un",), "нато": ("nato",),
    "юрий": ("yuri", "yury", "juri"), "алексей": ("alexei", "alexey", "aleksei"),
    "александр": ("alexander", "aleksandr"), "пётр": ("peter", "pyotr"), "петр": ("peter", "pyotr"),
    "иисус": ("jesus",), "христос": ("christ",), "бог": ("god", "lord"), "господь": ("lord", "god"),
}

#: Latin brand names that are written the same in English whatever the Russian
#: spelling ("ютуб", "Ютуба" -> YouTube) and that en_US Hunspell lacks.
BRANDS = frozenset({"youtube", "google", "facebook", "twitter", "instagram", "telegram", "discord", "reddit",
                    "wikipedia", "wikimedia", "whatsapp", "tiktok", "vkontakte", "vk", "yandex", "netflix", "skype",
                    "viber", "iphone", "android", "playstation", "xbox", "steam", "twitch", "likee", "aliexpress",
                    "ozon", "sberbank", "gazprom", "rosneft", "aeroflot", "roskomnadzor", "mail", "minecraft",
                    "tinkoff", "rutracker", "livejournal", "mediazona", "mediazone", "kommersant", "vedomosti",
                    "regnum", "interfax", "tass", "novosti", "sputnik", "meduza", "navalny"})

#: Spelling differences that do not make a different name: Greek/Western
#: spellings of names borrowed into Russian (Anthropov/Антропов,
#: Seraphim/Серафим, Wikimedia/Викимедиа, Lyda/Лида, Jigan/Джиган).
_PHONETIC = [("'", ""), ("ph", "f"), ("th", "t"), ("w", "v"), ("ck", "k"), ("q", "k"), ("x", "ks"),
             ("dzh", "j"), ("dj", "j"), ("kh", "h"), ("ch", "h"), ("c", "k"), ("yo", "e"), ("io", "e"),
             ("yu", "u"), ("ou", "u"), ("y", "i"), ("j", "i"), ("ee", "e"), ("h", ""), ("z", "s")]


def phonetic_key(latin: str) -> str:
    """A lossy key under which common spelling alternatives of a name coincide
    (also Hilarion/Ilarion, Baghdasaryan/Bagdasaryan, Levinson/Levinzon, and
    for names longer than four letters Dennett/Dennet, Pontius/Pontii).
    Short names keep double letters: "Zass" is not a rendering of "Зась"."""
    out = latin.lower()
    if out.startswith("x"):
        out = "s" + out[1:]  # Xinhua / Синьхуа
    for a, b in _PHONETIC:
        out = out.replace(a, b)
    if len(out) > 4:
        out = re.sub(r"(.)\1+", r"\1", out)
        out = re.sub(r"(ius|us)$", "i", out)  # Latinised Pontius, Sergius, Galerius
        out = re.sub(r"ii$", "i", out)
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


_NAME_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"}
_CYR = re.compile(r"[\u0400-\u04FF]")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z'’]*$")
_SENT_START = re.compile(r"(?:^|[.!?…:;]+[\"'»“”)\]]*\s+|\n\s*|[\"«“(\[—–-]\s*)$")
_EXTRA = [(r"ks", "x"), (r"iy$", "y"), (r"yi$", "y"), (r"j", "y"), (r"ei$", "ey"), (r"ey$", "ei"),
          (r"kh", "h"), (r"e$", "ie"), (r"sch", "shch"), (r"iya$", "ia"), (r"iia$", "ia"), (r"ija$", "ia")]


def _name_forms(forms: set[str]) -> set[str]:
    """Forms English uses for a Russian name besides its lemma: the stem without
    a case ending a lemmatiser missed (Скрипаля -> скрипал[ь]), feminine
    surnames (Поляков -> Полякова) and adjective genders/plurals
    (Каширский -> Каширское, Набережный -> Набережные)."""
    out = set(forms)
    for f in forms:
        st = _stem(f)
        if len(st) >= 3 and st != f:
            out.add(st)
        if len(f) > 4 and f[-1] in "ыеуо":  # Наамы, Орлушу -> Наама, Орлуша
            out.add(f[:-1] + "а")
        if len(f) > 4 and f[-1] in "июя":
            out.add(f[:-1] + "я")
        if re.search(r"(ов|ев|ин|ын)$", f):
            out.add(f + "а")
        m = re.match(r"(.+?)(ский|цкий|ой|ый|ий)$", f)
        if m:
            base, end = m.groups()
            soft = end in ("ий", "цкий", "ский")
            head = base + end[:-2] if len(end) > 2 else base
            for e in (("ая", "ое", "ие") if soft else ("ая", "ое", "ые")):
                out.add(head + e)
    return out


def is_sentence_initial(text: str, start: int) -> bool:
    """True if the word at ``start`` opens a sentence (or a quote, or a line)."""
    return bool(_SENT_START.search(text[max(0, start - 6):start]))


def _morph_parses(word: str) -> list[Any]:
    from mtcheck.morph import parses

    return parses(word)


def _analyzer_knows(word: str) -> bool:
    from mtcheck.morph import is_known

    return is_known(word)


@dataclass
class SourceName:
    start: int
    end: int
    text: str
    lemma: str
    forms: tuple[str, ...]  # surface and lemmas, lower case
    variants: frozenset[str]


@dataclass
class MtName:
    start: int
    end: int
    text: str  # as written, without a possessive 's
    #: "source", "translit", "phonetic", "prefix", "exonym", "brand", "dictionary"; None: unexplained
    explained_by: str | None = None
    source: SourceName | None = None  # the source name it renders, when known
    closest: tuple[str, float] | None = None


@dataclass
class NameAnalysis:
    src_names: list[SourceName] = field(default_factory=list)
    mt_names: list[MtName] = field(default_factory=list)


def _variants(forms: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for f in forms:
        out |= latin_variants(f)
    for v in list(out):
        for pat, rep in _EXTRA:
            out.add(re.sub(pat, rep, v))
    return frozenset(out)


def _stem(word: str) -> str:
    """Cyrillic word without its inflectional ending (for prefix matches)."""
    return re.sub(r"(ский|ская|ское|ские|ского|ской|ских|ским|ов|ев|ин|ой|ом|ого|ому|ый|ий|ая|ое|ые|ых|ым|"
                  r"ами|ях|ям|ах|ам|а|я|у|ю|е|ы|и|о|ь)$", "", word)


def source_names(text: str) -> list[SourceName]:
    """Capitalised Cyrillic words that are names (see module doc)."""
    out = []
    for w in words(text):
        if not _CYR.search(w.text) or not w.text[:1].isupper():
            continue
        parses = _morph_parses(w.text)
        tagged = [p for p in parses if _NAME_TAGS & set(p.tag.grammemes)]
        # at a sentence start: a name only if pymorphy3 offers a name reading
        # ("Сатановский" as Surn) or does not know the word at all
        if is_sentence_initial(text, w.start) and not (
                any(p in tagged for p in parses[:3]) or not _analyzer_knows(w.text.lower())):
            continue
        low = w.text.lower().replace("ё", "е")
        forms = {low, w.text.lower()}
        for p in (tagged or parses)[:4]:
            forms.add(p.normal_form)
            forms.add(p.normal_form.replace("ё", "е"))
        lemma = (tagged or parses)[0].normal_form.replace("ё", "е") if parses else low
        forms = _name_forms(forms)
        out.append(SourceName(w.start, w.end, w.text, lemma, tuple(sorted(forms)), _variants(forms)))
    return out


def _all_source_variants(text: str) -> tuple[frozenset[str], set[str]]:
    """Transliterations of every Cyrillic word (lower-case names come from adjectives:
    "гонконгских" -> Hong Kong is an exonym; "казахский" -> Kazakh a prefix) and stems."""
    from mtcheck.morph import lemma

    forms: set[str] = set()
    stems: set[str] = set()
    for w in words(text):
        if not _CYR.search(w.text):
            continue
        for part in [w.text] + (w.text.split("-") if "-" in w.text else []):
            low = part.lower()
            lem = lemma(part)
            forms |= {low, lem}
            for f in (low, lem):
                st = _stem(f)
                if len(st) >= 3:
                    stems.add(st)
    stem_variants = set()
    for st in stems:
        stem_variants |= latin_variants(st)
    return _variants(forms), stem_variants


def analyse(pair: AlignedPair, speller: Any, close_ratio: float = 0.75) -> NameAnalysis:
    """Source names, MT names and how each MT name is explained.

    A name at least ``close_ratio`` similar to a rendering of a source name must
    match a rendering exactly (or phonetically); others may also be explained
    by prefixes of any source word, exonyms and the dictionary."""
    res = NameAnalysis(src_names=source_names(pair.src_text))
    src_lower = pair.src_text.lower()
    all_variants: frozenset[str] | None = None
    stem_variants: set[str] = set()
    all_keys: set[str] = set()
    exonyms = {e for n in res.src_names for f in n.forms for e in EXONYMS.get(f, ())}
    from mtcheck.morph import lemma

    for w in words(pair.src_text):
        if _CYR.search(w.text):
            exonyms |= set(EXONYMS.get(lemma(w.text), ()))
    for w in words(pair.mt_text):
        text = re.sub(r"['’]s?$", "", w.text)
        if not text or not _LATIN_WORD.match(text) or not text[:1].isupper() or len(text) < 2:
            continue
        if text.isupper() or re.fullmatch(r"[A-Z]{2,}e?s", text):
            continue  # acronyms and their plurals (NGOs, PCs)
        low = text.lower()
        if is_sentence_initial(pair.mt_text, w.start):
            # only a sure rendering of a source name counts (for the document consistency check)
            sn = next((sn for sn in res.src_names if low in sn.variants), None)
            if sn is not None:
                res.mt_names.append(MtName(w.start, w.start + len(text), text, "translit", sn))
            continue
        if speller is not None and not speller.is_proper_noun(text) and (
                speller.is_common_word(text) or speller.accepts(low, compounds=False)):
            continue  # an English word ("Theatre", "Bank"); dictionary names go on to be matched
        if w.start > 0 and pair.mt_text[w.start - 1] in "#@/":
            continue  # hashtags, handles, paths
        name = MtName(w.start, w.start + len(text), text)
        res.mt_names.append(name)
        for sn in res.src_names:
            if low in sn.variants:
                name.explained_by, name.source = "translit", sn
                break
        if name.explained_by:
            continue
        key = phonetic_key(low)
        plural = low[:-1] if low.endswith("s") and len(low) > 4 else None  # "the Skripals"
        if re.search(rf"(?<![a-z]){re.escape(low)}(?![a-z])", src_lower):
            name.explained_by = "source"
        elif low in exonyms:
            name.explained_by = "exonym"
        elif low in BRANDS:
            name.explained_by = "brand"
        else:
            for sn in res.src_names:
                keys = {phonetic_key(v) for v in sn.variants}
                if key in keys or (plural and (plural in sn.variants or phonetic_key(plural) in keys)):
                    name.explained_by, name.source = "phonetic", sn
                    break
                # English drops the adjectival ending: Khimki for Химкинский
                if len(key) >= 5 and any(k.startswith(key) for k in keys):
                    name.explained_by, name.source = "prefix", sn
                    break
        best = ("", 0.0)
        for sn in res.src_names:
            for v in sn.variants:
                r = SequenceMatcher(None, low, v).ratio()
                if r > best[1]:
                    best = (v, r)
                    if name.source is None and r >= close_ratio:
                        name.source = sn
        name.closest = best if best[0] else None
        if name.explained_by is None and best[1] < close_ratio:
            # not close to any source name: maybe derived from a common word
            # ("рейхстага" -> Reichstag, "данайцев" -> Danaians) or a known exonym
            if all_variants is None:
                all_variants, stem_variants = _all_source_variants(pair.src_text)
                all_keys = {phonetic_key(v) for v in all_variants | stem_variants}
            if low in all_variants or key in all_keys:
                name.explained_by = "translit"
            elif len(key) >= 4 and any(_common_prefix(key, k) >= max(4, 0.6 * min(len(key), len(k)))
                                       for k in all_keys):
                name.explained_by = "prefix"
            elif speller is not None and speller.is_proper_noun(text):
                name.explained_by = "dictionary"
        elif name.explained_by is None and speller is not None and speller.is_proper_noun(text):
            name.explained_by = "dictionary"
    return res


@register
class NamesCheck(Check):
    name = "names"
    categories = ("accuracy/mistranslation", "terminology")
    uses = ("hunspell",)
    defaults = {
        "close_ratio": 0.75,  # similarity to a source-name rendering that makes an unexplained name "misspelt"
        "misspelt_confidence": 0.55,
        # minor by default: on MLQE-PE train only ~1/3 of these were post-edited
        # (Weishaupt for Вейсгаупт, Sondland for Сондленд are right)
        "misspelt_severity": "minor",
        "unexplained_confidence": 0.3,
        "flag_unexplained": True,  # also flag (minor) Latin names with no similar source name
        "consistency_confidence": 0.9,
    }

    def _analysis(self, pair: AlignedPair, ctx: PairContext) -> NameAnalysis:
        return ctx.memo("names.analysis", lambda: analyse(pair, ctx.resources.get("hunspell"),
                                                                  self.options["close_ratio"]))

    def check_pair(self, pair: AlignedPair, ctx: PairContext) -> Iterable[Flag]:
        if not pair.src_text.strip() or not pair.mt_text.strip() or ctx.resources.get("hunspell") is None:
            return []  # without a dictionary every capitalised word would look like a name
        res = self._analysis(pair, ctx)
        flags = []
        for n in res.mt_names:
            if n.explained_by:
                continue
            tried = sorted({v for sn in res.src_names for v in sn.variants})[:40]
            evidence = {"name": n.text, "source_names": [sn.text for sn in res.src_names],
                        "transliterations_tried": tried,
                        "closest": {"rendering": n.closest[0], "similarity": round(n.closest[1], 3)}
                        if n.closest else None}
            if n.closest and n.closest[1] >= self.options["close_ratio"] and n.source is not None:
                flags.append(Flag(self.name, "accuracy/mistranslation",
                                  Severity.parse(self.options["misspelt_severity"]),
                                  self.options["misspelt_confidence"],
                                  f"'{n.text}' matches no transliteration of '{n.source.text}' "
                                  f"(closest: '{n.closest[0].capitalize()}')",
                                  mt_span=Span(n.start, n.end), src_span=Span(n.source.start, n.source.end),
                                  evidence=evidence, suggestions=[n.closest[0].capitalize()]))
            elif self.options["flag_unexplained"]:
                flags.append(Flag(self.name, "accuracy/mistranslation", Severity.MINOR,
                                  self.options["unexplained_confidence"],
                                  f"Name '{n.text}' does not render any name of the source",
                                  mt_span=Span(n.start, n.end), evidence=evidence))
        return flags

    def check_document(self, pairs: list[AlignedPair], ctxs: list[PairContext]) -> Iterable[tuple[int, Flag]]:
        speller = ctxs[0].resources.get("hunspell") if ctxs else None
        seen: dict[str, list[tuple[int, MtName]]] = defaultdict(list)
        for k, (pair, ctx) in enumerate(zip(pairs, ctxs)):
            if not pair.src_text.strip() or not pair.mt_text.strip():
                continue
            res = ctx.memo("names.analysis", lambda p=pair: analyse(p, speller, self.options["close_ratio"]))
            for n in res.mt_names:
                if n.source is not None and n.explained_by in (None, "translit", "phonetic"):
                    seen[n.source.lemma].append((k, n))
        out: list[tuple[int, Flag]] = []
        for lemma, occ in seen.items():
            forms = Counter(_rendering_key(n.text) for _, n in occ)
            if len(forms) < 2:
                continue
            first = {}
            for _, n in occ:
                first.setdefault(_rendering_key(n.text), n.text)
            ranked = sorted(forms, key=lambda f: (-forms[f], list(first).index(f)))
            main = ranked[0]
            for k, n in occ:
                if _rendering_key(n.text) == main:
                    continue
                sn = n.source
                out.append((k, Flag(
                    self.name, "terminology", Severity.MAJOR, self.options["consistency_confidence"],
                    f"'{sn.text}' is rendered '{n.text}' here but '{first[main]}' elsewhere in the document",
                    mt_span=Span(n.start, n.end), src_span=Span(sn.start, sn.end),
                    evidence={"source_lemma": lemma, "renderings": {first[f]: forms[f] for f in ranked},
                              "transliterations_tried": sorted(sn.variants)[:40]},
                    suggestions=[first[main]])))
        return out


def _rendering_key(text: str) -> str:
    """Renderings that differ only by the feminine -a (Zakharov/Zakharova), a
    plural or a demonym ending (the Skripals, Melanesia/Melanesians) count as one."""
    low = text.lower()
    if len(low) > 4:
        low = re.sub(r"(ns|s)$", "", low)
    return low[:-1] if low.endswith("a") and len(low) > 3 else low
