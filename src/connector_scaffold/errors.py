"""Errors the CLI turns into one line on stderr and an exit code."""

from __future__ import annotations


class ScaffoldError(Exception):
    """Bad usage or input: exit 2, nothing written."""

    exit_code = 2


class ConflictError(ScaffoldError):
    """The change cannot be applied as asked (e.g. files changed under us): exit 1."""

    exit_code = 1


def describe(error: BaseException) -> str | None:
    """One line for an error that bad input or the environment causes (not a bug in scaffold), naming the file
    where the error knows it; None for anything else. Matched by type name so this module imports nothing heavy."""
    kind = type(error).__name__
    module = type(error).__module__
    if isinstance(error, OSError):
        where = " -> ".join(str(f) for f in (error.filename, error.filename2) if f is not None)
        reason = error.strerror or str(error) or kind
        return f"{where}: {reason}" if where else reason
    if isinstance(error, UnicodeDecodeError):
        return f"input is not {error.encoding} text ({error.reason} at byte {error.start})"
    if isinstance(error, RecursionError):
        return "input is nested too deeply to process (Python's recursion limit); simplify it or split it up"
    if kind == "TimeoutExpired" and module == "subprocess":
        command = getattr(error, "cmd", None)
        program = command[0] if isinstance(command, list | tuple) and command else command
        return f"{program} took longer than {getattr(error, 'timeout', '?')}s; stopped it"
    if kind == "ValidationError" and module.startswith("pydantic"):
        from connector_scaffold.spec import format_validation_error

        return format_validation_error(error)  # type: ignore[arg-type]
    if kind == "TOMLDecodeError":
        return f"invalid TOML: {_one_line(error)}"
    if kind == "JSONDecodeError":
        return f"invalid JSON: {_one_line(error)}"
    if module.startswith("yaml") and kind.endswith("Error"):
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or _one_line(error)
        if mark is not None:
            return f"{mark.name}:{mark.line + 1}:{mark.column + 1}: invalid YAML: {problem}"
        return f"invalid YAML: {problem}"
    return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
