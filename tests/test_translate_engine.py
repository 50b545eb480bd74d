"""The CTranslate2 engine on tiny models built by the tests themselves."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mtcheck.cache import SqliteCache
from mtcheck.errors import ModelError
from mtcheck.text import words
from mtcheck.translate import resolve_models
from mtcheck.translate.caching import CachingTranslator
from mtcheck.translate.ct2 import CTranslate2Translator, EngineOptions, length_batches
from mtcheck.translate.store import ModelStore
from tests import tinymodel
from tests.tinymodel import EN, RU

OPTS = EngineOptions(threads=1, max_decoding_length=24, beam_size=2)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("engine")
    return {
        "shared": tinymodel.build_tiny_ct2_dir(root, "en-ru").ct2_dir,
        "separate": tinymodel.build_separate_vocab_dir(root, "ru-en"),
        "argos": tinymodel.build_argos_dir(root / "argos", "en", "ru", seed=2),
    }


class _SpyModel:
    """Wraps a ctranslate2.Translator and records the batches it is given."""

    def __init__(self, model):
        self.model = model
        self.batches: list[list[list[str]]] = []

    def translate_batch(self, batch, **kw):
        self.batches.append(batch)
        return self.model.translate_batch(batch, **kw)

    def score_batch(self, src, tgt, **kw):
        self.batches.append(src)
        return self.model.score_batch(src, tgt, **kw)


def test_import_loads_nothing():
    code = ("import sys, mtcheck, mtcheck.translate, mtcheck.translate.ct2, mtcheck.translate.store, "
            "mtcheck.models_cli; bad=[m for m in ('ctranslate2','sentencepiece','torch','sacrebleu') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("kind", ["shared", "separate", "argos"])
def test_translate_loads_lazily_and_keeps_order(models, kind):
    t = CTranslate2Translator(models[kind], OPTS)
    assert not t.loaded
    src = EN if kind != "separate" else RU
    batch = [src[3], "", src[0], src[5]]
    out = t.translate(batch)
    assert t.loaded
    assert len(out) == 4 and out[1] == ""
    assert all(isinstance(s, str) and s for s in (out[0], out[2], out[3]))
    # batching sorts by length internally; results still follow the input order
    assert [t.translate([s])[0] for s in batch] == out


def test_languages_from_layouts(models):
    assert (CTranslate2Translator(models["shared"]).src_lang, CTranslate2Translator(models["shared"]).tgt_lang) \
        == ("en", "ru")
    sep = CTranslate2Translator(models["separate"])
    assert (sep.src_lang, sep.tgt_lang) == ("ru", "en")
    assert sep.package.source_sp.name == "source.spm" and sep.package.target_sp.name == "target.spm"
    assert CTranslate2Translator(models["argos"]).package.layout == "argos"


def test_batches_are_bounded_by_tokens(models):
    t = CTranslate2Translator(models["shared"], EngineOptions(threads=1, max_decoding_length=8,
                                                               max_batch_tokens=40))
    t._load()
    spy = _SpyModel(t._model)
    t._model = spy
    sents = EN * 2
    out = t.translate(sents)
    assert len(out) == len(sents)
    assert len(spy.batches) > 1
    for b in spy.batches:
        assert len(b) * max(len(x) for x in b) <= 40
        lens = [len(x) for x in b]
        assert lens == sorted(lens)


def test_length_batches_cover_every_index_once():
    lengths = [5, 1, 9, 3, 3, 12, 7]
    batches = length_batches(lengths, 20)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 20


def test_overlong_input_is_split_not_truncated(models):
    long_text = " ".join(EN)  # ~100 pieces
    t = CTranslate2Translator(models["shared"], EngineOptions(threads=1, max_decoding_length=8,
                                                               max_input_tokens=12))
    t._load()
    spy = _SpyModel(t._model)
    t._model = spy
    out = t.translate([long_text, EN[0]])
    fed = [x for b in spy.batches for x in b]
    n_pieces = len(t._sp_src.encode(long_text, out_type=str)) + len(t._sp_src.encode(EN[0], out_type=str))
    assert max(len(x) for x in fed) <= 12
    assert sum(len(x) for x in fed) == n_pieces  # every piece was translated, none dropped
    assert len(out) == 2 and len(fed) >= 8


def test_score_words_and_logprobs(models):
    t = CTranslate2Translator(models["shared"], OPTS)
    target = "Ну давай, дёргай!"
    [res] = t.score([EN[1]], [target])
    pieces = t._sp_tgt.encode(target, out_type=str)
    assert [tok for tok, _ in res.tokens] == pieces + ["</s>"]
    assert all(lp <= 0 for _, lp in res.tokens)
    assert [w.word for w in res.words] == ["Ну", "давай", "дёргай"]
    for w in res.words:
        assert target[w.start:w.end] == w.word
        assert math.isclose(w.logprob, sum(lp for _, lp in w.tokens), abs_tol=1e-6)
    # words plus punctuation pieces plus </s> account for every token
    in_words = sum(len(w.tokens) for w in res.words)
    assert in_words == len(pieces) - 2  # "," and "!" are outside words
    assert math.isclose(res.mean_logprob, sum(lp for _, lp in res.tokens) / len(res.tokens))


def test_score_is_consistent_with_greedy_decoding(models):
    """Greedy decoding picks each token with the highest probability, so a
    target that differs only in its first token never scores that token higher."""
    t = CTranslate2Translator(models["shared"], EngineOptions(threads=1, beam_size=1, max_decoding_length=6))
    t._load()
    src = t._sp_src.encode(EN[2], out_type=str)
    best = t._model.translate_batch([src], beam_size=1, max_decoding_length=6)[0].hypotheses[0]
    first = t._model.score_batch([src], [best])[0].log_probs[0]
    vocab = [t._sp_tgt.id_to_piece(i) for i in range(3, t._sp_tgt.get_piece_size())]
    for alt in vocab[:40]:
        if alt != best[0]:
            assert t._model.score_batch([src], [[alt] + best[1:]])[0].log_probs[0] <= first + 1e-5


def test_word_offsets_survive_normalization(models):
    t = CTranslate2Translator(models["shared"], OPTS)
    target = "Мы  пошли   домой."  # SentencePiece collapses the spaces
    [res] = t.score([EN[2]], [target])
    assert [(w.word, target[w.start:w.end]) for w in res.words] == [(w.text, w.text) for w in words(target)]


def test_align_links_words(models):
    t = CTranslate2Translator(models["shared"], OPTS)
    src, tgt = EN[4], RU[4]
    [links] = t.align([src], [tgt])
    assert links
    src_spans = {(w.start, w.end) for w in words(src)}
    tgt_spans = {(w.start, w.end) for w in words(tgt)}
    assert all((l.src_start, l.src_end) in src_spans and (l.tgt_start, l.tgt_end) in tgt_spans for l in links)
    # every target word is linked (each target piece attends somewhere)
    assert {(l.tgt_start, l.tgt_end) for l in links} == tgt_spans


def test_compute_types(models):
    a = CTranslate2Translator(models["shared"], EngineOptions(threads=1, compute_type="float32"))
    b = CTranslate2Translator(models["shared"], EngineOptions(threads=1, compute_type="int8"))
    sa, sb = a.score([EN[0]], [RU[0]])[0], b.score([EN[0]], [RU[0]])[0]
    assert [x for x, _ in sa.tokens] == [x for x, _ in sb.tokens]
    assert abs(sa.mean_logprob - sb.mean_logprob) < 0.5  # int8 approximates float32
    with pytest.raises(ModelError, match="cannot load"):
        CTranslate2Translator(models["shared"], EngineOptions(compute_type="int3")).translate(["x"])


def test_missing_model_bin_fails_on_open(models, tmp_path):
    d = tmp_path / "en-ru"
    shutil.copytree(models["shared"], d)
    (d / "model.bin").unlink()
    with pytest.raises(ModelError, match="no CTranslate2 model.bin"):
        CTranslate2Translator(d)


def test_corrupt_model_bin_fails_on_first_use(models, tmp_path):
    d = tmp_path / "en-ru"
    shutil.copytree(models["shared"], d)
    (d / "model.bin").write_bytes(b"not a model")
    t = CTranslate2Translator(d, OPTS)  # opening reads no weights
    with pytest.raises(ModelError, match="cannot load"):
        t.translate(["Hello"])


def test_vocabulary_mismatch_fails_on_load(models, tmp_path):
    d = tmp_path / "en-ru"
    shutil.copytree(models["shared"], d)
    tinymodel.train_sentencepiece(d / "sentencepiece.model", ["ёжик в тумане"] * 3 + ["quux zebra"] * 3,
                                  vocab_size=30)
    with pytest.raises(ModelError, match="vocabulary does not match"):
        CTranslate2Translator(d, OPTS).score(["a"], ["b"])


def test_caching_wrapper_hits_disk_cache(models, tmp_path):
    cache = SqliteCache(tmp_path / "c.sqlite")
    inner = CTranslate2Translator(models["shared"], OPTS)
    cached = CachingTranslator(inner, cache)
    first = cached.translate(EN[:3])
    scores = cached.score(EN[:2], RU[:2])
    assert len(cache) == 5
    # a fresh engine behind the same cache: nothing reaches the model
    inner2 = CTranslate2Translator(models["shared"], OPTS)
    again = CachingTranslator(inner2, SqliteCache(tmp_path / "c.sqlite"))
    assert again.translate(EN[:3]) == first
    s2 = again.score(EN[:2], RU[:2])
    assert [w.word for w in s2[0].words] == [w.word for w in scores[0].words]
    assert s2[1].mean_logprob == scores[1].mean_logprob
    assert not inner2.loaded
    # other decoding options: another key
    other = CachingTranslator(CTranslate2Translator(models["shared"], EngineOptions(threads=1, beam_size=1,
                                                                                   max_decoding_length=24)), cache)
    other.translate(EN[:1])
    assert len(cache) == 6


def test_resolve_models(models, tmp_path):
    home = tmp_path / "home"
    store = ModelStore(home)
    store.install(str(models["argos"]))
    store.install(str(models["separate"]))
    back, fwd, notes = resolve_models("en-ru,ru-en", home, tmp_path / "cache", 1, "int8")
    assert back is not None and fwd is not None and notes == []
    assert (back.src_lang, back.tgt_lang, fwd.src_lang, fwd.tgt_lang) == ("en", "ru", "ru", "en")
    assert isinstance(back, CachingTranslator)
    assert back.translate([EN[0]])[0]
    assert (tmp_path / "cache" / "translations.sqlite").is_file()
    store.remove("ru-en")
    back, fwd, notes = resolve_models("en-ru,ru-en", home, None, 1, "int8")
    assert isinstance(back, CTranslate2Translator) and fwd is None
    assert len(notes) == 1 and "forward model 'ru-en' is not installed" in notes[0]
    back, fwd, notes = resolve_models(str(models["shared"]), home, None, 1, "int8")
    assert back is not None and back.name == "en-ru" and fwd is None and notes == []
    (home / "models" / "translate-en_ru-1_0" / "model" / "model.bin").unlink()
    with pytest.raises(ModelError, match="model.bin"):  # installed but broken: an error, not a note
        resolve_models("translate-en_ru-1_0", home, None, 1, "int8")


def test_empty_sides_are_not_scored(models):
    t = CTranslate2Translator(models["shared"], OPTS)
    empty_src, empty_tgt, normal = t.score(["", EN[0], EN[1]], [RU[0], "  ", RU[1]])
    assert empty_src.tokens == [] and empty_src.words == []
    assert empty_tgt.tokens == []
    assert normal.tokens and normal.mean_logprob < 0
    assert t.translate(["   "]) == [""]
