"""Glossary terms guaranteed in the engine's output.

The engine (``mt.engine``) first translates a sentence as it is ("plain") and asks
:meth:`TermEnforcer.settle` whether the model rendered the English of every glossary
term found in it.  For the sentences where it did not, the engine plans the sentence
again in each mode of :data:`ESCALATION` in turn, with :meth:`TermEnforcer.parts`,
until every term comes through:

- "placeholder": each term is replaced by a placeholder (``ZXQA``, ``ZXQB``...) that the
  model copies; each placeholder that comes back exactly once is replaced by its term's
  English;
- "split": the sentence is translated in fragments around the terms, and the terms'
  English is put in between (this always holds).

Only Chinese sources have terms (:meth:`cleanup.terminology.Glossary.find_source_terms`).
A sentence is produced from *parts*: ``("mt", text)`` goes to the model, ``("fixed",
text)`` is put in as it is; the engine translates, batches and caches the "mt" parts.

Example (the shipped glossary; a model that copies its input)::

    >>> from cleanup.terminology import Glossary
    >>> terms = TermEnforcer(Glossary.load(), "zh", "en", mt_parts=lambda text: [("mt", text)])
    >>> hits = terms.find("大连搭建双创平台。")
    >>> [(h.source, h.target) for h in hits]
    [('大连', 'Dalian'), ('双创', 'mass entrepreneurship and innovation')]
    >>> terms.settle("Dalian builds a double platform.", hits, "plain")
    ('Dalian builds a double platform.', False)
    >>> terms.parts("大连搭建双创平台。", hits, "placeholder")
    [('mt', 'ZXQA 搭建 ZXQB 平台。')]
    >>> terms.settle("ZXQA builds a ZXQB platform.", hits, "placeholder")
    ('Dalian builds a mass entrepreneurship and innovation platform.', True)
    >>> terms.settle("ZXQA builds a platform.", hits, "placeholder")[1]
    False
    >>> terms.parts("大连搭建双创平台。", hits, "split")
    [('fixed', 'Dalian'), ('mt', '搭建'), ('fixed', 'mass entrepreneurship and innovation'), ('mt', '平台。')]
    >>> terms.settle("Dalian builds mass entrepreneurship and innovation platforms .", hits, "split")
    ('Dalian builds mass entrepreneurship and innovation platforms.', True)
"""
from __future__ import annotations

import re
from typing import Any, Callable

from mt.segment import bypass_output, normalise

#: The modes tried, in order, for a sentence whose terms did not come through plainly.
ESCALATION = ("placeholder", "split")
_PLACEHOLDER = "ZXQ{}"
_PUNCT_EN = str.maketrans({"，": ",", "。": ".", "、": ",", "；": ";", "：": ":", "！": "!", "？": "?",
                           "（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "《": '"', "》": '"'})

#: ``("mt", model input)`` or ``("fixed", text put in as it is)``.
Part = tuple[str, str]


def _placeholder(i: int) -> str:
    return _PLACEHOLDER.format(chr(65 + i % 26))


class TermEnforcer:
    """The glossary terms of one translation call.

    ``glossary``: a :class:`cleanup.terminology.Glossary` (or anything with
    ``find_source_terms``) or None; ``mt_parts(text)``: the engine's model inputs for a
    text (more than one when it is too long for the model).
    """

    def __init__(self, glossary: Any, src_lang: str, tgt_lang: str, mt_parts: Callable[[str], list[Part]]):
        self.glossary = glossary if src_lang == "zh" else None
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.mt_parts = mt_parts

    def find(self, text: str) -> list[Any]:
        """The glossary terms in a source sentence (``TermHit``: start, end, source, target)."""
        if self.glossary is None:
            return []
        try:
            return list(self.glossary.find_source_terms(text))
        except Exception:  # a broken glossary must not stop translation
            return []

    def parts(self, text: str, hits: list[Any], mode: str) -> list[Part]:
        """How to produce ``text`` with its terms ``hits`` in ``mode`` ("plain" or one of :data:`ESCALATION`)."""
        if not hits or mode == "plain":
            return self.mt_parts(text)
        if mode == "placeholder":
            protected, last = [], 0
            for i, h in enumerate(hits):
                protected.append(text[last:h.start] + " " + _placeholder(i) + " ")
                last = h.end
            protected.append(text[last:])
            return self.mt_parts(normalise("".join(protected)))
        # split around the terms: fragments go to the model, terms are put in as their target text
        parts: list[Part] = []
        last = 0
        for h in hits:
            parts.extend(self._fragment(text[last:h.start]))
            parts.append(("fixed", h.target))
            last = h.end
        parts.extend(self._fragment(text[last:]))
        return parts

    def _fragment(self, text: str) -> list[Part]:
        text = normalise(text)
        if not text:
            return []
        if bypass_output(text, self.src_lang, self.tgt_lang) is not None:
            return [("fixed", text.translate(_PUNCT_EN) if self.tgt_lang == "en" else text)]
        return self.mt_parts(text)

    def settle(self, out: str, hits: list[Any], mode: str) -> tuple[str, bool]:
        """(final output, whether every term came through) of a sentence produced in ``mode``.

        ``out`` is the sentence's parts joined.  "plain": each term's English is there (as
        often as the term, any case); "placeholder": each placeholder is there exactly
        once, and is replaced by its term's English; "split": always (the spaces the join
        left before punctuation go).
        """
        if mode == "split":
            return (re.sub(r"\s+([,.;:!?])", r"\1", out) if self.tgt_lang == "en" else out), True
        if mode == "plain" and hits:  # did the model render every term by itself?
            low = out.lower()
            need: dict[str, int] = {}
            for h in hits:
                need[h.target.lower()] = need.get(h.target.lower(), 0) + 1
            return out, all(low.count(t) >= n for t, n in need.items())
        if mode == "placeholder":
            for i, h in enumerate(hits):
                ph = _placeholder(i)
                if len(re.findall(re.escape(ph), out)) != 1:
                    return out, False
                out = out.replace(ph, h.target)
        return out, True

