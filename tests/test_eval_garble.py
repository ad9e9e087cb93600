"""Garble score: ranks garbled machine translation above fluent English."""
from pathlib import Path

from eval import GARBLED_AT, garble_score
from eval.garble import split_sentences
from tests.wmt_data import wmt_lines

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GARBLED = ("000_93d24b2d31ac7832", "003_cded1adef65ac78b", "004_a3e962ce704494b6")
CLEAN = "002_a925a762f2fa1f6b"


def seed(doc_id):
    return (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")


def auc(pos, neg):
    """Probability that a garbled sentence scores above a clean one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def garbled_sentences():
    return [s for d in GARBLED for s in split_sentences(seed(d)) if len(s.split()) >= 4]


def test_seed_ordering_around_threshold():
    clean = garble_score(seed(CLEAN))
    assert clean < GARBLED_AT
    for d in GARBLED:
        assert garble_score(seed(d)) >= GARBLED_AT, d


def test_score_is_bounded_and_total():
    for t in ["", "   ", "1234", "你好", seed(CLEAN), "the the the the"]:
        assert 0.0 <= garble_score(t) <= 1.0


def test_symptoms_raise_the_score():
    clean = "The company said on Monday that its profits had risen by five percent last year."
    assert garble_score(clean) < GARBLED_AT
    assert garble_score("the company said on Monday that its profits had risen , by five percent last year.") > garble_score(clean)
    assert garble_score(clean + " More and more companies invest, more and more firms hire, more and more Enterprises grow.") > garble_score(clean)


def test_auc_newstest2017_references_vs_garbled_seed_sentences():
    """Garbled seed sentences (50) against every WMT17 reference sentence (1,987 of 4 words or more; the
    reference is committed, see data/wmt/README.md).  Measured 0.751 per sentence (whole documents separate
    fully); the bar sits 0.011 under it: the score has no randomness, so a drop below means a change to
    the garble score ranks garbled sentences worse, about one garbled sentence of 50 falling to the bottom."""
    refs = [s for s in wmt_lines("newstest2017.zh-en.eng") if len(s.split()) >= 4]
    assert len(refs) == 1987
    a = auc([garble_score(s) for s in garbled_sentences()], [garble_score(s) for s in refs])
    assert a > 0.74


class _FakeMatch:
    def __init__(self, rule):
        self.rule_id = rule


class _FakeTool:
    def __init__(self, n):
        self.n = n

    def check(self, text):
        return [_FakeMatch("HE_VERB_AGR")] * self.n + [_FakeMatch("MORFOLOGIK_RULE_EN_US")] * 5


class _FakeGrammar:
    def __init__(self, n):
        self.tool = _FakeTool(n)


def test_languagetool_matches_add_to_the_score_when_available():
    text = "The company said on Monday that its profits had risen by five percent last year."
    base = garble_score(text)
    assert garble_score(text, grammar=_FakeGrammar(0)) == base  # spelling matches are ignored
    assert garble_score(text, grammar=_FakeGrammar(3)) > base
    assert garble_score(text, grammar=type("G", (), {"tool": None})()) == base  # no server: offline score
