"""Translation backends behind one narrow interface (see ``base.Backend``), and their registry.

:data:`REGISTRY` maps each backend's name to its class, in the order ``--backend
auto`` prefers them.  A backend class says what the rest of the project needs
to choose and prepare it (``kind`` of model directory, ``is_model_dir``,
``available``, ``install``, ``converts_from``/``convert``, ``supports_vmap``);
model resolution (:mod:`mt.models`) and the CLI's ``--backend`` choices read
the registry.  Adding a backend: one module with a :class:`~base.Backend`
subclass, and one entry here.

Backend modules are light to import: torch, transformers and ctranslate2
load when a backend is opened.
"""
from mt.backends.base import Backend, Decoding
from mt.backends.ct2 import CT2Backend
from mt.backends.hf import HFBackend
from mt.errors import UserError

#: name -> backend class, in the order "auto" prefers them
REGISTRY: dict[str, type[Backend]] = {cls.name: cls for cls in (CT2Backend, HFBackend)}
#: what ``--backend`` accepts
CHOICES = ("auto", *REGISTRY)


def get(name: str) -> type[Backend]:
    """The backend class called ``name``; UserError naming the choices otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UserError(f"unknown backend {name!r}; use one of {', '.join(CHOICES)}") from None


def kind_of(path) -> str | None:
    """The format of the model directory ``path`` ("hf", "ct2", ...), or None."""
    for cls in REGISTRY.values():
        if cls.is_model_dir(path):
            return cls.kind
    return None


def converter() -> type[Backend] | None:
    """The preferred backend that can convert a Hugging Face directory into its own format, if installed."""
    return next((c for c in REGISTRY.values() if c.converts_from == "hf" and c.available()), None)


__all__ = ["Backend", "CHOICES", "Decoding", "REGISTRY", "converter", "get", "kind_of"]
