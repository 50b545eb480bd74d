"""The one pipeline every command shares.

read → segment → language checks → embed (once per sentence) → align →
back-translate/score (optional models) → checks → quality scores → summary.

``iter_check`` yields one ``DocumentResult`` at a time so large corpora can be
written incrementally; ``run_check`` collects them into a ``Report``.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from mtcheck import __version__
from mtcheck.data import (
    AlignedPair,
    DocumentPair,
    DocumentResult,
    Flag,
    Link,
    ModelInfo,
    Report,
    Segment,
    SegmentResult,
    Severity,
    Signature,
    Span,
    WordTag,
)
from mtcheck.errors import ConfigError

#: Default label thresholds on the 0-100 score: >= good → good, >= review → review, else bad.
DEFAULT_LABELS = {"good": 70.0, "review": 45.0}


@dataclass
class Settings:
    """Everything that changes what a run computes (and so goes into the signature)."""

    src_lang: str = "ru"
    tgt_lang: str = "en"
    enable: list[str] | None = None  # None: every check enabled by default
    disable: list[str] = field(default_factory=list)
    check_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    model: str | None = None  # e.g. "en-ru" or "en-ru,ru-en" or a path
    models_home: Path | None = None
    cache_dir: Path | None = None  # None: no disk cache
    threads: int = 2
    compute_type: str = "int8"
    labels: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    qe_variant: str = "auto"
    #: The MT system's own log-probabilities (mtcheck.logprobs.SegmentLogprobs) by
    #: (document id, MT segment index); see ``logprobs_by_segment``.
    mt_logprobs: dict[tuple[str, int], Any] | None = None
    likely_error_min_p: float | None = None  # None: the word model's BAD threshold
    align: dict[str, Any] = field(default_factory=dict)

    def signature_settings(self) -> dict[str, Any]:
        return {
            "checks": sorted(self.enabled_checks()),
            "labels": f"good>={self.labels['good']:g},review>={self.labels['review']:g}",
            "likely-error": "bad-threshold" if self.likely_error_min_p is None else self.likely_error_min_p,
        }

    def enabled_checks(self) -> list[str]:
        from mtcheck.checks.base import registry

        reg = registry()
        for name in [*(self.enable or []), *self.disable]:
            if name not in reg:
                raise ConfigError("checks", f"unknown check {name!r} (known: {', '.join(sorted(reg))})")
        if self.enable is not None:
            names = list(self.enable)
        else:
            names = [n for n, cls in reg.items() if cls.enabled_by_default]
        return [n for n in names if n not in self.disable]


@dataclass
class Engines:
    """Run-wide engines and resources, created once per run."""

    store: Any  # EmbeddingStore
    resources: Any  # checks.base.Resources
    checks: list[Any]
    qe: Any | None
    backtranslator: Any | None
    forward: Any | None
    notes: list[str]
    models: list[ModelInfo]


Progress = Callable[[str, int, int | None], None]  # (stage, advance, total)


def build_engines(settings: Settings, progress: Progress | None = None, with_qe: bool = True) -> Engines:
    """Create the embedder, resources, checks, QE models and translators (all lazy)."""
    from mtcheck.cache import SqliteCache
    from mtcheck.checks.base import Resources, registry
    from mtcheck.embed import E5Embedder, EmbeddingStore

    notes: list[str] = []
    cache = SqliteCache(settings.cache_dir / "embeddings.sqlite") if settings.cache_dir else None
    embedder = E5Embedder(num_threads=settings.threads)
    store = EmbeddingStore(embedder, cache, progress=(lambda n: progress("embed", n, None)) if progress else None)
    models = [ModelInfo("embedder", embedder.name, embedder.model_hash)]

    backtranslator = forward = None
    if settings.model:
        from mtcheck.translate import resolve_models

        backtranslator, forward, model_notes = resolve_models(
            settings.model, settings.models_home, settings.cache_dir, settings.threads, settings.compute_type
        )
        notes.extend(model_notes)
        for role, tr in (("backtranslation", backtranslator), ("forward", forward)):
            if tr is not None:
                models.append(ModelInfo(role, tr.name, tr.model_hash))

    resources = Resources(src_lang=settings.src_lang, tgt_lang=settings.tgt_lang, embeddings=store,
                          backtranslator=backtranslator, forward=forward)
    _register_resource_loaders(resources, settings)

    reg = registry()
    checks = []
    for name in settings.enabled_checks():
        opts = settings.check_options.get(name, {})
        checks.append(reg[name](**opts))
    for check in checks:  # load what the checks use now, so the signature is complete before any work
        for res_name in check.uses:
            resources.get(res_name)

    qe = None
    if with_qe:
        from mtcheck.qe import load_models

        qe = load_models(
            variant=settings.qe_variant,
            # Only the MT system's own log-probabilities match what the variant was trained on.
            has_logprobs=bool(settings.mt_logprobs),
            has_backtranslation=backtranslator is not None,
            has_dictionary=resources.get("dictionary") is not None,
        )
        models.extend(qe.model_infos())
        notes.extend(qe.notes)
    return Engines(store, resources, checks, qe, backtranslator, forward, notes, models)


def _register_resource_loaders(resources: Any, settings: Settings) -> None:
    """Optional resources: each loader raises ResourceUnavailable when absent."""
    def idioms():
        from mtcheck.lexicon import Lexicon

        return Lexicon.load()

    def dictionary():
        from mtcheck.dictionary import load_dictionary_resource

        return load_dictionary_resource(settings.cache_dir)

    def hunspell():
        from mtcheck.spelling import load_speller

        return load_speller()

    resources.loaders.update({"idioms": idioms, "dictionary": dictionary, "hunspell": hunspell})


def run_check(doc_pairs: Iterable[DocumentPair], settings: Settings, progress: Progress | None = None,
              engines: Engines | None = None) -> Report:
    """Check every document pair and return the whole report."""
    engines = engines or build_engines(settings, progress)
    docs = list(iter_check(doc_pairs, settings, engines, progress))
    report = Report(signature=make_signature(settings, engines), documents=docs, notes=list(engines.notes))
    from mtcheck.report.json_report import aggregate_summaries

    report.summary = aggregate_summaries([d.summary for d in docs],
                                         [r.score for d in docs for r in d.segments if r.score is not None])
    report.notes.extend(_resource_notes(engines))
    return report


def make_signature(settings: Settings, engines: Engines) -> Signature:
    models = list(engines.models)
    for name in ("idioms", "dictionary"):
        res = engines.resources._loaded.get(name)
        if res is not None and getattr(res, "sha256", None):
            models.append(ModelInfo("lexicon" if name == "idioms" else name, name, res.sha256,
                                    getattr(res, "version", None)))
    return Signature(version=__version__, src_lang=settings.src_lang, tgt_lang=settings.tgt_lang,
                     settings=settings.signature_settings(), models=models)


def _resource_notes(engines: Engines) -> list[str]:
    return [f"resource {name} unavailable: {why}" for name, why in sorted(engines.resources.missing.items())]


#: Pre-aligned documents (TSV, TMX, line files...) are checked in parts of this many units,
#: so that memory stays bounded however many units one file holds.
PART_UNITS = 1000


def iter_check(doc_pairs: Iterable[DocumentPair], settings: Settings, engines: Engines,
               progress: Progress | None = None) -> Iterator[DocumentResult]:
    """Check document pairs one at a time; each result holds the whole document."""
    for dp in doc_pairs:
        t0 = time.perf_counter()
        parts = list(iter_parts(dp, settings, engines, progress))
        result = merge_parts(parts)
        result.summary["seconds"] = round(time.perf_counter() - t0, 3)
        if progress:
            progress("documents", 1, None)
        yield result


def iter_parts(dp: DocumentPair, settings: Settings, engines: Engines,
               progress: Progress | None = None, part_units: int | None = None) -> Iterator[DocumentResult]:
    """Check one document pair, in parts of ``part_units`` units when it is pre-aligned.

    Every part is a ``DocumentResult`` of the same document whose segments (and
    their link ids and indices) are numbered as in the whole document; only
    the first part carries the document's language report, document flags and
    sentence lists. Documents that need the aligner are checked whole.
    """
    part_units = part_units or PART_UNITS
    if not dp.aligned or len(dp.src_segments) <= part_units:
        yield check_document(dp, settings, engines)
        return
    done = 0
    for k in range(0, len(dp.src_segments), part_units):
        part = DocumentPair(id=dp.id, src=dp.src, mt=dp.mt, aligned=True, input_format=dp.input_format,
                            src_segments=dp.src_segments[k:k + part_units],
                            mt_segments=dp.mt_segments[k:k + part_units])
        res = check_document(part, settings, engines, languages=k == 0)
        for seg in res.segments:
            pair = seg.pair
            pair.index += done
            pair.link = Link(tuple(i + k for i in pair.link.src), tuple(j + k for j in pair.link.tgt), pair.link.score)
        done += len(res.segments)
        if k:
            res.src_sentences, res.mt_sentences = [], []
        else:
            res.src_sentences, res.mt_sentences = dp.src_segments, dp.mt_segments
        if progress:
            progress("units", len(part.src_segments), len(dp.src_segments))
        yield res


def merge_parts(parts: list[DocumentResult]) -> DocumentResult:
    """One document result from the parts ``iter_parts`` gave."""
    if len(parts) == 1:
        return parts[0]
    whole = parts[0]
    for part in parts[1:]:
        whole.segments.extend(part.segments)
    whole.summary = summarize_segments(whole.segments, whole.document_flags)
    whole.summary["source_sentences"] = len(whole.src_sentences)
    whole.summary["mt_sentences"] = len(whole.mt_sentences)
    return whole


def segment_pair(dp: DocumentPair) -> tuple[list[Segment], list[Segment]]:
    """Sentences of both sides, kept on ``dp`` (unit inputs come pre-segmented)."""
    if not (dp.src_segments or dp.mt_segments or dp.aligned):
        from mtcheck.segment import segment_document

        dp.src_segments, dp.mt_segments = segment_document(dp.src), segment_document(dp.mt)
    return dp.src_segments, dp.mt_segments


def logprobs_by_segment(doc_pairs: list[DocumentPair], logprobs: list[Any]) -> dict[tuple[str, int], Any]:
    """Give each MT segment its line of log-probabilities (one line per MT unit, in input order)."""
    segments = [(dp.id, seg.index) for dp in doc_pairs for seg in dp.mt_segments]
    return dict(zip(segments, logprobs))


def _check_languages(dp: DocumentPair, settings: Settings, result: DocumentResult) -> None:
    """Language reports of both sides, and a document flag for a swapped or untranslated pair."""
    from mtcheck import langcheck
    from mtcheck.data import flag_fingerprint

    src_lang, mt_lang, problem = langcheck.check_pair(dp.src.text, dp.mt.text, settings.src_lang, settings.tgt_lang)
    result.languages = {"source": src_lang, "mt": mt_lang}
    if problem:
        flag = Flag(
            check="language", category="accuracy/untranslated" if "untranslated" in problem else "other/likely-error",
            severity=Severity.CRITICAL, confidence=max(src_lang.confidence, mt_lang.confidence, 0.5), message=problem,
            evidence={"source": src_lang.detected, "mt": mt_lang.detected,
                      "source_script_share": round(src_lang.script_share, 3),
                      "mt_script_share": round(mt_lang.script_share, 3)})
        flag.fingerprint = flag_fingerprint(dp.id, flag)
        result.document_flags.append(flag)


def check_document(dp: DocumentPair, settings: Settings, engines: Engines, languages: bool = True) -> DocumentResult:
    """Check one document pair (``languages=False`` skips the document-level language check)."""
    src_sents, mt_sents = segment_pair(dp)
    result = DocumentResult(id=dp.id, src=dp.src, mt=dp.mt, input_format=dp.input_format,
                            src_sentences=src_sents, mt_sentences=mt_sents)
    if languages:
        _check_languages(dp, settings, result)

    store = engines.store
    store.prefetch([s.text for s in src_sents] + [s.text for s in mt_sents])
    sentence_bts = _backtranslate_sentences(mt_sents, engines)
    links = document_links(dp, settings, engines, sentence_bts)
    from mtcheck.align import aligned_pairs

    pairs = aligned_pairs(dp, links)
    if dp.aligned:  # a unit empty on one side: the gap is where that empty unit is (same unit id)
        for pair in pairs:
            if pair.is_omission:
                pair.mt_start = dp.mt_segments[pair.link.src[0]].start
            elif pair.is_addition:
                pair.src_start = dp.src_segments[pair.link.tgt[0]].start

    src_texts = [p.src_text for p in pairs]
    mt_texts = [p.mt_text for p in pairs]
    src_vecs = store.vectors(src_texts)
    mt_vecs = store.vectors(mt_texts)

    from mtcheck.checks.base import PairContext

    ctxs = [PairContext(pair=p, resources=engines.resources, src_vec=sv, mt_vec=mv)
            for p, sv, mv in zip(pairs, src_vecs, mt_vecs)]
    results = [SegmentResult(pair=p) for p in pairs]
    _apply_models(pairs, ctxs, results, settings, engines, dp, sentence_bts)

    gaps = _gap_evidence(dp, links, store)
    for i, (pair, ctx) in enumerate(zip(pairs, ctxs)):
        local: list[Flag] = []
        if pair.is_omission or pair.is_addition:
            from mtcheck.align.flags import gap_flags

            local.extend(gap_flags(pair, gaps.get(i)))
        else:
            for check in engines.checks:
                local.extend(check.check_pair(pair, ctx))
        results[i].flags.extend(local)
    for check in engines.checks:
        for idx, flag in check.check_document(pairs, ctxs):
            results[idx].flags.append(flag)

    _raise_in_quotes(pairs, results, settings)
    _score(pairs, ctxs, results, src_vecs, mt_vecs, settings, engines)

    for res in results:
        res.flags = sorted((f.absolute(res.pair) for f in res.flags),
                           key=lambda f: (-f.severity.rank, f.mt_span.start if f.mt_span else -1))
    result.segments = results
    result.summary = summarize_segments(results, result.document_flags)
    result.summary["source_sentences"] = len(src_sents)
    result.summary["mt_sentences"] = len(mt_sents)
    return result


def document_links(dp: DocumentPair, settings: Settings, engines: Engines,
                   sentence_bts: list[str] | None = None) -> list[Link]:
    """Links between sentences: one to one for pre-aligned inputs, else the aligner
    (with back-translation chrF as extra similarity when a model is configured)."""
    if dp.aligned:
        # A unit empty on one side is an omission (or addition), like a 1-0 (0-1) link.
        return [Link((i,) if s.text.strip() else (), (i,) if m.text.strip() else (), 1.0)
                for i, (s, m) in enumerate(zip(dp.src_segments, dp.mt_segments)) if s.text.strip() or m.text.strip()]
    from mtcheck.align import AlignConfig, align_document, backtranslation_sim

    config = AlignConfig(**settings.align) if settings.align else None
    extra = backtranslation_sim([s.text for s in dp.src_segments], sentence_bts) if sentence_bts else None
    return align_document(dp, engines.store, config=config, extra_sim=extra)


def _backtranslate_sentences(mt_sents: list[Segment], engines: Engines) -> list[str] | None:
    """Back-translation of every MT sentence (once; pairs join their sentences')."""
    if engines.backtranslator is None or not mt_sents:
        return None
    return engines.backtranslator.translate([s.text for s in mt_sents])


def _gap_evidence(dp: DocumentPair, links: list[Link], store: Any) -> dict[int, dict[str, Any]]:
    if not any(not (lk.src and lk.tgt) for lk in links):
        return {}
    from mtcheck.align import gap_evidence

    src = [s.text for s in dp.src_segments]
    mt = [s.text for s in dp.mt_segments]
    return gap_evidence(links, store.vectors(src), store.vectors(mt), src, mt)


def _apply_models(pairs: list[AlignedPair], ctxs: list[Any], results: list[SegmentResult], settings: Settings,
                  engines: Engines, dp: DocumentPair, sentence_bts: list[str] | None) -> None:
    """Back-translation, its metrics, and MT word log-probabilities (from a model or a file)."""
    both = [i for i, p in enumerate(pairs) if p.src_text and p.mt_text]
    if sentence_bts is not None and both:
        from mtcheck.translate.metrics import backtranslation_metrics

        bts = [" ".join(sentence_bts[j] for j in pairs[i].link.tgt) for i in both]
        for i, bt in zip(both, bts):
            ctxs[i].backtranslation = bt
            results[i].backtranslation = bt
            for k, v in backtranslation_metrics(bt, pairs[i].src_text).items():
                results[i].metrics[f"bt_{k}"] = v
    if engines.forward is not None and both:
        scores = engines.forward.score([pairs[i].src_text for i in both], [pairs[i].mt_text for i in both])
        for i, sc in zip(both, scores):
            ctxs[i].mt_word_logprobs = sc.word_logprobs()
            results[i].metrics["mt_mean_logprob"] = sc.mean_logprob
    if settings.mt_logprobs is not None and dp.aligned:
        # The MT system's own log-probabilities (one line per MT unit, across documents and parts
        # in input order) feed the QE variant; a forward model's scores, if any, stay for the checks.
        from mtcheck.logprobs import as_context_tuples, word_logprobs

        for i, pair in enumerate(pairs):
            seg_lp = settings.mt_logprobs.get((dp.id, pair.mt_segments[0].index)) if pair.mt_segments else None
            if seg_lp is not None:
                ctxs[i].cache["segment_logprobs"] = seg_lp
                if ctxs[i].mt_word_logprobs is None:
                    ctxs[i].mt_word_logprobs = as_context_tuples(word_logprobs(pair.mt_text, seg_lp))


def _raise_in_quotes(pairs: list[AlignedPair], results: list[SegmentResult], settings: Settings) -> None:
    """A wrong quote misreports what a person said: raise accuracy errors inside quotes."""
    try:
        from mtcheck.quotes import find_quotes
    except ImportError:
        return
    for pair, res in zip(pairs, results):
        todo = [f for f in res.flags if not f.in_quote and (f.category.startswith("accuracy/")
                                                             or f.category == "style/literal-idiom")]
        if not todo:
            continue
        mt_q = [Span(q.start, q.end) for q in find_quotes(pair.mt_text, settings.tgt_lang)] if pair.mt_text else []
        src_q = [Span(q.start, q.end) for q in find_quotes(pair.src_text, settings.src_lang)] if pair.src_text else []
        for f in todo:
            inside = (f.mt_span is not None and any(_within(f.mt_span, q) for q in mt_q)) or \
                     (f.src_span is not None and any(_within(f.src_span, q) for q in src_q))
            if inside:
                f.in_quote = True
                f.severity = f.severity.raised()
                f.evidence.setdefault("severity_raised", "inside quoted speech")


def _within(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _score(pairs: list[AlignedPair], ctxs: list[Any], results: list[SegmentResult], src_vecs: np.ndarray,
           mt_vecs: np.ndarray, settings: Settings, engines: Engines) -> None:
    """Sentence scores, labels and word tags; BAD words outside flags become likely-error spans."""
    for res, sv, mv in zip(results, src_vecs, mt_vecs):
        if res.pair.src_text and res.pair.mt_text:
            res.metrics["cosine"] = float(np.dot(sv, mv))
    idx = [i for i, p in enumerate(pairs) if p.src_text and p.mt_text]
    for i, p in enumerate(pairs):
        if not (p.src_text and p.mt_text):
            results[i].score, results[i].label = 0.0, "bad"
    if engines.qe is None or not idx:
        return
    qe = engines.qe
    extras = []
    for i in idx:
        extra: dict[str, Any] = dict(results[i].metrics)
        if "segment_logprobs" in ctxs[i].cache:
            extra["mt_logprobs"] = ctxs[i].cache["segment_logprobs"]
        extras.append(extra)
    flags = [results[i].flags for i in idx]
    src_t = [pairs[i].src_text for i in idx]
    mt_t = [pairs[i].mt_text for i in idx]
    scores = qe.score_pairs(src_t, mt_t, src_vecs[idx], mt_vecs[idx], flags, extras)
    tags = qe.tag_words(src_t, mt_t, src_vecs[idx], mt_vecs[idx], extras=extras)
    threshold = float(qe.word.threshold)
    min_p = threshold if settings.likely_error_min_p is None else settings.likely_error_min_p
    for i, score, words in zip(idx, scores, tags):
        res = results[i]
        res.score = float(score)
        res.label = label_for(res.score, settings.labels)
        covered = [f.mt_span for f in res.flags if f.mt_span is not None]
        run: list[tuple[int, int, str, float]] = []
        for start, end, word, p_bad in words:
            tag = "BAD" if p_bad >= threshold else "OK"
            res.word_tags.append(WordTag(start + res.pair.mt_start, end + res.pair.mt_start, word, tag, float(p_bad)))
            span = Span(start, end)
            if p_bad >= min_p and not any(span.overlaps(c) for c in covered):
                run.append((start, end, word, p_bad))
            elif run:
                res.flags.append(_likely_error(run))
                run = []
        if run:
            res.flags.append(_likely_error(run))


def _likely_error(run: list[tuple[int, int, str, float]]) -> Flag:
    p = max(r[3] for r in run)
    return Flag(check="word-qe", category="other/likely-error", severity=Severity.MINOR, confidence=p,
                message="Words the word-level quality model marks as likely wrong",
                mt_span=Span(run[0][0], run[-1][1]),
                evidence={"p_bad": {r[2]: round(r[3], 3) for r in run}})


def label_for(score: float, labels: dict[str, float]) -> str:
    if score >= labels["good"]:
        return "good"
    if score >= labels["review"]:
        return "review"
    return "bad"


def summarize_segments(results: list[SegmentResult], doc_flags: list[Flag] | None = None) -> dict[str, Any]:
    flags = [f for r in results for f in r.flags] + list(doc_flags or [])
    sev = Counter(f.severity.value for f in flags)
    scores = [r.score for r in results if r.score is not None]
    labels = Counter(r.label for r in results if r.label)
    return {
        "segments": len(results),
        "flags": len(flags),
        "flags_by_severity": {k: sev.get(k, 0) for k in ("minor", "major", "critical")},
        "flags_by_category": dict(sorted(Counter(f.category for f in flags).items())),
        "labels": {k: labels.get(k, 0) for k in ("good", "review", "bad")},
        "mean_score": round(float(np.mean(scores)), 2) if scores else None,
        "bad_share": round(labels.get("bad", 0) / len(results), 4) if results else None,
        "omissions": sum(1 for r in results if r.pair.is_omission),
        "additions": sum(1 for r in results if r.pair.is_addition),
    }
