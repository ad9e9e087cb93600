"""Errors that reach the user as one clear line (the CLI prints them, exit code 2)."""


class UserError(Exception):
    """A problem the user can fix: bad arguments, unreadable input, no model.

    The message is a single sentence that says what to do.
    """


class ModelUnavailable(UserError):
    """No MarianMT model could be loaded for a direction."""


class InputError(UserError):
    """A document could not be read or decoded (recorded per document in a batch)."""
