"""Translation models: the CTranslate2 engine, a caching wrapper, a fake, model management.

Importing this package loads no model and no heavy library; models load on
their first ``translate``/``score`` call.
"""

from mtcheck.translate.base import ScoreResult, Translator, WordLink, WordScore
from mtcheck.translate.resolve import resolve_models

__all__ = ["ScoreResult", "Translator", "WordLink", "WordScore", "resolve_models"]
