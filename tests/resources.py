"""Helpers for tests that need optional system resources.

Outside CI a missing resource skips the test with the reason; under CI
(``CI=true``), where ``.ci/run`` installs every resource, absence fails.
"""

from __future__ import annotations

import os

import pytest


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required resource missing under CI: {reason}")
    pytest.skip(reason)
