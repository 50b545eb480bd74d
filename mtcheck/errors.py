"""Exception classes raised by the library.

Library code raises these; the CLI turns them into one-line messages and exit
code 2 at a single place (``mtcheck.cli``). Library code never calls
``sys.exit``.
"""

from __future__ import annotations


class MtcheckError(Exception):
    """Base class for every error mtcheck reports to the user."""

    exit_code = 2


class InputError(MtcheckError):
    """An input file is missing, unreadable, malformed or of the wrong kind.

    The message always names the file (and the line where one applies).
    """

    def __init__(self, path: object, problem: str, line: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class OutputError(MtcheckError):
    """An output cannot be written (missing directory, permissions...)."""

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {problem}")


class ConfigError(MtcheckError):
    """A configuration file or option has a bad value; the message names the key."""

    def __init__(self, key: str, problem: str, source: str | None = None):
        self.key = key
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key}: {problem}")


class ModelError(MtcheckError):
    """A translation model cannot be installed, found or loaded."""


class ResourceError(MtcheckError):
    """An optional system resource (dictionary, spell checker...) is unusable."""
