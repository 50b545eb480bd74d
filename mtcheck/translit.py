"""Latin renderings of Cyrillic names, through the ``iuliia`` library (many
official schemes: BGN/PCGN, ISO 9, GOST 7.79, ICAO, Wikipedia, ...), plus a
few common informal variants that no scheme produces."""

from __future__ import annotations

import re
from functools import lru_cache

SCHEMES = ("bgn_pcgn", "bgn_pcgn_alt", "iso_9_1954", "gost_779", "gost_779_alt", "gost_52535", "icao_doc_9303",
           "wikipedia", "scientific", "mvd_782", "ala_lc", "ungegn_1987", "yandex_maps", "mosmetro", "telegram")

# Informal variants seen in English news: Yevgeny/Evgeny, -sky/-skiy, Zakharova/Zaharova.
_VARIANTS = [
    (r"^Ye", "E"), (r"^E", "Ye"), (r"skiy$", "sky"), (r"skii$", "sky"), (r"iy$", "y"), (r"yy$", "y"),
    (r"ii$", "y"), (r"kh", "h"), (r"yu", "iu"), (r"ya", "ia"), (r"ts", "tz"), (r"'", ""), (r"ё", "e"),
    (r"y$", "i"), (r"ie", "ye"), (r"yo", "e"),
]


_APOSTROPHES = re.compile(r"['`’ʹʺ\"]")


@lru_cache(maxsize=50_000)
def latin_variants(word: str) -> frozenset[str]:
    """Plausible Latin spellings of a Cyrillic word, lower-cased (empty for non-Cyrillic)."""
    if not any("\u0400" <= ch <= "\u04ff" for ch in word):
        return frozenset()
    import iuliia

    out: set[str] = set()
    for name in SCHEMES:
        schema = iuliia.schemas.get(name)
        if schema is None:
            continue
        out.add(schema.translate(word).lower())
    for base in list(out):
        for pat, rep in _VARIANTS:
            v = re.sub(pat, rep, base, flags=re.IGNORECASE)
            out.add(v.lower())
    return frozenset(_APOSTROPHES.sub("", v) for v in out if v)


def matches(cyrillic: str, latin: str) -> bool:
    """True if ``latin`` is one of the plausible renderings of ``cyrillic``."""
    return _APOSTROPHES.sub("", latin.lower()) in latin_variants(cyrillic)
