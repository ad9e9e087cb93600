"""Forked worker pools for the slow pure-Python parts of scoring (TER, the checks)."""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor


def default_jobs(jobs: int | None = None) -> int:
    """``jobs`` or, when None, the CPU count (at most 8)."""
    return jobs if jobs is not None else min(os.cpu_count() or 1, 8)


def fork_pool(jobs: int | None = None):
    """A pool of ``jobs`` forked worker processes (default: the CPU count), or None where forking is unsafe.

    Forking is used only on Linux, with more than one worker, and while torch
    is not loaded (its threads do not survive a fork).  Callers run serially on None.
    """
    jobs = default_jobs(jobs)
    if jobs <= 1 or "torch" in sys.modules or sys.platform != "linux":
        return None
    try:
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    except (OSError, RuntimeError, ValueError):
        return None
