"""Garble score: ranks garbled machine translation above fluent English."""
from pathlib import Path

from eval import GARBLED_AT, garble_score
from eval.garble import split_sentences
from tests.wmt_data import wmt_lines

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# 002, the official site's own stiff English, is mildly garbled under shared/labelling.md ("lay a good job",
# "a ballast stone of social stability", run-on sentences): see seeds/manifest.jsonl
GARBLED = ("000_93d24b2d31ac7832", "002_a925a762f2fa1f6b", "003_cded1adef65ac78b", "004_a3e962ce704494b6")


def seed(doc_id):
    return (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")


def auc(pos, neg):
    """Probability that a garbled sentence scores above a clean one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def clean_blocks(size=20):
    """Edited news English the sentence model never saw: the first 2,000 newstest2017 references, ``size`` lines
    a document."""
    lines = wmt_lines("newstest2017.zh-en.eng")[:2000]
    return ["\n".join(lines[i:i + size]) for i in range(0, len(lines), size)]


def garbled_sentences():
    return [s for d in GARBLED for s in split_sentences(seed(d)) if len(s.split()) >= 4]


def test_seed_ordering_around_threshold():
    for d in GARBLED:
        assert garble_score(seed(d)) >= GARBLED_AT, d


def test_newstest2017_reference_blocks_read_clean():
    """100 documents of 20 reference lines (edited news English, never trained on): at most 2 rated garbled
    (2 when the sentence model came in, none with the hand-set score before it)."""
    blocks = clean_blocks()
    assert len(blocks) == 100
    assert sum(garble_score(b) >= GARBLED_AT for b in blocks) <= 2


def test_score_is_bounded_and_total():
    for t in ["", "   ", "1234", "你好", clean_blocks()[0], seed(GARBLED[0]), "the the the the"]:
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


# Word salad written for this test in the manner of literal Chinese-to-English MT (calques, Chinese
# word order) but with clean capitals and punctuation: the surface symptoms say nothing here.
SALAD = ("The whole county cadres and masses went deep into the grassroots to do a good job of the work style "
         "construction. In the new era the county gives full play to the carrier role of the double creation "
         "platform docking. The masses sense of gain is steadily enhanced by the solidly promoted talent work.")


def test_word_salad_fails_the_check_with_or_without_a_doubled_word():
    from eval.checks import check_garble

    doubled = SALAD.replace("platform docking", "platform platform docking")
    assert not check_garble(doubled).ok
    # fixing the doubled word leaves word salad: it must still fail (it passed before the score read the words)
    assert not check_garble(SALAD).ok
    assert garble_score(SALAD) >= GARBLED_AT


def test_cut_off_openings_and_rejoined_paragraphs_change_little():
    text = seed("004_a3e962ce704494b6")
    paras = [p for p in text.splitlines() if p.strip()]
    capitalised = "\n".join(p[:1].upper() + p[1:] for p in paras)
    rejoined = " ".join(paras)
    g = garble_score(text)
    assert garble_score(capitalised) >= GARBLED_AT
    assert garble_score(text, without=("lower_start",)) >= GARBLED_AT
    assert abs(garble_score(rejoined) - g) < 0.15
    clean = clean_blocks()[0]
    assert garble_score(clean) < GARBLED_AT
    lowered = "\n".join(p[:1].lower() + p[1:] for p in clean.splitlines())
    assert garble_score(lowered) < GARBLED_AT  # a scrape that cut every opening is not garbled for it


def test_sentence_auc_on_committed_references_reads_the_words():
    """Each sentence alone, without the lowercase-start evidence: newstest2017 references (never trained on)
    against the garbled seed sentences (training data of the sentence model, see eval.garble_train)."""
    from eval.garble import sentence_log_odds

    refs = [s for s in wmt_lines("newstest2017.zh-en.eng") if len(s.split()) >= 4]
    pos = [sentence_log_odds(s, without=("lower_start",)) for s in garbled_sentences()]
    neg = [sentence_log_odds(s, without=("lower_start",)) for s in refs]
    assert auc(pos, neg) > 0.85


def test_glued_sentences_are_scored_apart():
    from eval.garble import scoring_sentences

    assert scoring_sentences("It rained.Farmers waited.") == ["It rained.", "Farmers waited."]
    assert scoring_sentences("See chinadaily.com.cn for more.") == ["See chinadaily.com.cn for more."]


def test_degenerate_repetition_is_garbled():
    text = "\n\n".join(["the the the development development of of the the zone zone zone high high tech tech"] * 3)
    assert garble_score(text) >= GARBLED_AT
    assert garble_score("He said that that was the case, and the company agreed on Monday.") < GARBLED_AT
