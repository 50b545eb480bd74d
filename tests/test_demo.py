"""The demo corpus and the seed: every planted problem is found, good sentences stay clean.

The planted problems are documented in ``corpora/demo/expected.json`` (see
``corpora/demo/README.md``); this test reads them rather than repeating them.
"""

import json

import pytest

from mtcheck.inputs import read_inputs
from mtcheck.pipeline import Settings, build_engines, check_document
from mtcheck.report.json_report import document_to_dict
from tests.conftest import DEMO, SEEDS

EXPECTED = json.loads((DEMO / "expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def engines(cache_dir):
    settings = Settings(cache_dir=cache_dir)
    return settings, build_engines(settings)


def _check(engines, src, mt):
    settings, eng = engines
    dp = read_inputs(src, mt)[0]
    return document_to_dict(check_document(dp, settings, eng))


def _flags(doc):
    for seg in doc["segments"]:
        for flag in seg["flags"]:
            yield seg, flag


def match_problems(doc: dict, spec: dict) -> tuple[dict, list]:
    """For each planted problem of ``spec``, the flags of ``doc`` that find it (right
    category, overlapping span); and the flags that fall on sentences marked good."""
    flags = list(_flags(doc))
    found = {}
    for problem in spec["problems"]:
        wanted = problem["category"]
        if "mt_contains" in problem:
            needle = problem["mt_contains"]
            found[problem["id"]] = [f for seg, f in flags if f["category"] == wanted and f["mt_text"]
                                    and (f["mt_text"] in needle or needle in f["mt_text"]
                                         or (f["mt_span"] and _overlaps(doc, f, needle)))]
        else:
            needle = problem["src_contains"]
            found[problem["id"]] = [f for seg, f in flags if f["category"] == wanted and f["src_text"]
                                    and (needle in f["src_text"] or f["src_text"] in needle)]
    on_good = []
    for good in spec["good_sentences"]:
        on_good.append((good, [f for seg, f in flags if f["category"] != "other/likely-error" and f["mt_text"]
                               and seg["mt_text"].find(good) >= 0 and good.find(f["mt_text"]) >= 0]))
    return found, on_good


@pytest.mark.parametrize("name", sorted(EXPECTED["documents"]))
def test_demo_document(engines, name):
    spec = EXPECTED["documents"][name]
    doc = _check(engines, DEMO / spec["src"], DEMO / spec["mt"])
    found, on_good = match_problems(doc, spec)
    for problem in spec["problems"]:
        hits = found[problem["id"]]
        assert hits, f"{problem['id']} ({problem['category']}) not flagged; flags: " + \
            "; ".join(f"{f['category']} {f['mt_text'] or f['src_text']!r}" for _, f in _flags(doc))
        if problem.get("in_quote") and problem["category"] == "style/literal-idiom":
            assert any(f["in_quote"] for f in hits)
    for good, flags in on_good:
        assert len(flags) <= 1, f"{name}: flags on a good sentence {good!r}: {flags}"


def _overlaps(doc, flag, needle):
    start = doc_text_find(doc, needle)
    return start is not None and flag["mt_span"]["start"] < start + len(needle) and start < flag["mt_span"]["end"]


def doc_text_find(doc, needle):
    for seg in doc["segments"]:
        k = seg["mt_text"].find(needle)
        if k >= 0:
            return seg["mt_start"] + k
    return None


def test_seed_literal_idiom_in_quote(engines):
    doc = _check(engines, SEEDS / "000_cbe15a5e722aaaf6.ru.reconstructed.txt", SEEDS / "000_cbe15a5e722aaaf6.txt")
    idioms = [f for _, f in _flags(doc) if f["category"] == "style/literal-idiom" and "jerking" in f["mt_text"]]
    assert idioms, "the 'Come on jerking' quote is not flagged"
    flag = idioms[0]
    assert flag["severity"] in ("major", "critical")
    assert flag["in_quote"]
    assert "distort" in flag["message"]  # the meaning is given
    assert flag["suggestions"]
