"""Errors that reach the user as one clear line (the CLI prints them, exit code 2).

They live in the lowest package so that every layer (cleanup, eval, mt) raises the
same classes; ``mt.errors`` re-exports them and adds the model errors.
"""


class UserError(Exception):
    """A problem the user can fix: bad arguments, unreadable input, no model.

    The message is a single sentence that says what to do.
    """


class InputError(UserError):
    """A document could not be read or decoded (recorded per document in a batch)."""
