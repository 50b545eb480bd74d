"""Reading every input format, and rejecting bad input with one clear InputError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtcheck.errors import InputError
from mtcheck.inputs import MAX_SEGMENT_CHARS, detect_format, read_inputs

FIX = Path(__file__).parent / "fixtures" / "inputs"


def _texts(segments):
    return [s.text for s in segments]


def _offsets_hold(doc, segments):
    return all(doc.text[s.start:s.end] == s.text for s in segments)


# --- documents and lines -------------------------------------------------------------

def test_documents_are_unaligned_and_unsegmented():
    [pair] = read_inputs(FIX / "doc.ru.txt", FIX / "doc.en.txt")
    assert pair.input_format == "documents" and not pair.aligned
    assert pair.id == "doc"
    assert pair.src.kind == "text" and pair.src.lang == "ru" and pair.mt.lang == "en"
    assert pair.src_segments == [] and pair.mt_segments == []
    assert pair.src.text == (FIX / "doc.ru.txt").read_text(encoding="utf-8")
    assert "Анатолий Локоть" in pair.src.text and "Anatoly Lokot" in pair.mt.text
    assert pair.src.path == str(FIX / "doc.ru.txt")


def test_equal_line_counts_without_blank_lines_are_detected_as_lines():
    assert detect_format(FIX / "weather.ru.txt", FIX / "weather.en.txt") == "lines"
    assert detect_format(FIX / "doc.ru.txt", FIX / "doc.en.txt") == "documents"
    [pair] = read_inputs(FIX / "weather.ru.txt", FIX / "weather.en.txt")
    assert pair.aligned and pair.input_format == "lines"
    assert _texts(pair.src_segments)[1] == "Температура опустится до минус 15 градусов."
    assert _texts(pair.mt_segments)[1] == "The temperature will drop to minus 15 degrees."
    assert [s.line for s in pair.mt_segments] == [1, 2, 3]
    assert _offsets_hold(pair.src, pair.src_segments) and _offsets_hold(pair.mt, pair.mt_segments)


def test_unequal_line_counts_in_auto_mode_are_documents(tmp_path):
    (tmp_path / "a.ru.txt").write_text("Первое.\nВторое.\nТретье.\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("First. Second.\nThird.\n", encoding="utf-8")
    [pair] = read_inputs(tmp_path / "a.ru.txt", tmp_path / "a.en.txt")
    assert pair.input_format == "documents"


def test_lines_skip_common_blank_lines_and_keep_one_sided_blanks():
    [pair] = read_inputs(FIX / "pair.ru.lines", FIX / "pair.en.lines", ref=FIX / "pair.ref.lines")
    assert pair.input_format == "lines"
    assert _texts(pair.src_segments) == ["Первая строка.", "Вторая строка.", "Третья строка.", "Четвёртая строка."]
    # line 4 is blank in the MT only: an empty MT segment keeps the pairing
    assert _texts(pair.mt_segments) == ["First line.", "Second line.", "", "Fourth line."]
    assert [s.line for s in pair.src_segments] == [1, 3, 4, 5]
    assert [s.line for s in pair.mt_segments] == [1, 3, 4, 5]
    assert [s.index for s in pair.mt_segments] == [0, 1, 2, 3]
    assert _texts(pair.ref_segments) == ["Reference one.", "Reference two.", "Reference three.", "Reference four."]
    # the surrounding spaces of line 4 are outside the segment, offsets point into the file text
    third = pair.src_segments[2]
    assert pair.src.text[third.start - 2:third.start] == "  "
    for doc, segs in ((pair.src, pair.src_segments), (pair.mt, pair.mt_segments), (pair.ref, pair.ref_segments)):
        assert _offsets_hold(doc, segs)


def test_mismatched_line_counts_name_both_counts(tmp_path):
    (tmp_path / "s.txt").write_text("Один.\nДва.\nТри.\n", encoding="utf-8")
    (tmp_path / "m.txt").write_text("One.\nTwo.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs(tmp_path / "s.txt", tmp_path / "m.txt", input_format="lines")
    msg = str(err.value)
    assert "m.txt" in msg and "3 lines" in msg and "has 2" in msg and "\n" not in msg


def test_crlf_is_normalised_and_offsets_point_into_decoded_text(tmp_path):
    (tmp_path / "s.txt").write_bytes("Один.\r\nДва.\r\n".encode("utf-8"))
    (tmp_path / "m.txt").write_bytes(b"One.\r\nTwo.\r\n")
    [pair] = read_inputs(tmp_path / "s.txt", tmp_path / "m.txt")
    assert pair.src.text == "Один.\nДва.\n"
    assert _texts(pair.mt_segments) == ["One.", "Two."] and pair.mt_segments[1].start == 5


def test_documents_with_a_reference():
    [pair] = read_inputs(FIX / "doc.ru.txt", FIX / "doc.en.txt", input_format="documents", ref=FIX / "doc.en.txt")
    assert pair.ref is not None and pair.ref.lang == "en" and pair.ref.text.startswith("A new bridge")


# --- TSV and JSONL ---------------------------------------------------------------

def test_tsv_with_header_and_ids():
    [pair] = read_inputs(FIX / "units.tsv", None)
    assert pair.input_format == "tsv" and pair.aligned and pair.src.kind == "units"
    assert [s.unit_id for s in pair.src_segments] == ["s1", "s2", "s3"]
    assert [s.line for s in pair.src_segments] == [2, 4, 5]
    assert pair.mt.text == "It will rain tomorrow.\nAn ice rink has opened in the park.\nPrices rose by 5%."
    assert _offsets_hold(pair.src, pair.src_segments) and _offsets_hold(pair.mt, pair.mt_segments)


def test_tsv_without_header_uses_line_numbers_as_ids():
    [pair] = read_inputs(FIX / "plain.tsv", None)
    assert [s.unit_id for s in pair.mt_segments] == ["1", "2"]
    assert pair.src_segments[1].text == "В парке открылся каток."


def test_tsv_header_may_reorder_columns_and_add_a_reference(tmp_path):
    p = tmp_path / "r.tsv"
    p.write_text("en\tru\tref\nGood morning.\tДоброе утро.\tGood morning!\n", encoding="utf-8")
    [pair] = read_inputs(p, None)
    assert pair.src_segments[0].text == "Доброе утро." and pair.mt_segments[0].text == "Good morning."
    assert pair.ref_segments[0].text == "Good morning!"


def test_malformed_tsv_row_gives_its_line(tmp_path):
    p = tmp_path / "bad.tsv"
    p.write_text("1\tОдин.\tOne.\n2\tДва.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs(p, None)
    assert err.value.line == 2 and "bad.tsv:2" in str(err.value) and "found 2" in str(err.value)


def test_jsonl_units():
    [pair] = read_inputs(FIX / "units.jsonl", None)
    assert pair.input_format == "jsonl"
    assert [s.unit_id for s in pair.src_segments] == ["a1", "2", "4"]
    assert pair.mt_segments[1].text == "The exhibition will run until January 2."
    assert pair.mt_segments[2].text == ""  # "mt": null is an empty translation
    assert _offsets_hold(pair.mt, pair.mt_segments)


@pytest.mark.parametrize("line, expect", [
    ('{"src": "Да", "mt": "Yes"', "malformed JSONL"),
    ('["Да", "Yes"]', "expected a JSON object"),
    ('{"source": "Да", "target": "Yes"}', '"source"/"target"'),
    ('{"src": 5, "mt": "Yes"}', '"src" must be a string'),
])
def test_malformed_jsonl_line_gives_its_line(tmp_path, line, expect):
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps({"src": "Нет.", "mt": "No."}, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs(p, None)
    assert err.value.line == 2 and expect in str(err.value) and "bad.jsonl" in str(err.value)


def test_unit_format_with_reference_file(tmp_path):
    ref = tmp_path / "ref.txt"
    ref.write_text("Rain tomorrow.\nA skating rink opened in the park.\nPrices went up 5%.\n", encoding="utf-8")
    [pair] = read_inputs(FIX / "units.tsv", None, ref=ref)
    assert [s.unit_id for s in pair.ref_segments] == ["s1", "s2", "s3"]
    assert pair.ref_segments[2].text == "Prices went up 5%."
    ref.write_text("Only one line.\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 lines but the input has 3 units"):
        read_inputs(FIX / "units.tsv", None, ref=ref)


# --- XLIFF and TMX ----------------------------------------------------------------

def test_xliff_12_one_pair_per_file_with_inline_tags_reduced():
    pairs = read_inputs(FIX / "xliff12.xlf", None)
    assert [p.id for p in pairs] == ["xliff12.sport.txt", "xliff12.culture.txt"]
    sport, culture = pairs
    assert sport.input_format == "xliff" and sport.aligned
    assert _texts(sport.src_segments) == ["Сборная России выиграла со счётом 3:1.", "Матч прошёл в Сочи."]
    assert _texts(sport.mt_segments) == ["The Russian team won 3-1.", "The match took place in Sochi."]
    # translate="no" units are skipped; placeholder contents (<b>) dropped; missing target -> empty
    assert _texts(culture.mt_segments) == ["The theatre showed the premiere of the season.", ""]
    assert [s.line for s in culture.src_segments] == [22, 26]
    assert _offsets_hold(culture.src, culture.src_segments)


def test_xliff_20_segments_and_code_points():
    [pair] = read_inputs(FIX / "xliff20.xlf", None, input_format="xliff")
    assert [s.unit_id for s in pair.src_segments] == ["u1/s1", "u1/s2", "u2"]
    assert pair.src_segments[0].text == "Учёные открыли новый вид бабочек."
    assert pair.mt_segments[1].text == "The discovery was made in Altai."
    assert pair.mt_segments[2].text == "The wingspan is\u00a03 cm."


def test_xliff_language_mismatch_is_reported():
    with pytest.raises(InputError, match="source-language='ru-RU'.*'de'"):
        read_inputs(FIX / "xliff12.xlf", None, src_lang="de")


def test_tmx_picks_region_variants_and_skips_one_sided_units():
    [pair] = read_inputs(FIX / "memory.tmx", None)
    assert pair.input_format == "tmx"
    assert [s.unit_id for s in pair.src_segments] == ["t1", "2"]
    assert pair.mt_segments[0].text == "The weather in Moscow will improve."  # en-US, not de-DE
    assert pair.src_segments[1].text == "Снег растает к среде."
    assert pair.mt_segments[1].text == "The snow will melt by Wednesday."
    # German as the target language works from the same file
    [de] = read_inputs(FIX / "memory.tmx", None, tgt_lang="de")
    assert _texts(de.mt_segments) == ["Das Wetter in Moskau wird besser."]
    with pytest.raises(InputError, match="languages found: de-de, en-us, ru-ru"):
        read_inputs(FIX / "memory.tmx", None, tgt_lang="fr")


def test_single_file_format_sniffed_from_content(tmp_path):
    for name, fmt in (("xliff12.xlf", "xliff"), ("memory.tmx", "tmx"), ("units.jsonl", "jsonl"), ("plain.tsv", "tsv")):
        copy = tmp_path / (name + ".data")
        copy.write_bytes((FIX / name).read_bytes())
        assert detect_format(copy, None) == fmt
        assert read_inputs(copy, None)[0].input_format == fmt


# --- bad input --------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xliff version="1.2"><file original="x" source-language="ru" target-language="en"><body>
<trans-unit id="1"><source>&lol3;</source><target>&lol3;</target></trans-unit></body></file></xliff>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header srclang="ru"/><body><tu><tuv xml:lang="ru"><seg>&xxe;</seg></tuv>
<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>
"""


PARAMETER_XXE = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<xliff version="1.2"><file original="x" source-language="ru" target-language="en"><body>
<trans-unit id="1"><source>Да</source><target>Yes</target></trans-unit></body></file></xliff>
"""


@pytest.mark.parametrize("name, content", [("lol.xlf", BILLION_LAUGHS), ("xxe.tmx", XXE), ("pe.xlf", PARAMETER_XXE)])
def test_hostile_xml_is_refused(tmp_path, name, content):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs(p, None)
    assert name in str(err.value) and "unsafe XML" in str(err.value)


def test_external_dtd_is_never_fetched(tmp_path):
    # if the parser loaded evil.dtd, its entity declaration would be refused
    (tmp_path / "evil.dtd").write_text('<!ENTITY boom "loaded">', encoding="utf-8")
    p = tmp_path / "doctype.xlf"
    p.write_text('<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "evil.dtd">\n<xliff version="1.2"><file original="x" '
                 'source-language="ru" target-language="en"><body><trans-unit id="1"><source>Да</source>'
                 '<target>Yes</target></trans-unit></body></file></xliff>\n', encoding="utf-8")
    [pair] = read_inputs(p, None)
    assert pair.mt_segments[0].text == "Yes"


def test_undefined_entity_is_malformed_xml(tmp_path):
    p = tmp_path / "undef.tmx"
    p.write_text('<tmx version="1.4"><body><tu><tuv xml:lang="ru"><seg>&boom;</seg></tuv></tu></body></tmx>',
                 encoding="utf-8")
    with pytest.raises(InputError, match="undef.tmx:1: malformed XML: undefined entity"):
        read_inputs(p, None)


def test_malformed_xml_gives_line(tmp_path):
    p = tmp_path / "broken.xlf"
    p.write_text('<xliff version="1.2">\n<file original="a">\n<body>\n</file>\n</xliff>\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs(p, None)
    assert "malformed XML" in str(err.value) and err.value.line == 4


def test_xliff_without_units(tmp_path):
    p = tmp_path / "empty.xlf"
    p.write_text('<xliff version="1.2"><file original="a" source-language="ru" target-language="en"><body/></file></xliff>',
                 encoding="utf-8")
    with pytest.raises(InputError, match="no translation units"):
        read_inputs(p, None)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="nope.txt: file not found"):
        read_inputs(tmp_path / "nope.txt", FIX / "doc.en.txt")


def test_directory_given_as_file(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_inputs(FIX / "doc.ru.txt", tmp_path)


@pytest.mark.parametrize("content", [b"", b"  \n\n \r\n"])
def test_empty_file(tmp_path, content):
    (tmp_path / "empty.txt").write_bytes(content)
    with pytest.raises(InputError, match="empty.txt: file is empty"):
        read_inputs(FIX / "doc.ru.txt", tmp_path / "empty.txt")


def test_binary_file(tmp_path):
    p = tmp_path / "image.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match="image.png: looks like a binary file"):
        read_inputs(FIX / "doc.ru.txt", p)


def test_huge_single_line_is_rejected_quickly(tmp_path):
    sentence = "Правительство обсудило бюджет на следующий год, и депутаты задали много вопросов. "
    big = tmp_path / "big.ru.txt"
    big.write_text(sentence * (5_000_000 // len(sentence.encode("utf-8")) + 1), encoding="utf-8")
    assert big.stat().st_size > 5_000_000
    (tmp_path / "big.en.txt").write_text("The government discussed the budget.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs(big, tmp_path / "big.en.txt")
    assert err.value.line == 1 and f"{MAX_SEGMENT_CHARS:,}" in str(err.value) and "big.ru.txt" in str(err.value)


def test_long_unit_is_rejected(tmp_path):
    p = tmp_path / "long.jsonl"
    p.write_text(json.dumps({"src": "а" * (MAX_SEGMENT_CHARS + 1), "mt": "a"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs(p, None)
    assert err.value.line == 1 and "unit 1 (src)" in str(err.value)


def test_unknown_format_lists_known_ones():
    with pytest.raises(InputError) as err:
        read_inputs(FIX / "doc.ru.txt", FIX / "doc.en.txt", input_format="docx")
    assert "'docx'" in str(err.value) and "documents, lines, tsv, jsonl, xliff, tmx" in str(err.value)


def test_single_text_file_without_mt_is_an_error():
    with pytest.raises(InputError, match="single-file formats are tsv, jsonl, xliff, tmx"):
        read_inputs(FIX / "doc.ru.txt", None)
    with pytest.raises(InputError, match="needs an MT file"):
        read_inputs(FIX / "doc.ru.txt", None, input_format="lines")


def test_mt_file_with_single_file_format_is_an_error():
    with pytest.raises(InputError, match="holds both source and MT"):
        read_inputs(FIX / "units.tsv", FIX / "doc.en.txt")


# --- the demo corpus ----------------------------------------------------------------

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


def _expected():
    return json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))


def test_demo_answer_key_matches_the_documents():
    from mtcheck.data import CATEGORIES

    docs = _expected()["documents"]
    assert 6 <= len(docs) <= 8
    assert sum(d["clean"] for d in docs.values()) >= 1
    categories = set()
    for name, d in docs.items():
        [pair] = read_inputs(DEMO / d["src"], DEMO / d["mt"])
        assert pair.input_format == "documents" and pair.id == name
        src, mt = pair.src.text, pair.mt.text
        assert d["clean"] == (not d["problems"])
        spans = []
        for p in d["problems"]:
            assert p["category"] in CATEGORIES, p
            categories.add(p["category"])
            assert "mt_contains" in p or "src_contains" in p
            if "mt_contains" in p:
                assert mt.count(p["mt_contains"]) == 1, p
                start = mt.index(p["mt_contains"])
                spans.append((start, start + len(p["mt_contains"])))
            if "src_contains" in p:
                assert src.count(p["src_contains"]) == 1, p
        assert len(d["good_sentences"]) >= 4, name
        for sentence in d["good_sentences"]:
            assert mt.count(sentence) == 1, sentence
            start = mt.index(sentence)
            assert not any(a < start + len(sentence) and start < b for a, b in spans), sentence
        for link in d["alignment"]:
            assert link["src_contains"] in src and all(m in mt for m in link["mt_contains"])
    assert {"accuracy/mistranslation", "accuracy/omission", "accuracy/addition", "accuracy/untranslated",
            "style/literal-idiom", "locale/number-format", "terminology"} <= categories


def test_demo_omission_is_really_missing_and_addition_really_added():
    docs = _expected()["documents"]
    omission = next(p for p in docs["culture_theatre"]["problems"] if p["category"] == "accuracy/omission")
    assert "students" not in (DEMO / "culture_theatre.en.txt").read_text(encoding="utf-8")
    assert "училища" in omission["src_contains"]
    addition = next(p for p in docs["science_sponge"]["problems"] if p["category"] == "accuracy/addition")
    assert "src_contains" not in addition
    assert "фармацевт" not in (DEMO / "science_sponge.ru.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("src, mt, fmt, doc", [
    ("council_fares.ru.lines", "council_fares.en.lines", "lines", "council_fares"),
    ("city_park.tsv", None, "tsv", "city_park"),
    ("economy_rate.jsonl", None, "jsonl", "economy_rate"),
    ("culture_theatre.xlf", None, "xliff", "culture_theatre"),
    ("sport_hockey.xlf", None, "xliff", "sport_hockey"),
    ("weather_frost.tmx", None, "tmx", "weather_frost"),
])
def test_demo_formats_hold_the_same_content(src, mt, fmt, doc):
    formats = DEMO / "formats"
    [pair] = read_inputs(formats / src, formats / mt if mt else None)
    assert pair.input_format == fmt and pair.aligned and pair.id == doc
    expected = _expected()["documents"][doc]
    mt_doc = " ".join(s.text for s in pair.mt_segments)
    src_doc = " ".join(s.text for s in pair.src_segments)
    for p in expected["problems"]:
        if "mt_contains" in p:
            assert p["mt_contains"] in mt_doc
        if "src_contains" in p:
            assert p["src_contains"] in src_doc
    for sentence in expected["good_sentences"]:
        assert sentence in mt_doc
    # units pair sentence with sentence: same count, every source unit non-empty
    assert len(pair.src_segments) == len(pair.mt_segments) >= 10
    assert all(s.text for s in pair.src_segments)


def test_seed_reconstruction_pairs_with_the_seed():
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    [pair] = read_inputs(seeds / "000_cbe15a5e722aaaf6.ru.reconstructed.txt", seeds / "000_cbe15a5e722aaaf6.txt")
    assert pair.input_format == "documents" and pair.id == "000_cbe15a5e722aaaf6"
    src, mt = pair.src.text, pair.mt.text
    assert "Come on jerking" in mt
    assert "«Передёргивать — о какой-то интервенции" in src
    # paragraph structure mirrors the MT, so alignment is mostly 1-1
    assert src.strip().count("\n\n") == mt.strip().count("\n\n")
    for name in ("Станислав Зась", "Нед Прайс", "Мария Захарова", "Константин Косачёв",
                 "Евгений Сатановский", "Нурсултан Назарбаев"):
        assert name in src, name
    for number in ("2,5 тыс.", "2 января", "60 до 120 тенге", "статьями 2 и 4"):
        assert number in src, number


def test_reference_with_other_line_count_is_rejected():
    with pytest.raises(InputError) as err:
        read_inputs(FIX / "pair.ru.lines", FIX / "pair.en.lines", ref=FIX / "weather.en.txt")
    assert "weather.en.txt" in str(err.value) and "has 5 lines, reference has 3" in str(err.value)
