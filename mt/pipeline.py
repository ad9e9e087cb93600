"""The stages of the retranslation pipeline, each a plain function over a Document.

    read -> detect -> clean source -> (pair) -> route -> translate / normalise
         -> clean English -> checks -> scores -> write

:func:`prepare` runs the cheap stages over a whole batch (they decide which models are
needed); :func:`finish` runs the rest on one document.  Each stage adds its time to
``doc.timings``.  Engines sit behind :class:`Engines` so tests can pass a fake.

Routing (recorded in ``doc.route``):

- Chinese text, or English with a Chinese source attached -> ``retranslate``
  (MarianMT zh->en on the Chinese);
- English without a source that ``eval.garble_score`` rates garbled -> ``normalise``
  (guarded en->zh->en round trip per sentence);
- other English -> ``light`` (cleanup only).

>>> from mt.record import Document
>>> doc = Document(id="x", raw="Hello world. This is fine English.")
>>> prepare([doc], Options(mt=False))  # the pairing proposals: none for one document
[]
>>> doc.lang, doc.route
('en', 'light')
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable, Iterable, Protocol

from cleanup import CorpusLines, clean_english, clean_source, detect_language
from cleanup.terminology import Glossary
from eval import GARBLED_AT, garble_score, run_checks, score_document
from mt import pairing
from mt.engine import Engine
from mt.errors import ModelUnavailable, UserError
from mt.record import Change, Decision, Document, Segment, guard_flags
from mt.roundtrip import normalise as roundtrip_normalise

ZH_EN, EN_ZH = "zh-en", "en-zh"


@dataclass
class Options:
    """Options of a run (the CLI flags and the API keywords map onto these)."""

    mt: bool = True  # False: every stage but MT (documents record mt "skipped")
    model: str | None = None  # zh-en model dir (HF or CTranslate2) or hub id
    model_en_zh: str | None = None  # en-zh model for normalisation
    backend: str = "auto"  # auto | ctranslate2 | transformers
    device: str = "auto"  # auto (CUDA when present) | cpu | cuda
    compute_type: str = "auto"  # auto (int8 on CPU, float16 on CUDA) | a backend's compute type
    offline: bool = False  # True: never download a missing model (as HF_HUB_OFFLINE=1)
    vmap: bool = False  # CTranslate2 vocabulary map (faster, can change the output; see mt.vmap)
    cache_path: str | None = None  # translation cache (engine default when None)
    decoding: dict[str, Any] = field(default_factory=dict)  # e.g. {"beam_size": 4}: mt.backends.Decoding options
    glossary: Any = None  # path to a glossary file, a cleanup Glossary, or None for the shipped one
    grammar: Any = None  # passed to cleanup.clean_english
    refs: str | None = None  # directory of reference passages (eval.load_references)
    auto_pair: bool = False  # attach proposed Chinese sources (mt.pairing) to English documents
    sources: str | None = None  # directory of a source index (retranslate sources index) to look sources up in
    lang: str | None = None  # force the language of every document ("zh" or "en")
    workers: int = 1
    quiet: bool = False

    @classmethod
    def from_kwargs(cls, **kw: Any) -> "Options":
        """Options from API keywords; unknown keywords are a :class:`UserError`."""
        names = {f.name for f in fields(cls)}
        bad = sorted(set(kw) - names)
        if bad:
            raise UserError(f"unknown option(s) {', '.join(bad)}; known: {', '.join(sorted(names))}")
        return cls(**kw)


# --------------------------------------------------------------------------- engines


class Translator(Protocol):
    """What the pipeline needs from an MT engine (``mt.engine.Engine`` or a test fake)."""

    def translate_paragraphs(self, paragraphs: list[str], glossary: Any = None) -> Any: ...


@dataclass
class Engines:
    """The translators of a run.  ``zh_en`` retranslates, ``zh_en`` + ``en_zh`` normalise."""

    zh_en: Translator | None = None
    en_zh: Translator | None = None
    #: the round-trip function (default ``mt.roundtrip.normalise``); tests may replace it
    normaliser: Callable[..., Any] | None = None

    def translate(self, paragraphs: list[str], glossary: Any = None, progress: Callable[[int], Any] | None = None
                  ) -> tuple[list[str], list[Segment], dict]:
        """zh->en: (paragraphs, segments, stats); ``progress(n)`` is told of finished sentences."""
        if self.zh_en is None:
            raise ModelUnavailable("no zh-en model is loaded for this run")
        kw = {"progress": progress} if progress is not None else {}
        res = self.zh_en.translate_paragraphs(paragraphs, glossary=glossary, **kw)
        return list(res.paragraphs), list(getattr(res, "segments", []) or []), dict(getattr(res, "stats", {}) or {})

    def normalise(self, paragraphs: list[str]) -> tuple[list[str], list[Decision], dict]:
        """Guarded en->zh->en round trip: (paragraphs, per-sentence decisions, stats)."""
        if self.zh_en is None or self.en_zh is None:
            raise ModelUnavailable("normalisation needs both the en-zh and the zh-en model")
        fn = self.normaliser
        if fn is None:
            fn = roundtrip_normalise

        res = fn(paragraphs, self.en_zh, self.zh_en, score=garble_score)
        out = list(getattr(res, "paragraphs", paragraphs))
        decisions = (
            getattr(res, "decisions", None) or getattr(res, "sentences", None) or getattr(res, "segments", None) or []
        )
        decisions = [d if isinstance(d, (Decision, dict)) else _as_dict(d) for d in decisions]
        stats = dict(getattr(res, "stats", {}) or {})
        stats.setdefault("segments", len(decisions))
        return out, decisions, stats


def engine_infos(engines: Iterable[Any]) -> list[dict]:
    """:attr:`mt.engine.Engine.info` of each translator that can tell (stand-ins without it are left out)."""
    infos = []
    for engine in engines:
        try:
            info = getattr(engine, "info", None)
        except Exception:  # a translator that cannot describe itself is not described
            continue
        if isinstance(info, dict):
            infos.append(dict(info))
    return infos


def _as_dict(obj: Any) -> dict:
    if hasattr(obj, "__dataclass_fields__"):
        return asdict(obj)
    if hasattr(obj, "_asdict"):
        return obj._asdict()
    return {"value": repr(obj)}


def needed_directions(docs: Iterable[Document], options: Options) -> set[str]:
    """Which MT directions the documents need: zh-en for retranslate and normalise, en-zh for normalise."""
    if not options.mt:
        return set()
    need: set[str] = set()
    for d in docs:
        if d.status != "ok":
            continue
        if d.route in ("retranslate", "normalise"):
            need.add(ZH_EN)
        if d.route == "normalise":
            need.add(EN_ZH)
    return need


def load_engines(directions: Iterable[str], options: Options) -> Engines:
    """Load each needed model once; raises :class:`ModelUnavailable` (one line) if one cannot be loaded."""
    directions = set(directions)
    engines = Engines()
    if not directions:
        return engines
    for direction in sorted(directions, key=lambda d: d != ZH_EN):
        model = options.model if direction == ZH_EN else options.model_en_zh
        eng = Engine.load(direction, model=model, backend=options.backend, cache_path=options.cache_path,
                          use_vmap=options.vmap, device=options.device, compute_type=options.compute_type,
                          download=not options.offline, **(options.decoding or {}))
        if direction == ZH_EN:
            engines.zh_en = eng
        else:
            engines.en_zh = eng
    return engines


# --------------------------------------------------------------------------- stages


@contextmanager
def timed(doc: Document, stage: str):
    """Add the time spent in the block to ``doc.timings[stage]``."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        doc.timings[stage] = doc.timings.get(stage, 0.0) + time.perf_counter() - t0


def detect(doc: Document, lang: str | None = None) -> Document:
    """Set ``doc.lang``/``doc.script``: forced ``lang``, the JSONL "lang" field, or cleanup.detect_language."""
    with timed(doc, "detect"):
        found_lang, script = detect_language(doc.raw)
        forced = lang or doc.metadata.get("declared_lang")
        if forced:
            forced = {"zho": "zh", "cmn": "zh", "chi": "zh", "eng": "en"}.get(forced, forced)
            forced = "zh" if forced.startswith("zh") else forced
            doc.lang = forced
            doc.script = script if forced == found_lang else ("Hans" if forced == "zh" else "Latn")
        else:
            doc.lang, doc.script = found_lang, script
    return doc


#: languages that are recognised but not handled (only Chinese and English are)
UNSUPPORTED = {"ja": "Japanese", "ko": "Korean"}


def unsupported(doc: Document) -> Document:
    """Skip a document in a language the pipeline does not handle (Japanese, Korean): not converted, not translated."""
    name = UNSUPPORTED.get(doc.lang or "")
    if name:
        doc.status = "skipped"
        doc.reason = f"{name} text is not supported (only Chinese and English); left as it is"
    return doc


def check_source_language(doc: Document) -> Document:
    """An attached source without Chinese (English, Japanese...) is flagged and not used (the document goes on without it)."""
    from cleanup import detect_language

    lang, _ = detect_language(doc.source_text or "")
    if lang not in ("zh", "mixed"):  # mixed: Chinese with many Latin names and figures
        what = UNSUPPORTED.get(lang, {"en": "English"}.get(lang, "not text in any language"))
        doc.flags.append(f"source not used: {doc.source_origin or 'the attached source'} is {what}, not Chinese")
        doc.source_text, doc.source_paragraphs, doc.source_pairing = None, [], None
    return doc


def clean(doc: Document, corpus: Any = None) -> Document:
    """Strip boilerplate and repair the text (cleanup.clean_source); records removals and changes."""
    with timed(doc, "clean"):
        res = clean_source(doc.raw, lang=doc.lang or "unknown", corpus=corpus)
        doc.paragraphs = list(res.paragraphs)
        doc.removed = list(res.removed)
        doc.metadata.update(res.metadata or {})
        doc.changes.extend(res.changes)
    return doc


def clean_attached_source(doc: Document) -> Document:
    """Clean an attached Chinese source into ``doc.source_paragraphs`` (removals kept in metadata)."""
    if not doc.source_text or doc.source_paragraphs:
        return doc
    with timed(doc, "clean"):
        res = clean_source(doc.source_text, lang="zh")
        doc.source_paragraphs = list(res.paragraphs)
        if res.removed:
            doc.metadata["source_removed"] = [
                {"line": r.line, "text": r.text, "reason": r.reason} for r in res.removed
            ]
        for c in res.changes:
            doc.changes.append(Change(c.stage, c.before, c.after, f"source: {c.reason}"))
    return doc


def route(doc: Document) -> Document:
    """Choose ``retranslate``, ``normalise`` or ``light`` (see module doc) and record it."""
    with timed(doc, "route"):
        if doc.source_text or doc.lang == "zh":
            doc.route = "retranslate"
            return doc
        if doc.lang == "mixed":
            doc.notes.append("mixed Chinese and English: treated as English, not translated")
        text = "\n".join(doc.paragraphs)
        g = float(garble_score(text)) if text.strip() else 0.0
        doc.metadata["garble_score"] = round(g, 4)
        doc.route = "normalise" if doc.lang in ("en", "mixed") and g >= GARBLED_AT else "light"
    return doc


def translate(doc: Document, engines: Engines | None, options: Options, glossary: Any = None,
              progress: Callable[[int], Any] | None = None) -> list[str]:
    """Run MT for the route; returns the English (or untranslated) paragraphs and sets ``doc.mt``."""
    with timed(doc, "mt"):
        if doc.route == "light":
            doc.mt = "not-needed"
            return list(doc.paragraphs)
        if doc.route == "retranslate":
            src = doc.source_paragraphs if doc.source_text else doc.paragraphs
            if not options.mt:
                doc.mt = "skipped"
                if doc.source_text and doc.lang != "zh":
                    return list(doc.paragraphs)  # the English as given, cleaned
                doc.flags.append("untranslated: MT skipped (--no-mt), output is the cleaned Chinese")
                return list(doc.paragraphs)
            paras, segments, stats = engines.translate(src, glossary=glossary, progress=progress)
        else:  # normalise
            if not options.mt:
                doc.mt = "skipped"
                return list(doc.paragraphs)
            paras, segments, stats = engines.normalise(list(doc.paragraphs))
        doc.mt = "done"
        doc.segments = segments
        doc.mt_stats = stats
        used = [engines.zh_en] if doc.route == "retranslate" else [engines.en_zh, engines.zh_en]
        infos = engine_infos(used)
        if infos:  # in the record (what produced the translation), not in the manifest line
            doc.metadata["mt_engines"] = infos
        flagged = sum(1 for s in segments if guard_flags(s))
        if flagged:
            doc.flags.append(f"{flagged} segment(s) flagged by the MT guards")
        return paras


def clean_output(doc: Document, paragraphs: list[str], glossary: Any = None, grammar: Any = None) -> Document:
    """Post-MT / light cleanup of the English (cleanup.clean_english); sets ``doc.output``."""
    with timed(doc, "clean_english"):
        if any(f.startswith("untranslated") for f in doc.flags):
            doc.output = "\n\n".join(paragraphs)
            return doc
        # paragraphs straight from clean_source (light route, MT skipped or nothing accepted)
        # have had their Unicode and whitespace repair already
        repaired = paragraphs == doc.paragraphs
        paras, changes, findings = clean_english(paragraphs, glossary=glossary, grammar=grammar, repaired=repaired)
        doc.changes.extend(changes)
        for f in findings or []:
            doc.notes.append(f if isinstance(f, str) else str(getattr(f, "message", f)))
        doc.output = "\n\n".join(p for p in paras if p is not None)
    return doc


def check(doc: Document) -> Document:
    """Reference-free checks (eval.run_checks) against the source or the original English."""
    with timed(doc, "checks"):
        if doc.route == "retranslate" and doc.mt == "done":
            src = "\n".join(doc.source_paragraphs if doc.source_text else doc.paragraphs)
            src_lang = "zh"
        else:
            src = "\n".join(doc.paragraphs)
            src_lang = "zh" if doc.lang == "zh" else "en"
        doc.checks = list(run_checks(doc.output or "", source=src, source_lang=src_lang))
    return doc


def score(doc: Document, passages: Any) -> Document:
    """Scores against reference passages (eval.score_document), when there are any."""
    if not passages:
        return doc
    if any(f.startswith("untranslated") for f in doc.flags):
        doc.notes.append("not scored: the output is untranslated")
        return doc
    with timed(doc, "scores"):
        doc.scores.update(score_document(doc.output or "", passages) or {})
    return doc


# --------------------------------------------------------------------------- driving


def _guard(doc: Document, stage: str, fn: Callable[[], Any]) -> bool:
    """Run a stage; an unexpected failure marks the document as an error instead of raising."""
    try:
        fn()
        return True
    except Exception as e:  # one bad document never stops the batch
        doc.status = "error"
        msg = " ".join(str(e).split())[:300]
        doc.reason = f"{stage} failed: {type(e).__name__}: {msg}" if msg else f"{stage} failed: {type(e).__name__}"
        return False


def prepare(docs: list[Document], options: Options, *, corpus: Any = "batch") -> list:
    """Detect, clean, propose pairs (applied with ``auto_pair``) and route every ok document.

    ``corpus="batch"`` builds a ``cleanup.CorpusLines`` over the documents (lines that
    recur across documents are evidence of site chrome); pass None for a single text.
    Returns the pairing proposals (``mt.pairing.Proposal``).
    """
    live = [d for d in docs if d.status == "ok"]
    for d in live:
        _guard(d, "detect", lambda d=d: detect(d, options.lang))
        if d.status == "ok":
            unsupported(d)
    if corpus == "batch":
        corpus = CorpusLines(d.raw for d in live if d.status == "ok") if len(live) > 1 else None
    for d in live:
        if d.status == "ok":
            _guard(d, "clean", lambda d=d: clean(d, corpus))
        if d.status == "ok" and not any(p.strip() for p in d.paragraphs):
            d.status = "skipped"
            d.reason = f"no text left after cleanup ({len(d.removed)} boilerplate line(s) removed)"
    index = None
    if options.sources:
        from mt.sources import open_index

        index = open_index(options.sources)
    try:
        proposals = pairing.propose_pairs([d for d in live if d.status == "ok"], index)
        by_id = {d.id: d for d in docs}
        for p in proposals:
            by_id[p.en_id].pair_proposal = p.to_dict()
        if options.auto_pair:
            pairing.apply_pairs(docs, proposals, index)
    finally:
        if index is not None:
            index.close()
    for d in live:
        if d.status == "ok" and d.source_text:
            _guard(d, "check source", lambda d=d: check_source_language(d))
        if d.status == "ok" and d.source_text:
            _guard(d, "clean source", lambda d=d: clean_attached_source(d))
        if d.status == "ok":
            _guard(d, "route", lambda d=d: route(d))
    return proposals


def finish(doc: Document, engines: Engines | None, options: Options, *, glossary: Any = None, passages: Any = None,
           progress: Callable[[int], Any] | None = None) -> Document:
    """Translate or normalise, clean the English, check and score one prepared document."""
    if doc.status != "ok":
        return doc
    out: list[str] = []

    def _mt():
        out[:] = translate(doc, engines, options, glossary, progress)

    if _guard(doc, "translation", _mt):
        if _guard(doc, "English cleanup", lambda: clean_output(doc, out, glossary, options.grammar)):
            if _guard(doc, "checks", lambda: check(doc)):
                _guard(doc, "scoring", lambda: score(doc, passages))
    settle_status(doc)
    doc.timings["total"] = sum(v for k, v in doc.timings.items() if k != "total")
    return doc


#: The name under which segments flagged by the MT guards count as a failed check.
MT_GUARDS = "mt_guards"


def failed_checks(doc: Document) -> list[str]:
    """Names of the checks ``doc`` failed, plus ``mt_guards`` when the MT guards flagged a segment."""
    failed = [c.name for c in doc.checks if not c.ok]
    if any(guard_flags(s) for s in doc.segments):
        failed.append(MT_GUARDS)
    return failed


def settle_status(doc: Document) -> Document:
    """Turn a finished document's "ok" into what happened: ``untranslated`` or ``flagged`` when so.

    ``untranslated``: a source-language (Chinese) document whose MT was skipped;
    ``flagged``: a check failed (or the MT guards flagged a segment), listed in ``reason``.
    """
    if doc.status != "ok":
        return doc
    if any(f.startswith("untranslated") for f in doc.flags):
        doc.status, doc.reason = "untranslated", "MT skipped (--no-mt): the output is the cleaned source text"
        return doc
    failed = failed_checks(doc)
    if failed:
        doc.status, doc.reason = "flagged", "failed checks: " + ", ".join(failed)
    return doc


def load_glossary(glossary: Any) -> Any:
    """A cleanup Glossary from a path, an existing Glossary, or None (the shipped one)."""
    if glossary is not None and not isinstance(glossary, (str, bytes)) and not hasattr(glossary, "__fspath__"):
        return glossary
    try:
        return Glossary.load(glossary)
    except UserError:
        raise
    except (OSError, ValueError) as e:
        raise UserError(f"cannot load glossary {glossary}: {e}") from None
