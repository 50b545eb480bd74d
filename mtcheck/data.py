"""The data model shared by every stage of the pipeline.

Offsets are character offsets (Python ``str`` indices, end exclusive) into
``Document.text``. For plain-text inputs (documents, line-aligned files)
``Document.text`` is the decoded file content, so an offset points into the
file as the user sees it. For unit formats (TSV, JSONL, XLIFF, TMX)
``Document.text`` is the units' texts joined with ``"\\n"`` and every segment
also carries its ``unit_id`` and the ``line`` of the unit in the input file.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """MQM severities, ordered by ``rank``."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return {"minor": 1, "major": 2, "critical": 3}[self.value]

    def raised(self, steps: int = 1) -> "Severity":
        order = [Severity.MINOR, Severity.MAJOR, Severity.CRITICAL]
        return order[min(len(order) - 1, self.rank - 1 + steps)]

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        return value if isinstance(value, Severity) else cls(str(value).lower())


#: MQM-style categories used by flags.
CATEGORIES = (
    "accuracy/mistranslation",
    "accuracy/omission",
    "accuracy/addition",
    "accuracy/untranslated",
    "fluency/grammar",
    "fluency/spelling",
    "fluency/punctuation",
    "style/awkward",
    "style/literal-idiom",
    "terminology",
    "locale/number-format",
    "other/likely-error",
)


@dataclass
class Document:
    """One side of a document pair: the whole decoded text and where it came from."""

    id: str
    lang: str
    text: str
    path: str | None = None
    encoding: str | None = None
    kind: str = "text"  # "text" (offsets into the file) or "units" (see module doc)


@dataclass
class Segment:
    """A sentence (or unit) of a document, with offsets into ``Document.text``."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0
    unit_id: str | None = None
    line: int | None = None  # 1-based line of the segment start in the input file


@dataclass
class DocumentPair:
    """A source document and its machine translation, as read from the inputs.

    ``aligned`` is True when the input already pairs units one to one
    (line-aligned files, TSV, JSONL, XLIFF, TMX); then ``src_segments[i]``
    is the translation unit of ``mt_segments[i]`` and no aligner runs.
    """

    id: str
    src: Document
    mt: Document
    aligned: bool = False
    src_segments: list[Segment] = field(default_factory=list)
    mt_segments: list[Segment] = field(default_factory=list)
    input_format: str = "documents"
    ref: Document | None = None
    ref_segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class Link:
    """An alignment link: source sentence ids and target sentence ids (vecalign style)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass
class AlignedPair:
    """Source and MT sentences joined by one alignment link.

    ``src_text``/``mt_text`` are the exact substrings of the documents from the
    first sentence's start to the last sentence's end; ``src_start``/
    ``mt_start`` are where they begin. An omission has no MT sentences (empty
    ``mt_text``, ``mt_start`` at the point of omission); an addition has no
    source sentences.
    """

    index: int
    doc_id: str
    link: Link
    src_segments: list[Segment]
    mt_segments: list[Segment]
    src_text: str
    mt_text: str
    src_start: int
    mt_start: int

    @property
    def src_end(self) -> int:
        return self.src_start + len(self.src_text)

    @property
    def mt_end(self) -> int:
        return self.mt_start + len(self.mt_text)

    @property
    def is_omission(self) -> bool:
        return bool(self.src_segments) and not self.mt_segments

    @property
    def is_addition(self) -> bool:
        return bool(self.mt_segments) and not self.src_segments


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)``."""

    start: int
    end: int

    def shifted(self, offset: int) -> "Span":
        return Span(self.start + offset, self.end + offset)

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Flag:
    """A problem found in a pair.

    Checks create flags with spans local to ``AlignedPair.mt_text`` /
    ``src_text``; the pipeline converts them to document offsets (see
    ``absolute``), fills the span texts and computes the fingerprint.
    """

    check: str
    category: str
    severity: Severity
    confidence: float
    message: str
    mt_span: Span | None = None
    src_span: Span | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)
    in_quote: bool = False
    mt_text: str = ""
    src_text: str = ""
    fingerprint: str = ""

    def absolute(self, pair: AlignedPair) -> "Flag":
        """Return a copy with document offsets, span texts and a fingerprint."""
        mt_span = self.mt_span.shifted(pair.mt_start) if self.mt_span else None
        src_span = self.src_span.shifted(pair.src_start) if self.src_span else None
        mt_text = pair.mt_text[self.mt_span.start:self.mt_span.end] if self.mt_span else ""
        src_text = pair.src_text[self.src_span.start:self.src_span.end] if self.src_span else ""
        out = Flag(
            check=self.check, category=self.category, severity=self.severity,
            confidence=self.confidence, message=self.message, mt_span=mt_span,
            src_span=src_span, evidence=dict(self.evidence),
            suggestions=list(self.suggestions), in_quote=self.in_quote,
            mt_text=mt_text, src_text=src_text,
        )
        out.fingerprint = flag_fingerprint(pair.doc_id, out)
        return out


def flag_fingerprint(doc_id: str, flag: Flag) -> str:
    """A stable id for a flag that survives edits elsewhere in the document.

    Built from what the flag is about (document, check, category, the flagged
    texts), not from offsets, so a baseline still matches after lines move.
    """
    key = "\x1f".join([doc_id, flag.check, flag.category, flag.mt_text, flag.src_text])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class WordTag:
    """A word of the MT with its OK/BAD tag and probability of being BAD."""

    start: int  # document offsets into the MT
    end: int
    word: str
    tag: str  # "OK" | "BAD"
    p_bad: float


@dataclass
class SegmentResult:
    """Everything mtcheck found out about one aligned pair."""

    pair: AlignedPair
    flags: list[Flag] = field(default_factory=list)
    score: float | None = None  # 0-100, higher is better
    label: str | None = None  # good | review | bad
    word_tags: list[WordTag] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    backtranslation: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class LanguageReport:
    """Language identification of one side of a document."""

    expected: str
    detected: str | None
    confidence: float
    script_share: float  # share of letters in the expected script
    ok: bool
    problem: str | None = None


@dataclass
class DocumentResult:
    """Results for one document pair."""

    id: str
    src: Document
    mt: Document
    input_format: str
    segments: list[SegmentResult] = field(default_factory=list)
    src_sentences: list[Segment] = field(default_factory=list)
    mt_sentences: list[Segment] = field(default_factory=list)
    languages: dict[str, LanguageReport] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    document_flags: list[Flag] = field(default_factory=list)


@dataclass
class ModelInfo:
    """A model or data artefact that influenced the results (for the signature)."""

    role: str  # "embedder", "backtranslation", "forward", "qe-sentence", "lexicon", ...
    name: str
    sha256: str  # first 12 hex digits are shown in the signature string
    version: str | None = None


@dataclass
class Signature:
    """Reproducibility signature, in the spirit of sacrebleu's.

    ``format()`` gives a one-line string such as
    ``mtcheck:0.1.0|pair:ru-en|align:e5-small-q4#1a2b3c4d5e6f|checks:...``.
    """

    version: str
    src_lang: str
    tgt_lang: str
    settings: dict[str, Any] = field(default_factory=dict)
    models: list[ModelInfo] = field(default_factory=list)
    thresholds: dict[str, Any] = field(default_factory=dict)

    def format(self) -> str:
        parts = [f"mtcheck:{self.version}", f"pair:{self.src_lang}-{self.tgt_lang}"]
        for m in self.models:
            ver = f"@{m.version}" if m.version else ""
            parts.append(f"{m.role}:{m.name}{ver}#{m.sha256[:12]}")
        for key in sorted(self.settings):
            parts.append(f"{key}:{_fmt_setting(self.settings[key])}")
        for key in sorted(self.thresholds):
            parts.append(f"{key}:{_fmt_setting(self.thresholds[key])}")
        return "|".join(parts)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["string"] = self.format()
        return d


def _fmt_setting(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass
class Report:
    """The whole run: documents, summary, gate verdict and signature."""

    signature: Signature
    documents: list[DocumentResult] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    gate: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
