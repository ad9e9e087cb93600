"""Translation backends behind one narrow interface (see ``base.Backend``)."""
from mt.backends.base import Backend, Decoding

__all__ = ["Backend", "Decoding"]
