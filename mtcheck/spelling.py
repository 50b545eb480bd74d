"""English spelling through Hunspell and Debian's ``hunspell-en-us`` dictionary.

The binding is ``hunspell`` (pyhunspell, compiled against ``libhunspell-dev``);
when it is not installed the pure-Python port ``spylls`` reads the same
``.dic``/``.aff`` files (slower to load, same answers). ``cyhunspell`` was
tried first but does not build on Python 3.11.

Load once per run through the ``"hunspell"`` resource::

    Resources(loaders={"hunspell": load_speller})
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtcheck.checks.base import ResourceUnavailable

#: British -> American spellings: en_US Hunspell does not know "colour", but
#: British spelling in an English translation is not an error.
_BRITISH = [(r"our(s|ed|ing|ful|ite|ites|able)?$", r"or\1"), (r"is(e|ed|es|ing|ation|ations)$", r"iz\1"),
            (r"ys(e|ed|es|ing)$", r"yz\1"), (r"ll(ed|ing|er|ers)$", r"l\1"), (r"ough$", "ow"), (r"^mould", "mold"),
            (r"ence$", "ense"), (r"re(s|d)?$", r"er\1"), (r"ogue(s)?$", r"og\1"), (r"rouble", "ruble"),
            (r"ae", "e"), (r"oe", "e"), (r"ement$", "ment"), (r"grey", "gray"), (r"tyre", "tire"),
            (r"pyjama", "pajama"), (r"cheque", "check"), (r"kerb", "curb"), (r"plough", "plow"), (r"axe(s)?$", r"ax\1"),
            (r"moustache", "mustache"), (r"sulph", "sulf"), (r"ise(s|d)?$", r"ice\1"), (r"despatch", "dispatch"),
            (r"pp(er|ers|ing|ed)$", r"p\1"), (r"ogramme", "ogram")]

#: Words English writing uses that en_US Hunspell lacks: Latin tags, bound
#: prefixes written apart, common borrowings.
EXTRA_WORDS = frozenset({"annum", "oceanologist", "oceanologists", "jure", "facto", "absentia", "vice", "versa", "raison", "bona", "fide", "quo", "alma",
                         "mater", "grata", "modus", "operandi", "hoc", "hominem", "cyber", "socio", "anarcho", "ons",
                         "burqa", "burqas", "niqab", "niqabs", "burkini", "burkinis", "subreddit", "subreddits",
                         "precariat", "runet", "siloviki", "oligarchs", "selfie", "selfies", "blogger", "bloggers",
                         "vlog", "vlogger", "cryptocurrency", "cryptocurrencies", "hashtag", "hashtags", "meme",
                         "memes", "livestream", "podcast", "podcasts", "smartphone", "smartphones", "oppositionist",
                         "oppositionists", "worshippers", "pastoralists", "parliamentarism"})

#: Where Debian's hunspell-en-us puts its dictionary.
DEFAULT_DICT = Path("/usr/share/hunspell/en_US")


@dataclass
class Speller:
    """A loaded Hunspell dictionary: ``known(word)`` and ``suggest(word)``."""

    backend: str  # "pyhunspell" | "spylls"
    path: str
    _impl: Any = field(repr=False, default=None)
    _cache: dict[str, bool] = field(repr=False, default_factory=dict)

    def known(self, word: str) -> bool:
        """True if Hunspell accepts ``word`` exactly as written (case matters:
        "Moscow" is known, "moscow" is not)."""
        hit = self._cache.get(word)
        if hit is None:
            word_n = word.replace("’", "'")
            if self.backend == "pyhunspell":
                try:
                    hit = bool(self._impl.spell(word_n))
                except UnicodeEncodeError:
                    hit = False
            else:
                hit = bool(self._impl.lookup(word_n))
            self._cache[word] = hit
        return hit

    def is_common_word(self, word: str) -> bool:
        """True if the lower-case form is a dictionary word ("Bank", "Will"),
        i.e. a capitalised occurrence is not necessarily a name."""
        return self.known(word.lower())

    def is_proper_noun(self, word: str) -> bool:
        """True if the dictionary knows the word only capitalised ("Moscow")."""
        return not self.known(word.lower()) and self.known(word[:1].upper() + word[1:].lower())

    def accepts(self, word: str, compounds: bool = True) -> bool:
        """Known as written, capitalised, in its American spelling ("colour",
        "roubles") or as a compound of two known words the dictionary lacks
        ("whistle|blowers", "sub|nets")."""
        if self.known(word) or self.known(word.capitalize()) or word.lower() in EXTRA_WORDS:
            return True
        for pat, rep in _BRITISH:
            alt = re.sub(pat, rep, word)
            if alt != word and self.known(alt):
                return True
        for k in range(3, len(word) - 2 if compounds else 0):
            if self.known(word[:k]) and self.known(word[k:]):
                return True
        return False

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        try:
            out = list(self._impl.suggest(word))
        except UnicodeEncodeError:
            return []
        return out[:limit]


def load_speller(path: str | Path = DEFAULT_DICT) -> Speller:
    """Load ``<path>.dic``/``<path>.aff``; raise ``ResourceUnavailable`` when the
    dictionary or every binding is missing."""
    return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> Speller:
    dic, aff = Path(path + ".dic"), Path(path + ".aff")
    if not (dic.is_file() and aff.is_file()):
        raise ResourceUnavailable(f"Hunspell dictionary not found at {path}.dic/.aff (apt install hunspell-en-us)")
    try:
        import hunspell  # pyhunspell

        return Speller("pyhunspell", path, hunspell.HunSpell(str(dic), str(aff)))
    except ImportError:
        pass
    try:
        from spylls.hunspell import Dictionary
    except ImportError as exc:
        raise ResourceUnavailable("no Hunspell binding installed (pip install hunspell, or spylls)") from exc
    return Speller("spylls", path, Dictionary.from_files(path))
