"""Built-in checks. Every module in this package that defines a ``@register``-ed
check is imported here, so adding a check is adding a module."""

from __future__ import annotations

import importlib
import pkgutil

_SKIP = {"base"}

for _info in pkgutil.iter_modules(__path__):
    if _info.name not in _SKIP and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")
