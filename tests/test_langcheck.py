"""Language identification restricted to the pair, with a script check."""

from mtcheck.langcheck import check_pair, check_side, identify


def test_short_russian_is_russian_not_macedonian():
    # langdetect alone calls this sentence Macedonian.
    lang, conf = identify("Кошка сидит на окне и смотрит на улицу.", ("ru", "en"))
    assert lang == "ru"
    assert conf > 0.9


def test_english_side_ok():
    rep = check_side("The cat sits on the window and looks at the street.", "en", ("ru", "en"))
    assert rep.ok and rep.detected == "en" and rep.problem is None


def test_swapped_inputs_reported():
    src, mt, problem = check_pair("The cat sits on the window.", "Кошка сидит на окне.", "ru", "en")
    assert src.detected == "en" and mt.detected == "ru"
    assert problem is not None and "swapped" in problem


def test_untranslated_mt_reported():
    src, mt, problem = check_pair("Кошка сидит на окне.", "Кошка сидит на окне.", "ru", "en")
    assert not mt.ok
    assert problem is not None and "untranslated" in problem


def test_same_script_pair_uses_langdetect():
    # English vs German: both Latin script, langdetect decides.
    lang, _ = identify("Der Hund läuft schnell über die Straße und bellt laut.", ("en", "de"))
    assert lang == "de"


def test_no_letters():
    rep = check_side("12345 678", "en", ("ru", "en"))
    assert not rep.ok and rep.detected is None
