"""The translation engine: segmentation, de-duplication, cache, batching, guards.

A backend (``mt.backends``) only turns bounded source segments into target
strings.  The engine does everything around it:

1. splits each paragraph into lines and sentences (``mt.segment``), keeping the
   paragraph and line structure exactly; sentences of only numbers, dates or
   symbols bypass the model;
2. guarantees glossary terms (``mt.glossary_enforce``): a sentence whose terms the
   model did not render by itself is planned again, with placeholders, then split
   around the terms;
3. splits sentences longer than ``max_tokens`` at clause boundaries (never truncates);
4. translates each distinct segment once: cache lookups first, then
   length-sorted batches bounded by a token budget, in chunks of the input so
   memory stays flat however long the input is;
5. checks every output (``mt.guards``), retries failures once with stronger
   decoding, and flags what is still bad (recorded in the segment, never hidden).

Example::

    engine = Engine.load("zh-en")                       # ModelUnavailable if no model
    result = engine.translate_paragraphs(["创新是第一动力。人才是第一资源。"])
    result.paragraphs   # one English paragraph
    result.stats        # {'segments': 2, 'translated': 2, 'cached': 0, 'bypassed': 0, 'flagged': 0, 'retried': 0, ...}
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from mt.backends.base import Backend, Decoding
from mt.errors import UserError
from mt.glossary_enforce import ESCALATION, Part, TermEnforcer
from mt.guards import check as guard_check
from mt.record import Segment, TermUse
from mt.segment import Unit, bypass_output, join_paragraphs, join_sentences, normalise, segment_paragraphs, split_long

#: Output length cap per batch: ``OUT_RATIO * longest source + OUT_SLACK`` new tokens
#: (within ``Decoding.max_new_tokens``): a translation far longer than its source is a loop.
OUT_RATIO, OUT_SLACK = 2.0, 10
#: Default longest segment (source tokens) sent to the model; longer ones are split.
DEFAULT_MAX_TOKENS = 128
#: Sentences processed together (dedup, sorting, batching); bounds memory on huge inputs.
DEFAULT_CHUNK = 4096
#: Target-language token that multi-target OPUS-MT models (opus-mt-en-zh) need before each source sentence.
TARGET_TOKENS = {"zh": ">>cmn_Hans<<"}


@dataclass
class TranslationResult:
    """Output of :meth:`Engine.translate_paragraphs`.

    ``paragraphs``: one output paragraph per input paragraph, in order.
    ``segments``: one :class:`mt.record.Segment` per sentence (para, line, src, out,
    bypass, cached, flags, retried, pieces, terms).  ``stats``: counts (segments,
    translated, cached, bypassed, flagged, retried, unique).
    """

    paragraphs: list[str]
    segments: list[Segment] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


@dataclass
class _Done:
    out: str
    flags: list[str]
    cached: bool = False
    retried: bool = False


@dataclass
class _Job:
    """How one sentence is produced: a list of parts, each a model input or fixed text."""

    unit: Unit
    parts: list[Part]  # ("mt", normalised input) | ("fixed", text)
    mode: str = "plain"  # bypass, or the glossary terms' mode: plain | placeholder | split
    terms: list[Any] = field(default_factory=list)  # the glossary terms found in the sentence


def language_prefix(backend: Backend, tgt_lang: str) -> str:
    """``">>cmn_Hans<< "`` when the backend's model has that target-language token, else ``""``."""
    token = TARGET_TOKENS.get(tgt_lang)
    model_dir = getattr(backend, "model_dir", None)
    if not token or not model_dir:
        return ""
    try:
        vocab = json.loads((Path(model_dir) / "vocab.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return f"{token} " if token in vocab else ""


def _decoding_from(options: dict) -> Decoding:
    names = {f.name for f in fields(Decoding)}
    bad = sorted(set(options) - names)
    if bad:
        raise UserError(f"unknown decoding option(s) {', '.join(bad)}; known: {', '.join(sorted(names))}")
    return Decoding(**options)


def default_cache_path() -> Path:
    """``<retranslate cache dir>/translations.sqlite3``."""
    from mt.models import cache_root

    return cache_root() / "translations.sqlite3"


def open_cache(cache_path=None):
    """A :class:`mt.cache.TranslationCache`, or None when disabled or not writable.

    ``cache_path`` None means the default location (unless RETRANSLATE_NO_CACHE is
    set); False or "" disables the cache.
    """
    if cache_path is False or cache_path == "" or (cache_path is None and os.environ.get("RETRANSLATE_NO_CACHE")):
        return None
    from mt.cache import TranslationCache

    path = Path(cache_path) if cache_path else default_cache_path()
    try:
        return TranslationCache(path)
    except Exception as exc:  # e.g. no folder can be made for it: translate without a cache
        from mt.cache import warn

        warn(f"translation cache {path} unusable ({' '.join(str(exc).split())}); continuing without it")
        return None


class Engine:
    """Translate documents for one direction with one backend.

    Build it with :meth:`load` (model resolution) or :meth:`from_backend`
    (any :class:`mt.backends.base.Backend`, e.g. a test fake).
    """

    def __init__(self, backend: Backend, direction: str = "zh-en", cache=None, decoding: Decoding | None = None,
                 max_tokens: int | None = None, chunk_size: int = DEFAULT_CHUNK,
                 batch_tokens: int | None = None, batch_size: int | None = None, retry: bool = True):
        self.backend = backend
        self.direction = direction
        self.src_lang, self.tgt_lang = direction.split("-")
        self.cache = cache
        self.decoding = decoding or Decoding()
        limit = int(getattr(backend, "max_input_tokens", 512) or 512)
        self.max_tokens = max(8, min(max_tokens or DEFAULT_MAX_TOKENS, limit - 2))
        self.chunk_size = max(1, chunk_size)
        self.batch_tokens = batch_tokens or int(getattr(backend, "batch_tokens", 2048) or 2048)
        self.batch_size = batch_size or int(getattr(backend, "batch_size", 64) or 64)
        self.retry = retry
        self.prefix = language_prefix(backend, self.tgt_lang)
        self._counts: dict[str, int] = {}

    # ------------------------------------------------------------------ construction

    @classmethod
    def load(cls, direction: str, model=None, backend: str = "auto", cache_path=None, *, device: str = "auto",
             compute_type: str = "auto", max_tokens: int | None = None, use_vmap: bool = False,
             download: bool = True, **decoding) -> "Engine":
        """Resolve and load a model for ``direction`` ("zh-en" or "en-zh").

        ``model``: a model directory (HF or CTranslate2) or None to search the caches;
        ``backend``: "auto", "ctranslate2" or "transformers"; ``cache_path``: SQLite
        cache file (None: default location, False: no cache); ``use_vmap``: the
        CTranslate2 vocabulary map (``vmap.txt`` in the converted model; faster, can change
        the output); ``device``: "auto" (CUDA when present), "cpu" or "cuda";
        ``compute_type``: "auto" (int8 on CPU, float16 on CUDA) or a backend's type;
        ``download``: fetch the model from the Hub when it is nowhere on this machine
        (unless HF_HUB_OFFLINE is set); other keyword arguments are :class:`Decoding`
        options.  Raises ``ModelUnavailable``.
        """
        from mt.models import check_direction, load_backend, resolve

        check_direction(direction)
        dec = _decoding_from(decoding)
        resolved = resolve(direction, model=model, backend=backend, allow_download=download and not model)
        be = load_backend(resolved, backend, device=device, compute_type=compute_type, use_vmap=use_vmap)
        return cls(be, direction=direction, cache=open_cache(cache_path), decoding=dec, max_tokens=max_tokens)

    @classmethod
    def from_backend(cls, backend: Backend, cache=None, decoding: Decoding | None = None, direction: str = "zh-en",
                     **options) -> "Engine":
        """An engine over an already built backend (tests, benchmarks).

        ``cache`` is a TranslationCache, a path, or None (no cache).
        """
        if cache is not None and not hasattr(cache, "get_many"):
            cache = open_cache(cache)
        return cls(backend, direction=direction, cache=cache, decoding=decoding, **options)

    @property
    def info(self) -> dict[str, Any]:
        """What produced the translations, for records: direction, backend, model, device, decoding."""
        be = self.backend
        return {
            "direction": self.direction, "backend": be.name, "model_id": be.model_id,
            "model_dir": str(getattr(be, "model_dir", "") or ""), "device": getattr(be, "device", "cpu"),
            "compute_type": getattr(be, "compute_type", "default"), "decoding": self.decoding.key(),
            "max_tokens": self.max_tokens, "cache": str(getattr(self.cache, "path", "")) or None,
        }

    def __repr__(self) -> str:
        return f"Engine({self.direction}, {self.backend.identity})"

    @property
    def decoding_key(self) -> str:
        """Decoding options plus the engine's output cap policy (part of the cache key)."""
        return f"{self.decoding.key()}|cap={OUT_RATIO}x+{OUT_SLACK}"

    # ------------------------------------------------------------------ public API

    def translate_paragraphs(self, paragraphs: Iterable[str], glossary=None,
                             progress: Callable[[int], Any] | None = None) -> TranslationResult:
        """Translate paragraphs; one output paragraph per input paragraph, same line structure.

        ``glossary`` (cleanup.terminology.Glossary) terms found in a Chinese source
        are guaranteed in the output.  ``progress(n)`` is called with the number of
        sentences just finished (increments, e.g. ``tqdm.update``).
        """
        out_paragraphs: list[str] = []
        segments: list[Segment] = []
        stats = {"segments": 0, "translated": 0, "cached": 0, "bypassed": 0, "flagged": 0, "retried": 0, "unique": 0}
        for chunk in self._chunks(paragraphs):
            units = segment_paragraphs(chunk, self.src_lang)
            outs, segs = self._translate_units(units, glossary, stats, progress)
            out_paragraphs.extend(join_paragraphs(chunk, units, outs, self.tgt_lang))
            segments.extend(segs)
        stats["segments"] = len(segments)
        stats["bypassed"] = sum(1 for s in segments if s.bypass)
        stats["flagged"] = sum(1 for s in segments if s.flags)
        return TranslationResult(out_paragraphs, segments, stats)

    def translate_segments(self, texts: list[str], glossary=None) -> list[Segment]:
        """Translate each text as one sentence (split only if too long); one :class:`mt.record.Segment` per text."""
        units = [Unit(i, 0, normalise(t)) for i, t in enumerate(texts)]
        stats: dict[str, int] = {"translated": 0, "cached": 0, "retried": 0, "unique": 0}
        _, segs = self._translate_units(units, glossary, stats, None)
        return segs

    # ------------------------------------------------------------------ internals

    def _chunks(self, paragraphs: Iterable[str]) -> Iterator[list[str]]:
        """Groups of whole paragraphs of about ``chunk_size`` sentences (by a cheap estimate)."""
        chunk: list[str] = []
        size = 0
        for para in paragraphs:
            para = "" if para is None else str(para)
            chunk.append(para)
            size += 1 + len(re.findall(r"[。！？；.!?]", para))
            if size >= self.chunk_size:
                yield chunk
                chunk, size = [], 0
        if chunk:
            yield chunk

    def _plan(self, unit: Unit, fixed: str | None, terms: TermEnforcer, mode: str = "plain") -> _Job:
        """How to produce ``unit`` (whose :func:`bypass_output` is ``fixed``): "bypass", or
        with its glossary terms in ``mode`` ("plain": terms checked afterwards)."""
        if fixed is not None:
            return _Job(unit, [("fixed", fixed)], "bypass")
        hits = terms.find(unit.text)
        mode = mode if hits else "plain"
        return _Job(unit, terms.parts(unit.text, hits, mode), mode, hits)

    def _count(self, texts: list[str]) -> list[int]:
        """Token counts, remembered for the current call (one backend call for many texts)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._counts]
        if missing:
            self._counts.update(zip(missing, self.backend.count_tokens(missing)))
        return [self._counts[t] for t in texts]

    def _mt_parts(self, text: str) -> list[Part]:
        """The model inputs for ``text``: itself, or its pieces when it is longer than ``max_tokens``."""
        n = self._count([text])[0]
        if n <= self.max_tokens:
            return [("mt", text)]
        pieces = split_long(text, self.src_lang, self._count, self.max_tokens)
        return [("mt", q) for p in pieces if (q := normalise(p))]

    def _assemble(self, job: _Job, done: dict[str, _Done], terms: TermEnforcer) -> tuple[str, list[str], bool, bool, bool]:
        """(output, flags, all cached, any retried, glossary terms ok) of a job."""
        outs, flags, cached, retried = [], [], True, False
        for kind, text in job.parts:
            if kind == "fixed":
                outs.append(text)
                continue
            d = done[text]
            outs.append(d.out)
            flags.extend(f for f in d.flags if f not in flags)
            cached &= d.cached
            retried |= d.retried
        out, ok = terms.settle(join_sentences(outs, self.tgt_lang), job.terms, job.mode)
        return out, flags, cached and any(k == "mt" for k, _ in job.parts), retried, ok

    def _translate_units(self, units: list[Unit], glossary, stats: dict, progress) -> tuple[list[str], list[Segment]]:
        self._counts = {}
        terms = TermEnforcer(glossary, self.src_lang, self.tgt_lang, self._mt_parts)
        fixed = [bypass_output(u.text, self.src_lang, self.tgt_lang) for u in units]
        self._count([u.text for u, f in zip(units, fixed) if f is None])
        jobs = [self._plan(u, f, terms) for u, f in zip(units, fixed)]
        done = self._run(jobs, stats, progress)
        results = [self._assemble(j, done, terms) for j in jobs]
        # a sentence whose glossary terms did not come through is planned again in the next mode
        for mode in ESCALATION:
            redo = [i for i, (j, r) in enumerate(zip(jobs, results)) if j.terms and not r[4]]
            if not redo:
                break
            for i in redo:
                jobs[i] = self._plan(units[i], fixed[i], terms, mode)
            done.update(self._run([jobs[i] for i in redo], stats, None))
            for i in redo:
                results[i] = self._assemble(jobs[i], done, terms)
        outs: list[str] = []
        segs: list[Segment] = []
        for job, (out, flags, cached, retried, _) in zip(jobs, results):
            outs.append(out)
            segs.append(Segment(
                para=job.unit.para, line=job.unit.line, src=job.unit.text, out=out,
                bypass=job.mode == "bypass", cached=cached, flags=flags, retried=retried,
                pieces=sum(1 for k, _ in job.parts if k == "mt"),
                terms=[TermUse(h.source, h.target, job.mode) for h in job.terms],
            ))
        return outs, segs

    def _run(self, jobs: list[_Job], stats: dict, progress) -> dict[str, _Done]:
        """Translate every distinct model input of ``jobs``; returns {input: _Done}."""
        inputs = list(dict.fromkeys(t for j in jobs for k, t in j.parts if k == "mt"))
        stats["unique"] = stats.get("unique", 0) + len(inputs)
        # progress bookkeeping (only when someone listens): a sentence is done when all its inputs are
        waiting: list[int] = []
        users: dict[str, list[int]] = {}
        if progress is not None:
            waiting = [sum(1 for k, _ in j.parts if k == "mt") for j in jobs]
            for i, j in enumerate(jobs):
                for k, t in j.parts:
                    if k == "mt":
                        users.setdefault(t, []).append(i)

        def finished(texts: Iterable[str]) -> None:
            if progress is None:
                return
            n = 0
            for t in texts:
                for i in users.get(t, ()):
                    waiting[i] -= 1
                    n += waiting[i] == 0
            if n:
                progress(n)

        if progress is not None:
            ready = sum(1 for w in waiting if w == 0)
            if ready:
                progress(ready)
        done: dict[str, _Done] = {}
        if self.cache is not None and inputs:
            for text, (out, flags) in self._cache_call("get_many", inputs, default={}).items():
                done[text] = _Done(out, list(flags), cached=True)
            stats["cached"] = stats.get("cached", 0) + len(done)
            finished(done)
        todo = [t for t in inputs if t not in done]
        if not todo:
            return done
        stats["translated"] = stats.get("translated", 0) + len(todo)
        lengths = dict(zip(todo, self._count(todo)))
        # All batches are queued before the first one is read: a backend with workers
        # (CTranslate2's replicas) never waits while the engine checks a batch's outputs.
        queued = [(batch, self._submit(batch, self.decoding, lengths)) for batch in self._batches(todo, lengths)]
        for batch, wait in queued:
            new = self._checked(batch, wait(), lengths, stats)
            done.update(new)
            if self.cache is not None:
                self._cache_call("put_many", {t: (d.out, d.flags) for t, d in new.items()})
            finished(batch)
        return done

    def _cache_call(self, method: str, arg, default=None):
        """A cache read or write; a failing cache (disk full, corrupt file) is dropped with a warning."""
        try:
            return getattr(self.cache, method)(self.backend.identity, self.decoding_key, arg)
        except Exception as exc:
            from mt.cache import warn

            warn(f"translation cache disabled after an error ({' '.join(str(exc).split())})")
            self.cache = None
            return default

    def _batches(self, texts: list[str], lengths: dict[str, int]) -> Iterator[list[str]]:
        """Length-sorted batches whose padded size stays within the token budget."""
        batch: list[str] = []
        longest = 0
        for t in sorted(texts, key=lambda x: (lengths[x], x)):
            n = lengths[t]
            if batch and (max(longest, n) * (len(batch) + 1) > self.batch_tokens or len(batch) >= self.batch_size):
                yield batch
                batch, longest = [], 0
            batch.append(t)
            longest = max(longest, n)
        if batch:
            yield batch

    def _capped(self, decoding: Decoding, longest: int) -> Decoding:
        cap = int(OUT_RATIO * longest + OUT_SLACK)
        return replace(decoding, max_new_tokens=max(decoding.min_new_tokens, min(decoding.max_new_tokens, cap)))

    def _submit(self, batch: list[str], decoding: Decoding, lengths: dict[str, int]) -> Callable[[], list[str]]:
        """Queue ``batch`` on the backend, output capped by its longest input; returns the wait for the outputs."""
        capped = self._capped(decoding, max(lengths[t] for t in batch))
        return self.backend.submit([self.prefix + t for t in batch], capped)

    def _checked(self, batch: list[str], outs: list[str], lengths: dict[str, int], stats: dict) -> dict[str, _Done]:
        """Guard every output of ``batch``; the flagged ones are translated once more with stronger decoding."""
        if len(outs) != len(batch):
            raise RuntimeError(f"backend {self.backend.name} returned {len(outs)} outputs for {len(batch)} inputs")
        result = {t: _Done(o, guard_check(t, o, self.src_lang, self.tgt_lang)) for t, o in zip(batch, outs)}
        bad = [t for t in batch if result[t].flags]
        if bad and self.retry:
            stats["retried"] = stats.get("retried", 0) + len(bad)
            for t, o in zip(bad, self._submit(bad, self.decoding.stronger(), lengths)()):
                flags = guard_check(t, o, self.src_lang, self.tgt_lang)
                if len(flags) <= len(result[t].flags):
                    result[t] = _Done(o, flags, retried=True)
                else:
                    result[t].retried = True
        return result
