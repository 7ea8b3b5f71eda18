"""How failures reach the terminal: one line, a stable exit code, the traceback on --debug.

Exit codes: 0 done; 1 the operation failed (the backend said no: a :class:`SelfcareError`);
2 the command was used wrongly (bad options, or a :class:`ValidationError` naming the value).
"""

from __future__ import annotations

import traceback
from typing import IO, Any

import click

from selfcare._errors import SelfcareError, ValidationError

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "BadInput", "CliError", "translate"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class CliError(click.ClickException):
    """A one-line error: the operation failed (exit code 1)."""

    exit_code = EXIT_FAILED

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Error: {self.format_message()}", file=file, err=True)


class BadInput(CliError):
    """A one-line error: the input was refused (exit code 2, like a usage error)."""

    exit_code = EXIT_USAGE


def translate(exc: SelfcareError, debug: bool) -> CliError:
    """The CLI error for an SDK error (the traceback goes to stderr first under --debug)."""
    if debug:
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
    if isinstance(exc, ValidationError):
        return BadInput(str(exc))
    return CliError(str(exc))
