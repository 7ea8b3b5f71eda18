"""How failures reach the terminal: one line, a stable exit code, the traceback on --debug.

Exit codes: 0 done; 1 the operation failed (the backend said no: a :class:`SelfcareError`);
2 the command was used wrongly (bad options, or a :class:`ValidationError` naming the value).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import IO, Any, NoReturn

import click

from selfcare._errors import SelfcareError, ValidationError
from selfcare._rules.text import strip_controls

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "BadInput",
    "CliError",
    "stdout_closed",
    "translate",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class CliError(click.ClickException):
    """A one-line error: the operation failed (exit code 1)."""

    exit_code = EXIT_FAILED

    def show(self, file: IO[Any] | None = None) -> None:
        # Messages quote values (a name, a path): their control characters stay out.
        message = strip_controls(self.format_message(), "\t\n")
        click.echo(f"Error: {message}", file=file, err=True)


class BadInput(CliError):
    """A one-line error: the input was refused (exit code 2, like a usage error)."""

    exit_code = EXIT_USAGE


def translate(exc: SelfcareError, debug: bool) -> CliError:
    """The CLI error for an SDK error (the traceback goes to stderr first under --debug)."""
    if debug:
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
    text = str(exc) if exc.request_id is None else f"{exc} (request {exc.request_id})"
    if isinstance(exc, ValidationError):
        return BadInput(text)
    return CliError(text)


def stdout_closed() -> NoReturn:
    """The reader of standard output went away (``selfcare ... | head -1``): stop quietly, exit 0.

    The reader had all it wanted, so this is not a failure: a script under ``set -o pipefail``
    must not see one, and there is no message or traceback. Standard output is pointed at
    ``/dev/null`` so that flushing what is still buffered, at exit, cannot fail again (the
    recipe of https://docs.python.org/3/library/signal.html#note-on-sigpipe).
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's buffer)
        pass
    else:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)
    raise click.exceptions.Exit(EXIT_OK)
