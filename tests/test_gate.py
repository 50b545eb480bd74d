"""Quality gate: thresholds, baselines and the terminal summary of the verdict."""

from __future__ import annotations

import pytest

from mtcheck.baseline import baseline_from_dict, make_baseline
from mtcheck.errors import ConfigError
from mtcheck.gate import GateResult, Thresholds, evaluate
from mtcheck.report import json_report, terminal
from tests.fixtures.reports.factory import PAIRS, FlagSpec, PairSpec, build_document, make_report, to_report_dict


@pytest.fixture(scope="module")
def report():
    return make_report()


def test_no_thresholds_pass(report):
    result = evaluate(report, Thresholds())
    assert result.passed and result.reasons == [] and result.exit_code == 0
    assert result.new_flags_count == report["summary"]["flags"] == 10
    assert result.new_by_severity == {"minor": 3, "major": 4, "critical": 3}


def test_each_threshold_gives_its_reason(report):
    # The sample: mean score 58.46, 6 of 14 segments bad, 3 critical and 4 major flags.
    cases = [
        (Thresholds(min_mean_score=60), "mean score 58.46 is below the minimum 60"),
        (Thresholds(max_bad_share=0.3), "share of bad segments 42.9% is above the maximum 30.0%"),
        (Thresholds(max_critical=2), "3 critical flags, more than the maximum 2"),
        (Thresholds(max_major=0), "4 major flags, more than the maximum 0"),
        (Thresholds(fail_on_severity="major"), "7 flags of severity major or worse"),
    ]
    for thresholds, reason in cases:
        result = evaluate(report, thresholds)
        assert not result.passed and result.exit_code == 1
        assert result.reasons == [reason]


def test_thresholds_at_the_limit_pass(report):
    result = evaluate(report, Thresholds(min_mean_score=58, max_bad_share=0.43, max_critical=3, max_major=4))
    assert result.passed, result.reasons
    assert evaluate(report, Thresholds(fail_on_severity="CRITICAL")).reasons == ["3 flags of severity critical or worse"]


def test_all_reasons_are_listed(report):
    result = evaluate(report, Thresholds(min_mean_score=90, max_bad_share=0.1, max_critical=0, max_major=0))
    assert len(result.reasons) == 4


def test_baseline_from_previous_report_only_new_flags_fail():
    old = to_report_dict([build_document("news", PAIRS[:7])])
    # The new run: a sentence added at the top (offsets all move) and a new wrong number.
    new_pair = PairSpec("В 2021 году погибли 5 человек.", "In 2021, 50 people died.", 20.0,
                        [FlagSpec("numbers", "accuracy/mistranslation", "critical", 0.9,
                                                 "Number differs", mt="50", src="5")])
    new = to_report_dict([build_document("news", [PAIRS[0], new_pair, *PAIRS[1:7]])])
    baseline = baseline_from_dict(old, "old.json")
    strict = Thresholds(max_critical=0, max_major=0)
    assert not evaluate(new, strict).passed
    result = evaluate(new, strict, baseline)
    assert result.new_flags_count == 1 and result.baselined_flags_count == 5
    assert result.reasons == ["1 new critical flags, more than the maximum 0"]
    assert evaluate(old, strict, baseline).passed


def test_baseline_does_not_excuse_scores(report):
    baseline = baseline_from_dict(make_baseline(report))
    result = evaluate(report, Thresholds(min_mean_score=60, max_critical=0), baseline)
    assert result.reasons == ["mean score 58.46 is below the minimum 60"]
    assert result.new_flags_count == 0


def test_bad_thresholds_raise_config_error():
    with pytest.raises(ConfigError, match="max_bad_share"):
        Thresholds(max_bad_share=30)
    with pytest.raises(ConfigError, match="min_mean_score"):
        Thresholds(min_mean_score=-1)
    with pytest.raises(ConfigError, match="max_critical"):
        Thresholds(max_critical=-2)
    with pytest.raises(ConfigError, match="fail_on_severity"):
        Thresholds(fail_on_severity="blocker")
    with pytest.raises(ConfigError, match="max-minor"):
        Thresholds.from_mapping({"max-minor": 3}, source="mtcheck.toml")


def test_from_mapping_accepts_config_spelling():
    t = Thresholds.from_mapping({"min-mean-score": 70, "max_bad_share": 0.2, "fail-on-severity": "critical"})
    assert t == Thresholds(min_mean_score=70, max_bad_share=0.2, fail_on_severity="critical")
    assert t.to_dict() == {"min_mean_score": 70, "max_bad_share": 0.2, "fail_on_severity": "critical"}


def test_gate_dict_fits_the_report_schema(report):
    result = evaluate(report, Thresholds(min_mean_score=60))
    data = dict(report, gate=result.to_dict())
    json_report.validate(data)
    assert data["gate"]["passed"] is False and data["gate"]["thresholds"] == {"min_mean_score": 60}


def test_mean_score_recomputed_when_summary_lacks_it(report):
    data = dict(report, summary={k: v for k, v in report["summary"].items() if k not in ("mean_score", "bad_share")})
    result = evaluate(data, Thresholds(min_mean_score=59))
    assert result.mean_score == pytest.approx(58.46, abs=0.01)
    assert result.bad_share == pytest.approx(6 / 14, abs=1e-4)


def test_terminal_summary_prints_verdict_and_reasons(report):
    result = evaluate(report, Thresholds(min_mean_score=60, max_critical=1))
    assert isinstance(result, GateResult)
    text = terminal.render(dict(report, gate=result.to_dict()), width=120)
    assert "quality gate: FAILED" in text
    assert "mean score 58.46 is below the minimum 60" in text
    assert "3 critical flags, more than the maximum 1" in text
    assert "14 segments" in text and "critical 3" in text
    assert "pull the rubber" in text
    assert "\x1b[" not in text  # no colour codes unless asked
    assert "\x1b[" in terminal.render(dict(report, gate=result.to_dict()), color=True)


def test_terminal_summary_shows_brackets_literally():
    doc = build_document("brackets", [PairSpec("Он сказал [bold]привет[/bold].", "He said [bold]hello[/bold] [red]x.", 40.0,
                                               [FlagSpec("grammar", "fluency/grammar", "major", 0.7,
                                                                        "Markup [red]left[/red] in text", mt="[red]x")])])
    text = terminal.render(to_report_dict([doc]), width=160)
    assert "[red]x" in text and "Markup [red]left[/red] in text" in text
