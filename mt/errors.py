"""Errors that reach the user as one clear line (the CLI prints them, exit code 2)."""

from cleanup.errors import InputError, UserError


class ModelUnavailable(UserError):
    """No MarianMT model could be loaded for a direction."""


__all__ = ["InputError", "ModelUnavailable", "UserError"]
