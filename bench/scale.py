"""Scale: a 100,000-segment corpus end to end, JSON Lines output, against a 1,000-segment run.

    python bench/scale.py [--n 100000] [--small 1000] [--data ../shared/data/mlqe-pe-ru-en]

The corpus is MLQE-PE ru-en rows (train + dev + test20, 9,000 distinct pairs)
repeated and shuffled with a fixed seed into one TSV file of ``--n`` units.
Both runs use the same warm embedding cache (the distinct sentences are
embedded once beforehand, as a re-run over a corpus would find them), so the
comparison is of mtcheck's own per-segment work and memory: the 100k run must
stay under 2 GB peak RSS and within 20% of the small run's throughput. Each
run is a separate ``mtcheck check FILE -f jsonl`` process; its peak RSS is
read from ``getrusage`` of that process.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mlqe-pe-ru-en"
OUT = ROOT / "bench" / "out" / "scale"

CHILD = """
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:]).returncode
print(rc, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def rows(data: Path) -> list[tuple[str, str]]:
    out = []
    for split in ("train", "dev", "test20"):
        with open(data / "da" / f"{split}.ruen.df.short.tsv", encoding="utf-8", newline="") as fh:
            out += [(r["original"], r["translation"]) for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return out


def write_corpus(path: Path, pairs: list[tuple[str, str]], n: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        k = 0
        while k < n:
            block = pairs[:]
            rng.shuffle(block)
            for src, mt in block[: n - k]:
                fh.write(f"u{k}\t{src}\t{mt}\n")
                k += 1


def run(path: Path, cache: Path, out: Path) -> dict:
    cmd = [sys.executable, "-m", "mtcheck", "check", str(path), "-f", "jsonl", "-o", str(out), "-q",
           "--cache-dir", str(cache)]
    res = subprocess.run([sys.executable, "-c", CHILD, *cmd], capture_output=True, text=True, cwd=ROOT)
    rc, seconds, rss_kb = res.stdout.split()[-3:]
    segments = sum(1 for line in open(out, encoding="utf-8") if line.startswith('{"record": "segment"'))
    return {"rc": int(rc), "seconds": round(float(seconds), 1), "segments": segments,
            "segments_per_s": round(segments / float(seconds), 1), "peak_rss_mb": round(int(rss_kb) / 1024, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=1_000)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--warm-from", type=Path, default=ROOT / "bench" / "out" / "emb.sqlite",
                    help="an existing embedding cache to start from (e.g. bench/train_qe.py's)")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    cache = OUT / "cache"
    cache.mkdir(exist_ok=True)
    if args.warm_from.is_file() and not (cache / "embeddings.sqlite").exists():
        shutil.copy(args.warm_from, cache / "embeddings.sqlite")
    pairs = rows(args.data)
    distinct = OUT / "distinct.tsv"
    write_corpus(distinct, pairs, len(pairs), args.seed)
    t0 = time.perf_counter()
    warm = run(distinct, cache, OUT / "distinct.jsonl")  # embeds what the cache lacks
    warm["wall_including_embedding"] = round(time.perf_counter() - t0, 1)
    results = {"date": datetime.now(timezone.utc).isoformat(timespec="minutes"),
               "machine": f"{platform.machine()}, Python {platform.python_version()}", "warm_up": warm}
    for label, n in (("small", args.small), ("large", args.n)):
        path = OUT / f"corpus-{n}.tsv"
        write_corpus(path, pairs, n, args.seed)
        results[label] = run(path, cache, OUT / f"corpus-{n}.jsonl")
        print(label, results[label], flush=True)
    results["throughput_ratio"] = round(results["large"]["segments_per_s"] / results["small"]["segments_per_s"], 3)
    (OUT / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
