"""Turning a ``--model`` spec into translators for the pipeline."""

from __future__ import annotations

from pathlib import Path

from mtcheck.errors import ModelError
from mtcheck.translate.base import Translator


def resolve_models(spec: str, home: Path, cache_dir: Path | None, threads: int,
                   compute_type: str) -> tuple[Translator | None, Translator | None, list[str]]:
    """``"en-ru[,ru-en]"`` -> (back-translator tgt->src, forward src->tgt, notes).

    The first item names the back-translation model, the second the forward
    model; each is a language pair among installed models, an installed
    model's name, or a path to a model directory. Models that are not
    installed become notes, not errors; a model that is present but broken
    raises :class:`ModelError`. Nothing is loaded here (models load on first use).
    """
    from mtcheck.cache import SqliteCache
    from mtcheck.translate.caching import CachingTranslator
    from mtcheck.translate.ct2 import CTranslate2Translator, EngineOptions
    from mtcheck.translate.store import ModelNotFound, ModelStore

    items = [s.strip() for s in (spec or "").split(",")]
    if len(items) > 2:
        raise ModelError(f"--model {spec!r}: give at most two models (back-translation, forward)")
    store = ModelStore(home)
    options = EngineOptions(compute_type=compute_type, threads=threads)
    cache = SqliteCache(Path(cache_dir) / "translations.sqlite") if cache_dir is not None else None
    notes: list[str] = []
    found: list[Translator | None] = [None, None]
    for slot, item in enumerate(items):
        if not item or item.lower() == "none":
            continue
        role = "back-translation" if slot == 0 else "forward"
        try:
            pkg = store.get(item)
        except ModelNotFound as exc:
            notes.append(f"{role} model {item!r} is not installed ({exc}); "
                         f"install one with `mtcheck models install`")
            continue
        translator: Translator = CTranslate2Translator(pkg, options)
        if cache is not None:
            translator = CachingTranslator(translator, cache)
        found[slot] = translator
    return found[0], found[1], notes
