"""The small document record carried through every stage.

Each stage of the pipeline is a plain function that takes a :class:`Document`
and fills in its part: reading sets ``raw``/``encoding``, detection sets
``lang``/``script``, cleanup sets ``paragraphs``/``removed``/``metadata``/
``changes``, translation sets ``output``/``route``/``mt``/``segments``,
checking sets ``checks``, scoring sets ``scores``.  ``to_dict`` gives the JSON
form written to ``OUT/records/<id>.json``; the manifest line is ``summary()``.

The record composes the lower packages' result types: ``Removed`` and ``Change``
are cleanup's (``cleanup.record``), ``Check`` is eval's (``eval.record``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
    segments: list[dict[str, Any]] = field(default_factory=list)
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
