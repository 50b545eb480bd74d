"""Builds tiny translation models for tests: no download, a second or two of CPU.

A tiny SentencePiece model is trained on a few Russian and English sentences,
and a 2+2-layer CTranslate2 Transformer is assembled from random numpy weights
with ``ctranslate2.specs``. The model translates nonsense, but it is a real
CTranslate2 model: loading, batching, scoring and attention all run through
the real engine. It can be packed as a plain CTranslate2 directory or as an
Argos Translate package (directory or ``.argosmodel`` zip).
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RU = [
    "Привет, как дела?",
    "Ну давай, дёргай!",
    "Мы пошли домой после работы.",
    "Этот молодой человек учился в России.",
    "Собака спит на диване, а кошка играет.",
    "Он сказал, что придёт завтра утром.",
    "В городе много старых домов и узких улиц.",
    "Она читает книгу о истории страны.",
    "Погода сегодня хорошая, светит солнце.",
    "Мы пьём чай с молоком и сахаром.",
]
EN = [
    "Hello, how are you?",
    "Come on, pull it!",
    "We went home after work.",
    "This young man studied in Russia.",
    "The dog sleeps on the sofa, and the cat plays.",
    "He said that he would come tomorrow morning.",
    "There are many old houses and narrow streets in the city.",
    "She is reading a book about the history of the country.",
    "The weather is good today, the sun is shining.",
    "We drink tea with milk and sugar.",
]


def train_sentencepiece(path: Path, sentences: list[str] | None = None, vocab_size: int = 160) -> Path:
    """Train a small unigram SentencePiece model on ``sentences`` and write it to ``path``."""
    import sentencepiece as spm

    data = sentences if sentences is not None else RU + EN
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(data * 3),
        model_writer=buf,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
        num_threads=1,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


def sp_vocabulary(sp_path: Path) -> list[str]:
    """The CTranslate2 vocabulary matching a SentencePiece model (same pieces, same order)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _rand(rng: np.random.Generator, *shape: int, scale: float = 0.3) -> np.ndarray:
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def _linear(spec, rng, out_dim: int, in_dim: int) -> None:
    spec.weight = _rand(rng, out_dim, in_dim, scale=1.0 / np.sqrt(in_dim))
    spec.bias = _rand(rng, out_dim, scale=0.05)


def _norm(spec, dim: int) -> None:
    spec.gamma = np.ones(dim, dtype=np.float32)
    spec.beta = np.zeros(dim, dtype=np.float32)


def build_ct2_model(
    out_dir: Path,
    source_vocab: list[str],
    target_vocab: list[str] | None = None,
    *,
    layers: int = 2,
    d_model: int = 32,
    heads: int = 2,
    ffn: int = 64,
    seed: int = 0,
    eos_bias: float = 0.5,
) -> Path:
    """Write a random-weight CTranslate2 Transformer to ``out_dir``.

    ``eos_bias`` raises the end-of-sentence logit so random outputs stay short.
    With ``target_vocab=None`` the vocabulary is shared (``shared_vocabulary.json``).
    """
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    tgt_vocab = target_vocab if target_vocab is not None else source_vocab
    spec = transformer_spec.TransformerSpec.from_config((layers, layers), heads)
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = _rand(rng, len(source_vocab), d_model)
    dec.embeddings.weight = _rand(rng, len(tgt_vocab), d_model)
    _norm(enc.layer_norm, d_model)
    _norm(dec.layer_norm, d_model)
    for layer in enc.layer:
        _norm(layer.self_attention.layer_norm, d_model)
        _linear(layer.self_attention.linear[0], rng, 3 * d_model, d_model)
        _linear(layer.self_attention.linear[1], rng, d_model, d_model)
        _norm(layer.ffn.layer_norm, d_model)
        _linear(layer.ffn.linear_0, rng, ffn, d_model)
        _linear(layer.ffn.linear_1, rng, d_model, ffn)
    for layer in dec.layer:
        _norm(layer.self_attention.layer_norm, d_model)
        _linear(layer.self_attention.linear[0], rng, 3 * d_model, d_model)
        _linear(layer.self_attention.linear[1], rng, d_model, d_model)
        _norm(layer.attention.layer_norm, d_model)
        _linear(layer.attention.linear[0], rng, d_model, d_model)
        _linear(layer.attention.linear[1], rng, 2 * d_model, d_model)
        _linear(layer.attention.linear[2], rng, d_model, d_model)
        _norm(layer.ffn.layer_norm, d_model)
        _linear(layer.ffn.linear_0, rng, ffn, d_model)
        _linear(layer.ffn.linear_1, rng, d_model, ffn)
    _linear(dec.projection, rng, len(tgt_vocab), d_model)
    dec.projection.bias[tgt_vocab.index("</s>")] += eos_bias
    spec.register_source_vocabulary(source_vocab)
    spec.register_target_vocabulary(tgt_vocab)
    spec.config.unk_token = "<unk>"
    spec.config.bos_token = "<s>"
    spec.config.eos_token = "</s>"
    spec.config.decoder_start_token = "<s>"
    spec.validate()
    spec.optimize(quantization=None)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))
    return out_dir


@dataclass
class TinyModel:
    """Paths of a tiny shared-vocabulary model built under a directory."""

    ct2_dir: Path  # model.bin, shared_vocabulary.json, sentencepiece.model
    sp_path: Path


def build_tiny_ct2_dir(root: Path, name: str = "en-ru", seed: int = 0) -> TinyModel:
    """A CTranslate2 directory with its shared SentencePiece model inside."""
    d = root / name
    sp_path = train_sentencepiece(d / "sentencepiece.model")
    build_ct2_model(d, sp_vocabulary(sp_path), seed=seed)
    return TinyModel(d, sp_path)


def build_separate_vocab_dir(root: Path, name: str = "ru-en") -> Path:
    """A CTranslate2 directory with separate source.spm / target.spm and vocabularies."""
    d = root / name
    src_sp = train_sentencepiece(d / "source.spm", RU, vocab_size=100)
    tgt_sp = train_sentencepiece(d / "target.spm", EN, vocab_size=100)
    build_ct2_model(d, sp_vocabulary(src_sp), sp_vocabulary(tgt_sp), seed=3)
    return d


def argos_metadata(from_code: str, to_code: str, version: str = "1.0") -> dict:
    names = {"en": "English", "ru": "Russian"}
    return {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": names.get(from_code, from_code),
        "to_code": to_code,
        "to_name": names.get(to_code, to_code),
        "type": "translate",
    }


def build_argos_dir(root: Path, from_code: str = "en", to_code: str = "ru", seed: int = 0) -> Path:
    """An unpacked Argos Translate package: metadata.json, model/, sentencepiece.model."""
    name = f"translate-{from_code}_{to_code}-1_0"
    pkg = root / name
    sp_path = train_sentencepiece(pkg / "sentencepiece.model")
    build_ct2_model(pkg / "model", sp_vocabulary(sp_path), seed=seed)
    (pkg / "metadata.json").write_text(json.dumps(argos_metadata(from_code, to_code)), encoding="utf-8")
    return pkg


def zip_dir(src: Path, zip_path: Path, extra: dict[str, bytes] | None = None) -> Path:
    """Zip ``src`` as Argos does: one top-level folder named after the package."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                zf.write(f, f"{src.name}/{f.relative_to(src).as_posix()}")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return zip_path


def build_argosmodel(root: Path, from_code: str = "en", to_code: str = "ru", seed: int = 0) -> Path:
    """A zipped ``.argosmodel`` package in ``root``."""
    staging = root / "staging"
    pkg = build_argos_dir(staging, from_code, to_code, seed)
    out = zip_dir(pkg, root / f"{pkg.name}.argosmodel")
    shutil.rmtree(staging)
    return out
