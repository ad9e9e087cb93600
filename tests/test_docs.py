"""Docstring examples of mt, cleanup and eval run with the tests, so they cannot go stale unseen."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mt", "cleanup", "eval")


def test_docstring_examples_are_collected_as_tests():
    """pytest runs the packages' docstring examples (``--doctest-modules`` over mt, cleanup and eval)."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert set(PACKAGES) <= set(options["testpaths"])


def test_no_example_is_skipped_unless_it_needs_a_model():
    """An example hidden by ``+SKIP`` never runs, so it goes stale; only one that needs a model may be
    skipped, and its docstring says so ("needs a model")."""
    hidden = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for m in re.finditer(r"doctest:[^\n]*\+SKIP", text):
                docstring = text[text.rfind('"""', 0, m.start()):m.start()]
                if "needs a model" not in docstring:
                    hidden.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}")
    assert hidden == [], f"docstring examples hidden by +SKIP that need no model: {hidden}"
