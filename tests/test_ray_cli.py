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


@pytest.mark.skipif(not raybatch.available(), reason="Ray is not installed; --ray stops before reading without it")
def test_a_remote_scheme_without_its_package_is_one_line(tmp_path, capsys):
    import importlib.util

    if importlib.util.find_spec("adlfs") is not None:
        pytest.skip("adlfs is installed here: az:// would be read, not refused")
    out = tmp_path / "out"
    assert main(["run", "az://container/news", "-o", str(out), "--ray", "--no-mt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("retranslate: error: input az://container/news: ")
    assert "adlfs" in err[0] and "not installed" in err[0]
    assert not out.exists()  # refused before Ray started or anything was written


@pytest.mark.skipif(not raybatch.available(), reason="Ray is not installed; --ray stops before reading without it")
def test_a_scheme_nobody_knows_is_one_line(tmp_path, capsys):
    assert main(["run", "nosuchfs://bucket/news", "-o", str(tmp_path / "out"), "--ray", "--no-mt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no filesystem is known for nosuchfs://" in err[0]


def test_a_uri_without_ray_says_to_add_ray(tmp_path, capsys):
    assert main(["run", "s3://news/in", "-o", str(tmp_path / "out"), "--no-mt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "read by the Ray batch (add --ray)" in err[0]
