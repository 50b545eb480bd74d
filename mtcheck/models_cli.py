"""`mtcheck models list | install | remove | info` (a click group the main CLI adds)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from mtcheck.paths import home_dir

_home = click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Data directory holding models/ (default: $MTCHECK_HOME or the XDG data dir).")


def _store(home: Path | None):
    from mtcheck.translate.store import ModelStore

    return ModelStore(home if home is not None else home_dir())


def _human(size: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


@click.group("models")
def models() -> None:
    """Manage the CTranslate2 translation models mtcheck uses for back-translation."""


@models.command("list")
@_home
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_cmd(home: Path | None, as_json: bool) -> None:
    """List installed models."""
    store = _store(home)
    pkgs = store.list()
    broken = store.broken()
    if as_json:
        click.echo(json.dumps({"models": [{"name": p.name, "from": p.from_code, "to": p.to_code,
                                           "layout": p.layout, "path": str(p.root)} for p in pkgs],
                               "broken": broken}, indent=2))
        return
    if not pkgs and not broken:
        click.echo(f"no models installed in {store.models_dir}")
    for p in pkgs:
        click.echo(f"{p.name}\t{p.from_code}->{p.to_code}\t{p.layout}")
    for name, why in broken.items():
        click.echo(f"{name}\tBROKEN\t{why}")


@models.command("install")
@click.argument("source")
@_home
@click.option("--index-url", envvar="MTCHECK_INDEX_URL", default=None,
              help="Argos-style package index (JSON) used to resolve package names.")
@click.option("--from", "from_code", default=None, help="Source language, where the package does not say.")
@click.option("--to", "to_code", default=None, help="Target language, where the package does not say.")
@click.option("--force", is_flag=True, help="Replace an installed model of the same name.")
def install_cmd(source: str, home: Path | None, index_url: str | None, from_code: str | None,
                to_code: str | None, force: bool) -> None:
    """Install SOURCE: an .argosmodel file, a model directory, or a package name from the index."""
    from mtcheck.translate.store import DEFAULT_INDEX_URL

    pkg = _store(home).install(source, index_url=index_url or DEFAULT_INDEX_URL, from_code=from_code,
                               to_code=to_code, force=force)
    click.echo(f"installed {pkg.name} ({pkg.from_code}->{pkg.to_code}) in {pkg.root}")


@models.command("remove")
@click.argument("model_id")
@_home
def remove_cmd(model_id: str, home: Path | None) -> None:
    """Remove an installed model (by name or language pair)."""
    path = _store(home).remove(model_id)
    click.echo(f"removed {path}")


@models.command("info")
@click.argument("model_id")
@_home
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info_cmd(model_id: str, home: Path | None, as_json: bool) -> None:
    """Show languages, size, vocabulary, compute types and hash of a model."""
    info = _store(home).info(model_id)
    if as_json:
        d = asdict(info)
        d["path"] = str(info.path)
        click.echo(json.dumps(d, indent=2))
        return
    vocab = (f"{info.source_vocab} shared" if info.shared_vocab
             else f"source {info.source_vocab}, target {info.target_vocab}")
    lines = [
        ("name", info.name), ("languages", f"{info.from_code} -> {info.to_code}"), ("layout", info.layout),
        ("path", str(info.path)), ("size", _human(info.size)), ("vocabulary", vocab),
        ("compute types", ", ".join(info.compute_types)), ("sha256", info.sha256),
        ("installed from", info.source or "-"),
    ]
    for k, v in lines:
        click.echo(f"{k + ':':16}{v}")
