"""Text repair before and after translation.

Front doors (the pipeline calls only these; each returns what it changed):

- ``detect_language(text) -> (lang, script)``: lang in {"zh","en","mixed","unknown"},
  script in {"Hans","Hant","Latn","mixed",None}.
- ``decode_bytes(data) -> (text, encoding)``: raises ``cleanup.errors.InputError`` for
  binary or undecodable data.
- ``clean_source(text, *, lang, corpus=None) -> CleanResult``: boilerplate stripped,
  Unicode/punctuation/whitespace repaired, paragraphs repaired, (zh) converted to
  Simplified.  ``corpus`` is a ``CorpusLines`` built over a batch for the
  "recurs across documents" evidence.
- ``clean_english(paragraphs, *, glossary=None, grammar=None) -> (paragraphs, changes, findings)``:
  post-MT / normalisation repair of English paragraphs.
- ``clean_mt_line(line) -> str``: post-MT cleanup of one line of MT output.
- ``clean_html(html, *, lang=None, corpus=None)`` / ``html_to_text(html)``: HTML pages.
- ``to_simplified(text, config="t2s")``: OpenCC conversion; ``Glossary``/``TermHit``:
  terminology; ``open_grammar(url=None)``: LanguageTool (never raises).
- ``cleanup.boilerplate.line_reason(line, lang) -> str | None``: context-free verdict on a line.
"""
from cleanup.api import CleanResult, CorpusLines, clean_english, clean_html, clean_mt_line, clean_source
from cleanup.encoding import decode_bytes
from cleanup.grammar import open_grammar
from cleanup.htmltext import html_to_text
from cleanup.script import detect_language, detect_script, to_simplified
from cleanup.terminology import Glossary, TermHit

__all__ = [
    "CleanResult",
    "CorpusLines",
    "Glossary",
    "TermHit",
    "clean_english",
    "clean_html",
    "clean_mt_line",
    "clean_source",
    "decode_bytes",
    "detect_language",
    "detect_script",
    "html_to_text",
    "open_grammar",
    "to_simplified",
]
