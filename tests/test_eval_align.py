"""Passage alignment and scoring against reference passages."""
from pathlib import Path

import pytest

from eval import load_references, score_document
from eval.align import align_passages, align_text
from mt.errors import UserError

ROOT = Path(__file__).resolve().parents[1]

REFERENCE = [
    "The zone now has 34 maker spaces, 16 of them national-level. It also has 12 incubators and 9 accelerators.",
    "In 2017 the zone raised its maximum grant from 2 million yuan to 10 million yuan.",
    "Innovation is the primary driving force of development.",
]


def test_windows_found_when_output_splits_and_merges_sentences():
    output = [
        "Innovation is the first driving force for development.",  # 2
        "Other news followed.",
        "In 2017, the zone raised the maximum grant.",  # 1, split in two
        "It went from 2 million yuan to 10 million yuan.",
        "The zone has 34 maker spaces, 16 of them national-level, as well as 12 incubators and 9 accelerators.",  # 0, merged
        "The weather was fine.",
    ]
    al = align_passages(output, REFERENCE)
    assert [(a.start, a.end) for a in al] == [(4, 5), (2, 4), (0, 1)]
    assert all(a.matched for a in al)


def test_passage_missing_from_output_is_unmatched():
    al = align_passages(["The weather was fine in Dalian.", "Gymnastics results follow."], REFERENCE)
    assert not any(a.matched for a in al)
    assert all(a.hypothesis == "" for a in al)


def test_score_document_reports_unmatched_and_signatures():
    output = ("Innovation is the primary driving force of development. The zone has 34 maker spaces, 16 of them "
              "national-level. It also has 12 incubators and 9 accelerators.")
    sc = score_document(output, REFERENCE)
    assert sc["unmatched"] == ["1"]
    assert sc["coverage"] == pytest.approx(2 / 3, abs=1e-3)
    assert sc["signatures"]["BLEU"].startswith("BLEU|nrefs:1|") and "TER" in sc["signatures"]
    full = score_document(output + " In 2017 the zone raised its maximum grant from 2 million yuan to 10 million yuan.", REFERENCE)
    assert full["unmatched"] == [] and full["chrF2"] > sc["chrF2"]
    assert score_document(output, []) == {}


def test_seed_references_load_and_cover_their_spans():
    refs = load_references(ROOT / "seeds" / "references")
    assert set(refs) == {p.stem for p in (ROOT / "seeds").glob("0*.txt")}
    for doc_id, passages in refs.items():
        lines = (ROOT / "seeds" / f"{doc_id}.txt").read_text(encoding="utf-8").splitlines()
        assert 3 <= len(passages)
        for p in passages:
            a, b = p.span["lines"]
            assert p.span["starts"] in "\n".join(lines[a - 1:b]), p.id
            assert p.kind in {"translation", "rewrite", "edit"}


def test_seed_rewrite_aligns_to_its_own_span():
    refs = load_references(ROOT / "seeds" / "references")
    text = (ROOT / "seeds" / "004_a3e962ce704494b6.txt").read_text(encoding="utf-8")
    sentences, al = align_text(text, [p.text for p in refs["004_a3e962ce704494b6"]])
    assert all(a.matched for a in al)
    assert "More and more companies" in sentences[al[1].start]


def test_bad_reference_file_is_a_user_error(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"id": 1}\n')
    with pytest.raises(UserError):
        load_references(tmp_path)
    with pytest.raises(UserError):
        load_references(tmp_path / "missing")


def test_score_document_accepts_passage_dicts():
    refs = load_references(ROOT / "seeds" / "references")["002_a925a762f2fa1f6b"]
    text = (ROOT / "seeds" / "002_a925a762f2fa1f6b.txt").read_text(encoding="utf-8")
    a = score_document(text, refs, ter=False)
    b = score_document(text, [p.to_dict() for p in refs], ter=False)
    assert a == b and a["chrF2"] > 60 and [r["id"] for r in a["passages"]] == ["002-1", "002-2", "002-3"]
