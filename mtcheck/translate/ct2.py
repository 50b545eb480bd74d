"""The CTranslate2 translation engine (back-translation and forced-decoding scores)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from mtcheck.errors import ModelError
from mtcheck.text import words as text_words
from mtcheck.translate.base import ScoreResult, Translator, WordLink
from mtcheck.translate.package import ModelPackage, open_package, package_hash, read_vocabulary
from mtcheck.translate.pieces import aggregate_words, piece_spans, offset_map, split_pieces


@dataclass(frozen=True)
class EngineOptions:
    """Decoding and resource options; ``key()`` goes into cache keys."""

    device: str = "cpu"
    compute_type: str = "int8"
    beam_size: int = 2
    threads: int = 2
    max_batch_tokens: int = 2048
    max_input_tokens: int = 200  # longer inputs are split into chunks, never truncated
    max_decoding_length: int = 256
    length_penalty: float = 1.0

    def key(self) -> str:
        # threads/device/batching change speed, not results (compute type and beam do)
        return f"ct={self.compute_type};beam={self.beam_size};maxin={self.max_input_tokens};" \
               f"maxdec={self.max_decoding_length};lp={self.length_penalty}"


def length_batches(lengths: Sequence[int], max_batch_tokens: int) -> list[list[int]]:
    """Indices grouped into batches of similar length, each under ``max_batch_tokens``.

    Sorting by length keeps padding low; a batch costs ``count * longest``.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        longest = max(lengths[i], 1)  # sorted: the new item is the longest
        if cur and (len(cur) + 1) * longest > max_batch_tokens:
            batches.append(cur)
            cur = []
        cur.append(i)
    if cur:
        batches.append(cur)
    return batches


class CTranslate2Translator(Translator):
    """A CTranslate2 model with its SentencePiece tokenizer(s); loads on first use."""

    def __init__(self, package: ModelPackage | Path | str, options: EngineOptions | None = None):
        self.package = package if isinstance(package, ModelPackage) else open_package(Path(package))
        self.options = options or EngineOptions()
        self.src_lang = self.package.from_code
        self.tgt_lang = self.package.to_code
        self._lock = threading.Lock()
        self._model: Any = None
        self._sp_src: Any = None
        self._sp_tgt: Any = None
        self._hash: str | None = None

    @property
    def name(self) -> str:
        return self.package.name

    @property
    def model_hash(self) -> str:
        if self._hash is None:
            self._hash = package_hash(self.package)
        return self._hash

    @property
    def options_key(self) -> str:
        return self.options.key()

    # -- loading -------------------------------------------------------------
    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            import ctranslate2
            import sentencepiece as spm

            pkg = self.package
            sps = []
            for path in (pkg.source_sp, pkg.target_sp):
                try:
                    sps.append(spm.SentencePieceProcessor(model_file=str(path)))
                except (OSError, RuntimeError) as exc:
                    raise ModelError(f"{path}: not a usable SentencePiece model ({exc})") from exc
            for sp, side, path in ((sps[0], "source", pkg.source_sp), (sps[1], "target", pkg.target_sp)):
                check_vocabulary(sp, read_vocabulary(pkg.model_dir, side), path, pkg.model_dir)
            try:
                model = ctranslate2.Translator(
                    str(pkg.model_dir), device=self.options.device, compute_type=self.options.compute_type,
                    inter_threads=1, intra_threads=self.options.threads)
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelError(f"{pkg.model_dir}: CTranslate2 cannot load the model ({exc})") from exc
            self._sp_src, self._sp_tgt, self._model = sps[0], sps[1], model

    @property
    def loaded(self) -> bool:
        return self._model is not None

    # -- translation ---------------------------------------------------------
    def translate(self, sentences: Sequence[str]) -> list[str]:
        if not sentences:
            return []
        self._load()
        opts = self.options
        # every sentence becomes one or more chunks of at most max_input_tokens pieces
        chunks: list[list[str]] = []
        owner: list[int] = []
        for i, s in enumerate(sentences):
            pieces = self._sp_src.encode(s.strip(), out_type=str) if s.strip() else []
            for chunk in split_pieces(pieces, opts.max_input_tokens) if pieces else []:
                chunks.append(chunk)
                owner.append(i)
        outputs: list[list[str]] = [[] for _ in chunks]
        for batch in length_batches([len(c) for c in chunks], opts.max_batch_tokens):
            results = self._model.translate_batch(
                [chunks[i] for i in batch], beam_size=opts.beam_size, max_batch_size=0,
                max_decoding_length=opts.max_decoding_length, length_penalty=opts.length_penalty)
            for i, r in zip(batch, results):
                outputs[i] = r.hypotheses[0]
        parts: list[list[str]] = [[] for _ in sentences]
        for i, pieces in zip(owner, outputs):
            parts[i].append(self._sp_tgt.decode(pieces))
        return [" ".join(p for p in ps if p) for ps in parts]

    # -- forced decoding -----------------------------------------------------
    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[ScoreResult]:
        """Forced-decoding log-probabilities of each target given its source.

        A pair with an empty source or target gets an empty result (no tokens).
        """
        if len(sources) != len(targets):
            raise ValueError("sources and targets differ in length")
        if not sources:
            return []
        self._load()
        opts = self.options
        src = [self._sp_src.encode(s, out_type=str) for s in sources]
        tgt = [self._sp_tgt.encode(t, out_type=str) for t in targets]
        results: list[ScoreResult | None] = [None] * len(sources)
        # an empty side leaves nothing to score (CTranslate2 would report 0.0, "certain")
        todo = [i for i in range(len(sources)) if src[i] and tgt[i]]
        for i in set(range(len(sources))) - set(todo):
            results[i] = ScoreResult(tokens=[], words=[], mean_logprob=0.0)
        lengths = [max(len(src[i]), len(tgt[i])) for i in todo]
        for sub in length_batches(lengths, opts.max_batch_tokens):
            batch = [todo[k] for k in sub]
            scored = self._model.score_batch([src[i] for i in batch], [tgt[i] for i in batch], max_batch_size=0)
            for i, r in zip(batch, scored):
                tokens = list(zip(r.tokens, (float(x) for x in r.log_probs)))
                n = len(tgt[i])  # the last scored token is </s>
                words = aggregate_words(tgt[i], [lp for _, lp in tokens[:n]], targets[i])
                mean = sum(lp for _, lp in tokens) / len(tokens) if tokens else 0.0
                results[i] = ScoreResult(tokens=tokens, words=words, mean_logprob=mean)
        return [r for r in results if r is not None]

    # -- alignment -----------------------------------------------------------
    def align(self, sources: Sequence[str], targets: Sequence[str]) -> list[list[WordLink] | None]:
        """Word links from the attention of the alignment layer, the target forced as prefix."""
        if len(sources) != len(targets):
            raise ValueError("sources and targets differ in length")
        if not sources:
            return []
        self._load()
        src = [self._sp_src.encode(s, out_type=str) for s in sources]
        tgt = [self._sp_tgt.encode(t, out_type=str) for t in targets]
        out: list[list[WordLink] | None] = [None] * len(sources)
        lengths = [max(len(a), len(b)) for a, b in zip(src, tgt)]
        for batch in length_batches(lengths, self.options.max_batch_tokens):
            try:
                results = self._model.translate_batch(
                    [src[i] for i in batch], target_prefix=[tgt[i] for i in batch], beam_size=1,
                    return_attention=True, max_batch_size=0,
                    max_decoding_length=max(len(tgt[i]) for i in batch) + 1)
            except (RuntimeError, ValueError):  # the model has no usable alignment layer
                continue
            for i, r in zip(batch, results):
                if r.attention:
                    out[i] = _word_links(src[i], tgt[i], r.attention[0], sources[i], targets[i])
        return out


def _piece_words(pieces: list[str], text: str) -> list[int | None]:
    """Index (in mtcheck.text.words(text)) of the word each piece falls in."""
    surface, spans = piece_spans(pieces)
    omap = offset_map(surface, text)
    ws = text_words(text)
    result: list[int | None] = []
    for s, e in spans:
        idx = None
        if s < e:
            os_, oe = omap[s], omap[e]
            idx = next((k for k, w in enumerate(ws) if w.start < oe and os_ < w.end), None)
        result.append(idx)
    return result


def _word_links(src: list[str], tgt: list[str], attention: list[list[float]],
                source: str, target: str) -> list[WordLink]:
    src_words, tgt_words = text_words(source), text_words(target)
    src_of, tgt_of = _piece_words(src, source), _piece_words(tgt, target)
    links: set[tuple[int, int]] = set()
    for t, row in enumerate(attention[: len(tgt)]):
        if tgt_of[t] is None or not row:
            continue
        # the most attended source piece that is part of a word (not punctuation)
        cands = [k for k in range(min(len(row), len(src))) if src_of[k] is not None]
        if cands:
            s = max(cands, key=lambda k: row[k])
            links.add((src_of[s], tgt_of[t]))
    return [WordLink(src_words[a].start, src_words[a].end, tgt_words[b].start, tgt_words[b].end)
            for a, b in sorted(links, key=lambda x: (x[1], x[0]))]


def check_vocabulary(sp: Any, vocab: list[str], sp_path: Path, model_dir: Path, tolerance: float = 0.02) -> None:
    """Fail when the SentencePiece model does not belong to the CTranslate2 vocabulary.

    Every normal piece of the SentencePiece model should be in the model's
    vocabulary; a few missing (``tolerance``) are accepted because some
    converters drop rare pieces.
    """
    known = set(vocab)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())
              if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_unused(i) or sp.is_byte(i))]
    missing = [p for p in pieces if p not in known]
    if pieces and len(missing) > tolerance * len(pieces):
        raise ModelError(
            f"{model_dir}: vocabulary does not match the SentencePiece model {sp_path.name} "
            f"({len(missing)} of {len(pieces)} pieces unknown to the model, e.g. {missing[:3]})")
