"""retranslate: MarianMT retranslation and normalisation of garbled English news.

The front door is :func:`retranslate`::

    import mt
    result = mt.retranslate(text, source=None, references=None, mt=False)
    print(result.text, result.route)

and :func:`run_batch` a whole batch into an output folder (locally, or on Ray with ``ray=``)::

    mt.run_batch(["seeds"], "out", mt=False)              # this machine
    mt.run_batch(["seeds"], "out", mt=False, ray=True)    # a local Ray instance; "auto" or "ray://host:port": a cluster

Heavy modules (torch, transformers) load only when translation is asked for.
"""
from __future__ import annotations

__version__ = "0.1.0"


def retranslate(text, *, source=None, references=None, **options):
    from mt.api import retranslate as _retranslate

    return _retranslate(text, source=source, references=references, **options)


def run_batch(inputs, out_dir, *, ray=None, gpus_per_worker=0.0, engines=None, **options):
    """Run the batch over ``inputs`` (paths) into ``out_dir``; returns ``mt.batch.BatchResult``.

    ``options`` are those of :func:`retranslate` plus ``workers``, ``refs``, ``auto_pair``,
    ``quiet``.  ``ray``: True (a local Ray instance), "auto" or "ray://host:port" (a
    cluster) finishes the documents on Ray Data, same outputs; ``gpus_per_worker`` GPUs
    for each Ray actor.
    """
    import os

    from mt.batch import run_batch as _run_batch
    from mt.pipeline import Options

    if isinstance(inputs, (str, bytes, os.PathLike)):
        inputs = [inputs]
    return _run_batch(inputs, out_dir, Options.from_kwargs(**options), engines=engines, ray=ray,
                      gpus_per_worker=gpus_per_worker)


__all__ = ["retranslate", "run_batch", "__version__"]
