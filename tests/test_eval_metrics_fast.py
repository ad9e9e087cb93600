"""The numpy n-gram statistics equal sacrebleu's own extraction, integer for integer."""
import random
from pathlib import Path

import pytest
import sacrebleu
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

import eval.ngram_stats as ng
from eval.metrics import corpus_scores, sentence_chrf

DATA = Path(__file__).parent / "data" / "wmt"
HYP = DATA / "newstest2017.zh-en.opus-mt.head200.eng"
REF = DATA / "newstest2017.zh-en.head200.eng"

# pieces that exercise the tokenizer rules, chrF's punctuation split, odd whitespace and unicode
PIECES = ["the", "The", "cat", "a", "I", ".", ",", "3.5", "4,000", "1990s", "-", "5-6", "e.g.", "U.S.", "(hi)",
          "\"quoted\"", "'", "it's", "&amp;", "&quot;x&quot;", "&lt;", "<skipped>", "x-\ny", "$3", "100%",
          "--", "...", ",,", ".,", "a.", ".a", "a,b", "9.", ".9", "9-", "-9", "{x}", "[y]", "~", "`", "^_^",
          "中国", "经济", "。", "，", "1.2万", "Ünïcödé", "naïve", "é", "ß", "😀", "🇨🇳", "\u00a0", "\u2028",
          "\t", "  ", "\u3000", "x\u200by", "İ", "ﬁ", "\x1c", "@", "#tag", "/", "a/b", ":", "?!", "!",
          "\u0301", "k\u0301"]


def _random_text(rng: random.Random) -> str:
    n = rng.choice([0, 1, 2, 3, 5, 8, 15, 40])
    words = [rng.choice(PIECES) for _ in range(n)]
    seps = [rng.choice([" ", " ", " ", "", "  ", "\t", "\n"]) for _ in range(n)]
    text = "".join(w + s for w, s in zip(words, seps))
    return rng.choice(["", " ", "\n"]) + text if rng.random() < 0.2 else text


def _pairs(n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    hyps = [_random_text(rng) for _ in range(n)]
    refs = [_random_text(rng) if rng.random() < 0.7 else h for h in hyps]  # some identical pairs
    return hyps, refs


def _lines(p):
    return p.read_text(encoding="utf-8").splitlines()


def _sacrebleu_rows(hyps, refs):
    return (sacrebleu.BLEU()._extract_corpus_statistics(hyps, [refs]),
            CHRF(word_order=2)._extract_corpus_statistics(hyps, [refs]),
            CHRF()._extract_corpus_statistics(hyps, [refs]))


def _assert_rows_equal(hyps, refs):
    bleu, chrfpp, chrf = _sacrebleu_rows(hyps, refs)
    assert ng.bleu_stats(hyps, refs) == bleu
    assert ng.chrf_stats(hyps, refs) == chrfpp
    assert ng.chrf_stats(hyps, refs, word_order=0) == chrf


def test_rows_equal_sacrebleu_on_the_newstest_excerpt():
    hyps, refs = _lines(HYP), _lines(REF)
    _assert_rows_equal(hyps, refs)
    # and with hypothesis and reference swapped (different lengths, different clipping)
    _assert_rows_equal(refs, hyps)


@pytest.mark.parametrize("seed", [1, 2])
def test_rows_equal_sacrebleu_on_random_text(seed):
    hyps, refs = _pairs(1000, seed)
    _assert_rows_equal(hyps, refs)


def test_rows_equal_sacrebleu_when_codes_must_be_renumbered(monkeypatch):
    """Large alphabets (or a small integer budget) take the dense renumbering path."""
    hyps, refs = _pairs(400, 7)
    monkeypatch.setattr(ng, "_SAFE", 1 << 20)
    _assert_rows_equal(hyps, refs)
    rng = random.Random(5)
    cjk = ["".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(rng.randrange(0, 30))) for _ in range(300)]
    _assert_rows_equal(cjk[:150], cjk[150:])


def test_tokenizer_and_word_split_equal_sacrebleu():
    hyps, refs = _pairs(2000, 11)
    lines = [t.rstrip() for t in hyps + refs + _lines(HYP)]
    tok = Tokenizer13a()
    assert ng.tokenize_13a(lines) == [tok(t) for t in lines]
    chrf = CHRF(word_order=2)
    assert ng.chrf_words(hyps + refs) == [chrf._remove_punctuation(t) for t in hyps + refs]


def test_edge_cases():
    assert ng.bleu_stats([], []) == [] and ng.chrf_stats([], []) == []
    _assert_rows_equal([""], [""])
    _assert_rows_equal(["a"], [""])
    _assert_rows_equal([""], ["a b c"])
    _assert_rows_equal(["same words here ."] * 3, ["same words here ."] * 3)
    _assert_rows_equal(["a a a a a a a"], ["a a"])  # clipping


def test_scores_equal_sacrebleu_corpus_score_on_random_text():
    hyps, refs = _pairs(1000, 21)
    ours = corpus_scores(hyps, refs, ter=False)
    for name, metric in [("BLEU", sacrebleu.BLEU()), ("chrF2", sacrebleu.CHRF()),
                         ("chrF++", sacrebleu.CHRF(word_order=2))]:
        assert ours[name].score == metric.corpus_score(hyps, [refs]).score, name
    assert sentence_chrf(hyps[:200], refs[:200]) == [
        sacrebleu.CHRF().sentence_score(h, [r]).score for h, r in zip(hyps[:200], refs[:200])]


def _small_vocab_pairs(n: int, seed: int, max_len: int = 60) -> tuple[list[str], list[str]]:
    """Texts over a few words, so that TER tries many shifts."""
    rng = random.Random(seed)
    vocab = "a b c d the of , . x y".split()
    make = lambda: " ".join(rng.choice(vocab) for _ in range(rng.randrange(0, max_len)))  # noqa: E731
    return [make() for _ in range(n)], [make() for _ in range(n)]


def test_ter_statistics_equal_sacrebleu():
    import eval.ter_fast as tf

    hyps, refs = _lines(HYP)[:60], _lines(REF)[:60]
    assert tf.TER()._extract_corpus_statistics(hyps, [refs]) == sacrebleu.TER()._extract_corpus_statistics(hyps, [refs])
    hyps, refs = _small_vocab_pairs(80, 3, max_len=25)
    hyps += ["", "a", "", "x y"]
    refs += ["", "", "a b", "y x"]
    assert tf.TER()._extract_corpus_statistics(hyps, [refs]) == sacrebleu.TER()._extract_corpus_statistics(hyps, [refs])
    # long passages (document scoring): several sentences per segment, wide edit-distance tables
    h, r = _lines(HYP), _lines(REF)
    hyps = [" ".join(h[i:i + 5]) for i in (0, 40)]
    refs = [" ".join(r[i:i + 5]) for i in (0, 40)]
    assert tf.TER()._extract_corpus_statistics(hyps, [refs]) == sacrebleu.TER()._extract_corpus_statistics(hyps, [refs])


def test_parallel_ter_on_a_few_long_segments_keeps_their_order(monkeypatch):
    import eval.metrics.ter as m

    h, r = _lines(HYP), _lines(REF)
    hyps = [" ".join(h[i:i + n]) for i, n in ((0, 1), (10, 4), (20, 2))]
    refs = [" ".join(r[i:i + n]) for i, n in ((0, 1), (10, 4), (20, 2))]
    monkeypatch.setattr(m, "PARALLEL_TER_CHARS", 10)
    assert m.ter_stats(hyps, refs, 2) == m.ter_stats(hyps, refs, 1) \
        == sacrebleu.TER()._extract_corpus_statistics(hyps, [refs])


def test_score_corpus_and_run_checks_many_equal_serial_runs(monkeypatch):
    import eval.checks as ch
    from eval.metrics import corpus_scores as cs
    from eval.scoring import score_corpus

    src = _lines(DATA / "newstest2017.zh-en.head200.zho")[:60]
    hyps, refs = _lines(HYP)[:60], _lines(REF)[:60]
    serial = [ch.run_checks(h, source=s, source_lang="zh") for h, s in zip(hyps, src)]
    monkeypatch.setattr(ch, "PARALLEL_CHECKS_FROM", 10)  # forked workers where that is safe
    assert ch.run_checks_many(hyps, sources=src, source_lang="zh", jobs=2) == serial
    scores, checks = score_corpus(hyps, refs, sources=src, source_lang="zh", jobs=2)
    assert checks == serial
    assert {k: v.score for k, v in scores.items()} == {k: v.score for k, v in cs(hyps, refs, ter=False).items()}
    assert [c.name for c in checks[0]] == ["figures", "no_chinese", "no_loop", "no_boilerplate", "length_ratio", "garble"]
    assert score_corpus(hyps, refs, checks=False)[1] is None
    with pytest.raises(Exception):
        score_corpus(hyps, refs[:-1])


def _plain_find_loop(text, max_span=12):
    """The loop search written plainly (every position, every span), to compare the fast one with."""
    import re

    tok = re.compile(r"\w+|[^\w\s]")
    toks = [t.lower() for t in tok.findall(text)]
    n = len(toks)
    for span in range(1, max_span + 1):
        need = 4 if span == 1 else 3
        i = 0
        while i + span * need <= n:
            if toks[i] != toks[i + span]:
                i += 1
                continue
            unit = toks[i:i + span]
            reps = 1
            while toks[i + reps * span:i + (reps + 1) * span] == unit:
                reps += 1
            if reps >= need and any(t.isalnum() for t in unit):
                return " ".join(unit)
            i += 1 if reps == 1 else (reps - 1) * span
    seen = set()
    for sent in re.split(r"(?<=[.!?])\s+", text):
        key = " ".join(tok.findall(sent.lower()))
        if len(key.split()) >= 5:
            if key in seen:
                return sent.strip()
            seen.add(key)
    return None


def test_loop_search_equals_the_plain_search():
    from eval.checks import find_loop

    rng = random.Random(4)
    words = "a b the city of . , more and".split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 60))) for _ in range(1500)]
    texts += _lines(HYP)
    found = [find_loop(t) for t in texts]
    assert found == [_plain_find_loop(t) for t in texts]
    assert sum(f is not None for f in found) > 20  # the sample has loops to find


def test_the_fast_13a_path_is_taken_with_the_installed_sacrebleu():
    assert ng._13a_agrees()  # else bleu_stats falls back to sacrebleu's per-line tokenizer (still exact, slower)
