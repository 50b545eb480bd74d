"""Corpus configuration: ``[tool.mtcheck]`` in ``pyproject.toml`` or a top-level
``mtcheck.toml``. Every key is validated here; a bad value is a ``ConfigError``
naming the key (``gate.max-critical: expected an integer``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtcheck.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KNOWN_FORMATS = ("json", "jsonl", "html", "sarif", "junit", "md", "terminal")


@dataclass
class PairSpec:
    """How source and MT files pair up: glob patterns sharing their wildcards, or a manifest."""

    source: str | None = None
    mt: str | None = None
    manifest: str | None = None
    input_format: str = "auto"


@dataclass
class CorpusConfig:
    root: Path
    source_file: Path | None = None
    src_lang: str = "ru"
    tgt_lang: str = "en"
    pairs: list[PairSpec] = field(default_factory=list)
    model: str | None = None
    enable: list[str] | None = None
    disable: list[str] = field(default_factory=list)
    check_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    gate: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, float] | None = None
    formats: list[str] = field(default_factory=lambda: ["json", "terminal"])
    output: str = "reports/corpus"
    baseline: str | None = None


_TOP_KEYS = {"src-lang", "tgt-lang", "pairs", "model", "checks", "gate", "labels", "formats", "output", "baseline"}
_GATE_KEYS = {"min-mean-score": float, "max-bad-share": float, "max-critical": int, "max-major": int,
              "fail-on-severity": str}


def find_config(directory: Path) -> tuple[dict[str, Any], Path | None]:
    """The raw ``[tool.mtcheck]`` table of ``directory`` (mtcheck.toml wins over pyproject.toml)."""
    own = directory / "mtcheck.toml"
    if own.is_file():
        return _read_toml(own), own
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        data = _read_toml(pyproject, whole=True)
        table = data.get("tool", {}).get("mtcheck")
        if table is not None:
            return table, pyproject
    return {}, None


def _read_toml(path: Path, whole: bool = False) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("toml", f"not valid TOML ({exc})", source=str(path)) from None
    if whole:
        return data
    return data.get("tool", {}).get("mtcheck", data) if path.name == "pyproject.toml" else data


def load_config(directory: Path) -> CorpusConfig:
    """Read and validate the corpus configuration of ``directory``."""
    raw, source = find_config(directory)
    where = str(source) if source else None
    cfg = CorpusConfig(root=directory, source_file=source)
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ConfigError(sorted(unknown)[0], f"unknown key (known: {', '.join(sorted(_TOP_KEYS))})", where)
    cfg.src_lang = _str(raw, "src-lang", cfg.src_lang, where)
    cfg.tgt_lang = _str(raw, "tgt-lang", cfg.tgt_lang, where)
    cfg.model = raw.get("model") if raw.get("model") is None else _str(raw, "model", None, where)
    cfg.output = _str(raw, "output", cfg.output, where)
    cfg.baseline = raw.get("baseline") if raw.get("baseline") is None else _str(raw, "baseline", None, where)
    if "formats" in raw:
        fmts = raw["formats"]
        if not isinstance(fmts, list) or not all(isinstance(f, str) for f in fmts):
            raise ConfigError("formats", "expected a list of format names", where)
        bad = [f for f in fmts if f not in KNOWN_FORMATS]
        if bad:
            raise ConfigError("formats", f"unknown format {bad[0]!r} (known: {', '.join(KNOWN_FORMATS)})", where)
        cfg.formats = list(fmts)
    cfg.pairs = _pairs(raw.get("pairs"), where)
    _checks(raw.get("checks", {}), cfg, where)
    cfg.gate = _gate(raw.get("gate", {}), where)
    if "labels" in raw:
        labels = raw["labels"]
        if not isinstance(labels, dict) or set(labels) != {"good", "review"}:
            raise ConfigError("labels", "expected a table with 'good' and 'review' score thresholds", where)
        for k, v in labels.items():
            if not isinstance(v, (int, float)) or not 0 <= v <= 100:
                raise ConfigError(f"labels.{k}", "expected a number between 0 and 100", where)
        cfg.labels = {k: float(v) for k, v in labels.items()}
        if cfg.labels["review"] > cfg.labels["good"]:
            raise ConfigError("labels.review", "must not be above labels.good", where)
    return cfg


def _str(raw: dict[str, Any], key: str, default: Any, where: str | None) -> Any:
    if key not in raw:
        return default
    if not isinstance(raw[key], str) or not raw[key]:
        raise ConfigError(key, "expected a non-empty string", where)
    return raw[key]


def _pairs(value: Any, where: str | None) -> list[PairSpec]:
    if value is None:
        return []
    from mtcheck.inputs import FORMATS as INPUT_FORMATS

    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        key = f"pairs[{i}]" if isinstance(value, list) else "pairs"
        if not isinstance(item, dict):
            raise ConfigError(key, "expected a table with 'source' and 'mt' globs, or 'manifest'", where)
        unknown = set(item) - {"source", "mt", "manifest", "input-format"}
        if unknown:
            raise ConfigError(f"{key}.{sorted(unknown)[0]}", "unknown key", where)
        for sub in ("source", "mt", "manifest", "input-format"):
            if sub in item and (not isinstance(item[sub], str) or not item[sub]):
                raise ConfigError(f"{key}.{sub}", "expected a non-empty string", where)
        for sub in ("source", "mt"):
            # Path.glob refuses absolute patterns, and files outside the corpus have no id under it
            if sub in item and (item[sub].startswith(("/", "\\")) or ".." in item[sub].replace("\\", "/").split("/")):
                raise ConfigError(f"{key}.{sub}", "expected a glob relative to the config directory, "
                                                  "without '..' (use a 'manifest' for other files)", where)
        fmt = item.get("input-format", "auto")
        if fmt not in INPUT_FORMATS:
            raise ConfigError(f"{key}.input-format", f"unknown input format {fmt!r} (known: {', '.join(INPUT_FORMATS)})",
                              where)
        spec = PairSpec(source=item.get("source"), mt=item.get("mt"), manifest=item.get("manifest"),
                        input_format=fmt)
        if spec.manifest is None and not spec.source:
            raise ConfigError(key, "needs a 'source' glob (with 'mt' unless the files hold both sides: "
                                   "TSV, JSONL, XLIFF, TMX), or a 'manifest'", where)
        if spec.manifest is None and spec.mt is None and not _single_file(spec):
            raise ConfigError(key, "needs both 'source' and 'mt' glob patterns (or 'input-format' of a "
                                   "single-file format: tsv, jsonl, xliff, tmx), or a 'manifest'", where)
        if spec.source and spec.mt and _wildcards(spec.source) != _wildcards(spec.mt):
            raise ConfigError(f"{key}.mt", "must use the same wildcards (*, **) in the same order as 'source'", where)
        out.append(spec)
    return out


def _single_file(spec: PairSpec) -> bool:
    """True when the files of ``spec`` hold source and MT together (TSV, JSONL, XLIFF, TMX)."""
    from mtcheck.inputs import EXTENSIONS, SINGLE_FILE_FORMATS

    if spec.input_format in SINGLE_FILE_FORMATS:
        return True
    suffix = "." + spec.source.rsplit(".", 1)[-1].lower() if spec.source and "." in spec.source else ""
    return spec.input_format == "auto" and EXTENSIONS.get(suffix) in SINGLE_FILE_FORMATS


def _wildcards(pattern: str) -> list[str]:
    import re

    return re.findall(r"\*\*|\*|\?", pattern)


def _checks(value: Any, cfg: CorpusConfig, where: str | None) -> None:
    if not isinstance(value, dict):
        raise ConfigError("checks", "expected a table", where)
    unknown = set(value) - {"enable", "disable", "options"}
    if unknown:
        raise ConfigError(f"checks.{sorted(unknown)[0]}", "unknown key (known: enable, disable, options)", where)
    for key in ("enable", "disable"):
        if key in value:
            names = value[key]
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ConfigError(f"checks.{key}", "expected a list of check names", where)
    if "enable" in value:
        cfg.enable = list(value["enable"])
    cfg.disable = list(value.get("disable", []))
    opts = value.get("options", {})
    if not isinstance(opts, dict) or not all(isinstance(v, dict) for v in opts.values()):
        raise ConfigError("checks.options", "expected a table of tables (one per check)", where)
    cfg.check_options = {k: dict(v) for k, v in opts.items()}
    from mtcheck.checks.base import registry

    reg = registry()
    for name in [*(cfg.enable or []), *cfg.disable, *cfg.check_options]:
        if name not in reg:
            raise ConfigError("checks", f"unknown check {name!r} (known: {', '.join(sorted(reg))})", where)
    for name, opts_ in cfg.check_options.items():
        bad = set(opts_) - set(reg[name].defaults)
        if bad:
            raise ConfigError(f"checks.options.{name}.{sorted(bad)[0]}", "unknown option", where)
        for opt, value in opts_.items():
            problem = _option_type_problem(value, reg[name].defaults[opt])
            if problem:
                raise ConfigError(f"checks.options.{name}.{opt}", problem, where)


def _option_type_problem(value: Any, default: Any) -> str | None:
    """Why ``value`` cannot replace ``default`` (the check's option types are its defaults' types):
    ``flag_spelled = "no"`` would otherwise be a true value."""
    if default is None:
        return None
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "expected true or false"
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "expected a number"
        if isinstance(default, int) and not isinstance(default, bool) and not isinstance(value, int):
            return "expected an integer"
        return None
    if isinstance(default, str):
        return None if isinstance(value, str) else "expected a string"
    return None


def _gate(value: Any, where: str | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError("gate", "expected a table", where)
    out: dict[str, Any] = {}
    for key, val in value.items():
        if key not in _GATE_KEYS:
            raise ConfigError(f"gate.{key}", f"unknown key (known: {', '.join(sorted(_GATE_KEYS))})", where)
        typ = _GATE_KEYS[key]
        if typ is int and (not isinstance(val, int) or isinstance(val, bool) or val < 0):
            raise ConfigError(f"gate.{key}", "expected a non-negative integer", where)
        if typ is float and (not isinstance(val, (int, float)) or isinstance(val, bool)):
            raise ConfigError(f"gate.{key}", "expected a number", where)
        if key == "min-mean-score" and not 0 <= val <= 100:
            raise ConfigError(f"gate.{key}", "expected a score between 0 and 100", where)
        if key == "max-bad-share" and not 0 <= val <= 1:
            raise ConfigError(f"gate.{key}", "expected a share between 0 and 1", where)
        if typ is str and val not in ("minor", "major", "critical"):
            raise ConfigError(f"gate.{key}", "expected minor, major or critical", where)
        out[key.replace("-", "_")] = typ(val)
    return out
