"""The shipped QE models: loading, an independent numpy check, behaviour on real pairs."""

from __future__ import annotations

import csv
import hashlib

import numpy as np
import pytest

from mtcheck.errors import ConfigError
from mtcheck.qe import DEFAULT_THRESHOLDS, label, load_models
from mtcheck.qe.models import ARTEFACTS
from tests.conftest import SHARED
from tests.resources import require

DA = SHARED / "data" / "mlqe-pe-ru-en" / "da"

GOOD = ("Ласковое слово лучше мягкого пирога.", "A kind word is better than a soft pie.")
PAIRS = [
    ("Вчера в Москве шёл сильный дождь.", "It rained heavily in Moscow yesterday."),
    ("Мой брат купил новую машину в прошлом году.", "My brother bought a new car last year."),
    ("Президент подписал закон о налогах 12 мая.", "The president signed the tax law on May 12."),
    ("Она любит читать книги по вечерам.", "She likes to read books in the evenings."),
    ("Этот город известен своими старыми церквями.", "This city is famous for its old churches."),
    ("Дети играли в саду до самого вечера.", "The children played in the garden until the evening."),
]


@pytest.fixture(scope="module")
def models():
    return load_models("base")


def _vecs(store, pairs):
    return store.vectors([s for s, _ in pairs]), store.vectors([m for _, m in pairs])


def test_artefacts_are_small_pickle_free_and_hashed(models):
    files = sorted(p for p in ARTEFACTS.iterdir() if p.is_file())
    assert sum(p.stat().st_size for p in files) <= 5 * 1024 * 1024
    for p in files:
        if p.suffix == ".npz":
            with np.load(p, allow_pickle=False) as z:  # raises on any pickled (object) member
                assert all(not z[k].dtype.hasobject for k in z.files)
    infos = models.model_infos()
    by_role = {i.role: i for i in infos}
    assert by_role["qe-sentence"].sha256 == hashlib.sha256(models.sentence.path.read_bytes()).hexdigest()
    assert by_role["qe-word"].name.endswith("-base") and by_role["qe-word"].version


def test_sentence_score_matches_an_independent_numpy_path(models, store):
    pairs = [GOOD] + PAIRS[:3]
    U, V = _vecs(store, pairs)
    z = models.predict_z([s for s, _ in pairs], [m for _, m in pairs], U, V)
    # recompute from the raw arrays: standardise, the layers with ReLU between, then 0-100
    with np.load(models.sentence.path, allow_pickle=False) as npz:
        arr = {k: npz[k] for k in npz.files}
    from mtcheck.qe.features import analyse, sentence_scalars, sentence_vector

    X = []
    for (s, m), u, v in zip(pairs, U, V):
        cos = float(u @ v) / float(np.linalg.norm(u) * np.linalg.norm(v))
        X.append(sentence_vector(sentence_scalars(s, m, cos, analyse(s, m, models.lexicon)), u, v,
                                 models.sentence.scalar_names))
    outs = []
    for member in models.sentence.meta["members"]:  # the score is the members' mean
        h = (np.array(X) - arr["mean"]) / arr["std"]
        n, pre = member["n_layers"], member["prefix"]
        for i in range(n):
            h = h @ arr[f"{pre}W{i}"] + arr[f"{pre}b{i}"]
            h = np.maximum(h, 0) if i < n - 1 else h
        outs.append(h[:, 0])
    h = np.mean(outs, axis=0)[:, None]
    np.testing.assert_allclose(z, h[:, 0], rtol=1e-4, atol=1e-4)
    a, b = models.sentence.meta["z_to_da"]
    scores = models.score_pairs([s for s, _ in pairs], [m for _, m in pairs], U, V)
    np.testing.assert_allclose(scores, np.clip(a * h[:, 0] + b, 0, 100), atol=1e-3)


def test_good_translations_beat_wrong_ones_and_scores_are_deterministic(models, store):
    bad = [(s, m) for (s, _), (_, m) in zip(PAIRS, PAIRS[1:] + PAIRS[:1])]  # each source with another's MT
    literal = ("Ласковое слово лучше мягкого пирога.", "Affectionate word better soft pie of.")
    U, V = _vecs(store, PAIRS + bad + [GOOD, literal])
    srcs = [s for s, _ in PAIRS + bad + [GOOD, literal]]
    mts = [m for _, m in PAIRS + bad + [GOOD, literal]]
    s1 = models.score_pairs(srcs, mts, U, V)
    s2 = models.score_pairs(srcs, mts, U, V)
    assert s1 == s2
    assert all(0 <= x <= 100 for x in s1)
    n = len(PAIRS)
    good, wrong = np.array(s1[:n]), np.array(s1[n:2 * n])
    assert (good > wrong).all(), (good, wrong)
    assert good.mean() - wrong.mean() > 20
    assert s1[-2] > s1[-1]  # fluent translation above broken word salad of the same source


def test_shuffled_real_pairs_score_low(models, store):
    require((DA / "dev.ruen.df.short.tsv").exists(), "MLQE-PE ru-en data")
    with open(DA / "dev.ruen.df.short.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[:40]
    src, mt = [r["original"] for r in rows], [r["translation"] for r in rows]
    U, V = store.vectors(src), store.vectors(mt)
    true = np.array(models.score_pairs(src, mt, U, V))
    perm = np.roll(np.arange(len(rows)), 7)
    shuf = np.array(models.score_pairs(src, [mt[i] for i in perm], U, V[perm]))
    assert np.median(shuf) < np.median(true) - 20
    assert (shuf < true).mean() > 0.9
    # higher human scores go with higher predicted scores
    z = np.array([float(r["z_mean"]) for r in rows])
    assert np.corrcoef(true, z)[0, 1] > 0.3


def test_word_tags_cover_every_token_and_flag_inserted_nonsense(models, store):
    src = "Вчера в Москве шёл сильный дождь."
    ok = "It rained heavily in Moscow yesterday."
    noisy = "It rained heavily in Moscow yesterday pineapple helicopter saxophone."
    U, V = store.vectors([src, src]), store.vectors([ok, noisy])
    tags = models.tag_words([src, src], [ok, noisy], U, V)
    for text, tt in zip([ok, noisy], tags):
        assert [w for _s, _e, w, _p in tt] == [text[s:e] for s, e, _w, _p in tt]
        assert all(0.0 <= p <= 1.0 for *_, p in tt)
    p_noisy = {w: p for _s, _e, w, p in tags[1]}
    inserted = np.mean([p_noisy[w] for w in ("pineapple", "helicopter", "saxophone")])
    kept = np.mean([p_noisy[w] for w in ("rained", "Moscow", "yesterday")])
    assert inserted > kept
    assert tags == models.tag_words([src, src], [ok, noisy], U, V)


def test_labels_and_thresholds():
    assert label(DEFAULT_THRESHOLDS["good"]) == "good"
    assert label(DEFAULT_THRESHOLDS["bad"] - 0.01) == "bad"
    assert label((DEFAULT_THRESHOLDS["good"] + DEFAULT_THRESHOLDS["bad"]) / 2) == "review"
    assert label(60, {"good": 90, "bad": 10}) == "review"
    with pytest.raises(ConfigError):
        label(50, {"good": 10, "bad": 90})


def test_variant_choice_and_signature_names():
    auto = load_models("auto", has_logprobs=False)
    assert auto.variant == "base"
    lp = load_models("auto", has_logprobs=True)
    assert lp.variant == "logprobs" and lp.uses_logprobs
    assert {i.name for i in lp.model_infos()} != {i.name for i in auto.model_infos()}
    assert load_models("auto", has_backtranslation=True).notes
    with pytest.raises(ConfigError):
        load_models("nonsense")


def test_likely_error_spans_skip_flagged_words_and_merge_neighbours():
    from mtcheck.data import Flag, Severity, Span
    from mtcheck.qe.spans import likely_error_flags

    mt = "Come on jerking, he said, and left."
    tags = [(0, 4, "Come", 0.7), (5, 7, "on", 0.8), (8, 15, "jerking", 0.9), (15, 16, ",", 0.9),
            (17, 19, "he", 0.1), (20, 24, "said", 0.6), (24, 25, ",", 0.2), (26, 29, "and", 0.1),
            (30, 34, "left", 0.2), (34, 35, ".", 0.95)]
    flags = likely_error_flags(mt, tags, threshold=0.5)
    assert [(f.mt_span.start, f.mt_span.end) for f in flags] == [(0, 15), (20, 24)]
    assert mt[0:15] == "Come on jerking" and flags[0].confidence == 0.9
    assert all(f.severity is Severity.MINOR and f.category == "other/likely-error" for f in flags)
    idiom = Flag("idioms", "style/literal-idiom", Severity.MAJOR, 0.9, "literal idiom", mt_span=Span(0, 15))
    left = likely_error_flags(mt, tags, threshold=0.5, existing=[idiom])
    assert [(f.mt_span.start, f.mt_span.end) for f in left] == [(20, 24)]


def test_document_score_weights_segments_by_source_length():
    from mtcheck.qe import document_score

    src = ["Да.", "Это очень длинное предложение из восьми русских слов."]
    assert document_score([100.0, 0.0], src) == pytest.approx(100 / 9)
    assert document_score([None, 40.0], src) == pytest.approx(40.0)
    assert document_score([], []) is None


def test_omissions_and_additions(models, store):
    src, mt = PAIRS[0]
    U, V = store.vectors([src, src, ""]), store.vectors([mt, "", mt])
    scores = models.score_pairs([src, src, ""], [mt, "", mt], U, V)
    assert scores[0] > 0 and scores[1] == 0.0 and scores[2] == 0.0
    tags = models.tag_words([src, src, ""], [mt, "", mt], U, V)
    assert tags[1] == [] and all(p == 1.0 for *_, p in tags[2]) and len(tags[2]) == len(tags[0])
