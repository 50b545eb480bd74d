"""Pieces-to-words aggregation, input splitting, the fake translator, the metrics."""

from __future__ import annotations

import math

import pytest

from mtcheck.cache import SqliteCache
from mtcheck.translate.caching import CachingTranslator
from mtcheck.translate.fake import DictionaryTranslator
from mtcheck.translate.metrics import backtranslation_metrics
from mtcheck.translate.pieces import aggregate_words, offset_map, piece_spans, split_pieces


def test_piece_spans_rebuild_text():
    text, spans = piece_spans(["▁Come", "▁on", "▁jer", "king", "!"])
    assert text == "Come on jerking!"
    assert [text[s:e] for s, e in spans] == ["Come", "on", "jer", "king", "!"]


def test_aggregate_words_sums_pieces_per_word():
    pieces = ["▁Come", "▁on", "▁jer", "king", "!"]
    lps = [-0.5, -0.25, -4.0, -3.0, -0.1]
    ws = aggregate_words(pieces, lps, "Come on jerking!")
    assert [(w.word, w.start, w.end) for w in ws] == [("Come", 0, 4), ("on", 5, 7), ("jerking", 8, 15)]
    assert math.isclose(ws[2].logprob, -7.0)
    assert ws[2].tokens == [("▁jer", -4.0), ("king", -3.0)]
    # the lowest-probability word is the one a check would point at
    assert min(ws, key=lambda w: w.logprob).word == "jerking"


def test_score_result_word_logprobs_for_checks():
    fake = DictionaryTranslator({"ну": "come", "давай": "on"}, "ru", "en")
    [res] = fake.score(["Ну давай, дёргай!"], ["Come on jerking!"])
    assert res.word_logprobs() == [(0, 4, -0.1), (5, 7, -0.1), (8, 15, -6.0)]


def test_bare_space_piece_joins_next_word():
    ws = aggregate_words(["▁", "Д", "ав", "ай"], [-1.0, -2.0, -0.5, -0.5], "Давай")
    assert len(ws) == 1 and math.isclose(ws[0].logprob, -4.0) and len(ws[0].tokens) == 4


def test_offsets_map_back_to_unnormalized_text():
    target = "  The  ﬁne\u00a0day"  # double spaces, a ligature SentencePiece turns into "fi", a NBSP
    pieces = ["▁The", "▁fine", "▁day"]
    ws = aggregate_words(pieces, [-1.0, -2.0, -3.0], target)
    assert [target[w.start:w.end] for w in ws] == ["The", "ﬁne", "day"]
    assert [w.logprob for w in ws] == [-1.0, -2.0, -3.0]
    m = offset_map("abc", "abc")
    assert m == [0, 1, 2, 3]


def test_split_pieces_prefers_clause_ends_and_keeps_everything():
    pieces = ["▁Он", "▁сказал", ",", "▁что", "▁при", "дёт", "▁завтра", "▁утром", ".", "▁Мы", "▁пошли", "▁домой"]
    chunks = split_pieces(pieces, 5)
    assert [p for c in chunks for p in c] == pieces
    assert all(len(c) <= 5 for c in chunks)
    assert chunks[0] == ["▁Он", "▁сказал", ","]  # cut after the comma
    # without punctuation, cut at a word start, never inside a word
    chunks = split_pieces(["▁a", "b", "c", "▁d", "e", "▁f", "g", "h"], 4)
    assert chunks == [["▁a", "b", "c"], ["▁d", "e"], ["▁f", "g", "h"]]
    assert split_pieces(["x"] * 7, 3) == [["x"] * 3, ["x"] * 3, ["x"]]
    with pytest.raises(ValueError):
        split_pieces(["x"], 0)


def test_dictionary_translator_is_word_by_word():
    fake = DictionaryTranslator({"come": "давай", "on": "ну", "pull": "дёргай"}, "en", "ru")
    assert fake.translate(["Come on, pull it!"]) == ["Давай ну, дёргай it!"]
    [res] = fake.score(["Come on, pull!"], ["Ну давай, дёргай его!"])
    assert [(w.word, w.logprob) for w in res.words] == [
        ("Ну", -0.1), ("давай", -0.1), ("дёргай", -0.1), ("его", -6.0)]
    assert fake.model_hash == DictionaryTranslator({"on": "ну", "come": "давай", "pull": "дёргай"}).model_hash
    assert fake.model_hash != DictionaryTranslator({"come": "давай"}).model_hash


def test_dictionary_score_flags_unexplained_words():
    fake = DictionaryTranslator({"ну": "come", "давай": "on", "дёргай": "pull"}, "ru", "en")
    [res] = fake.score(["Ну давай, дёргай!"], ["Come on jerking!"])
    lp = {w.word: w.logprob for w in res.words}
    assert lp["jerking"] < lp["Come"] and lp["on"] == fake.known_logprob


def test_caching_wrapper_with_fake(tmp_path):
    fake = DictionaryTranslator({"hello": "привет"}, "en", "ru")
    cached = CachingTranslator(fake, SqliteCache(tmp_path / "c.sqlite"))
    assert cached.translate(["Hello!", "hello"]) == ["Привет!", "привет"]
    assert cached.translate(["hello", "Hello!", "bye"]) == ["привет", "Привет!", "bye"]
    assert fake.calls == [("translate", 2), ("translate", 1)]  # only "bye" was new
    s1 = cached.score(["hello"], ["привет"])
    s2 = cached.score(["hello"], ["привет"])
    assert fake.calls[-1] == ("score", 1) and len(fake.calls) == 3
    assert s1[0].words[0].word == s2[0].words[0].word == "привет"
    assert s2[0].words[0].tokens == [("привет", fake.known_logprob)]


def test_backtranslation_metrics_rank_closeness():
    src = "Этот молодой человек учился в России."
    same = backtranslation_metrics(src, src)
    close = backtranslation_metrics("Этот молодой человек учился в Москве.", src)
    far = backtranslation_metrics("Собака спит на диване.", src)
    assert set(same) == {"chrf", "bleu", "ter"}
    assert same["chrf"] == pytest.approx(100.0) and same["bleu"] == pytest.approx(100.0) and same["ter"] == 0.0
    assert same["chrf"] > close["chrf"] > far["chrf"]
    assert same["bleu"] > close["bleu"] > far["bleu"]
    assert same["ter"] < close["ter"] < far["ter"]
