"""Quality estimation: a 0-100 score per segment and OK/BAD tags per MT word.

See :mod:`mtcheck.qe.models` for the models and :mod:`mtcheck.qe.features`
for what they look at. Nothing is loaded at import time; the public names
below are resolved on first access (which also keeps ``mtcheck.logprobs``,
used by the features, free of an import cycle).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULT_THRESHOLDS", "QEModels", "available_variants", "document_score", "label", "load_models"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from mtcheck.qe import models

        return getattr(models, name)
    raise AttributeError(f"module 'mtcheck.qe' has no attribute {name!r}")
