"""Shared pytest fixtures: tiny random-weight Marian models, built once per session."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# ``from tests.tiny_marian import build_tiny_marian`` works however pytest is started.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# A missing model is downloaded on first use; the tests never reach the real Hub (the
# download tests serve a tiny model from 127.0.0.1 and lift this in their own processes).
os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(scope="session", autouse=True)
def _private_retranslate_cache(tmp_path_factory):
    """Keep the test run's converted models and translation cache out of the user's cache dir."""
    old = os.environ.get("RETRANSLATE_CACHE")
    os.environ["RETRANSLATE_CACHE"] = str(tmp_path_factory.mktemp("retranslate-cache"))
    yield
    if old is None:
        os.environ.pop("RETRANSLATE_CACHE", None)
    else:
        os.environ["RETRANSLATE_CACHE"] = old


@pytest.fixture(scope="session")
def tiny_zh_en(tmp_path_factory):
    """Directory of a tiny random-weight zh-en Marian model (normal HF layout)."""
    from tests.tiny_marian import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-zh-en"), direction="zh-en")


@pytest.fixture(scope="session")
def tiny_en_zh(tmp_path_factory):
    """Directory of a tiny random-weight en-zh Marian model (normal HF layout)."""
    from tests.tiny_marian import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-en-zh"), direction="en-zh")
