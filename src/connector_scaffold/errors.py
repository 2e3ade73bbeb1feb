"""Errors the CLI turns into one line on stderr and an exit code."""

from __future__ import annotations


class ScaffoldError(Exception):
    """Bad usage or input: exit 2, nothing written."""

    exit_code = 2


class ConflictError(ScaffoldError):
    """The change cannot be applied as asked (e.g. files changed under us): exit 1."""

    exit_code = 1
