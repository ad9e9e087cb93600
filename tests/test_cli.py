"""The command line: help texts, exit codes, `doc`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mt.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
SEED_003 = ROOT / "seeds" / "003_cded1adef65ac78b.txt"


def _subcommands() -> list[str]:
    parser = build_parser()
    for action in parser._actions:
        if action.choices and isinstance(action.choices, dict):
            return sorted(action.choices)
    return []


def test_top_level_help_as_installed():
    r = subprocess.run([sys.executable, "-m", "mt", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    assert "usage: retranslate" in r.stdout and "Exit codes" in r.stdout
    for cmd in ("run", "doc"):
        assert cmd in r.stdout


@pytest.mark.parametrize("cmd", _subcommands())
def test_each_subcommand_explains_itself(cmd, capsys):
    with pytest.raises(SystemExit) as e:
        main([cmd, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: retranslate") and len(out) > 200


def test_run_and_doc_help_name_defaults_examples_and_exit_codes(capsys):
    for cmd in ("run", "doc"):
        with pytest.raises(SystemExit):
            main([cmd, "--help"])
        out = capsys.readouterr().out
        assert "examples:" in out and "exit codes:" in out and "--no-mt" in out and "--model" in out


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: retranslate" in capsys.readouterr().out


def test_usage_errors_exit_2_with_one_line(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing"), "-o", str(tmp_path / "out"), "--no-mt"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "does not exist" in err
    assert not (tmp_path / "out").exists()
    assert main(["doc", str(tmp_path / "missing.txt"), "--no-mt"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    assert main(["doc", str(tmp_path / "bin.txt"), "--no-mt"]) == 2


@pytest.mark.skipif(not SEED_003.is_file(), reason="seeds/ not in this checkout")
def test_doc_prints_clean_english_and_explains(capsys):
    assert main(["doc", str(SEED_003), "--no-mt", "--explain"]) == 0
    cap = capsys.readouterr()
    assert cap.out.startswith("Strive to build a city of vitality")
    assert "All Rights Reserved" not in cap.out
    assert "route" in cap.err and "removed line" in cap.err


def test_doc_from_stdin():
    text = "The city held a meeting on employment.\n\nIt supported 138 incubators in 2020.\n"
    r = subprocess.run([sys.executable, "-m", "mt", "doc", "-", "--no-mt"], input=text.encode(),
                       capture_output=True, timeout=60, cwd=ROOT)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode().startswith("The city held a meeting") and "138 incubators" in r.stdout.decode()
