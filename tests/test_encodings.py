"""Decoding input files: BOMs, UTF-16, legacy Russian code pages, binary garbage."""

from __future__ import annotations

import codecs
import random

import pytest

from mtcheck.errors import InputError
from mtcheck.inputs import read_inputs
from mtcheck.inputs.encoding import read_text

RU = (
    "Синоптики обещают, что в выходные в Москве будет морозно.\n"
    "Жители города жалуются на сугробы, а коммунальные службы работают круглосуточно.\n"
)
EN = (
    "Forecasters promise frosty weather in Moscow at the weekend.\n"
    "Residents complain about snowdrifts, and utility services work around the clock.\n"
)


@pytest.mark.parametrize("raw, encoding", [
    (RU.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + RU.encode("utf-8"), "utf-8-sig"),
    (RU.encode("utf-16"), "utf-16"),  # Python writes a BOM
    (codecs.BOM_UTF16_BE + RU.encode("utf-16-be"), "utf-16"),
    (RU.encode("cp1251"), "cp1251"),
    (RU.encode("koi8-r"), "koi8-r"),
])
def test_russian_text_in_every_supported_encoding(tmp_path, raw, encoding):
    p = tmp_path / "ru.txt"
    p.write_bytes(raw)
    decoded = read_text(p, "ru")
    assert decoded.text == RU
    assert decoded.encoding == encoding


@pytest.mark.parametrize("word, enc", [("Привет, мир!", "cp1251"), ("Москва", "koi8-r"), ("Ёлка и ещё", "cp1251")])
def test_short_legacy_texts_use_the_language_hint(tmp_path, word, enc):
    p = tmp_path / "short.txt"
    p.write_bytes(word.encode(enc))
    assert read_text(p, "ru").text == word
    assert read_text(p, "ru").encoding == enc


def test_offsets_are_into_text_without_bom(tmp_path):
    (tmp_path / "s.txt").write_bytes(codecs.BOM_UTF8 + RU.encode("utf-8"))
    (tmp_path / "m.txt").write_bytes(EN.encode("utf-16"))
    [pair] = read_inputs(tmp_path / "s.txt", tmp_path / "m.txt")
    assert pair.input_format == "lines"
    assert pair.src.encoding == "utf-8-sig" and pair.mt.encoding == "utf-16"
    assert not pair.src.text.startswith("\ufeff") and not pair.mt.text.startswith("\ufeff")
    assert pair.src_segments[0].start == 0 and pair.mt_segments[0].start == 0
    second = pair.src_segments[1]
    assert pair.src.text[second.start:second.end] == "Жители города жалуются на сугробы, а коммунальные службы работают круглосуточно."


def test_documents_in_legacy_encodings_record_them(tmp_path):
    (tmp_path / "s.txt").write_bytes((RU + "\n" + RU).encode("koi8-r"))
    (tmp_path / "m.txt").write_bytes((EN + "\n" + EN).encode("cp1252"))
    [pair] = read_inputs(tmp_path / "s.txt", tmp_path / "m.txt")
    assert pair.input_format == "documents"
    assert pair.src.encoding == "koi8-r" and pair.src.text == RU + "\n" + RU
    # plain ASCII English is valid UTF-8
    assert pair.mt.encoding == "utf-8"


def test_tsv_in_cp1251(tmp_path):
    p = tmp_path / "units.tsv"
    p.write_bytes("Доброе утро.\tGood morning.\nСпокойной ночи.\tGood night.\n".encode("cp1251"))
    [pair] = read_inputs(p, None)
    assert pair.src.encoding == "cp1251"
    assert pair.src_segments[1].text == "Спокойной ночи."


def test_xliff_in_utf16_with_bom(tmp_path):
    xml = ('<?xml version="1.0" encoding="UTF-16"?>\n<xliff version="1.2"><file original="a" source-language="ru" '
           'target-language="en"><body><trans-unit id="1"><source>Снег идёт.</source><target>It is snowing.</target>'
           '</trans-unit></body></file></xliff>\n')
    p = tmp_path / "u16.xlf"
    p.write_bytes(xml.encode("utf-16"))
    [pair] = read_inputs(p, None)
    assert pair.src.encoding == "utf-16"
    assert pair.src_segments[0].text == "Снег идёт." and pair.mt_segments[0].text == "It is snowing."


def test_random_bytes_are_rejected_naming_the_file(tmp_path):
    rng = random.Random(7)
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))
    with pytest.raises(InputError) as err:
        read_text(p, "ru")
    assert "noise.txt" in str(err.value)
    assert "binary" in str(err.value) or "cannot decode" in str(err.value)


def test_nul_bytes_mean_binary(tmp_path):
    p = tmp_path / "data.bin"
    p.write_bytes(RU.encode("utf-8") + b"\x00\x00\x01\x02")
    with pytest.raises(InputError, match="data.bin: looks like a binary file"):
        read_text(p, "ru")


def test_bad_utf16_after_bom(tmp_path):
    p = tmp_path / "odd.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + "Текст".encode("utf-16-le") + b"\x00")
    with pytest.raises(InputError, match="odd.txt: starts with a utf-16 byte-order mark"):
        read_text(p, "ru")


def test_xml_declared_legacy_encoding(tmp_path):
    xml = ('<?xml version="1.0" encoding="windows-1251"?>\n<tmx version="1.4"><header srclang="ru"/><body>'
           '<tu><tuv xml:lang="ru"><seg>Мороз и солнце.</seg></tuv><tuv xml:lang="en"><seg>Frost and sun.</seg></tuv></tu>'
           '</body></tmx>\n')
    p = tmp_path / "legacy.tmx"
    p.write_bytes(xml.encode("cp1251"))
    [pair] = read_inputs(p, None)
    assert pair.src.encoding == "cp1251" and pair.src_segments[0].text == "Мороз и солнце."


def test_file_size_limit(tmp_path):
    from mtcheck.inputs.encoding import read_bytes

    p = tmp_path / "big.txt"
    p.write_text("Текст. " * 100, encoding="utf-8")
    with pytest.raises(InputError, match="big.txt: file is 1,200 bytes; mtcheck reads at most 1,000 bytes"):
        read_bytes(p, max_bytes=1000)
