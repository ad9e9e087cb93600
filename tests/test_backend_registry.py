"""The backend registry: resolution and loading go through it, so a new backend needs no edits elsewhere."""
from __future__ import annotations

import pytest

from mt import backends, models
from mt.backends.base import Backend
from mt.errors import ModelUnavailable


class FakeBackend(Backend):
    name = "fake"
    kind = "fake"
    install = "run `pip install fake`"

    @staticmethod
    def is_model_dir(path) -> bool:
        return (path / "fake.bin").is_file()

    def __init__(self, model_dir, device="auto", compute_type="auto"):
        self.model_dir = model_dir

    def count_tokens(self, texts):
        return [len(t.split()) for t in texts]

    def translate(self, texts, decoding):
        return list(texts)


@pytest.fixture
def fake_registered(monkeypatch):
    monkeypatch.setattr(backends, "REGISTRY", {"fake": FakeBackend, **backends.REGISTRY})
    return FakeBackend


def test_choices_and_lookup_read_the_registry():
    assert backends.CHOICES == ("auto", "ctranslate2", "transformers")
    assert backends.get("transformers").kind == "hf" and backends.get("ctranslate2").converts_from == "hf"
    with pytest.raises(Exception, match="unknown backend 'nope'; use one of auto, ctranslate2, transformers"):
        backends.get("nope")


def test_a_registered_backend_is_resolved_and_loaded_without_other_edits(fake_registered, tmp_path):
    (tmp_path / "fake.bin").write_bytes(b"x")
    resolved = models.resolve("zh-en", model=tmp_path)
    assert resolved.kind == "fake" and resolved.origin == "--model"
    be = models.load_backend(resolved, "auto")
    assert isinstance(be, FakeBackend) and be.model_dir == tmp_path
    assert isinstance(models.load_backend(resolved, "fake"), FakeBackend)
    with pytest.raises(ModelUnavailable, match="is a fake model, which the transformers backend cannot run"):
        models.load_backend(resolved, "transformers")
    with pytest.raises(ModelUnavailable, match="--vmap needs the CTranslate2 backend"):
        models.load_backend(resolved, "auto", use_vmap=True)


def test_a_missing_backend_package_is_one_line_with_its_install_hint(fake_registered, monkeypatch, tmp_path):
    (tmp_path / "fake.bin").write_bytes(b"x")
    monkeypatch.setattr(FakeBackend, "available", staticmethod(lambda: False))
    resolved = models.resolve("zh-en", model=tmp_path)
    with pytest.raises(ModelUnavailable, match=r"the fake backend is not installed; run `pip install fake`"):
        models.load_backend(resolved, "auto")
