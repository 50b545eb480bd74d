"""Model management: install from files, directories and a local package index; failures."""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtcheck.errors import ModelError
from mtcheck.models_cli import models
from mtcheck.translate.package import hash_files, open_package
from mtcheck.translate.store import ModelNotFound, ModelStore, safe_extract
from tests import tinymodel


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("built")
    return {
        "argosmodel": tinymodel.build_argosmodel(root / "zip", "en", "ru"),
        "argos_dir": tinymodel.build_argos_dir(root / "dir", "ru", "en", seed=1),
        "ct2_dir": tinymodel.build_tiny_ct2_dir(root / "plain", "en-ru").ct2_dir,
    }


def _no_partial_files(store: ModelStore) -> None:
    leftovers = [p.name for p in store.models_dir.iterdir()] if store.models_dir.exists() else []
    assert not [n for n in leftovers if n.startswith(".")], leftovers


class _Handler(http.server.SimpleHTTPRequestHandler):
    fail_first: set[str] = set()  # paths answered once with 503 before being served
    requests: list[str] = []

    def do_GET(self) -> None:
        _Handler.requests.append(self.path)
        if self.path in _Handler.fail_first:
            _Handler.fail_first.discard(self.path)
            self.send_error(503, "try again")
            return
        super().do_GET()

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


@pytest.fixture
def server(tmp_path):
    """A package index served from a temporary directory on 127.0.0.1."""
    root = tmp_path / "www"
    root.mkdir()
    handler = lambda *a, **k: _Handler(*a, directory=str(root), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _publish(www: Path, base: str, archive: Path, **extra) -> str:
    shutil.copy(archive, www / archive.name)
    entry = {"type": "translate", "code": "translate-en_ru", "package_version": "1.0", "from_code": "en",
             "to_code": "ru", "links": [f"{base}/{archive.name}"], **extra}
    (www / "index.json").write_text(json.dumps([entry]), encoding="utf-8")
    return f"{base}/index.json"


def test_install_argosmodel_zip_then_list_info_remove(tmp_path, built):
    store = ModelStore(tmp_path / "home")
    pkg = store.install(str(built["argosmodel"]))
    assert pkg.name == "translate-en_ru-1_0" and (pkg.from_code, pkg.to_code) == ("en", "ru")
    assert pkg.layout == "argos" and (pkg.root / "model" / "model.bin").is_file()
    assert [p.name for p in store.list()] == ["translate-en_ru-1_0"]
    assert store.get("en-ru").root == pkg.root  # by language pair
    info = store.info("translate-en_ru-1_0")
    assert info.shared_vocab and info.source_vocab == info.target_vocab > 50
    assert "int8" in info.compute_types and "float32" in info.compute_types
    # the recorded hash is the content hash of the package (without mtcheck's metadata)
    assert info.sha256 == hash_files(pkg.root)
    _no_partial_files(store)
    store.remove("en-ru")
    assert store.list() == []
    with pytest.raises(ModelNotFound):
        store.get("en-ru")


def test_install_directories_keep_languages(tmp_path, built):
    store = ModelStore(tmp_path / "home")
    a = store.install(str(built["argos_dir"]))
    b = store.install(str(built["ct2_dir"]))  # languages from the directory name "en-ru"
    assert (a.from_code, a.to_code) == ("ru", "en")
    assert (b.layout, b.from_code, b.to_code) == ("ctranslate2", "en", "ru")
    assert {p.name for p in store.list()} == {a.name, "en-ru"}
    with pytest.raises(ModelError, match="already installed"):
        store.install(str(built["ct2_dir"]))
    again = store.install(str(built["ct2_dir"]), force=True)
    assert again.root == b.root
    _no_partial_files(store)


def test_install_from_index_checks_size_and_sha256(tmp_path, built, server):
    www, base = server
    data = built["argosmodel"].read_bytes()
    url = _publish(www, base, built["argosmodel"], sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    store = ModelStore(tmp_path / "home", backoff=0)
    pkg = store.install("translate-en_ru", index_url=url)
    assert pkg.name == "translate-en_ru-1_0" and pkg.metadata["installed_from"].startswith(base)
    store.remove(pkg.name)
    assert store.install("en-ru", index_url=url).name == pkg.name  # a pair resolves too
    _no_partial_files(store)
    home2 = tmp_path / "home2"
    r = CliRunner().invoke(models, ["install", "translate-en_ru-1_0", "--home", str(home2), "--index-url", url])
    assert r.exit_code == 0, r.output
    assert (home2 / "models" / "translate-en_ru-1_0" / "model" / "model.bin").is_file()


def test_download_is_retried(tmp_path, built, server):
    www, base = server
    url = _publish(www, base, built["argosmodel"])
    name = f"/{built['argosmodel'].name}"
    _Handler.requests.clear()
    _Handler.fail_first = {"/index.json", name}
    pkg = ModelStore(tmp_path / "home", backoff=0).install("translate-en_ru", index_url=url)
    assert pkg.pair == "en-ru"
    assert _Handler.requests.count("/index.json") == 2 and _Handler.requests.count(name) == 2


def test_checksum_mismatch_leaves_nothing(tmp_path, built, server):
    www, base = server
    url = _publish(www, base, built["argosmodel"], sha256="0" * 64)
    store = ModelStore(tmp_path / "home", backoff=0)
    with pytest.raises(ModelError, match="sha256 mismatch"):
        store.install("translate-en_ru", index_url=url)
    assert store.list() == []
    _no_partial_files(store)


def test_size_mismatch(tmp_path, built, server):
    www, base = server
    url = _publish(www, base, built["argosmodel"], size=12)
    with pytest.raises(ModelError, match="size mismatch"):
        ModelStore(tmp_path / "home", backoff=0).install("translate-en_ru", index_url=url)


def test_index_unreachable(tmp_path, server):
    www, base = server
    store = ModelStore(tmp_path / "home", retries=2, backoff=0, timeout=5)
    with pytest.raises(ModelError, match="cannot download"):
        store.install("translate-en_ru", index_url=f"{base}/missing-index.json")
    # nothing listens on this port once the server is gone
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(ModelError, match="cannot download"):
        store.install("translate-en_ru", index_url=f"http://127.0.0.1:{port}/index.json")


def test_unknown_package_name(tmp_path, built, server):
    www, base = server
    url = _publish(www, base, built["argosmodel"])
    with pytest.raises(ModelError, match="no package 'translate-de_fr'"):
        ModelStore(tmp_path / "home", backoff=0).install("translate-de_fr", index_url=url)


def test_corrupted_zip(tmp_path, built):
    bad = tmp_path / "bad.argosmodel"
    data = bytearray(built["argosmodel"].read_bytes())
    mid = len(data) // 2
    data[mid:mid + 200] = b"\x00" * 200  # damage compressed member data
    bad.write_bytes(bytes(data))
    store = ModelStore(tmp_path / "home")
    with pytest.raises(ModelError, match="corrupt"):
        store.install(str(bad))
    truncated = tmp_path / "trunc.argosmodel"
    truncated.write_bytes(bytes(data[: len(data) // 3]))
    with pytest.raises(ModelError, match="not a valid zip|corrupt"):
        store.install(str(truncated))
    _no_partial_files(store)


@pytest.mark.parametrize("member", ["../evil.txt", "pkg/../../evil.txt", "/abs/evil.txt"])
def test_zip_member_escaping_is_rejected(tmp_path, built, member):
    src = tmp_path / "src"
    shutil.copytree(built["argos_dir"], src / built["argos_dir"].name)
    archive = tinymodel.zip_dir(src / built["argos_dir"].name, tmp_path / "evil.argosmodel",
                                extra={member: b"owned"})
    store = ModelStore(tmp_path / "home" / "h")
    with pytest.raises(ModelError, match="escapes the target directory"):
        store.install(str(archive))
    assert not list(tmp_path.rglob("evil.txt"))
    _no_partial_files(store)


def test_safe_extract_rejects_symlinks(tmp_path):
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("pkg/link")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(ModelError, match="symbolic link"):
        safe_extract(archive, tmp_path / "out")


def test_missing_model_bin_is_refused(tmp_path, built):
    broken = tmp_path / "translate-en_ru-broken"
    shutil.copytree(built["argos_dir"], broken)
    (broken / "model" / "model.bin").unlink()
    store = ModelStore(tmp_path / "home")
    with pytest.raises(ModelError, match="no CTranslate2 model.bin"):
        store.install(str(broken))
    assert store.list() == []
    _no_partial_files(store)


def test_vocabulary_mismatch_is_refused(tmp_path, built):
    broken = tmp_path / "en-ru"
    shutil.copytree(built["ct2_dir"], broken)
    tinymodel.train_sentencepiece(broken / "sentencepiece.model", ["Совсем другой текст ёжик"] * 4
                                  + ["zebra quux xylophone"] * 4, vocab_size=40)
    with pytest.raises(ModelError, match="vocabulary does not match"):
        ModelStore(tmp_path / "home").install(str(broken))


def test_languages_needed_for_unnamed_directory(tmp_path, built):
    odd = tmp_path / "mymodel"
    shutil.copytree(built["ct2_dir"], odd)
    store = ModelStore(tmp_path / "home")
    with pytest.raises(ModelError, match="cannot tell the languages"):
        store.install(str(odd))
    pkg = store.install(str(odd), from_code="en", to_code="ru")
    assert open_package(pkg.root).pair == "en-ru"  # recorded for later loads


def test_cli_list_install_info_remove(tmp_path, built):
    home = tmp_path / "home"
    runner = CliRunner()
    r = runner.invoke(models, ["list", "--home", str(home)])
    assert r.exit_code == 0 and "no models installed" in r.output
    r = runner.invoke(models, ["install", str(built["argosmodel"]), "--home", str(home)])
    assert r.exit_code == 0, r.output
    assert "installed translate-en_ru-1_0 (en->ru)" in r.output
    r = runner.invoke(models, ["info", "en-ru", "--home", str(home), "--json"])
    info = json.loads(r.output)
    assert info["from_code"] == "en" and info["to_code"] == "ru" and len(info["sha256"]) == 64
    r = runner.invoke(models, ["info", "en-ru", "--home", str(home)])
    assert "languages:      en -> ru" in r.output and "shared" in r.output
    r = runner.invoke(models, ["list", "--home", str(home)])
    assert "translate-en_ru-1_0\ten->ru\targos" in r.output
    r = runner.invoke(models, ["remove", "en-ru", "--home", str(home)])
    assert r.exit_code == 0 and not (home / "models" / "translate-en_ru-1_0").exists()
    (home / "models" / "half-copied").mkdir()
    r = runner.invoke(models, ["list", "--home", str(home)])
    assert "half-copied\tBROKEN" in r.output and "no CTranslate2 model.bin" in r.output


def test_cli_failure_raises_model_error(tmp_path):
    r = CliRunner().invoke(models, ["info", "xx-yy", "--home", str(tmp_path)])
    assert r.exit_code != 0 and isinstance(r.exception, ModelError)


def test_cli_home_from_environment(tmp_path, built, monkeypatch):
    monkeypatch.setenv("MTCHECK_HOME", str(tmp_path / "envhome"))
    r = CliRunner().invoke(models, ["install", str(built["ct2_dir"])])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "envhome" / "models" / "en-ru" / "model.bin").is_file()
