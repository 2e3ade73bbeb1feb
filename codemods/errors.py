"""What a codemod raises when it cannot find the code it is to change; it has then changed nothing.

LookupError subclasses, so that a caller that only needs to know "not found" can still catch that. Callers that
add their own advice (add-incremental names the file, line and option) catch these types, never message text.
"""

from __future__ import annotations


class NotFound(LookupError):
    """The class, method, statement or call a codemod edits at is missing, or is there more than once.

    The message says what is missing, relative to the module the codemod was given; the caller adds where.
    """


class NoLoop(NotFound):
    """The detail step has no loop over the listed records of its own to limit to the changed ones."""
