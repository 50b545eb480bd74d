"""How often the literal-idiom check fires on literal vs idiomatic English.

Three measurements, all on data in ``../shared`` (never copied into the project):

1. **Proverbs (Wikiquote, 262 pairs).** Source = the idiomatic Russian
   proverb, MT = the English proverb with the same meaning (an idiomatic
   translation): every flag there is a false alarm. The same Russian against a
   *literal* English rendering: the data set has none, so one is made by a
   word-by-word gloss through Müller's English-Russian dictionary
   (``mtcheck.dictionary``; for each Russian word, the shortest English word
   linked to its lemma). Flags there are hits. Also: how many of the
   word-for-word Russian calques of English proverbs (``proverbs_literal.ru``,
   not Russian idioms) the lexicon wrongly recognises as idioms.
2. **MLQE-PE dev and test20** (real NMT output, with human post-edits):
   segments matched and flagged; mean HTER and DA ``z_mean`` of flagged vs
   matched-but-not-flagged segments; share of post-edited (BAD) MT words
   among the literal cue words; "hit rate" = flagged share of matched
   segments whose MT was heavily edited (HTER >= 0.3), "false-alarm rate" =
   flagged share of matched segments left (almost) untouched (HTER <= 0.1).

    python bench/idioms.py [--data ../shared/data] [--splits dev test20] [--show 15]
"""

from __future__ import annotations

import argparse
import csv
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcheck.checks.idioms import literal_flag  # noqa: E402
from mtcheck.lexicon import Lexicon  # noqa: E402
from mtcheck.quotes import find_quotes  # noqa: E402
from mtcheck.text import words  # noqa: E402


def flags_for(lex: Lexicon, src: str, mt: str) -> tuple[list, list]:
    matches = lex.match(src)
    sq, mq = find_quotes(src, "ru"), find_quotes(mt, "en")
    flags = [f for m in matches if (f := literal_flag(m, src, mt, sq, mq)) is not None]
    return matches, flags


def gloss(text: str, dictionary) -> str:
    """A word-by-word English gloss of Russian text (a stand-in for the worst literal MT)."""
    from mtcheck.morph import lemma

    out = []
    for w in words(text):
        cands = dictionary.en_for_ru_lemma(lemma(w.text), loose=False)
        single = sorted((c for c in cands if " " not in c), key=lambda c: (len(c), c))
        out.append(single[0] if single else w.text)
    return " ".join(out)


def proverbs(lex: Lexicon, data: Path, show: int) -> dict:
    d = data / "proverbs-wikiquote-en-ru"
    ru = (d / "proverbs_idiomatic.en-ru.ru").read_text(encoding="utf-8").splitlines()
    en = (d / "proverbs_idiomatic.en-ru.en").read_text(encoding="utf-8").splitlines()
    calques = (d / "proverbs_literal.en-ru.ru").read_text(encoding="utf-8").splitlines()
    try:
        from mtcheck.dictionary import BilingualDictionary
        from mtcheck.paths import cache_dir

        dictionary = BilingualDictionary.load(cache_dir=cache_dir())
    except Exception as exc:  # noqa: BLE001 - the gloss part is optional; report why it was skipped
        dictionary = None
        print(f"(no dictionary, literal gloss skipped: {exc})")
    matched = idiomatic_flags = gloss_flags = 0
    examples = []
    for src, mt in zip(ru, en):
        m, f = flags_for(lex, src, mt)
        if not m:
            continue
        matched += 1
        idiomatic_flags += bool(f)
        if f and len(examples) < show:
            examples.append(("FALSE ALARM", src, mt, f[0].evidence["literal_cues"]))
        if dictionary is not None:
            lit = gloss(src, dictionary)
            _, g = flags_for(lex, src, lit)
            gloss_flags += bool(g)
            if not g and len(examples) < show:
                examples.append(("MISSED GLOSS", src, lit, []))
    calque_matches = sum(1 for c in calques if lex.match(c))
    return {"pairs": len(ru), "matched": matched, "idiomatic_flags": idiomatic_flags,
            "gloss_flags": gloss_flags if dictionary is not None else None,
            "calques": len(calques), "calque_matches": calque_matches, "examples": examples}


def mlqe(lex: Lexicon, data: Path, split: str, show: int) -> dict:
    base = data / "mlqe-pe-ru-en"
    with open(base / "da" / f"{split}.ruen.df.short.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    pe = base / "pe" / split
    hter = [float(x) for x in (pe / f"{split}.hter").read_text().split()]
    mt_tok = (pe / f"{split}.mt").read_text(encoding="utf-8").splitlines()
    tags = [t.split()[1::2] for t in (pe / f"{split}.tags").read_text().splitlines()]
    t0 = time.perf_counter()
    matched, flagged = [], []
    cue_bad = cue_all = 0
    examples = []
    for i, r in enumerate(rows):
        m, f = flags_for(lex, r["original"], r["translation"])
        if not m:
            continue
        matched.append(i)
        if f:
            flagged.append(i)
            cues = {w.lower() for fl in f for w in fl.evidence["mt_cue_words"]}
            for tok, tag in zip(mt_tok[i].split(), tags[i]):
                if tok.lower() in cues:
                    cue_all += 1
                    cue_bad += tag == "BAD"
            if len(examples) < show:
                examples.append((r["original"], r["translation"], f[0].evidence["entry"], f[0].evidence["literal_cues"],
                                 hter[i]))
    secs = time.perf_counter() - t0
    unflagged = [i for i in matched if i not in set(flagged)]

    def mean(idx, key):
        vals = [hter[i] if key == "hter" else float(rows[i]["z_mean"]) for i in idx]
        return round(statistics.mean(vals), 3) if vals else None

    heavy = [i for i in matched if hter[i] >= 0.3]
    light = [i for i in matched if hter[i] <= 0.1]
    return {
        "split": split, "rows": len(rows), "matched": len(matched), "flagged": len(flagged),
        "hter_all": mean(range(len(rows)), "hter"), "hter_flagged": mean(flagged, "hter"),
        "hter_matched_unflagged": mean(unflagged, "hter"),
        "z_all": mean(range(len(rows)), "z"), "z_flagged": mean(flagged, "z"), "z_matched_unflagged": mean(unflagged, "z"),
        "cue_bad": cue_bad, "cue_all": cue_all,
        "heavy": len(heavy), "heavy_flagged": sum(1 for i in heavy if i in set(flagged)),
        "light": len(light), "light_flagged": sum(1 for i in light if i in set(flagged)),
        "seconds": round(secs, 1), "examples": examples,
    }


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else f"{a}/0"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / ".." / "shared" / "data")
    ap.add_argument("--splits", nargs="*", default=["dev", "test20"])
    ap.add_argument("--show", type=int, default=10, help="examples to print per section")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    lex = Lexicon.load()
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} "
          f"({platform.machine()}, Python {platform.python_version()})")
    print(f"lexicon {lex.name}@{lex.version} #{lex.sha256[:12]}: {len(lex)} entries, loaded in "
          f"{time.perf_counter() - t0:.1f}s")
    p = proverbs(lex, args.data, args.show)
    print("\n## Proverbs (Wikiquote, idiomatic Russian)")
    print("| measure | value |\n|---|---|")
    print(f"| Russian proverbs recognised by the lexicon | {pct(p['matched'], p['pairs'])} |")
    print(f"| flags vs the idiomatic English proverb (false alarms) | {pct(p['idiomatic_flags'], p['matched'])} |")
    if p["gloss_flags"] is not None:
        print(f"| flags vs a word-by-word dictionary gloss (hits) | {pct(p['gloss_flags'], p['matched'])} |")
    print(f"| word-for-word calques of English proverbs wrongly recognised as idioms | "
          f"{pct(p['calque_matches'], p['calques'])} |")
    for ex in p["examples"]:
        print("   ", ex)
    for split in args.splits:
        r = mlqe(lex, args.data, split, args.show)
        print(f"\n## MLQE-PE {split} ({r['rows']} segments, {r['seconds']}s)")
        print("| measure | value |\n|---|---|")
        print(f"| segments with a lexicon idiom | {r['matched']} |")
        print(f"| segments flagged style/literal-idiom | {r['flagged']} |")
        print(f"| hit rate: flagged among matched with HTER >= 0.3 | {pct(r['heavy_flagged'], r['heavy'])} |")
        print(f"| false-alarm rate: flagged among matched with HTER <= 0.1 | {pct(r['light_flagged'], r['light'])} |")
        print(f"| literal cue words post-edited (BAD) | {pct(r['cue_bad'], r['cue_all'])} |")
        print(f"| mean HTER: all / flagged / matched-not-flagged | {r['hter_all']} / {r['hter_flagged']} / "
              f"{r['hter_matched_unflagged']} |")
        print(f"| mean DA z: all / flagged / matched-not-flagged | {r['z_all']} / {r['z_flagged']} / "
              f"{r['z_matched_unflagged']} |")
        for ex in r["examples"]:
            print("   ", ex)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
