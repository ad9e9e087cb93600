"""--device and --compute-type: CUDA asked for where there is none, or an unsupported type, is one line, exit 2."""
from __future__ import annotations

import pytest

from mt.cli import main
from mt.models import cuda_devices

ZH = "创新是引领发展的第一动力，人才是第一资源。\n"


@pytest.fixture
def zh_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(ZH, encoding="utf-8")
    return f


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_device_cuda_without_a_gpu_is_one_line(zh_file, tiny_zh_en, backend, capsys):
    if backend == "ctranslate2":
        pytest.importorskip("ctranslate2")
    if cuda_devices().get(backend):
        pytest.skip("a CUDA device is visible here")
    rc = main(["doc", str(zh_file), "--model", str(tiny_zh_en), "--backend", backend, "--device", "cuda"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err.count("\n") == 0
    assert f"the {backend} backend sees no CUDA device" in err and "--device auto or cpu" in err


def test_unsupported_compute_type_names_the_supported_ones(zh_file, tiny_zh_en, capsys):
    ctranslate2 = pytest.importorskip("ctranslate2")
    supported = ctranslate2.get_supported_compute_types("cpu")
    if "float16" in supported:
        pytest.skip("this CPU supports float16")
    rc = main(["doc", str(zh_file), "--model", str(tiny_zh_en), "--backend", "ctranslate2", "--device", "cpu",
               "--compute-type", "float16"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err.count("\n") == 0 and "compute type float16 is not supported on cpu" in err
    assert all(ct in err for ct in supported)


def test_device_cpu_and_explicit_compute_type_run(zh_file, tiny_zh_en, capsys):
    pytest.importorskip("ctranslate2")
    rc = main(["doc", str(zh_file), "--model", str(tiny_zh_en), "--backend", "ctranslate2", "--device", "cpu",
               "--compute-type", "float32", "--explain"])
    captured = capsys.readouterr()
    assert rc == 0 and captured.out.strip()
