"""Accuracy of sentence segmenters on mtcheck's hand-written fixtures.

Prints, per language, the share of fixture cases segmented fully correctly by
each candidate library used as-is on the whole case text (sentencex, pysbd,
razdel for Russian) and by mtcheck's final segmenter (``mtcheck.segment``:
sentencex plus the line and abbreviation rules), then the failing case ids.

    python bench/segment.py [--fixtures tests/fixtures/segmentation] [--show-failures] [--speed]

``--speed`` also times the final segmenter on the MLQE-PE dev set (1000 Russian
originals and their English MT, each side joined into one document with blank
lines between rows; ``--data`` points at the data set).
"""

from __future__ import annotations

import argparse
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcheck.segment import BACKENDS, collapse_ws, sentences  # noqa: E402
from tests.test_segment import read_cases  # noqa: E402


def candidates(lang: str) -> dict[str, dict]:
    out = {
        "sentencex (raw)": {"backend": "sentencex", "post_process": False},
        "pysbd (raw)": {"backend": "pysbd", "post_process": False},
    }
    if lang == "ru":
        out["razdel (raw)"] = {"backend": "razdel", "post_process": False}
    for name in BACKENDS:
        if name != "razdel" or lang == "ru":
            out[f"{name} + mtcheck rules"] = {"backend": name, "post_process": True}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=ROOT / "tests" / "fixtures" / "segmentation")
    ap.add_argument("--show-failures", action="store_true")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data" / "mlqe-pe-ru-en")
    args = ap.parse_args(argv)
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC} on {platform.node()} "
          f"({platform.machine()}, Python {platform.python_version()})")
    print("Final segmenter = `sentencex + mtcheck rules` (mtcheck.segment.sentence_spans defaults).\n")
    print("| lang | candidate | cases correct | accuracy |")
    print("|---|---|---|---|")
    failures: dict[tuple[str, str], list[str]] = {}
    for path in sorted(args.fixtures.glob("*.txt")):
        lang = path.stem.split("-")[0]
        cases = read_cases(path)
        for name, kw in candidates(lang).items():
            bad = [c.id for c in cases
                   if [collapse_ws(s) for s in sentences(c.text, lang, **kw)] != c.expected]
            ok = len(cases) - len(bad)
            print(f"| {path.stem} | {name} | {ok}/{len(cases)} | {ok / len(cases):.1%} |")
            failures[(path.stem, name)] = bad
    if args.show_failures:
        print()
        for (lang, name), bad in failures.items():
            print(f"- {lang} {name}: {', '.join(bad) or 'none'}")
    if args.speed:
        print()
        speed(args.data)
    return 0


def speed(data: Path) -> None:
    import csv
    import time

    from mtcheck.segment import sentence_spans

    with (data / "da" / "dev.ruen.df.short.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for col, lang in (("original", "ru"), ("translation", "en")):
        text = "\n\n".join(r[col] for r in rows)
        t0 = time.perf_counter()
        n = len(sentence_spans(text, lang))
        dt = time.perf_counter() - t0
        print(f"speed {lang}: {len(text)} chars, {n} sentences in {dt:.2f} s = {len(text) / dt:,.0f} chars/s")


if __name__ == "__main__":
    raise SystemExit(main())
