"""The quality gate: thresholds on a report, with an optional baseline.

Score thresholds (mean score, share of bad segments) apply to the whole
report. Flag thresholds (counts of critical/major flags, ``fail_on_severity``)
count only *new* flags — those not in the baseline — so a known set of
problems does not keep failing CI. Without a baseline every flag is new.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Mapping

from mtcheck.baseline import Baseline, iter_report_flags
from mtcheck.errors import ConfigError

SEVERITIES = ("minor", "major", "critical")
SEVERITY_RANK = {name: i + 1 for i, name in enumerate(SEVERITIES)}


def severity_at_least(severity: str, minimum: str) -> bool:
    """Whether ``severity`` is ``minimum`` or worse."""
    return SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK[minimum]


@dataclass
class Thresholds:
    """Gate thresholds; None disables a threshold.

    ``fail_on_severity``: any new flag of this severity or worse fails the gate.
    """

    min_mean_score: float | None = None
    max_bad_share: float | None = None
    max_critical: int | None = None
    max_major: int | None = None
    fail_on_severity: str | None = None

    def __post_init__(self) -> None:
        if self.min_mean_score is not None and not 0 <= self.min_mean_score <= 100:
            raise ConfigError("min_mean_score", f"must be between 0 and 100, got {self.min_mean_score}")
        if self.max_bad_share is not None and not 0 <= self.max_bad_share <= 1:
            raise ConfigError("max_bad_share", f"must be a share between 0 and 1, got {self.max_bad_share}")
        for key in ("max_critical", "max_major"):
            value = getattr(self, key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ConfigError(key, f"must be a non-negative integer, got {value!r}")
        if self.fail_on_severity is not None:
            sev = str(self.fail_on_severity).lower()
            if sev not in SEVERITY_RANK:
                raise ConfigError("fail_on_severity", f"must be one of {', '.join(SEVERITIES)}, got {self.fail_on_severity!r}")
            self.fail_on_severity = sev

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str | None = None) -> "Thresholds":
        """Build from a config mapping (keys may use ``-`` or ``_``); ConfigError on unknown keys."""
        names = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            name = key.replace("-", "_")
            if name not in names:
                raise ConfigError(key, f"unknown gate threshold (known: {', '.join(sorted(names))})", source)
            kwargs[name] = value
        try:
            return cls(**kwargs)
        except ConfigError as exc:
            raise ConfigError(exc.key, str(exc).split(": ", 1)[-1], source) from None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @property
    def active(self) -> bool:
        return bool(self.to_dict())


@dataclass
class GateResult:
    """The gate verdict. ``reasons`` says why it failed (empty when it passed)."""

    passed: bool
    reasons: list[str] = field(default_factory=list)
    new_flags_count: int = 0
    baselined_flags_count: int = 0
    new_by_severity: dict[str, int] = field(default_factory=dict)
    mean_score: float | None = None
    bad_share: float | None = None
    thresholds: dict[str, Any] = field(default_factory=dict)
    baseline: str | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def to_dict(self) -> dict[str, Any]:
        """For ``report['gate']`` (see the report schema)."""
        return {
            "passed": self.passed,
            "reasons": list(self.reasons),
            "thresholds": dict(self.thresholds),
            "new_flags": self.new_flags_count,
            "baselined_flags": self.baselined_flags_count,
            "new_by_severity": dict(self.new_by_severity),
            "mean_score": self.mean_score,
            "bad_share": self.bad_share,
            "baseline": self.baseline,
        }


def new_flags(report: dict[str, Any], baseline: Baseline | None) -> list[tuple[dict, dict, dict | None]]:
    """``(document, flag, segment)`` of the flags not in ``baseline``."""
    return [t for t in iter_report_flags(report) if baseline is None or not baseline.contains(t[1])]


def _report_scores(report: dict[str, Any]) -> tuple[float | None, float | None]:
    summary = report.get("summary") or {}
    mean, share = summary.get("mean_score"), summary.get("bad_share")
    if mean is None or share is None:  # recompute from the segments when the summary lacks them
        segs = [s for d in report.get("documents", []) for s in d.get("segments", [])]
        scores = [s["score"] for s in segs if s.get("score") is not None]
        if mean is None and scores:
            mean = sum(scores) / len(scores)
        labelled = [s for s in segs if s.get("label") is not None]
        if share is None and labelled:
            share = sum(s["label"] == "bad" for s in labelled) / len(labelled)
    return mean, share


def evaluate(report: dict[str, Any], thresholds: Thresholds, baseline: Baseline | None = None) -> GateResult:
    """Apply ``thresholds`` to a report dict; flags in ``baseline`` do not count."""
    fresh = new_flags(report, baseline)
    total = sum(1 for _ in iter_report_flags(report))
    by_sev = {s: 0 for s in SEVERITIES}
    for _doc, flag, _seg in fresh:
        if flag.get("severity") in by_sev:
            by_sev[flag["severity"]] += 1
    mean, share = _report_scores(report)
    reasons: list[str] = []
    new_word = "new " if baseline is not None else ""
    t = thresholds
    if t.min_mean_score is not None:
        if mean is None:
            reasons.append(f"mean score unavailable (no scored segments); minimum is {t.min_mean_score:g}")
        elif mean < t.min_mean_score:
            reasons.append(f"mean score {mean:.2f} is below the minimum {t.min_mean_score:g}")
    if t.max_bad_share is not None and share is not None and share > t.max_bad_share:
        reasons.append(f"share of bad segments {share:.1%} is above the maximum {t.max_bad_share:.1%}")
    if t.max_critical is not None and by_sev["critical"] > t.max_critical:
        reasons.append(f"{by_sev['critical']} {new_word}critical flags, more than the maximum {t.max_critical}")
    if t.max_major is not None and by_sev["major"] > t.max_major:
        reasons.append(f"{by_sev['major']} {new_word}major flags, more than the maximum {t.max_major}")
    if t.fail_on_severity is not None:
        hits = [f for _d, f, _s in fresh if severity_at_least(f.get("severity", ""), t.fail_on_severity)]
        if hits:
            reasons.append(f"{len(hits)} {new_word}flags of severity {t.fail_on_severity} or worse")
    return GateResult(
        passed=not reasons,
        reasons=reasons,
        new_flags_count=len(fresh),
        baselined_flags_count=total - len(fresh),
        new_by_severity=by_sev,
        mean_score=None if mean is None else round(mean, 2),
        bad_share=None if share is None else round(share, 4),
        thresholds=t.to_dict(),
        baseline=None if baseline is None else (baseline.path or baseline.kind),
    )
