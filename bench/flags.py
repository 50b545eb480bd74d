"""Flag quality: the demo corpus, the seed, and MLQE-PE test20 precision.

    python bench/flags.py [--data ../shared/data/mlqe-pe-ru-en] [--split test20] [--show 20]

Prints (and writes to bench/out/flags.json):
1. demo corpus: planted problems found with the right category; flags on
   sentences the demo README marks as good;
2. seed: the "Come on jerking" flag;
3. MLQE-PE ``--split``: share of major/critical flags whose MT span holds at
   least one word the post-editors changed (BAD in ``pe/*.tags``), per check;
   flags per 100 segments on segments with HTER = 0 (listed for reading by eye);
4. run time of the embedded default with and without the checks (warm cache).
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcheck.inputs import read_inputs  # noqa: E402
from mtcheck.logprobs import locate  # noqa: E402
from mtcheck.pipeline import Settings, build_engines, check_document  # noqa: E402
from mtcheck.report.json_report import document_to_dict  # noqa: E402
from tests.test_demo import EXPECTED, match_problems  # noqa: E402

DEMO = ROOT / "corpora" / "demo"
SEED = ROOT / "seeds"
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mlqe-pe-ru-en"
OUT = ROOT / "bench" / "out"


def demo(settings, engines) -> dict:
    found_n = total = good_flags = good_total = 0
    missed = []
    for name, spec in sorted(EXPECTED["documents"].items()):
        doc = document_to_dict(check_document(read_inputs(DEMO / spec["src"], DEMO / spec["mt"])[0], settings, engines))
        found, on_good = match_problems(doc, spec)
        total += len(found)
        found_n += sum(1 for v in found.values() if v)
        missed += [k for k, v in found.items() if not v]
        good_total += len(on_good)
        good_flags += sum(len(f) for _, f in on_good)
    return {"planted": total, "found": found_n, "missed": missed, "good_sentences": good_total,
            "flags_on_good_sentences": good_flags}


def seed(settings, engines) -> dict:
    dp = read_inputs(SEED / "000_cbe15a5e722aaaf6.ru.reconstructed.txt", SEED / "000_cbe15a5e722aaaf6.txt")[0]
    doc = document_to_dict(check_document(dp, settings, engines))
    hits = [f for s in doc["segments"] for f in s["flags"] if "jerking" in f["mt_text"]]
    return {"flags": [{k: f[k] for k in ("category", "severity", "in_quote", "message")} for f in hits]}


def mlqe(settings, engines, data: Path, split: str, show: int) -> dict:
    with open(data / "da" / f"{split}.ruen.df.short.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    pe = data / "pe" / split
    toks = [ln.split() for ln in (pe / f"{split}.mt").read_text("utf-8").splitlines()]
    tags = [ln.split()[1::2] for ln in (pe / f"{split}.tags").read_text("utf-8").splitlines()]
    hter = [float(x) for x in (pe / f"{split}.hter").read_text("utf-8").split()]
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / f"{split}.tsv"
        tsv.write_text("".join(f"{r['original']}\t{r['translation']}\n" for r in rows), encoding="utf-8")
        dp = read_inputs(tsv, None, input_format="tsv")[0]
        t0 = time.perf_counter()
        result = check_document(dp, settings, engines)
        seconds = time.perf_counter() - t0
    doc = document_to_dict(result)
    per_check: dict[str, Counter] = defaultdict(Counter)
    zero_flags: list[tuple[str, dict]] = []
    n_zero = sum(1 for h in hter if h == 0)
    for i, seg in enumerate(doc["segments"]):
        owner = locate(seg["mt_text"], toks[i])
        bad = {k for k, t in enumerate(tags[i]) if t == "BAD"}
        for f in seg["flags"]:
            if f["check"] == "word-qe":
                continue
            key = f"{f['check']} {f['severity'] if f['severity'] == 'minor' else 'major+'}"
            if hter[i] == 0:
                zero_flags.append((seg["mt_text"], f))
            if f["mt_span"] is None:
                per_check[key]["no_mt_span"] += 1
                continue
            a, b = f["mt_span"]["start"] - seg["mt_start"], f["mt_span"]["end"] - seg["mt_start"]
            words = {owner[c] for c in range(a, b) if c in owner}
            per_check[key]["flags"] += 1
            per_check[key]["with_bad"] += bool(words & bad)
    majors = Counter()
    for key, c in per_check.items():
        if key.endswith("major+"):
            majors.update(c)
    return {
        "segments": len(doc["segments"]),
        "seconds": round(seconds, 1),
        "major_critical_with_mt_span": majors["flags"],
        "major_critical_with_bad_word": majors["with_bad"],
        "share": round(majors["with_bad"] / majors["flags"], 3) if majors["flags"] else None,
        "per_check": {k: dict(v) for k, v in sorted(per_check.items())},
        "hter0_segments": n_zero,
        "hter0_flags": len(zero_flags),
        "hter0_flags_per_100": round(100 * len(zero_flags) / n_zero, 1) if n_zero else None,
        "hter0_examples": [{"mt": mt, "check": f["check"], "severity": f["severity"], "span": f["mt_text"] or f["src_text"],
                            "message": f["message"]} for mt, f in zero_flags[:show]],
    }


def overhead(cache_dir: Path, rounds: int = 5) -> dict:
    """Warm-cache time of the demo corpus with every check and with none (best of ``rounds``,
    the two configurations alternating so that machine load hits both alike)."""
    configs = {}
    for label, enable in (("no checks", []), ("all checks", None)):
        settings = Settings(cache_dir=cache_dir, enable=enable)
        configs[label] = (settings, build_engines(settings))
    docs = [(DEMO / s["src"], DEMO / s["mt"]) for _, s in sorted(EXPECTED["documents"].items())]
    best = {label: float("inf") for label in configs}
    for round_ in range(rounds + 1):  # round 0 warms up (lexicons, dictionary, spell checker)
        for label, (settings, engines) in configs.items():
            t0 = time.perf_counter()
            for src, mt in docs:
                check_document(read_inputs(src, mt)[0], settings, engines)
            if round_:
                best[label] = min(best[label], time.perf_counter() - t0)
    times = {label: round(v, 3) for label, v in best.items()}
    times["overhead"] = round(times["all checks"] / times["no checks"] - 1, 3)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", default="test20")
    ap.add_argument("--show", type=int, default=20)
    args = ap.parse_args(argv)
    cache_dir = OUT / "cache"
    settings = Settings(cache_dir=cache_dir)
    engines = build_engines(settings)
    res = {
        "date": datetime.now(timezone.utc).isoformat(timespec="minutes"),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "demo": demo(settings, engines),
        "seed": seed(settings, engines),
        "mlqe": mlqe(settings, engines, args.data, args.split, args.show),
        "time": overhead(cache_dir),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "flags.json").write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(res, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
