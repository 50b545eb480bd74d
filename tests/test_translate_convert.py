"""Hugging Face Marian (opus-mt layout) -> CTranslate2 conversion, checked against transformers.

Needs the optional 'convert' extra (transformers + torch); skipped without it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtcheck.translate.ct2 import CTranslate2Translator, EngineOptions
from mtcheck.translate.store import ModelStore
from tests import tinymodel
from tests.tinymodel import EN, RU

pytestmark = pytest.mark.slow
torch = pytest.importorskip("torch", reason="the 'convert' extra (torch) is not installed")
transformers = pytest.importorskip("transformers", reason="the 'convert' extra (transformers) is not installed")


def build_hf_marian(d: Path, seed: int = 0) -> Path:
    """A tiny random MarianMTModel saved as Helsinki-NLP's opus-mt checkpoints are laid out."""
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    d.mkdir(parents=True)
    sp = tinymodel.train_sentencepiece(d / "source.spm")
    shutil.copy(sp, d / "target.spm")
    pieces = [p for p in tinymodel.sp_vocabulary(sp) if p not in ("<unk>", "<s>", "</s>")]
    vocab = ["</s>", "<unk>", *pieces, "<pad>"]  # Marian's order: pad last
    (d / "vocab.json").write_text(json.dumps({p: i for i, p in enumerate(vocab)}, ensure_ascii=False), "utf-8")
    cfg = MarianConfig(vocab_size=len(vocab), d_model=16, encoder_layers=2, decoder_layers=2,
                       encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
                       decoder_ffn_dim=32, max_position_embeddings=128, pad_token_id=len(vocab) - 1,
                       eos_token_id=0, decoder_start_token_id=len(vocab) - 1, forced_eos_token_id=None)
    torch.manual_seed(seed)
    MarianMTModel(cfg).eval().save_pretrained(d)
    MarianTokenizer(str(d / "source.spm"), str(d / "target.spm"), str(d / "vocab.json"),
                    source_lang="en", target_lang="ru").save_pretrained(d)
    return d


@pytest.fixture(scope="module")
def marian(tmp_path_factory) -> Path:
    return build_hf_marian(tmp_path_factory.mktemp("hf") / "opus-mt-en-ru")


def test_install_converts_and_matches_transformers(marian, tmp_path):
    from transformers import MarianMTModel, MarianTokenizer

    store = ModelStore(tmp_path / "home")
    pkg = store.install(str(marian))
    assert pkg.name == "opus-mt-en-ru" and pkg.pair == "en-ru" and (pkg.root / "model.bin").is_file()
    assert pkg.source_sp.name == "source.spm"

    hf = MarianMTModel.from_pretrained(marian).eval()
    tok = MarianTokenizer.from_pretrained(marian)
    ct2 = CTranslate2Translator(pkg, EngineOptions(threads=1, beam_size=1, compute_type="float32",
                                                   max_decoding_length=8))
    # greedy decoding gives the same pieces in both engines
    ct2._load()
    for sent in EN[:3]:
        enc = tok([sent], return_tensors="pt")
        ids = hf.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=8)[0].tolist()
        hf_pieces = [p for p in tok.convert_ids_to_tokens(ids) if p not in ("<pad>", "</s>")]
        src = ct2._sp_src.encode(sent, out_type=str)
        ct_pieces = [p for p in ct2._model.translate_batch([src], beam_size=1, max_decoding_length=8)[0]
                     .hypotheses[0] if p != "</s>"]
        assert ct_pieces == hf_pieces

    # forced-decoding log-probabilities agree with transformers' own
    [res] = ct2.score([EN[1]], [RU[1]])
    enc = tok([EN[1]], text_target=[RU[1]], return_tensors="pt")
    with torch.no_grad():
        logits = hf(**enc).logits[0]
    lp = torch.log_softmax(logits, -1).gather(1, enc["labels"][0][:, None])[:, 0].tolist()
    assert len(lp) == len(res.tokens)
    # (the installed weights are int8, so float32 decoding differs from torch a little)
    assert max(abs(a - b) for a, b in zip(lp, (x for _, x in res.tokens))) < 0.05


def test_conversion_without_spm_is_refused(marian, tmp_path):
    from mtcheck.errors import ModelError

    broken = tmp_path / "opus-mt-ru-en"
    shutil.copytree(marian, broken)
    (broken / "target.spm").unlink()
    with pytest.raises(ModelError, match="no target.spm"):
        ModelStore(tmp_path / "home").install(str(broken))
