"""Reading --mt-logprobs files: MLQE-PE word-probas lines and JSONL."""

from __future__ import annotations

import csv
import json
import math

import pytest

from mtcheck.errors import InputError
from mtcheck.logprobs import read_logprobs, word_logprobs
from mtcheck.qe.tokens import tokens
from tests.conftest import SHARED
from tests.resources import require

DA = SHARED / "data" / "mlqe-pe-ru-en" / "da"


def _mlqe(split: str, n: int):
    require((DA / "word-probas" / f"word_probas.{split}.ruen").exists(), "MLQE-PE ru-en data")
    with open(DA / f"{split}.ruen.df.short.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[:n]
    return rows


def test_real_word_probas_map_onto_every_token(tmp_path):
    rows = _mlqe("test20", 200)
    lp_lines = (DA / "word-probas" / "word_probas.test20.ruen").read_text(encoding="utf-8").splitlines()[:200]
    tok_lines = (DA / "word-probas" / "mt.test20.ruen").read_text(encoding="utf-8").splitlines()[:200]
    (tmp_path / "word_probas.x").write_text("\n".join(lp_lines) + "\n", encoding="utf-8")
    (tmp_path / "mt.x").write_text("\n".join(tok_lines) + "\n", encoding="utf-8")
    segs = read_logprobs(tmp_path / "word_probas.x")  # companion mt.x found by name
    assert len(segs) == 200
    covered = total = exact = 0
    for row, seg, tl, ll in zip(rows, segs, tok_lines, lp_lines):
        assert len(seg.logprobs) == len(tl.split()) and seg.eos == float(ll.split()[-1])
        wl = word_logprobs(row["translation"], seg)
        total += len(tokens(row["translation"]))
        covered += len(wl)
        # a piece counts for every token it overlaps ("1.@@" in "31.05" spans three tokens), and
        # a few MLQE-PE lines' BPE text differs from the detokenized MT ("I was screaming" vs
        # "shouting"), so the words' sum equals the pieces' sum on most lines, not all
        exact += math.isclose(sum(w.logprob for w in wl), sum(seg.logprobs), abs_tol=1e-6)
        for w in wl:
            assert row["translation"][w.start:w.end] == w.word
    assert covered / total > 0.99
    assert exact / len(segs) > 0.9


def test_bpe_pieces_join_into_words():
    rows = _mlqe("test20", 1)
    segs = read_logprobs(DA / "word-probas" / "word_probas.test20.ruen")
    wl = {w.word: w for w in word_logprobs(rows[0]["translation"], segs[0])}
    # "Moz@@ amb@@ ican" -> one word with the three pieces' log-probabilities
    toks = (DA / "word-probas" / "mt.test20.ruen").read_text(encoding="utf-8").splitlines()[0].split()
    k = toks.index("Moz@@")
    assert wl["Mozambican"].pieces == 3
    assert math.isclose(wl["Mozambican"].logprob, sum(segs[0].logprobs[k:k + 3]), abs_tol=1e-9)
    assert wl["Mozambican"].min_logprob == min(segs[0].logprobs[k:k + 3])
    # &quot; is unescaped and matched to the quote mark of the detokenized text
    assert wl['"'].pieces == 1
    # "pro @-@ Russian" is one word of the text
    assert wl["pro-Russian"].pieces == 3


def test_jsonl_with_sentencepiece_tokens(tmp_path):
    mt = "Don't bite the nut."
    p = tmp_path / "lp.jsonl"
    p.write_text(json.dumps({"tokens": ["▁Don", "'", "t", "▁bite", "▁the", "▁nu", "t", "."],
                             "logprobs": [-0.1, -0.2, -0.3, -2.0, -0.1, -1.0, -0.5, -0.05, -0.01]}) + "\n")
    (seg,) = read_logprobs(p)
    assert seg.eos == -0.01
    wl = {w.word: w for w in word_logprobs(mt, seg)}
    assert math.isclose(wl["Don't"].logprob, -0.6) and wl["Don't"].pieces == 3
    assert wl["nut"].min_logprob == -1.0 and wl["bite"].logprob == -2.0


def test_bad_files_raise_input_errors(tmp_path):
    p = tmp_path / "word_probas.y"
    p.write_text("-0.1 -0.2\n")
    with pytest.raises(InputError, match="companion"):
        read_logprobs(p)
    (tmp_path / "mt.y").write_text("a b c d\n")
    with pytest.raises(InputError, match=r"4 tokens but 2"):
        read_logprobs(p)
    p.write_text("-0.1 oops\n")
    with pytest.raises(InputError, match=":1"):
        read_logprobs(p)
    j = tmp_path / "bad.jsonl"
    j.write_text('{"tokens": ["a"]}\n')
    with pytest.raises(InputError, match="JSON object"):
        read_logprobs(j)
