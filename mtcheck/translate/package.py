"""Model packages on disk: finding the CTranslate2 model and its SentencePiece files.

Three layouts are read directly (no dependency on ``argostranslate``):

* a CTranslate2 directory: ``model.bin``, ``config.json``, vocabulary files,
  and SentencePiece model(s) beside it (``sentencepiece.model`` shared, or
  ``source.spm`` / ``target.spm`` as in converted opus-mt models);
* an Argos Translate package: ``metadata.json``, ``model/`` (CTranslate2),
  ``sentencepiece.model``;
* a Hugging Face Marian directory (``config.json`` with ``model_type: marian``),
  which must be converted first (:mod:`mtcheck.translate.convert`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from mtcheck.errors import ModelError

#: File written next to an installed model with what mtcheck learnt about it.
MTCHECK_META = "mtcheck-model.json"
# a lookahead so overlapping candidates ("opus-mt-en-ru": "mt-en", "en-ru") are all seen
_PAIR_RE = re.compile(r"(?=(?:^|[-_/])([a-z]{2,3})[-_]([a-z]{2,3})(?:$|[-_]))")
_SHARED_SP = ("sentencepiece.model", "spm.model", "sentencepiece.bpe.model", "spm.shared.model")
_VOCAB_FILES = ("shared_vocabulary.json", "shared_vocabulary.txt", "source_vocabulary.json",
                "source_vocabulary.txt", "target_vocabulary.json", "target_vocabulary.txt")


@dataclass
class ModelPackage:
    """A CTranslate2 model ready to load, with its tokenizers and languages."""

    root: Path  # the package directory (what gets hashed and removed)
    model_dir: Path  # the CTranslate2 directory holding model.bin
    source_sp: Path
    target_sp: Path
    from_code: str
    to_code: str
    layout: str  # "ctranslate2" | "argos"
    metadata: dict = field(default_factory=dict)

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def name(self) -> str:
        return self.root.name


def is_hf_marian(path: Path) -> bool:
    """Whether ``path`` is a Hugging Face Marian (opus-mt) checkpoint directory."""
    cfg = path / "config.json"
    if not cfg.is_file() or (path / "model.bin").exists():
        return False
    try:
        data = json.loads(cfg.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("model_type") == "marian" or "MarianMTModel" in data.get("architectures", [])


def languages_from_name(name: str) -> tuple[str, str] | None:
    """``en-ru``, ``opus-mt-ru-en``, ``translate-en_ru-1_9`` -> the language pair."""
    matches = _PAIR_RE.findall(name.lower())
    return matches[-1] if matches else None


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path}: expected a JSON object")
    return data


def _find_sentencepiece(dirs: list[Path]) -> tuple[Path, Path] | None:
    for d in dirs:
        if (d / "source.spm").is_file() and (d / "target.spm").is_file():
            return d / "source.spm", d / "target.spm"
        for name in _SHARED_SP:
            if (d / name).is_file():
                return d / name, d / name
    return None


def open_package(path: Path, from_code: str | None = None, to_code: str | None = None) -> ModelPackage:
    """Read the layout of a model directory (no weights are loaded).

    Languages come from ``metadata.json`` (Argos), mtcheck's own metadata,
    the explicit codes, or the directory name (``en-ru``, ``opus-mt-en-ru``).
    """
    path = Path(path)
    if not path.is_dir():
        raise ModelError(f"{path}: not a model directory")
    if is_hf_marian(path):
        raise ModelError(f"{path}: a Hugging Face Marian model; convert it first with "
                         "`mtcheck models install` (needs the 'convert' extra: transformers, torch)")
    meta: dict = {}
    for name in (MTCHECK_META, "metadata.json"):
        if (path / name).is_file():
            meta = {**_read_json(path / name), **meta}
    if (path / "model").is_dir() and not (path / "model.bin").exists():
        model_dir, layout = path / "model", "argos"
    else:
        model_dir, layout = path, "ctranslate2"
    if not (model_dir / "model.bin").is_file():
        raise ModelError(f"{path}: no CTranslate2 model.bin in {model_dir}")
    if not any((model_dir / v).is_file() for v in _VOCAB_FILES):
        raise ModelError(f"{path}: no vocabulary file (shared_vocabulary.json or source/target_vocabulary.*) in {model_dir}")
    sp = _find_sentencepiece([path, model_dir])
    if sp is None:
        raise ModelError(f"{path}: no SentencePiece model (sentencepiece.model, or source.spm and target.spm)")
    src = from_code or meta.get("from_code")
    tgt = to_code or meta.get("to_code")
    if not (src and tgt):
        guess = languages_from_name(path.name)
        if guess is None:
            raise ModelError(f"{path}: cannot tell the languages; name the directory like 'en-ru' "
                             "or give --from/--to")
        src, tgt = src or guess[0], tgt or guess[1]
    return ModelPackage(path, model_dir, sp[0], sp[1], str(src), str(tgt), layout, meta)


def read_vocabulary(model_dir: Path, side: str) -> list[str]:
    """CTranslate2 vocabulary of ``side`` ("source" or "target"), from .json or .txt."""
    for stem in (f"{side}_vocabulary", "shared_vocabulary"):
        js, txt = model_dir / f"{stem}.json", model_dir / f"{stem}.txt"
        if js.is_file():
            try:
                return list(json.loads(js.read_text(encoding="utf-8")))
            except ValueError as exc:
                raise ModelError(f"{js}: unreadable vocabulary ({exc})") from exc
        if txt.is_file():
            return txt.read_text(encoding="utf-8").splitlines()
    raise ModelError(f"{model_dir}: no {side} vocabulary")


def hash_files(root: Path) -> str:
    """sha256 over the relative paths and contents of every file under ``root``.

    mtcheck's own metadata file is left out, so installing does not change the hash.
    """
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MTCHECK_META):
        h.update(f.relative_to(root).as_posix().encode("utf-8") + b"\x00")
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\x00")
    return h.hexdigest()


def fingerprint(root: Path) -> str:
    """Cheap identity of the files under ``root`` (paths, sizes, mtimes)."""
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MTCHECK_META):
        st = f.stat()
        h.update(f"{f.relative_to(root).as_posix()}\x00{st.st_size}\x00{st.st_mtime_ns}\x00".encode())
    return h.hexdigest()


def package_hash(pkg: ModelPackage) -> str:
    """The model hash: recorded at install time while the files are unchanged, else computed."""
    stored = pkg.metadata.get("sha256")
    if stored and pkg.metadata.get("fingerprint") == fingerprint(pkg.root):
        return str(stored)
    return hash_files(pkg.root)


def dir_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
