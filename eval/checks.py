"""Reference-free checks on an English output, each a :class:`eval.record.Check`.

- ``figures``: every number, percentage, amount and date of the source is stated
  in the output (Chinese numerals and 万/亿 units converted, see :mod:`eval.figures`);
- ``no_chinese``: no Chinese characters left in the English;
- ``no_loop``: no repetition loop (a word or phrase repeated back to back, a sentence repeated);
- ``no_boilerplate``: no web boilerplate line left (``cleanup.boilerplate.line_reason``,
  the cleanup's own list of chrome cues);
- ``length_ratio``: output length within bounds of the source length;
- ``garble``: the garble score is below ``GARBLED_AT``.

>>> src = "2018年，大连的企业数量增长百分之三十"
>>> [c.name for c in run_checks("In 2018, the number of companies in Dalian grew by 30%.", source=src, source_lang="zh") if not c.ok]
[]
>>> [c.name for c in run_checks("In 2018, the number of companies in Dalian grew by 40%.", source=src, source_lang="zh") if not c.ok]
['figures']
"""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import compress
from contextlib import contextmanager
from operator import eq
from typing import Callable, Iterator

from cleanup.boilerplate import line_reason
from cleanup.script import HAN
from eval.figures import missing_figures
from eval.garble import GARBLED_AT, garble_score
from eval.parallel import default_jobs, fork_pool
from eval.record import Check


#: Output length over expected length, (low, high), for a short text (a sentence) and a long one
#: (a document, 400+ expected characters).  For a Chinese source the expected English length is
#: 3 characters per Han character plus 1 per other character (Latin names, digits stay as they
#: are).  Measured on newstest2017 references vs source: per sentence 0.1st-99.9th percentile
#: 0.50-2.41; per 5-sentence block 0.71-1.51.  An English source (normalisation) should keep its length.
LENGTH_BOUNDS = {"zh": ((0.45, 2.6), (0.6, 1.8)), "en": ((0.5, 2.0), (0.6, 1.6))}
LONG_TEXT = 400


def boilerplate_reason(line: str, lang: str = "en") -> str | None:
    """Why ``line`` is boilerplate, or None: the verdict of cleanup's one list of chrome cues.

    (``cleanup.boilerplate.line_reason``: eval keeps no phrase list of its own, so what
    the cleanup strips and what this check flags cannot drift apart.)
    """
    return line_reason(line, lang)


def check_figures(output: str, source: str | None, source_lang: str | None) -> Check:
    """Every figure of ``source`` appears in ``output``."""
    if not source:
        return Check("figures", True, "no source to compare")
    missing = missing_figures(source, output, source_lang="zh" if source_lang == "zh" else "en")
    if missing:
        shown = ", ".join(q.text for q in missing[:8]) + (" …" if len(missing) > 8 else "")
        return Check("figures", False, f"{len(missing)} source figure(s) not in output: {shown}")
    return Check("figures", True)


def check_no_chinese(output: str) -> Check:
    """No Chinese characters left in the English output."""
    found = HAN.findall(output)
    if found:
        return Check("no_chinese", False, f"{len(found)} Chinese character(s) left, e.g. {''.join(found[:10])!r}")
    return Check("no_chinese", True)


_TOKEN = re.compile(r"\w+|[^\w\s]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SPACE = re.compile(r"\s")
_LATIN = re.compile(r"[A-Za-z]")


def _possible_spans(toks: list[str], max_span: int) -> set[int]:
    """Spans ``d`` <= ``max_span`` for which some token occurs at positions p, p + d and p + 2d."""
    where: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        where.setdefault(t, []).append(i)
    spans: set[int] = set()
    for pos in where.values():
        if len(pos) < 3:
            continue
        seen = set(pos)
        last = len(pos)
        for k, p in enumerate(pos):
            j = k + 1  # (no slice of the rest: a frequent token would make that quadratic)
            while j < last:
                d = pos[j] - p
                if d > max_span:
                    break
                if pos[j] + d in seen:
                    spans.add(d)
                j += 1
    return spans


def find_loop(text: str, *, max_span: int = 12) -> str | None:
    """The repeated phrase of a repetition loop in ``text``, or None.

    A loop is a span of 1..``max_span`` tokens repeated back to back (a single
    word 4 times, a longer phrase 3 times) or a sentence of 5+ words that occurs twice.

    >>> find_loop("the city of the city of the city of the future")
    'the city of'
    >>> find_loop("more and more firms, more and more funds") is None
    True
    """
    toks = _TOKEN.findall(text.lower()) if text.isascii() else [t.lower() for t in _TOKEN.findall(text)]
    n = len(toks)
    spans = _possible_spans(toks, max_span)
    for span in range(1, max_span + 1):
        need = 4 if span == 1 else 3
        if n < span * need:
            break
        if span not in spans:  # no token stands at i, i + span and i + 2 * span: no loop of this span
            continue
        # positions where a repeat can start (token equal to the one ``span`` later), found in C
        starts = list(compress(range(n - span), map(eq, toks, toks[span:])))
        if not starts:
            continue
        i = starts[0]
        while i + span * need <= n:
            if toks[i] != toks[i + span]:  # no repeat starts here: go to the next position that may
                k = bisect_left(starts, i)
                if k == len(starts):
                    break
                i = starts[k]
                continue
            unit = toks[i:i + span]
            reps = 1
            while toks[i + reps * span:i + (reps + 1) * span] == unit:
                reps += 1
            if reps >= need and any(t.isalnum() for t in unit):
                return " ".join(unit)
            i += 1 if reps == 1 else (reps - 1) * span
    sents = _SENTENCE_END.split(text)
    if len(sents) < 2:  # one sentence cannot repeat
        return None
    seen = set()
    for sent in sents:
        key = " ".join(_TOKEN.findall(sent.lower()))
        if len(key.split()) >= 5:
            if key in seen:
                return sent.strip()
            seen.add(key)
    return None


def check_no_loop(output: str) -> Check:
    """No repetition loop in the output."""
    loop = find_loop(output)
    if loop:
        return Check("no_loop", False, f"repeated: {loop[:80]!r}")
    return Check("no_loop", True)


def check_no_boilerplate(output: str) -> Check:
    """No boilerplate line left in the output."""
    bad = []
    for line in output.splitlines():
        if line.strip():
            reason = boilerplate_reason(line.strip(), "en")
            if reason:
                bad.append(f"{line.strip()[:50]!r} ({reason})")
    if bad:
        return Check("no_boilerplate", False, f"{len(bad)} line(s): " + "; ".join(bad[:3]))
    return Check("no_boilerplate", True)


_CJK_PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uffef，。、；：？！“”‘’（）《》]")


def expected_length(source: str, source_lang: str | None) -> int:
    """Expected characters (no spaces) of an English rendering of ``source``."""
    if source_lang == "zh":
        han = len(HAN.findall(source))
        other = len(_CJK_PUNCT.sub("", HAN.sub("", source)))
        return 3 * han + other
    return len(_SPACE.sub("", source))


def length_ratio(output: str, source: str, source_lang: str | None) -> float:
    """Output characters over the expected length of the source's English (whitespace ignored).

    >>> round(length_ratio("Innovation is the key.", "创新是关键。", "zh"), 2)
    1.27
    """
    return _ratio(output, expected_length(source, source_lang))


def _ratio(output: str, expected: int) -> float:
    return len(_SPACE.sub("", output)) / expected if expected else 0.0


def check_length(output: str, source: str | None, source_lang: str | None) -> Check:
    """Output length within :data:`LENGTH_BOUNDS` of the source's expected English length."""
    if not source or not source.strip():
        return Check("length_ratio", True, "no source to compare")
    short, long_ = LENGTH_BOUNDS["zh" if source_lang == "zh" else "en"]
    exp = expected_length(source, source_lang)
    lo, hi = long_ if exp >= LONG_TEXT else short
    r = _ratio(output, exp)
    return Check("length_ratio", lo <= r <= hi, f"{r:.2f} of expected (bounds {lo}-{hi})")


def mostly_chinese(text: str) -> bool:
    """More Han characters than Latin letters: not English text to rate."""
    return len(HAN.findall(text)) > len(_LATIN.findall(text))


def check_garble(output: str) -> Check:
    """The garble score of the English output is below ``GARBLED_AT``."""
    if mostly_chinese(output):
        return Check("garble", True, "not rated: the output is not English")
    g = garble_score(output)
    return Check("garble", g < GARBLED_AT, f"{g:.2f} (garbled at {GARBLED_AT})")


def run_checks(output: str, *, source: str | None = None, source_lang: str | None = None,
               garble: bool = True) -> list[Check]:
    """All reference-free checks of an English ``output`` (against its ``source`` when given).

    ``source_lang`` is "zh" for a Chinese source, else the source is read as English.
    """
    output = output or ""
    checks = [
        check_figures(output, source, source_lang),
        check_no_chinese(output),
        check_no_loop(output),
        check_no_boilerplate(output),
        check_length(output, source, source_lang),
    ]
    if garble:
        checks.append(check_garble(output))
    return checks


#: run_checks_many spreads at least this many outputs over forked workers
PARALLEL_CHECKS_FROM = 500


def _checks_chunk(job: tuple) -> list[list[Check]]:
    outputs, sources, source_lang, garble = job
    return [run_checks(o, source=s, source_lang=source_lang, garble=garble) for o, s in zip(outputs, sources)]


def check_jobs(outputs, sources, source_lang, garble, parts: int) -> list[tuple]:
    """``outputs`` (with their ``sources``) cut into ``parts`` contiguous jobs for :func:`_checks_chunk`."""
    outputs = list(outputs)
    sources = list(sources) if sources is not None else [None] * len(outputs)
    if len(sources) != len(outputs):
        raise ValueError(f"{len(outputs)} outputs but {len(sources)} sources")
    size = max(1, -(-len(outputs) // max(parts, 1)))
    return [(outputs[i:i + size], sources[i:i + size], source_lang, garble) for i in range(0, len(outputs), size)]


@contextmanager
def checks_running(outputs, *, sources=None, source_lang: str | None = None, garble: bool = True,
                   jobs: int | None = 1) -> Iterator[Callable[[], list[list[Check]]]]:
    """Starts :func:`run_checks` of each output (with its line-aligned source) and yields a
    function that returns their results in order.

    With ``jobs`` > 1 (None: the CPU count), long lists are spread over forked
    worker processes when that is safe (see :func:`eval.parallel.fork_pool`), which
    work while the caller does something else inside the ``with``; otherwise the
    checks run when the results are asked for.  The results are those of a serial run.
    """
    jobs = default_jobs(jobs)
    pool = fork_pool(jobs) if len(outputs) >= PARALLEL_CHECKS_FROM else None
    if pool is None:
        yield lambda: _checks_chunk(check_jobs(outputs, sources, source_lang, garble, 1)[0]) if len(outputs) else []
        return
    with pool:
        futures = [pool.submit(_checks_chunk, job) for job in check_jobs(outputs, sources, source_lang, garble, jobs)]
        yield lambda: [row for f in futures for row in f.result()]


def run_checks_many(outputs, *, sources=None, source_lang: str | None = None, garble: bool = True,
                    jobs: int | None = 1) -> list[list[Check]]:
    """:func:`run_checks` of each output (with its line-aligned source), in order (see :func:`checks_running`)."""
    with checks_running(outputs, sources=sources, source_lang=source_lang, garble=garble, jobs=jobs) as results:
        return results()
