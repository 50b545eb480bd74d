"""Installed models: list, install (local or from an Argos-style index), remove, info.

Models live in ``<home>/models/<name>/``. Installing always builds the new
model in a temporary directory inside ``<home>/models`` and renames it into
place at the end, so an interrupted or failed install leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from mtcheck.errors import ModelError
from mtcheck.translate.package import (MTCHECK_META, ModelPackage, dir_size, fingerprint, hash_files,
                                       is_hf_marian, languages_from_name, open_package, read_vocabulary)

#: The public Argos Translate package index (its format is what mtcheck reads).
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
_TMP_PREFIX = ".installing-"


class ModelNotFound(ModelError):
    """No installed model matches the requested name or language pair."""


@dataclass
class IndexEntry:
    """One package of an Argos-style index (``sha256``/``size`` are optional extensions)."""

    code: str
    from_code: str
    to_code: str
    version: str
    links: list[str]
    sha256: str | None = None
    size: int | None = None

    @property
    def name(self) -> str:
        return f"{self.code}-{self.version.replace('.', '_')}" if self.version else self.code


@dataclass
class InstalledModelInfo:
    """What `mtcheck models info` shows about an installed model."""

    name: str
    path: Path
    from_code: str
    to_code: str
    layout: str
    size: int
    source_vocab: int
    target_vocab: int
    shared_vocab: bool
    sha256: str
    compute_types: list[str]
    source: str | None


class ModelStore:
    """The models directory under ``home`` (see :func:`mtcheck.paths.home_dir`)."""

    def __init__(self, home: Path, *, retries: int = 3, timeout: float = 30.0, backoff: float = 1.0):
        self.home = Path(home)
        self.models_dir = self.home / "models"
        self.retries, self.timeout, self.backoff = retries, timeout, backoff

    # -- querying ------------------------------------------------------------
    def list(self) -> list[ModelPackage]:
        """Installed models that open cleanly, by name (broken ones are skipped)."""
        if not self.models_dir.is_dir():
            return []
        out = []
        for d in sorted(self.models_dir.iterdir()):
            if d.is_dir() and not d.name.startswith("."):
                try:
                    out.append(open_package(d))
                except ModelError:
                    continue
        return out

    def broken(self) -> dict[str, str]:
        """Directories in the models directory that are not loadable models, with the reason."""
        out: dict[str, str] = {}
        if self.models_dir.is_dir():
            for d in sorted(self.models_dir.iterdir()):
                if d.is_dir() and not d.name.startswith("."):
                    try:
                        open_package(d)
                    except ModelError as exc:
                        out[d.name] = str(exc)
        return out

    def get(self, model_id: str) -> ModelPackage:
        """A model by directory name, by ``from-to`` pair, or by path."""
        path = Path(model_id).expanduser()
        if (os.sep in model_id or model_id.startswith(".")) and path.is_dir():
            return open_package(path)
        d = self.models_dir / model_id
        if d.is_dir():
            return open_package(d)
        pair = model_id.replace("_", "-").split("-")
        if len(pair) == 2:
            matches = [p for p in self.list() if (p.from_code, p.to_code) == (pair[0], pair[1])]
            if matches:
                # several packages for one pair: prefer the newest-looking name
                return sorted(matches, key=lambda p: p.name)[-1]
        if path.is_dir():
            return open_package(path)
        raise ModelNotFound(f"no installed model {model_id!r} in {self.models_dir}")

    def info(self, model_id: str) -> InstalledModelInfo:
        import ctranslate2

        pkg = self.get(model_id)
        src_v = read_vocabulary(pkg.model_dir, "source")
        tgt_v = read_vocabulary(pkg.model_dir, "target")
        types = sorted(ctranslate2.get_supported_compute_types("cpu"))
        if ctranslate2.get_cuda_device_count() > 0:
            types += [f"cuda:{t}" for t in sorted(ctranslate2.get_supported_compute_types("cuda"))]
        return InstalledModelInfo(
            name=pkg.name, path=pkg.root, from_code=pkg.from_code, to_code=pkg.to_code, layout=pkg.layout,
            size=dir_size(pkg.root), source_vocab=len(src_v), target_vocab=len(tgt_v),
            shared_vocab=src_v == tgt_v, sha256=_hash(pkg), compute_types=types,
            source=pkg.metadata.get("installed_from"))

    def remove(self, model_id: str) -> Path:
        d = self.models_dir / model_id
        if not d.is_dir():
            pkg = self.get(model_id)
            d = pkg.root
        if d.parent.resolve() != self.models_dir.resolve():
            raise ModelError(f"{d}: not inside {self.models_dir}; refusing to remove it")
        # rename first so a half-deleted model is never seen as installed
        trash = Path(tempfile.mkdtemp(prefix=".removing-", dir=self.models_dir))
        os.replace(d, trash / d.name)
        shutil.rmtree(trash, ignore_errors=True)
        return d

    # -- installing ----------------------------------------------------------
    def install(self, source: str, *, index_url: str = DEFAULT_INDEX_URL, from_code: str | None = None,
                to_code: str | None = None, force: bool = False) -> ModelPackage:
        """Install from a local ``.argosmodel``/directory, or a package name in the index."""
        path = Path(source).expanduser()
        if path.is_file():
            return self._install_zip(path, str(path), from_code, to_code, force)
        if path.is_dir():
            return self._install_dir(path, from_code, to_code, force)
        if os.sep in source or source.endswith((".argosmodel", ".zip")):
            raise ModelError(f"{source}: no such file or directory")
        entry = self.resolve_name(source, index_url)
        return self._install_entry(entry, force)

    def resolve_name(self, name: str, index_url: str) -> IndexEntry:
        entries = self.fetch_index(index_url)
        wanted = name.lower().replace("_", "-")
        for e in entries:
            if wanted in (e.code.lower().replace("_", "-"), e.name.lower().replace("_", "-")):
                return e
        pair = languages_from_name(name)
        if pair:
            found = [e for e in entries if (e.from_code, e.to_code) == pair]
            if found:
                return sorted(found, key=lambda e: _version_key(e.version))[-1]
        raise ModelError(f"no package {name!r} in the index {index_url}")

    def fetch_index(self, index_url: str) -> list[IndexEntry]:
        data = self._retry(lambda: _read_url(index_url, self.timeout), index_url)
        try:
            raw = json.loads(data.decode("utf-8"))
        except ValueError as exc:
            raise ModelError(f"{index_url}: the package index is not JSON ({exc})") from exc
        if isinstance(raw, dict):
            raw = raw.get("packages", [])
        if not isinstance(raw, list):
            raise ModelError(f"{index_url}: the package index is not a list of packages")
        out = []
        for item in raw:
            if not isinstance(item, dict) or item.get("type", item.get("package_type", "translate")) != "translate":
                continue
            if not (item.get("from_code") and item.get("to_code") and item.get("links")):
                continue
            code = item.get("code") or f"translate-{item['from_code']}_{item['to_code']}"
            out.append(IndexEntry(code=str(code), from_code=item["from_code"], to_code=item["to_code"],
                                  version=str(item.get("package_version", "")), links=list(item["links"]),
                                  sha256=item.get("sha256"), size=item.get("size")))
        return out

    def _retry(self, fn: Callable[[], bytes], url: str) -> bytes:
        last: Exception | None = None
        for attempt in range(self.retries):
            try:
                return fn()
            except urllib.error.HTTPError as exc:
                last = exc
                if 400 <= exc.code < 500 and exc.code not in (408, 429):
                    break  # a client error will not go away by retrying
            except (urllib.error.URLError, OSError, TimeoutError) as exc:
                last = exc
            if attempt + 1 < self.retries:
                time.sleep(self.backoff * (2 ** attempt))
        raise ModelError(f"{url}: cannot download ({last})")

    def _install_entry(self, entry: IndexEntry, force: bool) -> ModelPackage:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".argosmodel", dir=self.models_dir)
        os.close(fd)
        try:
            errors = []
            for url in entry.links:
                try:
                    self._download(url, Path(tmp), entry)
                    break
                except ModelError as exc:
                    errors.append(str(exc))
            else:
                raise ModelError("; ".join(errors) or f"{entry.name}: the index gives no link")
            return self._install_zip(Path(tmp), url, entry.from_code, entry.to_code, force, name=entry.name)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def _download(self, url: str, dest: Path, entry: IndexEntry) -> None:
        def fetch() -> bytes:
            h = hashlib.sha256()
            size = 0
            with urllib.request.urlopen(url, timeout=self.timeout) as resp, dest.open("wb") as out:
                for chunk in iter(lambda: resp.read(1 << 20), b""):
                    out.write(chunk)
                    h.update(chunk)
                    size += len(chunk)
            return f"{size} {h.hexdigest()}".encode()

        size_s, digest = self._retry(fetch, url).decode().split()
        if entry.size is not None and int(size_s) != int(entry.size):
            raise ModelError(f"{url}: size mismatch: got {size_s} bytes, the index says {entry.size}")
        if entry.sha256 and digest.lower() != entry.sha256.lower():
            raise ModelError(f"{url}: sha256 mismatch: got {digest}, the index says {entry.sha256}")

    def _install_zip(self, archive: Path, origin: str, from_code: str | None, to_code: str | None,
                     force: bool, name: str | None = None) -> ModelPackage:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=self.models_dir))
        try:
            safe_extract(archive, staging)
            entries = [p for p in staging.iterdir()]
            root = entries[0] if len(entries) == 1 and entries[0].is_dir() else staging
            final = name or (root.name if root is not staging else archive.name.rsplit(".", 1)[0])
            return self._finish(root, final, origin, from_code, to_code, force)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _install_dir(self, src: Path, from_code: str | None, to_code: str | None, force: bool) -> ModelPackage:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=self.models_dir))
        try:
            target = staging / src.name
            if is_hf_marian(src):
                from mtcheck.translate.convert import convert_marian

                convert_marian(src, target)
            else:
                shutil.copytree(src, target, symlinks=False)
            return self._finish(target, src.name, str(src.resolve()), from_code, to_code, force)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _finish(self, root: Path, name: str, origin: str, from_code: str | None, to_code: str | None,
                force: bool) -> ModelPackage:
        """Validate the unpacked model, record its hash, and move it into place."""
        pkg = open_package(root, from_code, to_code)
        _check_loadable(pkg)
        meta = {"from_code": pkg.from_code, "to_code": pkg.to_code, "installed_from": origin,
                "sha256": hash_files(root), "fingerprint": fingerprint(root), "layout": pkg.layout}
        (root / MTCHECK_META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        final = self.models_dir / name
        if final.exists():
            if not force:
                raise ModelError(f"{final}: already installed (use --force to replace it)")
            self.remove(name)
        os.replace(root, final)
        return open_package(final)


def _hash(pkg: ModelPackage) -> str:
    from mtcheck.translate.package import package_hash

    return package_hash(pkg)


def _check_loadable(pkg: ModelPackage) -> None:
    """Open the tokenizers and compare vocabularies (cheap; the weights are not loaded)."""
    import sentencepiece as spm

    from mtcheck.translate.ct2 import check_vocabulary

    for path, side in ((pkg.source_sp, "source"), (pkg.target_sp, "target")):
        try:
            sp = spm.SentencePieceProcessor(model_file=str(path))
        except (OSError, RuntimeError) as exc:
            raise ModelError(f"{path}: not a usable SentencePiece model ({exc})") from exc
        check_vocabulary(sp, read_vocabulary(pkg.model_dir, side), path, pkg.model_dir)


def safe_extract(archive: Path, dest: Path) -> None:
    """Unzip ``archive`` into ``dest``, refusing members that would land outside it.

    ``zipfile.extractall`` already strips ``..`` silently; mtcheck rejects such
    archives outright (as well as absolute paths and symlinks), since a
    package built that way is either broken or hostile.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"{archive}: not a valid zip archive ({exc})") from exc
    with zf:
        dest_r = dest.resolve()
        for info in zf.infolist():
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            target = (dest / name).resolve()
            if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":") \
                    or not (target == dest_r or dest_r in target.parents):
                raise ModelError(f"{archive}: archive member {name!r} escapes the target directory")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ModelError(f"{archive}: archive member {name!r} is a symbolic link")
        try:
            bad = zf.testzip()
            if bad is not None:
                raise ModelError(f"{archive}: corrupted archive member {bad!r}")
            zf.extractall(dest)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise ModelError(f"{archive}: corrupted archive ({exc})") from exc


def _read_url(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.read()


def _version_key(v: str) -> tuple:
    return tuple(int(x) if x.isdigit() else 0 for x in v.replace("_", ".").split("."))
