"""The check interface and registry.

Every check is a small class with the same shape: an aligned pair plus the
shared analysis of that pair in, flags out. Checks register themselves by name
with ``@register``; the pipeline instantiates the enabled ones with their
options. Flags carry spans local to ``pair.mt_text`` / ``pair.src_text``.
"""

from __future__ import annotations

from abc import ABC
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable

import numpy as np

from mtcheck.data import AlignedPair, Flag

_REGISTRY: dict[str, type["Check"]] = {}


@dataclass
class Resources:
    """Run-wide shared resources, each loaded lazily on first use.

    ``loaders`` maps a resource name ("morph", "dictionary", "hunspell",
    "idioms", ...) to a zero-argument factory; ``get`` calls it once and keeps
    the result (``None`` when the resource is absent on this machine, with the
    reason recorded in ``missing``).
    """

    src_lang: str = "ru"
    tgt_lang: str = "en"
    embeddings: Any = None  # mtcheck.embed.EmbeddingStore
    backtranslator: Any = None  # mtcheck.translate.base.Translator (tgt->src) or None
    forward: Any = None  # mtcheck.translate.base.Translator (src->tgt) or None
    loaders: dict[str, Callable[[], Any]] = field(default_factory=dict)
    _loaded: dict[str, Any] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        if name not in self._loaded:
            loader = self.loaders.get(name)
            if loader is None:
                self._loaded[name] = None
                self.missing.setdefault(name, "no loader configured")
            else:
                try:
                    self._loaded[name] = loader()
                except ResourceUnavailable as exc:
                    self._loaded[name] = None
                    self.missing[name] = str(exc)
        return self._loaded[name]

    def provide(self, name: str, value: Any) -> None:
        self._loaded[name] = value


class ResourceUnavailable(Exception):
    """Raised by a resource loader when an optional resource is not installed."""


@dataclass
class PairContext:
    """Shared analysis of one aligned pair, computed once and reused by checks.

    ``cache`` holds per-pair intermediate results (lemmas, quotes, numbers)
    that several checks need; use ``memo(key, fn)`` to compute them once.
    """

    pair: AlignedPair
    resources: Resources
    src_vec: np.ndarray | None = None
    mt_vec: np.ndarray | None = None
    backtranslation: str | None = None
    mt_word_logprobs: list[tuple[int, int, float]] | None = None  # (start, end, logprob) local to mt_text
    cache: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, fn: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]


class Check(ABC):
    """Base class: subclasses set ``name``/``categories`` and override hooks.

    ``check_pair`` sees one aligned pair; ``check_document`` sees all pairs of
    a document at once (for consistency checks) and yields
    ``(pair_index, flag)``.
    """

    name: ClassVar[str] = ""
    categories: ClassVar[tuple[str, ...]] = ()
    enabled_by_default: ClassVar[bool] = True
    #: Option names and defaults this check accepts (validated by ``configure``).
    defaults: ClassVar[dict[str, Any]] = {}
    #: Names of resources from ``Resources`` this check uses (for reporting).
    uses: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **options: Any):
        unknown = set(options) - set(self.defaults)
        if unknown:
            from mtcheck.errors import ConfigError

            raise ConfigError(f"checks.{self.name}.{sorted(unknown)[0]}", "unknown option")
        self.options = {**self.defaults, **options}

    def check_pair(self, pair: AlignedPair, ctx: PairContext) -> Iterable[Flag]:
        return ()

    def check_document(self, pairs: list[AlignedPair], ctxs: list[PairContext]) -> Iterable[tuple[int, Flag]]:
        return ()


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: make a check available by its ``name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    _REGISTRY[cls.name] = cls
    return cls


def registry() -> dict[str, type[Check]]:
    """All registered checks (importing ``mtcheck.checks`` registers the built-ins)."""
    import mtcheck.checks  # noqa: F401  (registers built-in checks)

    return dict(_REGISTRY)
