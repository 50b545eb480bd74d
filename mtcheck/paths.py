"""Where mtcheck keeps its cache and models (resolved once, at the CLI boundary)."""

from __future__ import annotations

import os
from pathlib import Path


def home_dir(env: dict[str, str] | None = None) -> Path:
    """Data directory for installed models: ``$MTCHECK_HOME`` or the XDG data dir."""
    env = os.environ if env is None else env
    if env.get("MTCHECK_HOME"):
        return Path(env["MTCHECK_HOME"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("mtcheck", appauthor=False))


def cache_dir(env: dict[str, str] | None = None) -> Path:
    """Cache directory: ``$MTCHECK_CACHE``, ``$MTCHECK_HOME/cache`` or the XDG cache dir."""
    env = os.environ if env is None else env
    if env.get("MTCHECK_CACHE"):
        return Path(env["MTCHECK_CACHE"])
    if env.get("MTCHECK_HOME"):
        return Path(env["MTCHECK_HOME"]) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mtcheck", appauthor=False))
