"""Golden digests: one hash per stage over fixed inputs, to prove a refactor changed no output.

Each digest covers what a stage returns, serialised as JSON (timings left out):

- ``cleanup``: ``detect_language``, ``clean_source`` (paragraphs, removed lines,
  changes, metadata) and ``clean_english`` over the seeds, the test documents
  (``tests/data/cleanup``) and, where ``../shared`` is present, newstest2017/2018
  (English and Chinese) in 40-line documents; ``clean_mt_line`` over the
  published opus-mt outputs;
- ``pipeline``: ``mt.retranslate(..., mt=False)`` on the seeds and test documents
  (route, text, removed, changes, checks, flags, garble metadata);
- ``eval``: ``garble_score`` and ``run_checks`` on the same documents; BLEU, chrF2,
  chrF++ and TER with signatures for the opus-mt outputs against the references
  (the committed 200-line excerpt, and the whole sets where ``../shared`` is present).

The bench model's engine output has its own digest in ``bench/mt_speed.py``.

    python bench/golden.py            # prints one line per digest
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WMT = ROOT.parent / "shared" / "data" / "wmt"


class Digest:
    def __init__(self) -> None:
        self.h = hashlib.blake2b(digest_size=16)
        self.n = 0

    def add(self, obj) -> None:
        self.h.update(json.dumps(obj, ensure_ascii=False, sort_keys=True, default=_plain).encode("utf-8"))
        self.h.update(b"\n")
        self.n += 1

    def hex(self) -> str:
        return self.h.hexdigest()


def _plain(o):
    if dataclasses.is_dataclass(o):
        return dataclasses.asdict(o)
    if isinstance(o, (set, tuple)):
        return list(o)
    return repr(o)


def documents() -> list[tuple[str, str]]:
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    docs += [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests/data/cleanup").glob("u*.txt"))]
    return docs


def wmt_documents() -> list[tuple[str, str]]:
    out = []
    for name in ("newstest2017.zh-en.eng", "newstest2017.zh-en.zho", "newstest2018.zh-en.eng", "newstest2018.zh-en.zho"):
        p = WMT / name
        if not p.is_file():
            continue
        lines = p.read_text(encoding="utf-8").splitlines()
        for i in range(0, len(lines), 40):
            out.append((f"{name}:{i}", "\n\n".join(lines[i:i + 40])))
    return out


def mt_outputs() -> list[tuple[str, list[str], list[str]]]:
    """(name, hypothesis lines, reference lines) pairs."""
    out = []
    d = ROOT / "tests/data/wmt"
    out.append(("head200", (d / "newstest2017.zh-en.opus-mt.head200.eng").read_text(encoding="utf-8").splitlines(),
                (d / "newstest2017.zh-en.head200.eng").read_text(encoding="utf-8").splitlines()))
    ref = WMT / "newstest2017.zh-en.eng"
    for hyp in ("newstest2017.zh-en.opus-mt-2020-07-14.eng", "newstest2017.zh-en.opus-mt-2020-07-14.alt.eng"):
        if (WMT / hyp).is_file() and ref.is_file():
            out.append((hyp, (WMT / hyp).read_text(encoding="utf-8").splitlines(),
                        ref.read_text(encoding="utf-8").splitlines()))
    return out


def cleanup_digest(docs) -> Digest:
    from cleanup import CorpusLines, clean_english, clean_mt_line, clean_source, detect_language
    from cleanup.terminology import Glossary

    g = Glossary.load()
    d = Digest()
    corpus = CorpusLines([t for _, t in docs])
    for name, text in docs:
        lang, script = detect_language(text)
        res = clean_source(text, lang=lang, corpus=corpus)
        d.add([name, lang, script, res.paragraphs, res.removed, res.changes, res.metadata])
        if lang != "zh":
            d.add(clean_english(res.paragraphs, glossary=g))
    for name, hyp, _ in mt_outputs():
        d.add([name, [clean_mt_line(line) for line in hyp]])
    return d


def pipeline_digest(docs) -> Digest:
    import mt

    d = Digest()
    for name, text in docs:
        r = mt.retranslate(text, mt=False)
        rec = r.record
        d.add([name, rec.route, rec.lang, rec.script, r.text, rec.removed, rec.changes, rec.checks, rec.flags,
               {k: v for k, v in rec.metadata.items()}])
    return d


def eval_digest(docs) -> Digest:
    from eval import garble_score, run_checks
    from eval.metrics import corpus_scores

    d = Digest()
    for name, text in docs:
        d.add([name, round(garble_score(text), 6), run_checks(text)])
    for name, hyp, ref in mt_outputs():
        d.add([name, corpus_scores(hyp, ref)])
    return d


def main() -> int:
    docs = documents()
    wmt = wmt_documents()
    print(f"{len(docs)} documents, {len(wmt)} WMT documents{'' if wmt else ' (../shared absent)'}")
    for name, fn, inputs in (("cleanup", cleanup_digest, docs + wmt), ("pipeline", pipeline_digest, docs),
                             ("eval", eval_digest, docs)):
        dg = fn(inputs)
        print(f"{name:9s} {dg.hex()}  ({dg.n} items)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
