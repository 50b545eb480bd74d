"""The untranslated check: Cyrillic left in the English, source copied to target."""

from __future__ import annotations

from mtcheck.checks.base import PairContext, Resources, registry
from mtcheck.data import AlignedPair, Link


def run(src: str, mt: str):
    pair = AlignedPair(0, "d", Link((0,), (0,)), [], [], src, mt, 0, 0)
    return list(registry()["untranslated"]().check_pair(pair, PairContext(pair, Resources())))


def test_fully_translated_not_flagged():
    assert run("Губернатор? Уволить!", "Governor? Fire him!") == []
    assert run("Он сказал «нет».", 'He said "no".') == []


def test_cyrillic_run_spanned():
    mt = "Governor? Звільнити негайно!"
    flags = run("Губернатор? Звільнити негайно!", mt)
    assert len(flags) == 1
    f = flags[0]
    assert mt[f.mt_span.start:f.mt_span.end] == "Звільнити негайно"
    assert f.category == "accuracy/untranslated" and f.severity.value in ("major", "critical")
    assert f.evidence["in_source"] is True


def test_two_runs_two_flags():
    mt = "Дм. Bykov - no way out, Быков"
    flags = run("Дм.Быков - Выхода нет, Быков", mt)
    assert [mt[f.mt_span.start:f.mt_span.end] for f in flags] == ["Дм", "Быков"]


def test_source_copied_to_target_is_critical():
    src = "Пойдёмте поиграем?"
    flags = run(src, "Пойдёмте поиграем ?")
    assert [(f.category, f.severity.value) for f in flags] == [("accuracy/untranslated", "critical")]
    assert flags[0].evidence["similarity"] >= 0.9


def test_latin_source_may_be_copied():
    assert run("Need for Speed HEAT", "Need for Speed HEAT") == []


def test_quoted_term_with_gloss_is_deliberate():
    assert run("Это называется «тоска».", "This is called «тоска» (longing).") == []
    flags = run("Это называется «тоска».", "This is called «тоска».")
    assert [(f.severity.value, f.in_quote) for f in flags] == [("minor", True)]
