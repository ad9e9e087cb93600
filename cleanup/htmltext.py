"""HTML input: the main text of a page, as plain text for the plain-text stage.

``html_to_text(html) -> str`` asks trafilatura for the main content (comments
excluded, tables kept); when it finds nothing (tiny or unusual pages) the
whole visible text is used.  Either way the result still goes through
:func:`cleanup.clean_source`, because trafilatura leaves chrome in short pages.
"""
from __future__ import annotations

import logging


def html_to_text(html: str) -> str:
    """Main text of an HTML page, one paragraph per line.

    >>> html_to_text("<html><body><nav>Home | News</nav><article><h1>Title</h1>"
    ...              "<p>First paragraph of the story, long enough to count as text.</p></article></body></html>")
    'Home | News\\nTitle\\nFirst paragraph of the story, long enough to count as text.'

    (a page this small keeps its menu: the plain-text stage removes it.)
    """
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    text = None
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True,
                                   output_format="txt", with_metadata=False)
    except Exception:  # noqa: BLE001 - a page trafilatura cannot parse falls back to its visible text
        text = None
    if not text or not text.strip():
        try:
            text = trafilatura.html2txt(html)
        except Exception:  # noqa: BLE001
            text = ""
    return (text or "").strip()
