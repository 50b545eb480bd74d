"""Converting a Hugging Face Marian (opus-mt) checkpoint to CTranslate2.

Needs the optional ``convert`` extra (transformers + torch); the conversion
itself is ctranslate2's own ``TransformersConverter``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mtcheck.errors import ModelError


def convert_marian(src: Path, dest: Path, quantization: str = "int8") -> Path:
    """Convert ``src`` (config.json, weights, source.spm, target.spm) into ``dest``.

    The SentencePiece models are copied beside ``model.bin`` so the result is
    an ordinary CTranslate2 directory with separate source/target tokenizers.
    """
    try:
        import transformers  # noqa: F401
        import torch  # noqa: F401
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise ModelError(f"{src}: converting a Hugging Face model needs the 'convert' extra "
                         f"(pip install 'mtcheck[convert]'): {exc}") from exc
    for name in ("source.spm", "target.spm"):
        if not (src / name).is_file():
            raise ModelError(f"{src}: no {name} (a Marian checkpoint has source.spm and target.spm)")
    try:
        TransformersConverter(str(src)).convert(str(dest), quantization=quantization, force=True)
    except (ValueError, OSError, RuntimeError, KeyError) as exc:
        raise ModelError(f"{src}: conversion to CTranslate2 failed ({exc})") from exc
    for name in ("source.spm", "target.spm"):
        shutil.copy2(src / name, dest / name)
    return dest
