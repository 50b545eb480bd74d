"""Benchmark of the sentence aligner on perturbed MLQE-PE ru-en documents.

    python bench/align.py                # test20 split, seed 13, the three concat modes
    python bench/align.py --split dev    # the split the defaults were tuned on

Prints a table, writes bench/out/align/results.json and figures
(bench/out/align/*.png). Embeddings are cached in
bench/out/align/embeddings.sqlite, so reruns are warm; cold-cache throughput
is measured separately on the first ``--cold-docs`` documents with a fresh
cache. ``--long N`` also aligns an N-sentence synthetic document pair in a
child process (alignment only: synthetic vectors) and reports time and
peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

from align_data import DEFAULT_DATA, BenchDoc, bench_documents  # noqa: E402
from mtcheck.align import AlignConfig, align, score_alignments  # noqa: E402
from mtcheck.cache import SqliteCache  # noqa: E402
from mtcheck.data import Link  # noqa: E402
from mtcheck.embed import E5Embedder, EmbeddingStore  # noqa: E402

OUT = ROOT / "bench" / "out" / "align"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """Wall and CPU seconds spent inside ``with`` blocks, added up."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def __enter__(self):
        self._w, self._c = time.perf_counter(), time.process_time()

    def __exit__(self, *exc):
        self.wall += time.perf_counter() - self._w
        self.cpu += time.process_time() - self._c


def run_docs(docs: list[BenchDoc], store: EmbeddingStore, mode: str, cfg: AlignConfig):
    """Align every document, embedding included; returns the predictions and
    timings (total, and the part spent getting vectors from the store)."""
    total, emb = Timer(), Timer()

    def vectors(texts):
        with emb:
            return store.vectors(texts)

    preds = []
    cfg = replace(cfg, concat=mode)
    with total:
        for d in docs:
            sv, tv = vectors(d.src), vectors(d.tgt)
            preds.append(align(sv, tv, d.src, d.tgt, config=cfg, embed_fn=None if mode == "sum" else vectors))
    return preds, {"wall_s": total.wall, "cpu_s": total.cpu, "embed_wall_s": emb.wall, "embed_cpu_s": emb.cpu}


def by_kind(docs: list[BenchDoc], preds: list[list[Link]]) -> dict[str, dict[str, float]]:
    """Recall of each gold link type (exact match) and precision of each predicted type."""
    out: dict[str, dict[str, float]] = {}
    gold_n, gold_hit, pred_n, pred_hit = Counter(), Counter(), Counter(), Counter()
    for d, p in zip(docs, preds):
        g = {(lk.src, lk.tgt) for lk in d.gold}
        q = {(lk.src, lk.tgt) for lk in p}
        for s, t in g:
            gold_n[f"{len(s)}-{len(t)}"] += 1
            gold_hit[f"{len(s)}-{len(t)}"] += (s, t) in q
        for s, t in q:
            pred_n[f"{len(s)}-{len(t)}"] += 1
            pred_hit[f"{len(s)}-{len(t)}"] += (s, t) in g
    for k in sorted(set(gold_n) | set(pred_n)):
        out[k] = {"gold": gold_n[k], "recall": gold_hit[k] / gold_n[k] if gold_n[k] else float("nan"),
                  "predicted": pred_n[k], "precision": pred_hit[k] / pred_n[k] if pred_n[k] else float("nan")}
    return out


def throughput(docs: list[BenchDoc], mode: str, cfg: AlignConfig, threads: int) -> dict[str, float]:
    """Cold (fresh cache) then warm (same documents, a new store reading the
    filled disk cache, as a rerun would) sentence pairs per second."""
    n_pairs = sum(len(d.src) for d in docs)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        embedder = E5Embedder(num_threads=threads)
        embedder.embed(["warm-up"])  # model load is a one-off, not per document
        cold = EmbeddingStore(embedder, SqliteCache(Path(tmp) / "cold.sqlite"))
        _, t_cold = run_docs(docs, cold, mode, cfg)
        warm = EmbeddingStore(embedder, SqliteCache(Path(tmp) / "cold.sqlite"))
        _, t_warm = run_docs(docs, warm, mode, cfg)
    return {"pairs": n_pairs, "cold": t_cold, "warm": t_warm,
            "cold_pairs_per_s": n_pairs / t_cold["wall_s"], "warm_pairs_per_s": n_pairs / t_warm["wall_s"],
            "cold_embedded": cold.stats["computed"], "warm_embedded": warm.stats["computed"],
            "texts_per_embed_s": cold.stats["computed"] / max(t_cold["embed_wall_s"], 1e-9)}


def synthetic_pair(n: int, seed: int):
    """An n-sentence document pair with e5-like vectors (common direction plus
    noise: unrelated cosine ~0.75, translations ~0.9), real MLQE texts for
    lengths and anchors, and the same perturbations as the benchmark."""
    from align_data import load_rows, perturb
    import random

    rng = np.random.default_rng(seed)
    rows = load_rows(DEFAULT_DATA, "train")
    src = [rows[k % len(rows)][1] for k in range(n)]
    tgt = [rows[k % len(rows)][2] for k in range(n)]
    d = 384
    common = rng.normal(size=d)
    common /= np.linalg.norm(common)
    z = rng.normal(size=(n, d)) / np.sqrt(d)
    sv = 1.75 * common + z
    tv = 1.75 * common + z + rng.normal(size=(n, d)) / np.sqrt(d) * 0.55
    pool = [r[2] for r in rows[::7]]
    doc = perturb("synthetic", src, tgt, pool, random.Random(seed))
    tv_out = []
    for lk in doc.gold:
        if not lk.tgt:
            continue
        if not lk.src:  # an unrelated sentence
            tv_out.append(1.75 * common + rng.normal(size=d) / np.sqrt(d))
        elif len(lk.tgt) == 2:  # split: each half carries part of the sentence
            for _ in range(2):
                tv_out.append(1.75 * common + z[lk.src[0]] * 0.8 + rng.normal(size=d) / np.sqrt(d) * 0.6)
        else:
            tv_out.append(sum(tv[s] for s in lk.src))
    tgt_out = doc.tgt
    return sv, np.array(tv_out), src, tgt_out, doc.gold


def long_run(n: int, seed: int) -> dict[str, float]:
    sv, tv, src, tgt, gold = synthetic_pair(n, seed)
    rss0 = peak_rss_mb()
    t = Timer()
    with t:
        links = align(sv, tv, src, tgt)
    s = score_alignments([links], [gold])
    return {"src_sentences": len(src), "tgt_sentences": len(tgt), "seconds": t.wall, "cpu_seconds": t.cpu,
            "peak_rss_mb": peak_rss_mb(),
            "rss_before_align_mb": rss0, "strict_f1": s["strict_f1"], "lax_f1": s["lax_f1"]}


def figures(results: dict, out: Path) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    written = []
    modes = list(results["accuracy"])
    fig, ax = plt.subplots(figsize=(6, 3.5))
    metrics = ["strict_f1", "lax_f1", "gaps_f1"]
    width = 0.8 / len(modes)
    for k, mode in enumerate(modes):
        vals = [results["accuracy"][mode][m] for m in metrics]
        ax.bar(np.arange(len(metrics)) + k * width, vals, width=width * 0.95, label=f"concat={mode}")
    ax.set_xticks(np.arange(len(metrics)) + width * (len(modes) - 1) / 2, metrics)
    ax.set_ylim(0.8, 1.0)
    ax.legend(loc="lower left")
    ax.axhline(0.97, ls=":", c="grey")
    ax.axhline(0.99, ls=":", c="grey")
    ax.set_title(f"Aligner accuracy, MLQE-PE {results['split']} (perturbed)")
    fig.tight_layout()
    p = out / "accuracy.png"
    fig.savefig(p, dpi=110)
    written.append(str(p))
    if results.get("throughput"):
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for k, mode in enumerate(results["throughput"]):
            t = results["throughput"][mode]
            ax.bar([k * 3, k * 3 + 1], [t["cold_pairs_per_s"], t["warm_pairs_per_s"]], color=["C1", "C2"])
            ax.text(k * 3 + 0.5, -0.08, f"concat={mode}", ha="center", transform=ax.get_xaxis_transform())
        ax.set_yscale("log")
        ax.set_ylabel("sentence pairs / s (cold, warm)")
        ax.set_xticks([])
        fig.tight_layout()
        p = out / "throughput.png"
        fig.savefig(p, dpi=110)
        written.append(str(p))
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", default="test20")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--modes", default="sum,lazy,embed")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cold-docs", type=int, default=25, help="documents for the cold/warm throughput runs (0: skip)")
    ap.add_argument("--long", type=int, default=10_000, help="sentences of the synthetic long document (0: skip)")
    ap.add_argument("--long-only", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.long_only:
        print(json.dumps(long_run(args.long_only, args.seed)))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    cfg = AlignConfig()
    docs = bench_documents(args.data, args.split, args.seed)
    ops = Counter()
    for d in docs:
        ops.update(d.ops)
    results: dict = {"split": args.split, "seed": args.seed, "documents": len(docs),
                     "src_sentences": sum(len(d.src) for d in docs), "tgt_sentences": sum(len(d.tgt) for d in docs),
                     "perturbations": dict(ops), "accuracy": {}, "by_kind": {}, "throughput": {}}
    store = EmbeddingStore(E5Embedder(num_threads=args.threads), SqliteCache(OUT / "embeddings.sqlite"))
    modes = [m for m in args.modes.split(",") if m]
    for mode in modes:
        preds, times = run_docs(docs, store, mode, cfg)
        results["accuracy"][mode] = score_alignments(preds, [d.gold for d in docs])
        results["accuracy"][mode].update(times)
        results["by_kind"][mode] = by_kind(docs, preds)
    if args.cold_docs:
        for mode in modes:
            results["throughput"][mode] = throughput(docs[:args.cold_docs], mode, cfg, args.threads)
    if args.long:
        proc = subprocess.run([sys.executable, __file__, "--long-only", str(args.long), "--seed", str(args.seed)],
                              capture_output=True, text=True, check=True)
        results["long"] = json.loads(proc.stdout.strip().splitlines()[-1])
    results["peak_rss_mb"] = peak_rss_mb()
    results["figures"] = figures(results, OUT)
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    print_table(results)
    return 0


def print_table(r: dict) -> None:
    print(f"MLQE-PE ru-en {r['split']} (seed {r['seed']}): {r['documents']} documents, "
          f"{r['src_sentences']} source / {r['tgt_sentences']} target sentences, perturbations {r['perturbations']}")
    print(f"{'concat':8} {'strictP':>8} {'strictR':>8} {'strictF1':>8} {'laxP':>8} {'laxR':>8} {'laxF1':>8} "
          f"{'gapsP':>7} {'gapsR':>7}")
    for mode, a in r["accuracy"].items():
        print(f"{mode:8} {a['strict_precision']:8.4f} {a['strict_recall']:8.4f} {a['strict_f1']:8.4f} "
              f"{a['lax_precision']:8.4f} {a['lax_recall']:8.4f} {a['lax_f1']:8.4f} "
              f"{a['gaps_precision']:7.3f} {a['gaps_recall']:7.3f}")
    for mode, kinds in r["by_kind"].items():
        print(f"by link type ({mode}): " + ", ".join(
            f"{k}: R {v['recall']:.2f} ({v['gold']}) P {v['precision']:.2f} ({v['predicted']})" for k, v in kinds.items()))
    for mode, a in r["accuracy"].items():
        print(f"accuracy run ({mode}, {r['src_sentences']} pairs, cache as found): {a['wall_s']:.1f} s wall, "
              f"{a['cpu_s']:.1f} s CPU, of which getting vectors {a['embed_wall_s']:.1f} s wall")
    for mode, t in r["throughput"].items():
        print(f"throughput ({mode}, {t['pairs']} pairs): cold {t['cold_pairs_per_s']:.1f} pairs/s "
              f"({t['cold_embedded']} texts embedded at {t['texts_per_embed_s']:.1f} texts/s; "
              f"{t['cold']['cpu_s']:.0f} s CPU), warm {t['warm_pairs_per_s']:.1f} pairs/s "
              f"({t['warm_embedded']} embedded; {t['warm']['cpu_s']:.1f} s CPU)")
    print(f"peak RSS of this process (model, vectors, documents): {r['peak_rss_mb']:.0f} MB")
    if "long" in r:
        lg = r["long"]
        print(f"long synthetic document: {lg['src_sentences']}x{lg['tgt_sentences']} sentences aligned in "
              f"{lg['seconds']:.1f} s ({lg['cpu_seconds']:.1f} s CPU), peak RSS {lg['peak_rss_mb']:.0f} MB, strict F1 {lg['strict_f1']:.4f}")


if __name__ == "__main__":
    raise SystemExit(main())
