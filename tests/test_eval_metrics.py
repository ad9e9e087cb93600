"""Metrics through sacrebleu: our wrappers give sacrebleu's own numbers and signatures."""
from pathlib import Path

import pytest
import sacrebleu

from eval.metrics import corpus_scores, score_line, scores_from_stats, segment_stats, sentence_chrf
from mt.cli import main
from mt.errors import UserError
from tests.wmt_data import wmt_text

DATA = Path(__file__).parent / "data" / "wmt"
HYP = DATA / "newstest2017.zh-en.opus-mt.head200.eng"
REF = DATA / "newstest2017.zh-en.head200.eng"


def _lines(p):
    return p.read_text(encoding="utf-8").splitlines()


def test_excerpt_matches_sacrebleu_api():
    hyps, refs = _lines(HYP), _lines(REF)
    ours = corpus_scores(hyps, refs, ter=False)
    ours["TER"] = corpus_scores(hyps[:50], refs[:50])["TER"]  # TER is slow; 50 lines suffice
    for name, metric in [("BLEU", sacrebleu.BLEU()), ("chrF2", sacrebleu.CHRF()),
                         ("chrF++", sacrebleu.CHRF(word_order=2)), ("TER", sacrebleu.TER())]:
        n = 50 if name == "TER" else len(hyps)
        theirs = metric.corpus_score(hyps[:n], [refs[:n]])
        assert ours[name].score == pytest.approx(theirs.score, abs=1e-9), name
        assert ours[name].signature.endswith(str(metric.get_signature())), name
    assert ours["BLEU"].signature.startswith("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|")
    assert ours["chrF++"].signature.startswith("chrF2++|") and "nw:2" in ours["chrF++"].signature


def test_per_document_and_sentence_scores_are_sacrebleu_on_the_subset():
    hyps, refs = _lines(HYP)[:40], _lines(REF)[:40]
    st = segment_stats(hyps, refs, ter=False)
    sub = scores_from_stats(st, range(10, 25))
    assert sub["BLEU"].score == pytest.approx(sacrebleu.BLEU().corpus_score(hyps[10:25], [refs[10:25]]).score)
    assert sub["chrF2"].score == pytest.approx(sacrebleu.CHRF().corpus_score(hyps[10:25], [refs[10:25]]).score)
    sc = sentence_chrf(hyps[:5], refs[:5])
    assert sc == pytest.approx([sacrebleu.CHRF().sentence_score(h, [r]).score for h, r in zip(hyps[:5], refs[:5])])


def test_identical_and_unrelated_segments():
    s = corpus_scores(["The cat sat on the mat."], ["The cat sat on the mat."])
    assert s["BLEU"].score == pytest.approx(100) and s["TER"].score == pytest.approx(0)
    s = corpus_scores(["Completely different words here."], ["The cat sat on the mat."], ter=False)
    assert s["BLEU"].score < 10 and s["chrF2"].score < 25


def test_misaligned_files_are_a_user_error():
    with pytest.raises(UserError):
        corpus_scores(["a", "b"], ["a"])


def test_score_command_first_line_format(capsys):
    assert main(["score", str(HYP), "--ref", str(REF)]) == 0
    out = capsys.readouterr().out.splitlines()
    s = corpus_scores(_lines(HYP), _lines(REF), ter=False)
    assert out[0] == score_line(s)
    assert out[0].split()[0::2] == ["BLEU", "chrF2", "chrF++"]
    assert any(line.startswith("BLEU|nrefs:1|") for line in out[1:])


def test_score_command_bad_input_exits_2(tmp_path, capsys):
    (tmp_path / "h").write_text("a\nb\n")
    (tmp_path / "r").write_text("a\n")
    assert main(["score", str(tmp_path / "h"), "--ref", str(tmp_path / "r")]) == 2
    assert main(["score", str(tmp_path / "missing"), "--ref", str(tmp_path / "r")]) == 2
    assert "error" in capsys.readouterr().err


def _published(eval_file: Path) -> dict[str, float]:
    """The scores of a leaderboard ``.eval`` file: {"BLEU": 19.8, "chrF2": 49.408, "chrF2++": 46.749}."""
    got = {}
    for line in eval_file.read_text(encoding="utf-8").splitlines():
        name, _, rest = line.partition("|")
        value = float(rest.split("= ", 1)[1].split()[0]) if "= " in rest else None
        if name == "BLEU" and "tok:13a" in rest:
            got["BLEU"] = value
        elif name in ("chrF2", "chrF2++"):
            got[name] = value * 100  # published as a fraction
    return got


def test_published_opus_mt_scores_reproduced(capsys, tmp_path):
    """The full newstest2017 output of opus-mt-zh-en and the reference (committed, xz; see data/wmt/README.md)
    give the published BLEU, chrF2 and chrF++ of its leaderboard entry (sacrebleu 2.3.1)."""
    hyp, ref = tmp_path / "hyp.eng", tmp_path / "ref.eng"
    hyp.write_text(wmt_text("newstest2017.zh-en.opus-mt-2020-07-14.alt.eng"), encoding="utf-8")
    ref.write_text(wmt_text("newstest2017.zh-en.eng"), encoding="utf-8")
    assert len(_lines(hyp)) == len(_lines(ref)) == 2001
    published = _published(DATA / "newstest2017.zh-en.opus-mt-2020-07-14.alt.eng.eval")
    assert published == pytest.approx({"BLEU": 19.8, "chrF2": 49.408, "chrF2++": 46.749})
    assert main(["score", str(hyp), "--ref", str(ref), "--no-signature"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    _, bleu, _, chrf2, _, chrfpp = line.split()
    # within the rounding of the published figure (BLEU to 0.1) and of ours (to 0.01)
    assert abs(float(bleu) - published["BLEU"]) <= 0.05 + 0.005
    assert abs(float(chrf2) - published["chrF2"]) <= 0.005 + 0.0005
    assert abs(float(chrfpp) - published["chrF2++"]) <= 0.005 + 0.0005


def test_parallel_ter_equals_serial(monkeypatch):
    import eval.metrics.ter as m

    hyps, refs = _lines(HYP)[:40], _lines(REF)[:40]
    monkeypatch.setattr(m, "PARALLEL_TER_FROM", 10)
    assert m.ter_stats(hyps, refs, 2) == m.ter_stats(hyps, refs, 1)


def test_score_command_json_and_source_checks(capsys):
    assert main(["score", str(HYP), "--ref", str(REF), "--json"]) == 0
    import json

    d = json.loads(capsys.readouterr().out)
    assert set(d) == {"BLEU", "chrF2", "chrF++"} and d["BLEU"]["signature"].startswith("BLEU|")
    src = DATA / "newstest2017.zh-en.head200.zho"
    assert main(["score", str(HYP), "--ref", str(REF), "--no-signature", "--source", str(src)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].startswith("checks fired: ")
