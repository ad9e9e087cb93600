"""The README's set-up section: exactly two commands, one for the main job, one for the tests, run by CI."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _setup_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_two_commands_main_job_and_tests():
    main_job, tests = _setup_commands()  # exactly two
    for cmd in (main_job, tests):
        assert "\n" not in cmd, cmd  # one line each, pasted as a whole
        steps = [shlex.split(s) for s in cmd.split("&&")]
        # CPU torch first, then the project, then the job
        assert steps[0] == ["python", "-m", "pip", "install", "torch==2.13.0"]
        assert steps[1][:5] == ["python", "-m", "pip", "install", "-e"]
    assert shlex.split(main_job.split("&&")[-1]) == ["retranslate", "run", "seeds", "-o", "out"]
    assert shlex.split(tests.split("&&")[-1]) == ["python", "-m", "pytest"]
    assert shlex.split(main_job.split("&&")[1])[-1] == ".[fast]" and shlex.split(tests.split("&&")[1])[-1] == ".[test]"


def test_ci_runs_the_readmes_test_command():
    ci = ROOT / ".ci" / "run"
    if not ci.is_file():
        pytest.skip(".ci/run is not part of this copy")
    _, tests = _setup_commands()
    assert tests in [line.strip() for line in ci.read_text(encoding="utf-8").splitlines()]


def test_extras_named_by_the_commands_exist():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(r.startswith("pytest") for r in extras["test"]) and any(r.startswith("ctranslate2") for r in extras["fast"])


def test_every_output_file_is_described():
    text = README.read_text(encoding="utf-8")
    for name in ("<id>.en.txt", "manifest.jsonl", "records/<id>.json", "pairs.jsonl", "report.md", "report.html",
                 ".lock"):
        assert f"`{name}`" in text, name
    for status in ("ok", "flagged", "untranslated", "skipped", "error"):
        assert f"`{status}`" in text, status
