"""The development corpus of real scraped pages: labels in the repository, texts kept locally.

The page texts are other people's words, so the repository holds only what we
wrote about them: ``seeds/realpages/*.jsonl``, one JSON object per document::

    {"id": "en-007", "url": "https://...", "sha1": "<SHA-1 of the UTF-8 text>",
     "lang": "en" | "zh", "kind": "garbled" | "clean" | "",   # kind: English only
     "site": "spam-blog" | "official" | "news" | "portal" | "wordpress" | "mobile" | ...,
     "labels": "HCCBB..."}

``labels`` holds one letter per non-blank line of the text (lines split on
``\\n``; whitespace-only lines are skipped and not scored), under the rule in
``shared/labelling.md``: ``B`` boilerplate, ``H`` headline, ``C`` content.

The texts themselves live outside the repository, one file per document named
``<sha1>.txt``, in ``$RETRANSLATE_REALPAGES`` (default
``~/.cache/retranslate/realpages``).  A page's text is the excerpt the stored
page copies give for its address, exactly as given (its SHA-1 is checked); keep
the local copy on storage that outlives the machine, since the figures of
``bench/realpages.py`` and the line model's training need it.  Check a local
copy (and list the documents whose text is missing) with::

    python bench/realpages_corpus.py check

The split is by site (the address's host), so no site is in both: ``test`` is
the untuned split, never looked at while tuning; ``dev`` is for tuning.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LABEL_DIR = ROOT / "seeds" / "realpages"
LABELS = {"B": "boilerplate", "H": "headline", "C": "content"}


def text_dir() -> Path:
    return Path(os.environ.get("RETRANSLATE_REALPAGES") or Path.home() / ".cache" / "retranslate" / "realpages")


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def split_of(url: str) -> str:
    """``test`` for one site in three (by a hash of the host), else ``dev``."""
    host = (urlsplit(url).hostname or url).lower()
    if host.startswith("www."):
        host = host[4:]
    return "test" if int(hashlib.sha1(host.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def nonblank_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every non-blank line: the lines that carry a label."""
    return [(i, line) for i, line in enumerate(text.split("\n")) if line.strip()]


@dataclass
class Page:
    id: str
    url: str
    sha1: str
    lang: str
    kind: str
    site: str
    labels: str
    split: str
    text: str | None = None  # None when no local copy is present

    def lines(self) -> list[tuple[int, str, str]]:
        """(line number, line, label letter) for every non-blank line; needs the text."""
        assert self.text is not None
        nb = nonblank_lines(self.text)
        return [(i, line, lab) for (i, line), lab in zip(nb, self.labels)]


def load(lang: str | None = None, split: str | None = None, kind: str | None = None,
         with_text: bool = True, missing_ok: bool = True) -> list[Page]:
    """Every labelled page (optionally filtered); ``text`` is read from the local copy if present and intact."""
    pages = []
    d = text_dir()
    for f in sorted(LABEL_DIR.glob("*.jsonl")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            o = json.loads(line)
            p = Page(id=o["id"], url=o["url"], sha1=o["sha1"], lang=o["lang"], kind=o.get("kind", ""),
                     site=o.get("site", ""), labels=o["labels"], split=split_of(o["url"]))
            if (lang and p.lang != lang) or (split and p.split != split) or (kind and p.kind != kind):
                continue
            if with_text:
                path = d / f"{p.sha1}.txt"
                if path.is_file():
                    t = path.read_bytes().decode("utf-8")
                    if sha1(t) == p.sha1 and len(nonblank_lines(t)) == len(p.labels):
                        p.text = t
                if p.text is None and not missing_ok:
                    raise SystemExit(f"{p.id}: no intact local text {path}")
            pages.append(p)
    return pages


def check() -> int:
    """Report, per document, whether the local text is present, intact and labelled line for line."""
    d = text_dir()
    bad = 0
    counts: dict[tuple[str, str], int] = {}
    for p in load(with_text=False):
        path = d / f"{p.sha1}.txt"
        if not path.is_file():
            status = "missing"
        else:
            t = path.read_bytes().decode("utf-8", errors="replace")
            if sha1(t) != p.sha1:
                status = "SHA-1 differs"
            elif len(nonblank_lines(t)) != len(p.labels):
                status = f"{len(nonblank_lines(t))} non-blank lines, {len(p.labels)} labels"
            else:
                status = "ok"
        if set(p.labels) - set(LABELS):
            status = "bad label letters"
        if status != "ok":
            bad += 1
            print(f"{p.id}\t{status}\t{p.url}")
        counts[(p.lang, p.kind or "-")] = counts.get((p.lang, p.kind or "-"), 0) + 1
    for (lang, kind), n in sorted(counts.items()):
        print(f"{lang} {kind}: {n} documents")
    print(f"{sum(counts.values()) - bad} of {sum(counts.values())} texts present and intact in {d}")
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["check"], help="check: verify the local copy against the labels")
    ap.parse_args(argv)
    return check()


if __name__ == "__main__":
    sys.exit(main())
