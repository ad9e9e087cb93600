"""`--ray` without Ray installed, and --ray's argument: one clear line each (no Ray needed)."""
from __future__ import annotations

from pathlib import Path

import pytest

from mt import raybatch
from mt.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_ray_not_installed_is_one_line_saying_how_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(raybatch, "available", lambda: False)
    (tmp_path / "a.txt").write_text("An article about 1,089 new firms.", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "a.txt"), "-o", str(out), "--ray", "--no-mt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"retranslate: error: {raybatch.RAY_MISSING}"]
    assert "pip install -e '.[ray]'" in err[0]
    assert not out.exists()  # refused before anything was written


def test_ray_takes_an_address_not_an_input(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["run", "--ray", str(tmp_path), "-o", str(tmp_path / "out")])
    assert e.value.code == 2
    assert "is not a Ray address" in capsys.readouterr().err


def test_gpus_per_worker_goes_with_ray(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("An article.", encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--gpus-per-worker", "1"]) == 2
    assert "goes with --ray" in capsys.readouterr().err
