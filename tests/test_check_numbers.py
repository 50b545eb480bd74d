"""The numbers check on hand-written Russian/English pairs."""

from __future__ import annotations

import pytest

from mtcheck.checks.base import PairContext, Resources, registry
from mtcheck.data import AlignedPair, Link
from mtcheck.numbers import compare, extract


def run(src: str, mt: str, **options):
    pair = AlignedPair(0, "d", Link((0,), (0,)), [], [], src, mt, 0, 0)
    check = registry()["numbers"](**options)
    return list(check.check_pair(pair, PairContext(pair, Resources())))


def values(text: str, lang: str) -> list[tuple[str, float]]:
    return [(q.kind, q.value) for q in extract(text, lang)]


@pytest.mark.parametrize("src,mt", [
    ("Пришли 2,5 тыс. человек.", "2.5 thousand people came."),
    ("Пришли 2,5 тыс. человек.", "2,500 people came."),
    ("Цена — 60 тенге.", "The price is 60 tenge."),
    ("Это случилось 2 января 2022 года.", "It happened on January 2, 2022."),
    ("В 1990-х годах было иначе.", "In the 1990s it was different."),
    ("В 90-е всё было иначе.", "In the '90s everything was different."),
    ("Собрали 3 тыщи подписей.", "They collected 3,000 signatures."),
    ("Бюджет — $5 млн.", "The budget is $5 million."),
    ("Бюджет — 5 млн долларов.", "The budget is five million dollars."),
    ("Инфляция составила 5,5 %.", "Inflation was 5.5 percent."),
    ("Он прошёл двадцать пять километров.", "He walked 25 kilometers."),
    ("Это уже третий случай.", "This is the third time."),
    ("Пришли двое, один остался.", "Two came, the other stayed."),
    ("Город потеряет полмиллиарда рублей.", "The city will lose half a billion roubles."),
    ("Встреча в 10:30.", "The meeting is at 10.30 am."),
    ("В XIX веке так не писали.", "Nobody wrote like that in the 19th century."),
    ("Население — 2 500 000 человек.", "The population is 2.5 million."),
    ("Сотни людей вышли на улицы.", "Hundreds of people took to the streets."),
])
def test_same_quantities_no_flag(src, mt):
    assert run(src, mt) == []


def test_changed_multiplier_is_major_mistranslation():
    flags = run("Пришли 2,5 тыс. человек.", "25 thousand people came.")
    assert [(f.category, f.severity.value) for f in flags] == [("accuracy/mistranslation", "major")]
    f = flags[0]
    assert "25 thousand people came."[f.mt_span.start:f.mt_span.end] == "25 thousand"
    assert "Пришли 2,5 тыс. человек."[f.src_span.start:f.src_span.end] == "2,5 тыс."
    assert f.evidence["missing"][0]["value"] == 2500 and f.evidence["added"][0]["value"] == 25000


def test_changed_date():
    flags = run("Это случилось 2 января.", "It happened on January 12.")
    assert len(flags) == 1 and flags[0].category == "accuracy/mistranslation"
    assert flags[0].evidence["source_numbers"][0]["kind"] == "date"


def test_missing_and_added_quantities():
    omission = run("В 2022 году цены выросли на 7%.", "Prices rose by 7% this year.")
    assert [(f.category, f.src_span is not None, f.mt_span) for f in omission] == [("accuracy/omission", True, None)]
    addition = run("Цены выросли.", "Prices rose by 7% in 2022.")
    assert sorted(f.category for f in addition) == ["accuracy/addition", "accuracy/addition"]


def test_spelled_numbers_changed_are_minor():
    flags = run("Пришли пять человек.", "Six people came.")
    assert [(f.category, f.severity.value) for f in flags] == [("accuracy/mistranslation", "minor")]
    assert run("Пришли пять человек.", "Six people came.", flag_spelled=False) == []


def test_decimal_comma_in_english_is_number_format():
    flags = run("Пришли 2,5 тыс. человек.", "2,5 thousand people came.")
    assert [(f.category, f.severity.value) for f in flags] == [("locale/number-format", "minor")]
    assert flags[0].suggestions == ["2.5 thousand"]


def test_currency_changed():
    flags = run("Цена — 60 тенге.", "The price is 60 rubles.")
    assert [f.category for f in flags] == ["accuracy/mistranslation"]
    assert "KZT" in flags[0].message and "RUB" in flags[0].message


def test_extraction_normalises_russian_and_english_forms():
    assert values("2,5 тыс.", "ru") == values("2.5 thousand", "en") == values("2,500", "en") == [("num", 2500.0)]
    assert values("3-х", "ru") == [("num", 3.0)]
    assert values("пяти тысяч", "ru") == [("num", 5000.0)]
    assert values("двух тысяч, один", "ru") == [("num", 2000.0), ("num", 1.0)]
    assert values("two hundred and fifty", "en") == [("num", 250.0)]
    assert values("46к", "ru") == values("46k", "en") == [("num", 46000.0)]
    assert values("the 2nd of January", "en") == values("2 января", "ru") == [("date", 102.0)]
    # numbers glued to words are model names and never flagged on their own
    assert run("Вышел новый iPhone.", "The new COVID-19 test is out.") == []


def test_compare_pairs_missing_with_added():
    c = compare(extract("3 кг и 5 км", "ru"), extract("3 kg and 6 km", "en"))
    assert [(s.value, m.value) for s, m in c.changed] == [(5.0, 6.0)]
    assert c.missing == [] and c.added == []


def test_ambiguous_russian_dot_and_glued_units():
    # "17.000" in Russian is seventeen thousand; "1.148" may be either reading
    assert run("Полиция выплатит 17.000 шекелей.", "The police will pay 17,000 shekels.") == []
    assert run("Статья 1.148 УК.", "Article 1.148 of the Criminal Code.") == []
    assert run("Блок питания 600W (4050р.)", "Power supply 600W (4050 roubles)") == []
    assert run("Сообщение от 18-24 июля 2018 года.", "A message of July 18-24, 2018.") == []


def test_phone_numbers_and_urls_are_not_quantities():
    assert run("Звоните 7 926 531-85-28, подробнее https://m.ru.sputnik.kg/politics/20191128/1046360455.html",
               "Call 7,926 531-85-28, more at https: / / m.ru.sputnik.kg / politics / 20191128 / 1046360455.html") == []


def test_coordinated_days_share_the_month():
    from mtcheck.numbers import compare, extract

    cmp = compare(extract("Спектакли пройдут 12 и 13 марта.", "ru"),
                  extract("The performances will take place on March 12 and 13.", "en"))
    assert not (cmp.missing or cmp.added or cmp.changed)
    cmp = compare(extract("Спектакли пройдут 12 и 13 марта.", "ru"),
                  extract("The performances will take place on March 12 and 14.", "en"))
    assert cmp.changed or cmp.missing


def test_unit_of_measure_changed():
    from mtcheck.numbers import compare, extract

    cmp = compare(extract("Судно прошло около 4 тыс. километров.", "ru"),
                  extract("The vessel covered about 4 thousand miles.", "en"))
    assert [(s.unit, m.unit) for s, m in cmp.unit_mismatch] == [("km", "mi")]
    cmp = compare(extract("Судно прошло около 4 тыс. километров.", "ru"),
                  extract("The vessel covered about 4 thousand kilometres.", "en"))
    assert not cmp.unit_mismatch
