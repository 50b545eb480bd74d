"""Back-translation and scoring throughput: CTranslate2 vs Hugging Face Transformers (torch CPU).

A model with opus-mt's shapes (Marian: 6+6 layers, d_model 512, 8 heads,
FFN 2048, shared ~58k vocabulary) is built with random weights as a
``MarianMTModel``, saved, and converted to CTranslate2 with ctranslate2's own
converter, so both engines run the very same network. Random weights do not
translate, so the work is fixed instead: every batch decodes exactly ``L``
target tokens (``L`` = the longest source in the batch; min = max decoding
length), greedy and with beam 2. Scoring is forced decoding of a target as
long as the source. Inputs are the English side of the MLQE-PE ru-en test20
set, tokenized by a SentencePiece model trained on the English and Russian
of its dev set. Each engine runs in its own subprocess (peak RSS per engine).

    python bench/speed.py --n 200            # quick
    python bench/speed.py --n 1000 --out bench/out/speed-1000.json   # the record

Both wall time and process CPU time are reported: on a shared, overloaded
machine the CPU time (the work each engine actually did) is the steadier
measure; OpenMP threads are told to wait passively so idle spinning is not
counted. Needs the 'convert' extra (torch, transformers).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "mlqe-pe-ru-en" / "da"
VOCAB_SIZE = 58101  # opus-mt-en-ru's vocabulary is of this order (~58k shared pieces)


def read_tsv(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [row[column] for row in reader]


def prepare(work: Path, data: Path) -> None:
    """Train the SentencePiece model, build the HF Marian model, convert it to CTranslate2."""
    import sentencepiece as spm
    import torch
    from ctranslate2.converters import TransformersConverter
    from transformers import MarianConfig, MarianMTModel

    work.mkdir(parents=True, exist_ok=True)
    if (work / "ct2" / "model.bin").is_file():
        return
    dev = data / "dev.ruen.df.short.tsv"
    text = read_tsv(dev, "original") + read_tsv(dev, "translation")
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(text), model_writer=buf, vocab_size=8000, hard_vocab_limit=False,
                                   character_coverage=1.0, minloglevel=2, num_threads=2)
    (work / "spm.model").write_bytes(buf.getvalue())
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    body = [p for p in pieces if p not in ("<unk>", "<s>", "</s>")]
    filler = [f"\u2581filler{i}" for i in range(VOCAB_SIZE - 3 - len(body))]
    vocab = ["</s>", "<unk>", *body, *filler, "<pad>"]  # Marian's order: pad last
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    cfg = MarianConfig(vocab_size=len(vocab), d_model=512, encoder_layers=6, decoder_layers=6,
                       encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048,
                       decoder_ffn_dim=2048, max_position_embeddings=512, activation_function="swish",
                       scale_embedding=True, pad_token_id=len(vocab) - 1, eos_token_id=0,
                       decoder_start_token_id=len(vocab) - 1, forced_eos_token_id=None,
                       share_encoder_decoder_embeddings=True)
    torch.manual_seed(0)
    MarianMTModel(cfg).eval().save_pretrained(work / "hf")

    class _Vocab:
        """The little of a tokenizer that ctranslate2's Marian loader reads."""

        eos_token, unk_token = "</s>", "<unk>"

        def get_vocab(self) -> dict[str, int]:
            return {p: i for i, p in enumerate(vocab)}

    class _Converter(TransformersConverter):
        def load_tokenizer(self, *args, **kwargs):
            return _Vocab()

    _Converter(str(work / "hf")).convert(str(work / "ct2"), force=True)  # float32 weights


def batches(n: int, data: Path, work: Path, batch_size: int) -> list[list[list[str]]]:
    """Length-sorted batches of SentencePiece pieces (the same batches for both engines)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(work / "spm.model"))
    sents = read_tsv(data / "test20.ruen.df.short.tsv", "translation")[:n]
    toks = sorted((sp.encode(s, out_type=str)[:200] for s in sents), key=len)
    return [toks[i:i + batch_size] for i in range(0, len(toks), batch_size)]


def run_ct2(work: Path, bs: list[list[list[str]]], compute_type: str, threads: int) -> dict:
    import ctranslate2

    model = ctranslate2.Translator(str(work / "ct2"), compute_type=compute_type, inter_threads=1,
                                   intra_threads=threads)
    out: dict = {}
    for beam in (1, 2):
        t0, c0, ntok = time.perf_counter(), time.process_time(), 0
        for b in bs:
            L = max(len(x) for x in b)
            res = model.translate_batch(b, beam_size=beam, min_decoding_length=L, max_decoding_length=L,
                                        max_batch_size=0)
            ntok += sum(len(r.hypotheses[0]) for r in res)
        out[f"beam{beam}"] = (time.perf_counter() - t0, time.process_time() - c0, ntok)
    t0, c0, ntok = time.perf_counter(), time.process_time(), 0
    for b in bs:
        res = model.score_batch(b, b, max_batch_size=0)
        ntok += sum(len(r.log_probs) for r in res)
    out["score"] = (time.perf_counter() - t0, time.process_time() - c0, ntok)
    return out


def run_hf(work: Path, bs: list[list[list[str]]], threads: int) -> dict:
    import torch
    from transformers import MarianMTModel

    torch.set_num_threads(threads)
    vocab = {p: i for i, p in enumerate(json.loads((work / "vocab.json").read_text(encoding="utf-8")))}
    pad, eos, unk = len(vocab) - 1, 0, 1
    model = MarianMTModel.from_pretrained(work / "hf").eval()

    def encode(b: list[list[str]]) -> tuple:
        ids = [[vocab.get(p, unk) for p in x] + [eos] for x in b]
        n = max(len(x) for x in ids)
        mat = torch.tensor([x + [pad] * (n - len(x)) for x in ids])
        return mat, (mat != pad).long()

    out: dict = {}
    with torch.inference_mode():
        for beam in (1, 2):
            t0, c0, ntok = time.perf_counter(), time.process_time(), 0
            for b in bs:
                L = max(len(x) for x in b)
                ids, mask = encode(b)
                gen = model.generate(input_ids=ids, attention_mask=mask, num_beams=beam, do_sample=False,
                                     min_new_tokens=L, max_new_tokens=L, early_stopping=False)
                ntok += (gen.shape[1] - 1) * gen.shape[0]  # minus the decoder start token
            out[f"beam{beam}"] = (time.perf_counter() - t0, time.process_time() - c0, ntok)
        t0, c0, ntok = time.perf_counter(), time.process_time(), 0
        for b in bs:
            ids, mask = encode(b)
            # the target is fed shifted right, as in training; no loss is computed (no extra work)
            dec = torch.cat([torch.full((ids.shape[0], 1), pad), ids[:, :-1]], dim=1)
            logits = model(input_ids=ids, attention_mask=mask, decoder_input_ids=dec,
                           decoder_attention_mask=mask).logits
            lp = torch.log_softmax(logits, -1).gather(2, ids.unsqueeze(-1)).squeeze(-1)[mask.bool()]
            ntok += lp.numel()
        out["score"] = (time.perf_counter() - t0, time.process_time() - c0, ntok)
    return out


def worker(args: argparse.Namespace) -> None:
    bs = batches(args.n, args.data, args.work, args.batch_size)
    if args.engine == "hf":
        res = run_hf(args.work, bs, args.threads)
    else:
        res = run_ct2(args.work, bs, args.compute_type, args.threads)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"engine": args.engine, "compute_type": args.compute_type, "sentences": sum(map(len, bs)),
                      "results": res, "peak_rss_mib": round(rss_kib / 1024, 1)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="sentences of test20 (1000 for the record)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "speed-model")
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON results here")
    ap.add_argument("--engine", choices=["hf", "ct2"], help=argparse.SUPPRESS)
    ap.add_argument("--compute-type", default="int8", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.engine:
        worker(args)
        return
    prepare(args.work, args.data)
    runs = []
    for engine, ct in (("ct2", "int8"), ("ct2", "float32"), ("hf", "float32")):
        cmd = [sys.executable, __file__, "--engine", engine, "--compute-type", ct, "--n", str(args.n),
               "--threads", str(args.threads), "--batch-size", str(args.batch_size), "--data", str(args.data),
               "--work", str(args.work)]
        # passive OpenMP waiting: spinning threads would count as CPU time on a shared machine
        env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
        if proc.returncode != 0:
            sys.exit(f"{engine}/{ct} failed:\n{proc.stderr[-3000:]}")
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"done {engine} {ct}", file=sys.stderr, flush=True)
    hf = next(r for r in runs if r["engine"] == "hf")
    load = os.getloadavg()
    print(f"# speed: n={args.n} threads={args.threads} batch={args.batch_size} "
          f"{platform.processor() or platform.machine()} cpus={os.cpu_count()} "
          f"load avg at end={load[0]:.2f},{load[1]:.2f},{load[2]:.2f} date={time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print("| engine | task | wall s | CPU s | sentences/s | target tokens/s | tokens/CPU-s "
          "| x Transformers (wall) | x Transformers (CPU) | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        for task, (sec, cpu, ntok) in r["results"].items():
            base_sec, base_cpu = hf["results"][task][0], hf["results"][task][1]
            name = "Transformers fp32" if r["engine"] == "hf" else f"CTranslate2 {r['compute_type']}"
            print(f"| {name} | {task} | {sec:.1f} | {cpu:.1f} | {r['sentences'] / sec:.2f} | {ntok / sec:.0f} "
                  f"| {ntok / cpu:.0f} | {base_sec / sec:.2f} | {base_cpu / cpu:.2f} | {r['peak_rss_mib']} |")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"n": args.n, "threads": args.threads, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
