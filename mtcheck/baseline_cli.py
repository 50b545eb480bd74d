"""``mtcheck baseline``: turn a JSON report into a baseline file for ``--baseline``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mtcheck.errors import InputError


@click.command("baseline")
@click.argument("report", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), required=True, help="Baseline file to write.")
def baseline(report: Path, out: Path) -> None:
    """Write a baseline from REPORT (a JSON report of `mtcheck check`).

    Later runs given `--baseline OUT` count only flags that are not in it
    towards the quality gate.
    """
    from mtcheck.atomic import check_writable
    from mtcheck.baseline import write_baseline

    check_writable(out)
    if not report.is_file():
        raise InputError(report, "file not found")
    try:
        data = json.loads(report.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(report, f"not a JSON report ({exc})") from None
    if not isinstance(data, dict) or "documents" not in data:
        raise InputError(report, "not an mtcheck JSON report (no 'documents')")
    base = write_baseline(data, out)
    click.echo(f"wrote {out} ({len(base.get('flags', []))} flags)", err=True)
