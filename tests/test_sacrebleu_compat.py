"""The sacrebleu versions the adapter supports, and every private name it relies on."""
from __future__ import annotations

import sacrebleu

from eval import sacrebleu_compat as sb
from eval.metrics import corpus_scores


def test_installed_sacrebleu_is_a_supported_version():
    # pinned: pyproject.toml asks for the same range; a new sacrebleu is admitted only after
    # this file's probes pass on it (they were run on 2.3.1, 2.4.3, 2.5.1 and 2.6.0)
    assert sb.SUPPORTED == ((2, 3), (2, 7))
    assert sb.supported(), f"sacrebleu {sacrebleu.__version__} is outside {sb.SUPPORTED}"


def test_private_names_the_adapter_uses_exist():
    for cls in (sacrebleu.BLEU, sacrebleu.CHRF, sacrebleu.TER):
        assert callable(getattr(cls, "_extract_corpus_statistics"))
        assert callable(getattr(cls, "_compute_score_from_stats"))
    assert callable(getattr(sacrebleu.CHRF, "_compute_f_score"))
    assert sb.TER_INTERNALS and callable(getattr(sacrebleu.TER, sb.TER_SEGMENT_HOOK))
    assert sb.TER_COSTS == (1, 1, 1)


def test_adapter_gives_sacrebleus_public_scores():
    hyps = ["The cat sat on the mat.", "A dog barked at 3 p.m. yesterday.", "Nothing matches here"]
    refs = ["The cat sat on a mat.", "Yesterday a dog barked at 3 p.m.", "Completely different words"]
    ours = corpus_scores(hyps, refs)
    public = {"BLEU": sacrebleu.corpus_bleu(hyps, [refs]), "chrF2": sacrebleu.corpus_chrf(hyps, [refs]),
              "chrF++": sacrebleu.corpus_chrf(hyps, [refs], word_order=2), "TER": sacrebleu.corpus_ter(hyps, [refs])}
    for name, score in public.items():
        assert abs(ours[name].score - score.score) < 1e-9, name
    assert ours["BLEU"].signature.startswith("BLEU|nrefs:1|")
    assert sb.extract_stats(sacrebleu.BLEU(), hyps, refs) == sacrebleu.BLEU()._extract_corpus_statistics(hyps, [refs])
