"""Language checks: is each side in the expected language, is the pair swapped,
and which MT segments were left untranslated.

``langdetect`` alone mislabels short Russian sentences (it called "Кошка
сидит на окне и смотрит на улицу." Macedonian), so detection is restricted
to the expected pair and combined with a script check: the share of letters
in each language's script decides between languages of different scripts,
and langdetect's probabilities only break ties between same-script languages.
"""

from __future__ import annotations

from mtcheck.data import LanguageReport
from mtcheck.text import lang_script, script_share

#: Below this share of letters in the expected script a side is in the wrong language.
MIN_SCRIPT_SHARE = 0.5


def _langdetect_probs(text: str) -> dict[str, float]:
    """langdetect's language probabilities, made deterministic (fixed seed)."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return {item.lang: item.prob for item in detect_langs(text)}
    except LangDetectException:
        return {}


def identify(text: str, candidates: tuple[str, ...]) -> tuple[str | None, float]:
    """The most likely language of ``text`` among ``candidates`` and its confidence.

    Languages whose script does not match the text's dominant script are ruled
    out first; langdetect then ranks the rest (restricted to the candidates).
    """
    sample = text[:5000]
    if not any(ch.isalpha() for ch in sample):
        return None, 0.0
    shares = {lang: script_share(sample, lang_script(lang)) for lang in candidates}
    best_share = max(shares.values())
    plausible = [lang for lang in candidates if shares[lang] >= best_share - 1e-9 and shares[lang] > 0]
    if not plausible:
        return None, 0.0
    if len(plausible) == 1:
        return plausible[0], round(best_share, 4)
    probs = _langdetect_probs(sample)
    scored = sorted(plausible, key=lambda lang: probs.get(lang, 0.0), reverse=True)
    total = sum(probs.get(lang, 0.0) for lang in plausible)
    conf = probs.get(scored[0], 0.0) / total if total > 0 else 1.0 / len(plausible)
    return scored[0], round(conf * best_share, 4)


def check_side(text: str, expected: str, pair: tuple[str, str]) -> LanguageReport:
    """Language report for one side of a document pair ``pair=(src_lang, tgt_lang)``."""
    share = script_share(text, lang_script(expected))
    candidates = tuple(dict.fromkeys((*pair, expected)))
    detected, conf = identify(text, candidates)
    ok = detected == expected and (share >= MIN_SCRIPT_SHARE or lang_script(expected) == lang_script(pair[0]) == lang_script(pair[1]))
    problem = None
    if detected is None:
        problem = "no letters to identify the language"
        ok = False
    elif not ok:
        problem = f"expected {expected}, text looks like {detected} ({share:.0%} of letters in the {lang_script(expected)} script)"
    return LanguageReport(expected=expected, detected=detected, confidence=conf, script_share=share, ok=ok, problem=problem)


def check_pair(src_text: str, mt_text: str, src_lang: str, tgt_lang: str) -> tuple[LanguageReport, LanguageReport, str | None]:
    """Reports for both sides, plus a document-level problem (swapped, wrong language)."""
    pair = (src_lang, tgt_lang)
    src = check_side(src_text, src_lang, pair)
    mt = check_side(mt_text, tgt_lang, pair)
    problem = None
    if src.detected == tgt_lang and mt.detected == src_lang:
        problem = f"inputs look swapped: the source is in {tgt_lang} and the MT in {src_lang}"
    elif src.detected == tgt_lang and src_lang != tgt_lang:
        problem = f"the source is in {tgt_lang}, not {src_lang} (swapped or wrong file?)"
    elif not mt.ok and mt.detected == src_lang:
        problem = f"the MT is in {src_lang}: the document looks untranslated"
    elif not src.ok or not mt.ok:
        problem = src.problem or mt.problem
    return src, mt, problem
