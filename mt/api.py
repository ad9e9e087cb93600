"""The Python front door: :func:`retranslate` one text.

>>> import mt
>>> r = mt.retranslate("Dalian high tech Zone to promote innovation. More and more Enterprises becomes the main "
...                    "body of innovation.", mt=False)
>>> r.route, r.text
('normalise', 'Dalian High-tech Zone to promote innovation. More and more Enterprises becomes the main body of innovation.')

(garbled English: routed to normalisation, here without MT, so the terminology fix only; a single short line
is too little evidence to call garbled and gets the light cleanup, terminology fix included)
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mt.errors import UserError
from mt.io import document_from_text
from mt.pipeline import Engines, Options, finish, load_engines, load_glossary, needed_directions, prepare
from mt.record import Change, Check, Document, Removed

#: engines loaded by earlier calls, keyed by (direction, model, backend, cache): loaded once per process
_ENGINES: dict[tuple, Any] = {}


@dataclass
class Result:
    """What :func:`retranslate` returns."""

    text: str  # the clean English (or, with mt=False on Chinese, the cleaned Chinese)
    route: str | None  # "retranslate", "normalise" or "light"
    removed: list[Removed] = field(default_factory=list)  # boilerplate lines taken out, with reasons
    changes: list[Change] = field(default_factory=list)  # every repair made, with reasons
    checks: list[Check] = field(default_factory=list)  # reference-free checks on the output
    scores: dict[str, Any] = field(default_factory=dict)  # against references, when given
    flags: list[str] = field(default_factory=list)  # things a person should look at
    record: Document | None = None  # the full record (as written to OUT/records/<id>.json)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(c.ok for c in self.checks)


def _engines_for(directions: set[str], opts: Options) -> Engines:
    engines = Engines()
    for direction in directions:
        model = opts.model if direction == "zh-en" else opts.model_en_zh
        key = (direction, str(model) if model else None, opts.backend, opts.device, opts.compute_type,
               opts.cache_path, opts.vmap,
               json.dumps(opts.decoding or {}, sort_keys=True, default=str))
        if key not in _ENGINES:
            loaded = load_engines({direction}, opts)
            _ENGINES[key] = loaded.zh_en if direction == "zh-en" else loaded.en_zh
        if direction == "zh-en":
            engines.zh_en = _ENGINES[key]
        else:
            engines.en_zh = _ENGINES[key]
    return engines


def retranslate(
    text: str,
    *,
    source: str | None = None,
    references: Any = None,
    engines: Engines | None = None,
    doc_id: str = "doc",
    origin: str | None = None,
    **options: Any,
) -> Result:
    """Clean and retranslate one text; returns a :class:`Result`.

    ``source``: the Chinese original (the text is then retranslated from it).
    ``references``: reference passages (strings or eval passages) to score against.
    ``options``: ``mt`` (default True; False runs every stage but MT), ``model``,
    ``model_en_zh``, ``backend``, ``glossary`` (path or Glossary), ``lang``, ``grammar``,
    ``cache_path``, ``decoding`` (dict of Decoding options, e.g. ``{"beam_size": 1}``),
    ``device`` ("auto", "cpu", "cuda"), ``compute_type``, ``offline`` (True: never download
    a missing model; by default it is fetched from the Hub on first use),
    ``vmap`` (the CTranslate2 vocabulary map: faster, can change the output).
    ``engines``: already-loaded (or fake) translators.  Models are loaded once per process
    (per model, backend, cache, decoding options and vmap setting).

    Raises :class:`mt.errors.ModelUnavailable` when MT is needed and no model loads,
    :class:`mt.errors.UserError` for unusable input or options.
    """
    if not isinstance(text, str):
        raise UserError("retranslate() takes the document text as a str")
    opts = Options.from_kwargs(**options)
    doc = document_from_text(text, doc_id=doc_id, source=source, origin=origin)
    glossary = load_glossary(opts.glossary)
    prepare([doc], opts, corpus=None)
    if engines is None:
        engines = _engines_for(needed_directions([doc], opts), opts)
    passages = _passages(references)
    finish(doc, engines, opts, glossary=glossary, passages=passages)
    return Result(
        text=doc.output or "",
        route=doc.route,
        removed=list(doc.removed),
        changes=list(doc.changes),
        checks=list(doc.checks),
        scores=dict(doc.scores),
        flags=list(doc.flags) + ([f"{doc.status}: {doc.reason}"] if doc.status != "ok" else []),
        record=doc,
    )


def _passages(references: Any) -> Any:
    """Reference passages as eval expects them; plain strings are passed through as they are."""
    if references is None:
        return None
    if isinstance(references, str):
        return [references]
    return list(references)
