"""Garble score: how much an English text reads like garbled machine translation.

Offline and fast.  Each sentence is scored on its own by a learned model
(:mod:`eval.garble_model`, trained by ``python -m eval.garble_train`` on clean
news English and the development corpus of real pages): hashed word, word-pair
and function-word-skeleton n-grams that read the words, plus counts of symptoms
of word-for-word Chinese-to-English machine translation that fluent news English
(WMT newstest references, edited official English) rarely shows:

- ``lower_start``: sentences that begin in lowercase (a fragment cut off its head);
- ``isolated_cap``: a common word capitalised mid-phrase (``high tech Zone``, ``more Invention patent``);
- ``cap_function``: a function word capitalised mid-sentence (``in the Jinmen, And``);
- ``more_and_more``: the calque "more and more" beyond its occasional use;
- ``broken_punct``: space before punctuation, ``((``, empty quotes, ``……``, stray dashes;
- ``unbalanced``: a sentence with unbalanced quotes or brackets;
- ``doubled_word``: the same word twice in a row (``Workstation Workstation``);
- ``digit_pronoun``: a bare figure used as a subject (``1 who was elected``);
- ``bad_agreement``: plural subject with a singular verb and the like (``companies becomes``, ``many city``);
- ``verb_start``: a sentence opening with a bare policy verb (``Adhere to…``, ``Strengthen the…``);
- ``run_on``: very long sentences (over 60 words) strung together with commas;
- ``topic_comment``: Chinese topic-comment order or a dropped subject (``Innovation and
  development, talent is the key.``, ``… Bureau said, will implement …``);
- ``calque``: literal renderings of Chinese officialese and names (:data:`CALQUES`,
  and the garbled renderings of ``cleanup/data/glossary.tsv``).

A document's score is the calibrated, word-weighted mean of its sentences' log-odds
(calibrated on the development pages and WMT reference documents, out of fold; the
mean starts from ``PRIOR_WORDS`` words of clean English), so a cut-off paragraph opening
or two rejoined paragraphs move it little; the learned model gives the lowercase
start no weight.  Without the model file the hand-set ``WEIGHTS`` below are used
(weighted sum through ``1 - exp(-x)``).  See ``tests/test_eval_garble.py`` and
``bench/realpages_garble.py`` for the figures.

>>> garble_score("The company said on Monday that profits rose 5% last year.") < GARBLED_AT
True
>>> garble_score("the level of innovation greatly improved , more and more Enterprises becomes the main body. ((") > GARBLED_AT
True
"""
from __future__ import annotations

import math
import re
from array import array
from functools import lru_cache

import numpy as np

#: garble_score at or above this rates a text as garbled machine translation.
GARBLED_AT = 0.5

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# a sentence ends at . ! ? … (and closing quotes) followed by space and not by a lowercase word
# ("i.e. where", "a "who cares?" backlash" stay whole)
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?![a-z])")

FUNCTION_WORDS = frozenset(
    "the a an of and or but to in on at for with by from as into onto upon about than then so nor yet "
    "is are was were be been being am has have had do does did will would shall should can could may might must "
    "that this these those which who whom whose what it its their them they his her he she our we us you your "
    "not no also very more most such there here when where while if because although though".split()
)
# Words that may legitimately take a capital mid-sentence in news English
_CAP_OK_AFTER = frozenset(
    "said says say told according president minister mr mrs ms dr prof general secretary chairman governor "
    "mayor director chief premier king queen prince saint st mount lake river".split()
)
_POLICY_VERBS = frozenset(
    "adhere strengthen establish build built promote improve enhance accelerate implement deepen "
    "optimize optimise insist persist focus vigorously comprehensively further continue guide "
    "encourage cultivate innovate create shape carry uphold".split()
)
# endings of common nouns and adjectives, which take no capital inside a phrase
_COMMON_SUFFIX = re.compile(r"(tions?|ments?|ships?|ities|ity|ances?|ences?|ness|isms?|ives?|ous|ials?|ings?|zones?)$")
_MONTH_WORDS = frozenset({"May", "March"})
_SINGULAR_VERBS = frozenset("becomes makes has is was does goes takes gives shows plays remains needs".split())
_PLURAL_DETS = frozenset("many several various numerous multiple these those".split())
_PREPOSITIONS = frozenset("of in on at for with between among from by to about into across under over than".split())

WEIGHTS = {
    "lower_start": 2.0,  # per sentence
    "isolated_cap": 0.35,  # per 100 words
    "cap_function": 0.6,  # per 100 words
    "more_and_more": 0.5,  # per 100 words
    "broken_punct": 1.5,  # per sentence
    "unbalanced": 1.0,  # per sentence
    "doubled_word": 3.0,  # per sentence
    "digit_pronoun": 3.0,  # per sentence
    "bad_agreement": 3.0,  # per sentence
    "verb_start": 1.2,  # per sentence
    "run_on": 0.6,  # per sentence
    "topic_comment": 2.0,  # per sentence
    "calque": 1.0,  # per sentence
}

_OPENERS = (
    "In|On|At|For|With|After|Since|When|If|As|Although|However|But|And|So|Then|Meanwhile|Yet|Still|Now|Today|"
    "Yesterday|Last|This|That|Here|There|Of|By|From|To|Under|Over|During|Before|Unlike|Like|Besides|Instead|Once|"
    "While|Because|Though|Even|Also|Thus|Therefore|Moreover|Furthermore|Overall|Finally|First|Second|Third|Indeed|"
    "Already|Again|Sometimes|Often|Recently|Currently|Previously|Otherwise|Nevertheless|Nonetheless|According|"
    "Despite|Following|Among|Amid|Through|Throughout|Within|Without|Against|Across|Around|Until|Upon|Beyond|Up"
)
# "Innovation and development, talent is the key.": a verbless topic, a comma, then the clause
_TOPIC_COMMENT = re.compile(
    rf"^(?!(?:{_OPENERS})\b)[A-Z][a-z]+(?: [a-z]+){{1,5}}, (?!(?:which|who|whom|whose|as|it|they|he|she|we|i|there|this|that)\b)"
    r"(?:the |a |an )?[a-z]+ (?:is|are|was|were|has|have)\b"
)
# "... the Bureau said, will implement ...": the subject of the reported clause is missing
_DROPPED_SUBJECT = re.compile(
    r"(?<!\bhe )(?<!\bshe )(?<!\bthey )(?<!\bit )(?<!\bwe )(?<!\bi )\b(?:said|says|stated|pointed out|emphasi[sz]ed|noted)\s*,\s*"
    r"(?:will|would|is|are|has|have|should|must|can|shall)\b", re.I)


# Literal renderings of Chinese officialese that edited English news rewrites (``做好`` "do a good job",
# ``发挥…作用`` "give full play", ``群众`` "the masses", ``获得感`` "sense of gain", ``深入`` "go deep into"...),
# plus the garbled renderings of cleanup/data/glossary.tsv (``double creation``, ``inner river``).
CALQUES = (
    "do a good job", "did a good job", "doing a good job", "give full play", "gave full play", "giving full play",
    "it is necessary to", "in an all-round way", "the masses", "broad masses", "cadres and masses", "cadres and the masses",
    "sense of gain", "positive energy", "go deep into", "went deep into", "goes deep into", "going deep into",
    "earnestly", "conscientiously", "unswervingly", "solidly", "responsible comrades", "my county", "my city",
    "my country", "firmly grasp", "grasp the", "hidden dangers", "work style", "main body", "docking", "the supreme leader",
    "public entrepreneurship", "the double era", "double creation", "people plan", "inner river", "three rural",
    "four sets of", "one belt one road",
)


def _calque_pattern():
    words = set(CALQUES)
    from pathlib import Path
    gl = Path(__file__).resolve().parent.parent / "cleanup" / "data" / "glossary.tsv"
    try:
        for line in gl.read_text(encoding="utf-8").splitlines():
            src = line.split("\t", 1)[0].strip()
            if not (src and not src.startswith("#") and src.isascii() and src[0].isalpha() and "\t" in line):
                continue
            tgt = line.split("\t")[1].lower()
            # spelling variants of a standard term (hi-tech zone, fourteenth five-year plan) are no calques
            if "zone" in src.lower() or "five-year" in src.lower() or set(re.split(r"[\s-]+", src.lower())) <= set(re.split(r"[\s-]+", tgt)):
                continue
            words.add(src.lower())
    except OSError:
        pass
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alts})\b", re.I)


_CALQUE = _calque_pattern()
# a calque can only be present where one of its words is: test that cheaply first
_CALQUE_WORDS = frozenset(w for w in re.findall(r"[a-z]+", _CALQUE.pattern.replace("\\", " ")) if len(w) > 3)

# per-sentence patterns, compiled once
_LOWER_START = re.compile(r"[\"“‘(\[]?[a-z]")
_FRESH_START = re.compile(r"[:;\"“‘'(\[—–-]")
_NON_SPACE = re.compile(r"[^\s]")
_MORE_AND_MORE = re.compile(r"\bmore and more\b", re.I)
_BROKEN_PUNCT = re.compile(r"\w \s*[,.;:!?](?!\d)|\(\(|\)\)|\"\s*\"|“\s*”|……|\.\.(?!\.)|[,;]\s*[,;.]|^[,;.:]")
_DIGIT_PRONOUN_START = re.compile(r"\d+ (who|which|that)\b")
_DIGIT_PRONOUN = re.compile(r"[;,] \d+ (who|which)\b")


_REPORTING = ("said", "says", "stated", "pointed out", "emphasi", "noted")


def _may_drop_subject(s: str) -> bool:
    """A cheap necessary condition for :data:`_DROPPED_SUBJECT` (its regex scans every position)."""
    if "," not in s:
        return False
    if not s.isascii():  # case-insensitive matching beyond ASCII: let the regex decide
        return True
    low = s.lower()
    return any(w in low for w in _REPORTING)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: each line/paragraph split after ., !, ? or … followed by space.

    >>> split_sentences("One. Two!\\nthree")
    ['One.', 'Two!', 'three']
    """
    out = []
    for para in text.splitlines():
        para = para.strip()
        if para:
            out.extend(s.strip() for s in _SENT_END.split(para) if s.strip())
    return out


def _sentence_counts(s: str) -> dict[str, float]:
    # Words share one string object per distinct word and their offsets sit in arrays, so a
    # "sentence" of millions of words (hard-wrapped text without a full stop) costs a few
    # bytes per word instead of a tuple and two strings each.
    pool: dict[str, str] = {}
    words: list[str] = []
    starts, ends = array("q"), array("q")
    for m in _WORD.finditer(s):
        w = m.group(0)
        words.append(pool.setdefault(w, w))
        starts.append(m.start())
        ends.append(m.end())
    c = dict.fromkeys(WEIGHTS, 0.0)
    if not words:
        return c
    if _LOWER_START.match(s):
        c["lower_start"] = 1
    lowered = {w: w.lower() for w in pool}
    low = [lowered[w] for w in words]
    del pool, lowered
    # a headline in Title Case capitalises everything: no capitalisation evidence there
    title_case = sum(w[0].isupper() for w in words) > 0.6 * len(words)
    for i in range(1, len(words)):
        w, prev = words[i], words[i - 1]
        lead = s[ends[i - 1]:starts[i]]  # what stands between the two words
        # a quote, colon or bracket may start anew
        if w[0].isupper() and not w.isupper() and not title_case and not _FRESH_START.search(lead):
            nxt_low = i + 1 < len(words) and words[i + 1][0].islower()
            if low[i] in FUNCTION_WORDS and w not in _MONTH_WORDS and nxt_low:  # not "The Washington Post"
                c["cap_function"] += 1
            nxt = words[i + 1] if i + 1 < len(words) else ""
            prev_lower = prev[0].islower() and low[i - 1] not in FUNCTION_WORDS
            if prev_lower and low[i - 1] not in _CAP_OK_AFTER and (not nxt or nxt[0].islower()) \
                    and _COMMON_SUFFIX.search(low[i]):
                c["isolated_cap"] += 1
        if low[i] == low[i - 1] and low[i] not in ("had", "that", "very", "ha", "no") and not _NON_SPACE.search(lead):
            c["doubled_word"] = 1
        if low[i] in _SINGULAR_VERBS and prev.lower().endswith(("ies", "ses", "nies")) and prev[0].islower() \
                and not _PREPOSITIONS.intersection(low[max(0, i - 4):i - 1]):  # "trust between the countries has"
            c["bad_agreement"] = 1
        if low[i - 1] in _PLURAL_DETS and w[0].islower() and not low[i].endswith("s") and low[i] not in FUNCTION_WORDS \
                and i + 1 < len(words) and low[i + 1] in ("and", "or", "to", "of", "in", "is"):
            c["bad_agreement"] = 1
    c["more_and_more"] = len(_MORE_AND_MORE.findall(s))
    if _BROKEN_PUNCT.search(s):
        c["broken_punct"] = 1
    if _DIGIT_PRONOUN_START.match(s) or _DIGIT_PRONOUN.search(s):
        c["digit_pronoun"] = 1
    if low[0] in _POLICY_VERBS and len(words) > 3 and words[0][0].isupper() and low[1] not in ("by", "said"):
        c["verb_start"] = 1
    if len(words) > 60 and s.count(",") >= 5:
        c["run_on"] = 1
    if _TOPIC_COMMENT.search(s) or (_may_drop_subject(s) and _DROPPED_SUBJECT.search(s)):
        c["topic_comment"] = 1
    if not _CALQUE_WORDS.isdisjoint(p for w in low for p in w.split("-")):
        c["calque"] = float(len(_CALQUE.findall(s)))
    return c


_PER_WORD = ("isolated_cap", "cap_function", "more_and_more")


def _unbalanced(line: str) -> bool:
    """Quotes or brackets left open in a line (a quote may span sentences, not lines)."""
    return bool(line.count('"') % 2 or line.count("(") != line.count(")") or line.count("“") != line.count("”"))


def garble_features(text: str) -> dict[str, float]:
    """Feature rates of ``text``: per 100 words for word features, per sentence for the rest."""
    sents = split_sentences(text)
    n_words = sum(sum(1 for _ in _WORD.finditer(s)) for s in sents)
    total = dict.fromkeys(WEIGHTS, 0.0)
    for s in sents:
        for k, v in _sentence_counts(s).items():
            total[k] += v
    total["unbalanced"] = float(sum(_unbalanced(line) for line in text.splitlines()))
    if not sents or not n_words:
        return total
    return {k: (v * 100 / max(n_words, 30) if k in _PER_WORD else v / len(sents)) for k, v in total.items()}


#: weight of LanguageTool grammar matches per 100 words, when a server is available
LANGUAGETOOL_WEIGHT = 0.08
_LT_IGNORED = re.compile(r"^(MORFOLOGIK_RULE_\w+|HUNSPELL\w*|EN_QUOTES|DASH_RULE|WHITESPACE_RULE|COMMA_PARENTHESIS_WHITESPACE)$")


def grammar_error_rate(text: str, grammar) -> float | None:
    """LanguageTool matches per 100 words (spelling and typography left out), or None without a server.

    ``grammar`` is a ``cleanup.grammar.Grammar`` (or anything with ``.tool.check(text)``).
    """
    tool = getattr(grammar, "tool", None)
    n_words = len(_WORD.findall(text))
    if tool is None or not n_words:
        return None
    try:
        matches = tool.check(text)
    except Exception:  # noqa: BLE001 - a grammar server failure never breaks scoring
        return None
    rule = lambda m: getattr(m, "rule_id", None) or getattr(m, "ruleId", "") or ""  # noqa: E731
    return 100.0 * sum(1 for m in matches if not _LT_IGNORED.match(rule(m))) / n_words


@lru_cache(maxsize=4096)
def _offline_x(text: str, without: tuple = ()) -> float:
    """The hand-weighted symptom sum (the score when the learned model is absent)."""
    f = garble_features(text)
    return sum(WEIGHTS[k] * v for k, v in f.items() if k not in without)


def _dense(s: str, names: tuple, without: tuple) -> list[float]:
    c = _sentence_counts(s)
    c["unbalanced"] = float(_unbalanced(s))
    return [0.0 if k in without else min(float(c.get(k, 0.0)), 3.0) for k in names]


def sentence_log_odds(sentence: str, without=()) -> float:
    """Log-odds that one sentence is garbled machine translation (the learned model; see eval.garble_model).

    >>> sentence_log_odds("The company said on Monday that profits rose 5% last year.") < 0
    True
    """
    return _sentence_log_odds(sentence, tuple(sorted(without)))


@lru_cache(maxsize=65536)
def _sentence_log_odds(sentence: str, without: tuple) -> float:
    from eval.garble_model import hashed_indices, load_model

    m = load_model()
    if m is None:
        x = _offline_x(sentence, without)
        return math.log(max(1.0 - math.exp(-x), 1e-6)) - math.log(max(math.exp(-x), 1e-6))
    z = m.bias + float(np.dot(m.dense, _dense(sentence, m.dense_names, without)))
    idx, v = hashed_indices(sentence, m.vocab)
    if idx:
        z += v * float(m.hashed[idx].sum(dtype=np.float64))
    return z


def sentence_score(sentence: str, without=()) -> float:
    """How garbled one sentence reads, in [0, 1]: the sentence model's probability (no document calibration)."""
    if not sentence or not _WORD.search(sentence):
        return 0.0
    z = sentence_log_odds(sentence, without)
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def _words(s: str) -> int:
    return len(_WORD.findall(s))


# scraped pages often lose the space between sentences ("...research.County party committee...")
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])|(?<=[.!?][\"”’])(?=[A-Z][a-z])")


def scoring_sentences(text: str) -> list[str]:
    """The sentences the score reads: :func:`split_sentences`, also split where a page glued two together.

    >>> scoring_sentences("It rained.Farmers waited. Then it stopped.")
    ['It rained.', 'Farmers waited.', 'Then it stopped.']
    """
    out = []
    for s in split_sentences(text):
        out.extend(p.strip() for p in _GLUED.split(s) if p.strip())
    return out


#: the document mean starts from this many words (about one news sentence) of typical clean English
#: (log-odds of a clean news sentence): a text of a line or two carries little evidence and is not called
#: garbled on it alone (one clean sentence checked on its own, as ``eval.checks`` does per segment, stays clean)
PRIOR_WORDS = 20
PRIOR_LOG_ODDS = -3.0
#: a text in which this share of words repeat the word before ("the the the development development")
#: is rated garbled with these log-odds, whatever its sentences score
REPEATED_SHARE = 0.25
REPEATED_LOG_ODDS = 5.0


@lru_cache(maxsize=4096)
def _doc_log_odds(text: str, without: tuple) -> float:
    """Document log-odds: the calibrated, word-weighted mean of its sentences' log-odds.

    Sentences are scored one by one, so a paragraph cut off at its head or two
    paragraphs rejoined change only the sentences they touch.
    """
    from eval.garble_model import load_model

    m = load_model()
    if m is None:
        x = _offline_x(text, without)
        p = 1.0 - math.exp(-x)
        return math.log(max(p, 1e-6)) - math.log(max(1.0 - p, 1e-6))
    words = [w.lower() for w in _WORD.findall(text)]
    repeats = sum(a == b for a, b in zip(words, words[1:]))
    if repeats >= 3 and repeats >= REPEATED_SHARE * len(words):
        return REPEATED_LOG_ODDS  # degenerate repetition, which no training text showed: garbled outright
    num, den = PRIOR_WORDS * PRIOR_LOG_ODDS, PRIOR_WORDS
    for s in scoring_sentences(text):
        n = _words(s)
        if not n:
            continue
        w = min(n, 40)
        num += w * _sentence_log_odds(s, without)
        den += w
    return m.doc_a * (num / den) + m.doc_b


def clear_caches() -> None:
    """Forget cached scores (benchmarks start cold)."""
    _offline_x.cache_clear()
    _sentence_log_odds.cache_clear()
    _doc_log_odds.cache_clear()


def garble_score(text: str, grammar=None, without=()) -> float:
    """How garbled ``text`` reads, in [0, 1]: 0 fluent, towards 1 garbled machine translation.

    Works offline; at or above :data:`GARBLED_AT` a text is rated garbled.  The
    score is a calibrated probability: each sentence gets log-odds from the
    learned model (:mod:`eval.garble_model`: word and function-word sequences
    plus the symptom counts above), the document the calibrated mean.  Short
    texts (a sentence) are scored with the same model, so single sentences can
    be ranked too.  ``without`` leaves named symptom features out (e.g.
    ``("lower_start",)``).  With ``grammar`` (a LanguageTool connection,
    ``cleanup.grammar.open_grammar(url)``), grammar matches per 100 words add
    to the evidence.
    """
    if not text or not _WORD.search(text):
        return 0.0
    x = _doc_log_odds(text, tuple(sorted(without)))
    if grammar is not None:
        rate = grammar_error_rate(text, grammar)
        if rate:
            x += LANGUAGETOOL_WEIGHT * rate * 4
    return 1.0 / (1.0 + math.exp(-max(min(x, 30.0), -30.0)))


def garble_reasons(text: str, top: int = 3) -> list[str]:
    """The features that contribute most to the score of ``text``, strongest first.

    ``wording`` stands for the learned word and function-word sequences (see eval.garble_model).
    """
    from eval.garble_model import hashed_features, load_model

    m = load_model()
    if m is None:
        f = garble_features(text)
        contrib = sorted(((WEIGHTS[k] * v, k) for k, v in f.items() if v), reverse=True)
        return [k for _, k in contrib[:top]]
    sents = [s for s in scoring_sentences(text) if _words(s)]
    if not sents:
        return []
    totals = dict.fromkeys(m.dense_names, 0.0)
    wording = 0.0
    for s in sents:
        for k, w, v in zip(m.dense_names, m.dense, _dense(s, m.dense_names, ())):
            totals[k] += float(w) * v
        for k, v in hashed_features(s, m.vocab).items():
            wording += float(m.hashed[k]) * v
    totals["wording"] = wording
    contrib = sorted(((v / len(sents), k) for k, v in totals.items() if v > 0), reverse=True)
    return [k for _, k in contrib[:top]]
