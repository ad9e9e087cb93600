"""retranslate: MarianMT retranslation and normalisation of garbled English news.

The front door is :func:`retranslate`::

    import mt
    result = mt.retranslate(text, source=None, references=None, mt=False)
    print(result.text, result.route)

Heavy modules (torch, transformers) load only when translation is asked for.
"""
from __future__ import annotations

__version__ = "0.1.0"


def retranslate(text, *, source=None, references=None, **options):
    from mt.api import retranslate as _retranslate

    return _retranslate(text, source=source, references=references, **options)


__all__ = ["retranslate", "__version__"]
