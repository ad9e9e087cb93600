"""The small document record carried through every stage.

Each stage of the pipeline is a plain function that takes a :class:`Document`
and fills in its part: reading sets ``raw``/``encoding``, detection sets
``lang``/``script``, cleanup sets ``paragraphs``/``removed``/``metadata``/
``changes``, translation sets ``output``/``route``/``mt``/``segments``,
checking sets ``checks``, scoring sets ``scores``.  ``to_dict`` gives the JSON
form written to ``OUT/records/<id>.json``; the manifest line is ``summary()``.

The record composes the lower packages' result types: ``Removed`` and ``Change``
are cleanup's (``cleanup.record``), ``Check`` is eval's (``eval.record``).  Its
``segments`` are mt's own: one :class:`Segment` per sentence the engine translated
(route "retranslate", with a :class:`TermUse` per glossary term), or one
:class:`Decision` per sentence the round trip decided on (route "normalise").
Their ``to_dict`` gives the keys of the JSON record in its order.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from cleanup.record import Change, Removed
from eval.record import Check

ROUTES = ("retranslate", "normalise", "light")
#: What happened to a document.  ``ok``: finished, every check passed; ``flagged``: finished,
#: some check failed (named in ``reason``); ``untranslated``: a source-language document
#: whose translation was skipped (``--no-mt``); ``skipped``: nothing left to process;
#: ``error``: a stage failed (``reason`` says which and why).
STATUSES = ("ok", "flagged", "untranslated", "skipped", "error")
#: Statuses of a document that went through every stage (its output is written).
FINISHED = ("ok", "flagged", "untranslated")


class _ByKey:
    """Read access by key (``seg["out"]``, ``seg.get("flags")``), as when these records were dicts."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self.__dataclass_fields__ else default

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the fields in their order (nested records as dicts)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TermUse(_ByKey):
    """A glossary term in a translated sentence and how the engine got it into the output.

    ``how``: "plain" (the model rendered it), "placeholder" (it went through the model
    as a placeholder) or "split" (the sentence was translated around it).
    """

    source: str
    target: str
    how: str


@dataclass(frozen=True, slots=True)
class Segment(_ByKey):
    """One sentence the engine translated (``mt.engine``).

    ``para``/``line``: where it sits in the input; ``bypass``: not sent to the model
    (numbers, dates, symbols); ``cached``: every model input came from the cache;
    ``flags``: what the guards still found after the retry; ``pieces``: model inputs
    (more than one when it was split for length or around a glossary term).
    """

    para: int
    line: int
    src: str
    out: str
    bypass: bool
    cached: bool
    flags: list[str]
    retried: bool
    pieces: int
    terms: list[TermUse]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Segment":
        return cls(**{**d, "terms": [TermUse(**t) for t in d["terms"]]})


@dataclass(frozen=True, slots=True)
class Decision(_ByKey):
    """Whether one English sentence was replaced by its round trip (``mt.roundtrip``), and why.

    ``kept``: "roundtrip" or "original"; ``reasons``: against the round trip (empty
    when kept); ``zh``/``candidate``/scores are None for a sentence not sent to the models.
    """

    para: int
    line: int
    src: str
    zh: str | None
    candidate: str | None
    out: str
    kept: str
    reasons: list[str]
    score_before: float | None
    score_after: float | None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Decision":
        return cls(**d)


_SEGMENT_KEYS = {f.name for f in fields(Segment)}
_DECISION_KEYS = {f.name for f in fields(Decision)}


def _typed(segment: Any) -> Any:
    """A record's segment read back from JSON: a Segment or Decision when it has exactly their keys.

    Anything else (what a stand-in translator returned) stays as it is.
    """
    if isinstance(segment, dict):
        if segment.keys() == _SEGMENT_KEYS:
            return Segment.from_dict(segment)
        if segment.keys() == _DECISION_KEYS:
            return Decision.from_dict(segment)
    return segment


def guard_flags(segment: Any) -> list[str]:
    """What the MT guards flagged in one of a record's segments.

    A :class:`Segment`'s ``flags``; a :class:`Decision` has none (the guards' findings
    on a round trip are among its reasons, and the original was kept); a stand-in
    translator's dict, its ``"flags"``.
    """
    if isinstance(segment, Segment):
        return segment.flags
    if isinstance(segment, dict):
        return segment.get("flags") or []
    return []


def _compact(scores: dict[str, Any]) -> dict[str, Any]:
    """A dict for the one-line summary: lists of records (per-passage scores, removed source lines) stay in the record."""
    out: dict[str, Any] = {}
    for k, v in scores.items():
        if isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v):
            continue
        out[k] = v
    return out


@dataclass
class Document:
    id: str
    raw: str = ""
    origin: str | None = None
    encoding: str | None = None
    lang: str | None = None  # "zh", "en", "mixed", "unknown"
    script: str | None = None  # "Hans", "Hant", "Latn", "mixed"
    source_text: str | None = None  # attached Chinese source, if any
    source_origin: str | None = None
    source_pairing: str | None = None  # "explicit", "auto", None
    paragraphs: list[str] = field(default_factory=list)
    source_paragraphs: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    route: str | None = None
    mt: str | None = None  # "done", "skipped", "not-needed"
    output: str | None = None
    segments: list[Segment | Decision | dict[str, Any]] = field(default_factory=list)  # dicts: stand-in translators'
    flags: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    status: str = "ok"
    reason: str = ""
    digest: str = ""  # hash of the input (text and attached source): a changed input is redone
    mt_stats: dict[str, Any] = field(default_factory=dict)  # engine counters: segments, translated, cached...
    pair_proposal: dict[str, Any] | None = None  # proposed Chinese source (see mt.pairing), used with --auto-pair

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        d = dict(d)
        d["removed"] = [Removed(**r) for r in d.get("removed", [])]
        d["changes"] = [Change(**c) for c in d.get("changes", [])]
        d["checks"] = [Check(**c) for c in d.get("checks", [])]
        d["segments"] = [_typed(s) for s in d.get("segments", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})

    def summary(self) -> dict[str, Any]:
        """The manifest line: small, one per document."""
        return {
            "id": self.id,
            "origin": self.origin,
            "status": self.status,
            "reason": self.reason,
            "lang": self.lang,
            "script": self.script,
            "encoding": self.encoding,
            "route": self.route,
            "mt": self.mt,
            "source": self.source_origin,
            "pairing": self.source_pairing,
            "removed_lines": len(self.removed),
            "changes": len(self.changes),
            "flags": self.flags,
            "checks": {c.name: c.ok for c in self.checks},
            "scores": _compact(self.scores),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "metadata": _compact(self.metadata),
            "mt_stats": self.mt_stats,
            "pair_proposal": self.pair_proposal,
            "digest": self.digest,
        }
