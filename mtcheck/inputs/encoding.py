"""Reading input files as bytes and decoding them to text.

Rules, in order:

1. The path must exist, be a regular file, be non-empty and at most
   ``MAX_FILE_BYTES`` long.
2. A byte-order mark decides: UTF-8 (``utf-8-sig``), UTF-16 LE/BE and UTF-32
   LE/BE. The BOM is removed, so offsets point into the text after it.
3. Without a UTF-16/32 BOM, a NUL byte means a binary file (``InputError``).
4. Strict UTF-8 is tried next; almost all modern files end here.
5. Otherwise ``charset-normalizer`` guesses a legacy code page. Short texts
   are ambiguous between code pages (a Russian sentence in CP1251 may come
   out as CP1125 or Shift-JIS), so it is first asked to choose among the
   usual legacy encodings of the file's language (CP1251, KOI8-R, CP866...
   for Russian) and only then among all encodings.
6. A result with many control characters is treated as binary garbage.

Line endings are normalised to ``"\\n"`` (``\\r\\n`` and lone ``\\r``): every
offset mtcheck reports is into this decoded, normalised text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from mtcheck.errors import InputError

#: Largest input file accepted (bytes). Bigger files are corpora: split them.
MAX_FILE_BYTES = 64 * 1024 * 1024

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

#: Legacy code pages tried first for a file in the given language.
LEGACY_ENCODINGS: dict[str, list[str]] = {
    "ru": ["cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5"],
    "uk": ["cp1251", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5"],
    "be": ["cp1251", "cp866", "iso8859_5"],
    "bg": ["cp1251", "cp866", "iso8859_5"],
    "en": ["cp1252", "iso8859_15", "latin_1"],
    "de": ["cp1252", "iso8859_15", "latin_1"],
    "fr": ["cp1252", "iso8859_15", "latin_1"],
}

_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")

#: Share of control characters above which decoded text is taken for binary data.
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class DecodedText:
    """A decoded file: normalised text and the encoding it was read with."""

    text: str
    encoding: str


def read_bytes(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a whole input file, raising ``InputError`` for anything not a usable file."""
    p = Path(path)
    if not p.exists():
        raise InputError(p, "file not found")
    if p.is_dir():
        raise InputError(p, "is a directory, expected a file")
    if not p.is_file():
        raise InputError(p, "not a regular file")
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(p, f"file is {size:,} bytes; mtcheck reads at most {max_bytes:,} bytes per file")
        data = p.read_bytes()
    except PermissionError:
        raise InputError(p, "permission denied") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(p, "file is empty")
    return data


def detect_bom(data: bytes) -> tuple[str, str, int] | None:
    """``(codec, reported encoding, BOM length)`` when ``data`` starts with a BOM."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return codec, name, len(bom)
    return None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(path: str | Path, data: bytes, lang: str | None = None) -> DecodedText:
    """Decode ``data`` (the content of ``path``) following the module rules."""
    bom = detect_bom(data)
    if bom:
        codec, name, n = bom
        try:
            text = data[n:].decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError(path, f"starts with a {name} byte-order mark but is not valid {name}: {exc.reason}") from None
        return DecodedText(_checked(path, normalize_newlines(text)), name)
    if b"\x00" in data:
        raise InputError(path, "looks like a binary file (contains NUL bytes), not text")
    try:
        return DecodedText(_checked(path, normalize_newlines(data.decode("utf-8"))), "utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(path, data, lang)


def _decode_legacy(path: str | Path, data: bytes, lang: str | None) -> DecodedText:
    from charset_normalizer import from_bytes

    best = None
    preferred = LEGACY_ENCODINGS.get((lang or "").split("-")[0].lower())
    if preferred:
        best = from_bytes(data, cp_isolation=preferred).best()
    if best is None:
        best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "cannot decode as text: not UTF-8 or UTF-16 and no legacy encoding fits (binary file?)")
    name = codecs.lookup(best.encoding).name
    return DecodedText(_checked(path, normalize_newlines(str(best))), name)


def _checked(path: str | Path, text: str) -> str:
    """Reject decoded text that is mostly control characters (binary data)."""
    controls = len(_CONTROL_RE.findall(text))
    if text and controls / len(text) > MAX_CONTROL_SHARE:
        raise InputError(path, "looks like a binary file (control characters), not text")
    if not text.strip():
        raise InputError(path, "file is empty")
    return text


def read_text(path: str | Path, lang: str | None = None) -> DecodedText:
    """Read and decode a text input file; ``lang`` helps guess legacy code pages."""
    return decode_bytes(path, read_bytes(path), lang)
