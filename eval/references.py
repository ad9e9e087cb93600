"""Reference passages: clean, faithful English for parts of a document.

A directory holds one ``<doc_id>.jsonl`` per document; each line is a passage::

    {"id": "001-3", "span": {"lines": [21, 21], "starts": "春播一粒粟"},
     "kind": "translation", "text": "As the saying goes, ..."}

``span.lines`` are the 1-based first and last lines of the original document
the passage covers; ``span.starts`` quotes the first words of the original
span (so a span can be found again if the file is re-cleaned).  ``kind`` is
``translation`` (from a Chinese source), ``rewrite`` (a garbled English
article said again cleanly, every fact and figure kept) or ``edit`` (light
edits to fluent English).  See ``seeds/references/README.md``.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cleanup.errors import UserError


@dataclass
class Passage:
    """One reference passage and the span of the original document it covers."""

    doc_id: str
    id: str
    text: str
    span: dict = field(default_factory=dict)
    kind: str = "rewrite"

    def to_dict(self) -> dict:
        return asdict(self)


def read_passages(path: Path, doc_id: str | None = None) -> list[Passage]:
    """Passages of one ``<doc_id>.jsonl`` file; a bad line raises a one-line UserError."""
    path = Path(path)
    doc_id = doc_id or path.stem
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            text = d["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise UserError(f"{path}:{n}: not a reference passage ({e}); expected JSON with a 'text' field.") from None
        if not isinstance(text, str) or not text.strip():
            raise UserError(f"{path}:{n}: reference passage has empty text.")
        out.append(Passage(doc_id, str(d.get("id", f"{doc_id}-{n}")), text.strip(),
                           d.get("span") or {}, d.get("kind", "rewrite")))
    return out


def load_references(directory) -> dict[str, list[Passage]]:
    """``{doc_id: [Passage]}`` from every ``*.jsonl`` in ``directory``.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "doc1.jsonl").write_text('{"text": "Dalian High-tech Zone.", "kind": "translation"}')
    >>> [(p.doc_id, p.id, p.kind) for p in load_references(d)["doc1"]]
    [('doc1', 'doc1-1', 'translation')]
    """
    d = Path(directory)
    if not d.is_dir():
        raise UserError(f"reference directory {d} not found; give --refs DIR holding <doc_id>.jsonl files.")
    return {p.stem: read_passages(p) for p in sorted(d.glob("*.jsonl"))}
