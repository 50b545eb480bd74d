"""The sentence aligner on small hand-written Russian/English documents,
embedded with the real multilingual-e5-small through an EmbeddingStore."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from mtcheck.align import AlignConfig, align, align_document, aligned_pairs, gap_flags
from mtcheck.align.backtranslation import backtranslation_sim
from mtcheck.align.flags import gap_evidence
from mtcheck.align.output import alignment_to_dict, dumps, to_tsv, validate_alignment
from mtcheck.cache import SqliteCache
from mtcheck.data import Document, DocumentPair, Link, Segment, Severity
from mtcheck.embed import E5Embedder, EmbeddingStore

# Moscow rain: 1-1, 1-2 (split), 2-1 (merge), 1-0 (omission), 0-1 (addition)
RAIN_RU = [
    "Вчера в Москве прошёл сильный дождь.",
    "Многие улицы были затоплены, и движение на дорогах остановилось.",
    "Мэр Сергей Собянин провёл экстренное совещание.",
    "Он пообещал выделить 500 миллионов рублей на ремонт дорог.",
    "Жители жалуются, что ливнёвую канализацию не чистили годами.",
    "Синоптики ожидают, что дожди продлятся до пятницы.",
    "Температура опустится до 12 градусов.",
    "Власти советуют не выходить из дома без необходимости.",
]
RAIN_EN = [
    "Heavy rain fell in Moscow yesterday.",
    "Many streets were flooded.",
    "Traffic on the roads came to a standstill.",
    "Mayor Sergei Sobyanin held an emergency meeting and promised to allocate 500 million rubles "
    "for road repairs.",
    "Forecasters expect the rains to last until Friday.",
    "The city zoo has also opened a new exhibition of tropical birds.",
    "The temperature will drop to 12 degrees.",
    "The authorities advise people not to leave home unless necessary.",
]
# The MT back-translated into Russian (by hand), for the Bleualign-style similarity.
RAIN_BT = [
    "Вчера в Москве шёл сильный дождь.",
    "Многие улицы были затоплены.",
    "Движение на дорогах остановилось.",
    "Мэр Сергей Собянин провёл экстренное совещание и пообещал выделить 500 миллионов рублей на ремонт дорог.",
    "Синоптики ожидают, что дожди продлятся до пятницы.",
    "Городской зоопарк также открыл новую выставку тропических птиц.",
    "Температура опустится до 12 градусов.",
    "Власти советуют людям не выходить из дома без необходимости.",
]
RAIN_GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((4,), ()), ((5,), (4,)), ((), (5,)),
             ((6,), (6,)), ((7,), (7,))]

# A board decision: the sentence boundary moves, neither 1-1 pairing is a translation (2-2).
BOARD_RU = [
    "Вчера вечером, после долгого совещания, совет директоров «Северстали» решил закрыть завод в Туле.",
    "Рабочих переведут на предприятие в Череповце.",
    "Профсоюз назвал это решение несправедливым.",
]
BOARD_EN = [
    "The board of directors of Severstal met yesterday evening for a long meeting.",
    "It decided to close the plant in Tula and to transfer the workers to the factory in Cherepovets.",
    "The trade union called the decision unfair.",
]

# Two paragraphs; the MT moved the last sentence of the first paragraph into the second.
PARA_RU = ["Библиотека откроется после ремонта в марте.", "Читателям вернут залы на третьем этаже.",
           "Вход останется бесплатным.", "Записаться можно на сайте."]
PARA_EN = ["The library will reopen after renovation in March.",
           "The reading rooms on the third floor will be returned to readers.",
           "Admission will remain free.", "You can sign up on the website."]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> EmbeddingStore:
    cache = SqliteCache(tmp_path_factory.mktemp("emb") / "embeddings.sqlite")
    return EmbeddingStore(E5Embedder(num_threads=2), cache)


def run(store, src, tgt, **kw) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    links = align(store.vectors(src), store.vectors(tgt), src, tgt, embed_fn=store.vectors, **kw)
    assert_cover(links, len(src), len(tgt))
    return [(lk.src, lk.tgt) for lk in links]


def assert_cover(links: list[Link], n: int, m: int) -> None:
    assert [i for lk in links for i in lk.src] == list(range(n))
    assert [j for lk in links for j in lk.tgt] == list(range(m))


def test_one_to_one_split_merge_omission_addition(store):
    assert run(store, RAIN_RU, RAIN_EN) == RAIN_GOLD


@pytest.mark.parametrize("concat", ["sum", "lazy", "embed"])
def test_every_concat_mode_finds_the_same_links(store, concat):
    embedded: list[str] = []

    def embed_fn(texts):
        embedded.extend(texts)
        return store.vectors(texts)

    links = align(store.vectors(RAIN_RU), store.vectors(RAIN_EN), RAIN_RU, RAIN_EN,
                  config=AlignConfig(concat=concat), embed_fn=None if concat == "sum" else embed_fn)
    assert [(lk.src, lk.tgt) for lk in links] == RAIN_GOLD
    joined = {"sum": 0, "embed": len(RAIN_RU) - 1 + len(RAIN_EN) - 1}
    if concat in joined:
        assert len(embedded) == joined[concat]
    else:  # only the pairs around links that are not confident 1-1 links (here: all of them)
        assert RAIN_RU[2] + " " + RAIN_RU[3] in embedded and RAIN_EN[1] + " " + RAIN_EN[2] in embedded
        embedded.clear()
        links = align(store.vectors(RAIN_EN), store.vectors(RAIN_EN), RAIN_EN, RAIN_EN,
                      config=AlignConfig(concat=concat), embed_fn=embed_fn)
        assert [(lk.src, lk.tgt) for lk in links] == [((k,), (k,)) for k in range(len(RAIN_EN))]
        assert embedded == []


def test_backtranslation_similarity_joins_the_score(store):
    bt = backtranslation_sim(RAIN_RU, RAIN_BT)
    calls: list[tuple] = []

    def extra(src_ids, tgt_ids):
        calls.append((src_ids, tgt_ids))
        return bt(src_ids, tgt_ids)

    assert bt((0,), (0,)) > 0.6 > 0.2 > bt((0,), (7,))
    assert bt((2, 3), (3,)) > max(bt((2,), (3,)), bt((3,), (3,)))
    links = align(store.vectors(RAIN_RU), store.vectors(RAIN_EN), RAIN_RU, RAIN_EN, extra_sim=extra,
                  config=AlignConfig(concat="sum"))
    assert [(lk.src, lk.tgt) for lk in links] == RAIN_GOLD
    # computed only near the path found without it
    assert calls and all(abs(max(s) - max(t)) <= 6 for s, t in calls)
    assert ((0,), (7,)) not in calls and ((7,), (0,)) not in calls


def test_two_to_two_when_the_boundary_moves(store):
    assert run(store, BOARD_RU, BOARD_EN) == [((0, 1), (0, 1)), ((2,), (2,))]


def test_identical_documents_align_one_to_one(store):
    assert run(store, RAIN_EN, RAIN_EN) == [((k,), (k,)) for k in range(len(RAIN_EN))]


def test_links_respect_paragraph_boundaries(store):
    src, tgt = PARA_RU, PARA_EN
    # without paragraphs the moved sentence is simply its source's translation
    assert run(store, src, tgt) == [((k,), (k,)) for k in range(4)]
    # with paragraphs [0 0 | 1 1] vs [0 | 1 1 1] no link may cross the boundary
    got = run(store, src, tgt, src_paras=[0, 0, 1, 1], tgt_paras=[0, 1, 1, 1])
    assert got == [((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2,)), ((3,), (3,))]
    # a side without paragraph breaks gives no constraint
    assert run(store, src, tgt, src_paras=[0, 0, 1, 1], tgt_paras=[0, 0, 0, 0]) == [((k,), (k,)) for k in range(4)]


def test_empty_sides():
    v = np.ones((2, 4), dtype=np.float32)
    e = np.zeros((0, 4), dtype=np.float32)
    assert align(v, e, ["a", "b"], []) == [Link((0,), ()), Link((1,), ())]
    assert align(e, v, [], ["a", "b"]) == [Link((), (0,)), Link((), (1,))]


def _segments(doc_id: str, texts: list[str], paras: list[int] | None = None) -> tuple[Document, list[Segment]]:
    """A document of ``texts`` (sentences joined by a space, paragraphs by a
    blank line) and its segments with their offsets."""
    paras = paras or [0] * len(texts)
    segs, parts, pos = [], [], 0
    for k, (t, p) in enumerate(zip(texts, paras)):
        if k:
            sep = "\n\n" if p != paras[k - 1] else " "
            parts.append(sep)
            pos += len(sep)
        segs.append(Segment(doc_id, k, pos, pos + len(t), t, paragraph=p, line=1))
        parts.append(t)
        pos += len(t)
    return Document(doc_id, "ru" if doc_id == "src" else "en", "".join(parts)), segs


def _doc_pair(src, mt, src_paras=None, mt_paras=None) -> DocumentPair:
    src_doc, src_segs = _segments("src", src, src_paras)
    mt_doc, mt_segs = _segments("mt", mt, mt_paras)
    return DocumentPair("doc", src_doc, mt_doc, src_segments=src_segs, mt_segments=mt_segs)


def test_document_pairs_align_with_their_paragraphs(store):
    pair = _doc_pair(PARA_RU, PARA_EN, [0, 0, 1, 1], [0, 1, 1, 1])
    links = align_document(pair, store)
    assert [(lk.src, lk.tgt) for lk in links] == [((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2,)), ((3,), (3,))]
    pairs = aligned_pairs(pair, links)
    assert [p.index for p in pairs] == list(range(5))
    omission, addition = pairs[1], pairs[2]
    assert omission.is_omission and omission.src_text == PARA_RU[1] and omission.mt_text == ""
    assert omission.mt_start == len(PARA_EN[0])  # right after the previous MT sentence
    assert addition.is_addition and addition.mt_text == PARA_EN[1] and addition.src_text == ""
    assert pair.src.text[addition.src_start - len(PARA_RU[1]):addition.src_start] == PARA_RU[1]
    for p in pairs:
        assert pair.src.text[p.src_start:p.src_end] == p.src_text
        assert pair.mt.text[p.mt_start:p.mt_end] == p.mt_text


def test_gaps_become_flags_with_evidence(store):
    sv, tv = store.vectors(RAIN_RU), store.vectors(RAIN_EN)
    pair = _doc_pair(RAIN_RU, RAIN_EN)
    links = align_document(pair, store)
    evidence = gap_evidence(links, sv, tv, RAIN_RU, RAIN_EN)
    flags = {}
    for k, ap in enumerate(aligned_pairs(pair, links)):
        for f in gap_flags(ap, evidence.get(k)):
            flags[f.category] = (f, ap)
    assert set(flags) == {"accuracy/omission", "accuracy/addition"}
    om, om_pair = flags["accuracy/omission"]
    assert om.severity is Severity.MAJOR and om.mt_span is None
    assert om_pair.src_text[om.src_span.start:om.src_span.end] == RAIN_RU[4]
    assert om.absolute(om_pair).src_span.start == pair.src.text.index(RAIN_RU[4])
    assert om.evidence["previous_neighbour"] == RAIN_EN[3] and om.evidence["next_neighbour"] == RAIN_EN[4]
    assert -1 <= om.evidence["best_similarity"] < 1 and om.evidence["link"] == "1-0"
    ad, ad_pair = flags["accuracy/addition"]
    assert ad.src_span is None and ad_pair.mt_text[ad.mt_span.start:ad.mt_span.end] == RAIN_EN[5]
    assert ad.absolute(ad_pair).mt_text == RAIN_EN[5]
    assert ad.evidence["previous_neighbour"] == RAIN_RU[5] and ad.evidence["next_neighbour"] == RAIN_RU[6]
    assert gap_flags(aligned_pairs(pair, links)[0]) == []


def test_json_and_tsv_output(store, tmp_path: Path):
    links = align(store.vectors(RAIN_RU), store.vectors(RAIN_EN), RAIN_RU, RAIN_EN, embed_fn=store.vectors)
    src_doc, src_segs = _segments("src", RAIN_RU)
    mt_doc, mt_segs = _segments("mt", RAIN_EN)
    data = alignment_to_dict(src_doc, mt_doc, src_segs, mt_segs, links)
    validate_alignment(json.loads(dumps(data)))
    assert [(tuple(lk["src"]), tuple(lk["tgt"])) for lk in data["links"]] == RAIN_GOLD
    for side, doc in (("source", src_doc), ("target", mt_doc)):
        for s in data[side]:
            assert doc.text[s["start"]:s["end"]] == s["text"]
    bad = json.loads(dumps(data))
    bad["links"][0]["src"] = [1]
    with pytest.raises(ValueError, match="exactly once"):
        validate_alignment(bad)
    bad = json.loads(dumps(data))
    bad["links"][0]["type"] = "3-1"
    with pytest.raises(jsonschema.ValidationError):
        validate_alignment(bad)
    tsv = to_tsv(src_doc, mt_doc, src_segs, mt_segs, links).splitlines()
    assert tsv[0].split("\t") == ["src", "tgt", "type", "score", "src_text", "tgt_text"]
    assert len(tsv) == 1 + len(links)
    rows = [line.split("\t") for line in tsv[1:]]
    assert all(len(r) == 6 for r in rows)
    assert rows[3][:3] == ["4", "", "1-0"] and rows[3][4] == RAIN_RU[4] and rows[3][5] == ""
    assert rows[2][:3] == ["2,3", "3", "2-1"]


def test_tsv_escapes_tabs_and_newlines():
    src_doc, src_segs = _segments("src", ["a\tb", "c\nd"])
    mt_doc, mt_segs = _segments("mt", ["x"])
    tsv = to_tsv(src_doc, mt_doc, src_segs, mt_segs, [Link((0, 1), (0,), 0.5)])
    assert tsv.splitlines()[1].split("\t") == ["0,1", "0", "2-1", "0.5000", "a\\tb c\\nd", "x"]
