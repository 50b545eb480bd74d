"""Fit the QE models shipped in mtcheck/qe/artefacts/ on MLQE-PE ru-en.

    python bench/train_qe.py [--data ../shared/data/mlqe-pe-ru-en] [--seed 13]

Fits on ``train`` only; ``dev`` selects the model family, its regularisation
and the word-level BAD threshold; ``test20`` is never read here. Sentence
vectors come from mtcheck's EmbeddingStore with a disk cache under bench/out/
(so re-runs skip the embedding). Train-set features that depend on the
lexicon and the word priors are computed out-of-fold (5 folds), as are the
sentence predictions fed to the word model, so the word model sees train
features with the same noise it will see at run time.

scikit-learn is used here only; the artefacts are plain arrays (NPZ) and
gzip JSON that mtcheck evaluates with numpy.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcheck.cache import SqliteCache  # noqa: E402
from mtcheck.embed import E5Embedder, EmbeddingStore  # noqa: E402
from mtcheck.logprobs import SegmentLogprobs, locate, read_logprobs, word_logprobs  # noqa: E402
from mtcheck.qe.artefact import save_npz  # noqa: E402
from mtcheck.qe.features import analyse, logprob_sentence, sentence_scalars, sentence_vector, word_matrix  # noqa: E402
from mtcheck.qe.lexicon import Lexicon, key  # noqa: E402
from mtcheck.qe.models import ARTEFACTS, LEXICON_FILE  # noqa: E402
from mtcheck.qe.tokens import tokens  # noqa: E402

DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "mlqe-pe-ru-en"
OUT = ROOT / "bench" / "out"
VERSION = "1.0"
FOLDS = 5


@dataclass
class Split:
    name: str
    src: list[str]
    mt: list[str]
    z: np.ndarray
    da: np.ndarray
    hter: np.ndarray
    pe_src: list[list[str]]
    pe_mt: list[list[str]]
    pe_tags: list[list[str]]  # word tags of pe_mt tokens
    links: list[list[tuple[int, int]]]
    logprobs: list[SegmentLogprobs]
    pe_src_tags: list[list[str]]  # one tag per pe_src token

    def __len__(self) -> int:
        return len(self.src)


def read_split(data: Path, name: str) -> Split:
    with open(data / "da" / f"{name}.ruen.df.short.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    pe = data / "pe" / name

    def lines(ext: str) -> list[str]:
        return (pe / f"{name}.{ext}").read_text(encoding="utf-8").splitlines()

    links = [[tuple(int(x) for x in a.split("-")) for a in ln.split()] for ln in lines("src-mt.alignments")]
    lp = read_logprobs(data / "da" / "word-probas" / f"word_probas.{name}.ruen")
    return Split(name, [r["original"] for r in rows], [r["translation"] for r in rows],
                 np.array([float(r["z_mean"]) for r in rows]), np.array([float(r["mean"]) for r in rows]),
                 np.array([float(x) for x in lines("hter")]),
                 [ln.split() for ln in lines("src")], [ln.split() for ln in lines("mt")],
                 [ln.split()[1::2] for ln in lines("tags")], links, lp, [ln.split() for ln in lines("source_tags")])


def augment(split: Split, frac: float, seed: int) -> tuple[Split, np.ndarray]:
    """Append mismatched pairs (a source with another row's MT) scored like the worst real ones.

    Human-scored MT is almost never about something else entirely, so a model
    fit on it alone learns fluency and misses a fluent translation of another
    sentence (or a misalignment). These rows teach it that. Returns the
    extended split and, for every row, the index of the row its source came from.
    """
    rng = np.random.RandomState(seed)
    n = len(split)
    src_idx = rng.choice(n, int(frac * n), replace=False)
    mt_idx = (src_idx + rng.randint(1, n, len(src_idx))) % n
    z_low = float(np.percentile(split.z, 2))
    a, b = np.polyfit(split.z, split.da, 1)

    def cat(lst, extra):
        return list(lst) + list(extra)

    out = Split(split.name + "+mismatched", cat(split.src, (split.src[i] for i in src_idx)),
                cat(split.mt, (split.mt[j] for j in mt_idx)),
                np.concatenate([split.z, np.full(len(src_idx), z_low)]),
                np.concatenate([split.da, np.full(len(src_idx), a * z_low + b)]),
                np.concatenate([split.hter, np.ones(len(src_idx))]),
                cat(split.pe_src, (split.pe_src[i] for i in src_idx)),
                cat(split.pe_mt, (split.pe_mt[j] for j in mt_idx)),
                cat(split.pe_tags, (["BAD"] * len(split.pe_tags[j]) for j in mt_idx)),
                cat(split.links, ([] for _ in src_idx)),
                cat(split.logprobs, (split.logprobs[j] for j in mt_idx)),
                cat(split.pe_src_tags, (["BAD"] * len(split.pe_src_tags[i]) for i in src_idx)))
    return out, np.concatenate([np.arange(n), src_idx])


def subset(split: Split, idx) -> Split:
    idx = list(idx)
    pick = lambda xs: [xs[i] for i in idx]  # noqa: E731
    return Split(split.name, pick(split.src), pick(split.mt), split.z[idx], split.da[idx], split.hter[idx],
                 pick(split.pe_src), pick(split.pe_mt), pick(split.pe_tags), pick(split.links), pick(split.logprobs),
                 pick(split.pe_src_tags))


def embedding_store() -> EmbeddingStore:
    return EmbeddingStore(E5Embedder(), SqliteCache(OUT / "emb.sqlite"))


def token_gold(mt: str, pe_tokens: list[str], pe_tags: list[str]) -> list[int]:
    """BAD (1) / OK (0) for each of mtcheck's tokens of ``mt``: BAD if it overlaps a BAD MLQE token."""
    owner = locate(mt, pe_tokens)
    out = []
    for t in tokens(mt):
        ks = {owner[i] for i in range(t.start, t.end) if i in owner}
        out.append(int(any(pe_tags[k] == "BAD" for k in ks)))
    return out


def fit_priors(split: Split, idx) -> dict[str, tuple[float, float]]:
    """Per MT word type: count and smoothed BAD rate over the given training rows."""
    n, bad = Counter(), Counter()
    for i in idx:
        for t, g in zip(tokens(split.mt[i]), token_gold(split.mt[i], split.pe_mt[i], split.pe_tags[i])):
            n[key(t.text)] += 1
            bad[key(t.text)] += g
    base = sum(bad.values()) / max(1, sum(n.values()))
    a = 5.0
    return {k: (float(c), (bad[k] + a * base) / (c + a)) for k, c in n.items() if c >= 2}


def fit_src_priors(split: Split, idx) -> dict[str, tuple[float, float]]:
    """Per source word type: count and smoothed rate of its translation being post-edited."""
    n, bad = Counter(), Counter()
    for i in idx:
        for w, t in zip(split.pe_src[i], split.pe_src_tags[i]):
            n[key(w)] += 1
            bad[key(w)] += t == "BAD"
    base = sum(bad.values()) / max(1, sum(n.values()))
    a = 5.0
    return {k: (float(c), (bad[k] + a * base) / (c + a)) for k, c in n.items() if c >= 2}


def fit_lexicon(split: Split, idx) -> Lexicon:
    return Lexicon.fit(((split.pe_src[i], split.pe_mt[i], split.links[i]) for i in idx), min_count=1)


def fold_ids(n: int, seed: int) -> np.ndarray:
    return np.random.RandomState(seed).permutation(n) % FOLDS


_BASE_CACHE: dict[str, tuple] = {}


def features(split: Split, store: EmbeddingStore, lexicons: list[Lexicon], fold_of: np.ndarray,
             with_lp: bool, names: list[str] | None = None):
    """Sentence matrix, scalar dicts and pair analyses for every row (shared by the variants)."""
    if split.name not in _BASE_CACHE:
        U = store.vectors(split.src).astype(np.float64)
        V = store.vectors(split.mt).astype(np.float64)
        ans0, scal0 = [], []
        for i in range(len(split)):
            an = analyse(split.src[i], split.mt[i], lexicons[fold_of[i]])
            cos = float(U[i] @ V[i] / (np.linalg.norm(U[i]) * np.linalg.norm(V[i]) + 1e-12))
            ans0.append(an)
            scal0.append(sentence_scalars(split.src[i], split.mt[i], cos, an))
        _BASE_CACHE[split.name] = (U, V, ans0, scal0)
    U, V, ans0, scal0 = _BASE_CACHE[split.name]
    X, scal, ans = [], [], []
    for i in range(len(split)):
        an, d = ans0[i], dict(scal0[i])
        if with_lp:
            d.update(logprob_sentence(split.logprobs[i].logprobs, split.logprobs[i].eos))
        names = names or list(d)
        X.append(sentence_vector(d, U[i], V[i], names))
        scal.append(d)
        ans.append(an)
    return np.vstack(X), scal, ans, names


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(0)
    std = X.std(0)
    std[std < 1e-9] = 1.0
    return mean, std


def pearson(a, b) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


def mcc_best(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import matthews_corrcoef

    best = (-1.0, 0.5)
    for t in np.arange(0.05, 0.95, 0.01):
        m = matthews_corrcoef(y, p >= t)
        if m > best[0]:
            best = (float(m), float(t))
    return best


def net_arrays(model, mean, std) -> tuple[dict[str, np.ndarray], int]:
    """Weights of a fitted sklearn linear model or MLP as Network arrays."""
    arrays = {"mean": mean, "std": std}
    if hasattr(model, "coefs_"):
        for i, (W, b) in enumerate(zip(model.coefs_, model.intercepts_)):
            arrays[f"W{i}"], arrays[f"b{i}"] = W, b
        return arrays, len(model.coefs_)
    coef = np.asarray(model.coef_, dtype=np.float64).reshape(-1, 1)
    arrays["W0"], arrays["b0"] = coef, np.atleast_1d(np.asarray(model.intercept_, dtype=np.float64)).reshape(1)
    return arrays, 1


def sentence_candidates(seed: int):
    from sklearn.linear_model import Ridge
    from sklearn.neural_network import MLPRegressor

    for alpha in (1000.0, 3000.0, 10000.0, 30000.0):
        yield f"ridge(alpha={alpha:g})", lambda a=alpha: Ridge(alpha=a)
    for h, a in ((128, 30.0), (128, 100.0)):
        yield f"mlp({h},alpha={a:g})", lambda h=h, a=a: MLPRegressor(
            hidden_layer_sizes=(h,), alpha=a, learning_rate_init=1e-3, max_iter=300, early_stopping=True,
            validation_fraction=0.1, n_iter_no_change=15, random_state=seed)


def word_candidates(seed: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    for c in (1.0,):
        yield f"logreg(C={c:g})", lambda c=c: LogisticRegression(C=c, max_iter=2000)
    for h, a in ((32, 1e-3), (64, 1e-2)):
        yield f"mlp({h},alpha={a:g})", lambda h=h, a=a: MLPClassifier(
            hidden_layer_sizes=(h,), alpha=a, max_iter=200, early_stopping=True, validation_fraction=0.1,
            n_iter_no_change=10, random_state=seed)


def word_rows(split: Split, scal, ans, zpred, priors_of, src_priors_of, with_lp: bool):
    Xs, ys, names = [], [], None
    for i in range(len(split)):
        wlp = word_logprobs(split.mt[i], split.logprobs[i]) if with_lp else None
        W, names_i = word_matrix(split.src[i], split.mt[i], ans[i], scal[i], float(zpred[i]), priors_of(i),
                                 wlp, with_lp, src_priors_of(i))
        if not len(W):
            continue
        names = names or names_i
        Xs.append(W)
        ys.extend(token_gold(split.mt[i], split.pe_mt[i], split.pe_tags[i]))
    return np.vstack(Xs), np.array(ys), names


def train_variant(variant: str, train: Split, n_real: int, dev: Split, store, lex_folds, lex_full, pri_folds,
                  pri_full, spri_folds, spri_full, fold_of, seed: int, log: dict) -> None:
    """Fit one variant; ``train`` rows from ``n_real`` on are mismatched pairs (sentence model only)."""
    from sklearn.base import clone

    with_lp = variant == "logprobs"
    t0 = time.time()
    Xtr, scal_tr, an_tr, names = features(train, store, lex_folds, fold_of, with_lp)
    Xdv, scal_dv, an_dv, _ = features(dev, store, [lex_full], np.zeros(len(dev), dtype=int), with_lp, names)
    print(f"[{variant}] features {Xtr.shape} in {time.time() - t0:.0f}s", flush=True)
    mean, std = standardise(Xtr)
    Ztr, Zdv = (Xtr - mean) / std, (Xdv - mean) / std

    results = []
    for name, make in sentence_candidates(seed):
        m = make().fit(Ztr, train.z)
        pdv = m.predict(Zdv)
        results.append((pearson(pdv, dev.z), name, make, m, pdv))
        print(f"[{variant}] sentence {name}: dev pearson {results[-1][0]:.4f}", flush=True)
    # an ensemble: the best linear model plus the best MLP configuration with three seeds
    ridge = max((x for x in results if x[1].startswith("ridge")), key=lambda x: x[0])
    mlp = max((x for x in results if x[1].startswith("mlp")), key=lambda x: x[0])
    members = [ridge, mlp]
    for extra_seed in (seed + 1, seed + 2):
        m = clone(mlp[3]).set_params(random_state=extra_seed).fit(Ztr, train.z)
        members.append((None, f"{mlp[1]}#seed{extra_seed}", None, m, m.predict(Zdv)))
    pens = np.mean([x[4] for x in members], axis=0)
    ens_name = "mean(" + ", ".join(x[1] for x in members) + ")"
    results.append((pearson(pens, dev.z), ens_name, None, None, pens))
    print(f"[{variant}] sentence {ens_name}: dev pearson {results[-1][0]:.4f}", flush=True)
    r, best_name, _make, best_model, zdv = max(results, key=lambda x: x[0])
    log[f"sentence-{variant}"] = {"selected": best_name, "dev_pearson": r,
                                  "candidates": {x[1]: x[0] for x in results}}
    chosen = [x[3] for x in members] if best_model is None else [best_model]
    # out-of-fold sentence predictions on the real train rows for the word model (the linear model
    # stands in for an ensemble here: refitting every member five times would cost more than it adds)
    oof_make = ridge[2] if best_model is None else _make
    oof = np.zeros(len(train))
    for f in range(FOLDS):
        tr, te = fold_of != f, fold_of == f
        oof[te] = clone(oof_make()).fit(Ztr[tr], train.z[tr]).predict(Ztr[te])
    a, b = np.polyfit(train.z[:n_real], train.da[:n_real], 1)
    arrays = {"mean": mean, "std": std}
    member_meta = []
    for k, m in enumerate(chosen):
        arr_k, n_layers = net_arrays(m, mean, std)
        arrays.update({f"m{k}_{n}": v for n, v in arr_k.items() if n not in ("mean", "std")})
        member_meta.append({"prefix": f"m{k}_", "n_layers": n_layers})
    meta = {"name": "mtcheck-qe-sentence", "version": VERSION, "variant": variant, "model": best_name,
            "members": member_meta, "scalars": names, "embedding_blocks": ["u", "v", "u*v", "|u-v|"],
            "target": "MLQE-PE ru-en z_mean", "z_to_da": [float(a), float(b)], "seed": seed,
            "dev_pearson": r, "train_rows": n_real}
    save_npz(ARTEFACTS / f"qe-sentence-{variant}.npz", {k: v.astype(np.float32) for k, v in arrays.items()}, meta)

    # word model
    t0 = time.time()
    real = subset(train, range(n_real))
    Wtr, ytr, wnames = word_rows(real, scal_tr[:n_real], an_tr[:n_real], oof[:n_real],
                                 lambda i: pri_folds[fold_of[i]], lambda i: spri_folds[fold_of[i]], with_lp)
    Wdv, ydv, _ = word_rows(dev, scal_dv, an_dv, zdv, lambda i: pri_full, lambda i: spri_full, with_lp)
    print(f"[{variant}] word features {Wtr.shape} in {time.time() - t0:.0f}s; BAD rate {ytr.mean():.3f}", flush=True)
    wmean, wstd = standardise(Wtr)
    Wtr_s, Wdv_s = (Wtr - wmean) / wstd, (Wdv - wmean) / wstd
    wres = []
    for name, make in word_candidates(seed):
        m = make().fit(Wtr_s, ytr)
        logit = m.decision_function(Wdv_s) if hasattr(m, "decision_function") else _logit(m.predict_proba(Wdv_s)[:, 1])
        mcc, thr = mcc_best(ydv, _sigmoid(logit))
        wres.append((mcc, thr, name, [m], logit))
        print(f"[{variant}] word {name}: dev MCC {mcc:.4f} at {thr:.2f}", flush=True)
    # an ensemble (mean logit): the linear model plus the best MLP configuration with three seeds
    lin = next(x for x in wres if x[2].startswith("logreg"))
    best_mlp = max((x for x in wres if x[2].startswith("mlp")), key=lambda x: x[0])
    members, logits = [lin[3][0], best_mlp[3][0]], [lin[4], best_mlp[4]]
    for extra_seed in (seed + 1, seed + 2):
        m = clone(best_mlp[3][0]).set_params(random_state=extra_seed).fit(Wtr_s, ytr)
        members.append(m)
        logits.append(_logit(m.predict_proba(Wdv_s)[:, 1]))
    mcc, thr = mcc_best(ydv, _sigmoid(np.mean(logits, axis=0)))
    ens_name = f"mean-logit({lin[2]}, {best_mlp[2]} x3 seeds)"
    wres.append((mcc, thr, ens_name, members, None))
    print(f"[{variant}] word {ens_name}: dev MCC {mcc:.4f} at {thr:.2f}", flush=True)
    mcc, thr, wname, wmodels, _ = max(wres, key=lambda x: x[0])
    log[f"word-{variant}"] = {"selected": wname, "dev_mcc": mcc, "threshold": thr,
                              "candidates": {x[2]: [x[0], x[1]] for x in wres}, "features": wnames}
    arrays = {"mean": wmean, "std": wstd}
    wmembers = []
    for k, m in enumerate(wmodels):
        arr_k, n_layers = net_arrays(m, wmean, wstd)
        arrays.update({f"m{k}_{n}": v for n, v in arr_k.items() if n not in ("mean", "std")})
        wmembers.append({"prefix": f"m{k}_", "n_layers": n_layers})
    keys = sorted(pri_full)
    arrays.update({"prior_keys": np.array(keys), "prior_n": np.array([pri_full[k][0] for k in keys]),
                   "prior_bad": np.array([pri_full[k][1] for k in keys])})
    skeys = sorted(spri_full)
    arrays.update({"src_prior_keys": np.array(skeys), "src_prior_n": np.array([spri_full[k][0] for k in skeys]),
                   "src_prior_bad": np.array([spri_full[k][1] for k in skeys])})
    meta = {"name": "mtcheck-qe-word", "version": VERSION, "variant": variant, "model": wname,
            "members": wmembers, "features": wnames, "threshold": thr, "seed": seed, "dev_mcc": mcc, "train_rows": n_real,
            "target": "MLQE-PE ru-en word tags (BAD = changed by the post-editor)"}
    save_npz(ARTEFACTS / f"qe-word-{variant}.npz",
             {k: (v.astype(np.float32) if v.dtype.kind == "f" else v) for k, v in arrays.items()}, meta)


def compact(path: Path, min_size: int = 50_000) -> None:
    """Store the large weight matrices of an artefact as float16 (halves the shipped size;
    the change in scores is far below their noise). Runs as the last step of training."""
    from mtcheck.qe.artefact import load_npz

    arrays, meta = load_npz(path)
    arrays = {k: (v.astype(np.float16) if v.dtype == np.float32 and v.size >= min_size else v)
              for k, v in arrays.items()}
    save_npz(path, arrays, meta)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--variants", default="base,logprobs")
    ap.add_argument("--train-rows", type=int, default=0,
                    help="fit on the first N train rows only (0: all); for quick experiments")
    ap.add_argument("--mismatched", type=float, default=0.1,
                    help="share of mismatched pairs added to the sentence model's training data")
    args = ap.parse_args(argv)
    np.random.seed(args.seed)
    train, dev = read_split(args.data, "train"), read_split(args.data, "dev")
    if args.train_rows:
        train = subset(train, range(min(args.train_rows, len(train))))
    store = embedding_store()
    store.prefetch(train.src + train.mt + dev.src + dev.mt)
    print("embeddings:", store.stats, flush=True)
    fold_of = fold_ids(len(train), args.seed)
    n_real = len(train)
    train_aug, origin = augment(train, args.mismatched, args.seed)
    lex_full = fit_lexicon(train, range(len(train)))
    lex_folds = [fit_lexicon(train, np.flatnonzero(fold_of != f)) for f in range(FOLDS)]
    pri_full = fit_priors(train, range(len(train)))
    pri_folds = [fit_priors(train, np.flatnonzero(fold_of != f)) for f in range(FOLDS)]
    spri_full = fit_src_priors(train, range(len(train)))
    spri_folds = [fit_src_priors(train, np.flatnonzero(fold_of != f)) for f in range(FOLDS)]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    lex_full.save(ARTEFACTS / LEXICON_FILE)
    log: dict = {"seed": args.seed, "version": VERSION, "train_rows": len(train)}
    log["mismatched"] = args.mismatched
    for v in args.variants.split(","):
        train_variant(v, train_aug, n_real, dev, store, lex_folds, lex_full, pri_folds, pri_full, spri_folds,
                      spri_full, fold_of[origin], args.seed, log)
    for p in sorted(ARTEFACTS.glob("qe-*.npz")):
        compact(p)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "train_qe.json").write_text(json.dumps(log, indent=2))
    sizes = {p.name: p.stat().st_size for p in sorted(ARTEFACTS.iterdir())}
    print(json.dumps(sizes), "total", sum(sizes.values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
