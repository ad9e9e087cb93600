"""Subcommands of this package (stub; to be filled in)."""


def register(sub) -> None:
    pass
