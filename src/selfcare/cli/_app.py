"""The ``selfcare`` command group: global options, error handling, and every command."""

from __future__ import annotations

from typing import Any

import click

from selfcare import SelfcareError, __version__
from selfcare.cli._context import State
from selfcare.cli._errors import stdout_closed, translate
from selfcare.cli._options import output_options
from selfcare.cli.commands import (
    account,
    auth,
    complaints,
    contacts,
    forwarding,
    history,
    messaging,
    payments,
    server,
    services,
    usage,
)

__all__ = ["cli"]

HELP = ["-h", "--help"]


class SelfcareGroup(click.Group):
    """A group that turns SDK errors into one line and a stable exit code.

    A reader that closes standard output early (``| head -1``) ends the command quietly with
    exit code 0, where click would exit 1: see :func:`stdout_closed`.
    """

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # --help and --version write while the arguments are parsed
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            stdout_closed()

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SelfcareError as exc:
            state = ctx.find_object(State)
            raise translate(exc, debug=state is not None and state.debug) from None
        except BrokenPipeError:
            stdout_closed()


@click.group(
    name="selfcare",
    cls=SelfcareGroup,
    context_settings={"help_option_names": HELP, "max_content_width": 100},
)
@click.version_option(__version__, prog_name="selfcare")
@click.option("--fake", is_flag=True, help="Use the built-in fake operator (in memory).")
@click.option(
    "--seed",
    default=42,
    show_default=True,
    help="Seed of the fake operator's data (for --fake, demo and serve).",
)
@click.option(
    "--base-url", envvar="SELFCARE_BASE_URL", show_envvar=True, help="The server's root URL."
)
@click.option(
    "--token",
    envvar="SELFCARE_TOKEN",
    show_envvar=True,
    help="Bearer token (prefer the variable or 'selfcare login': arguments are visible to "
    "other users in the process list).",
)
@click.option(
    "--profile",
    envvar="SELFCARE_PROFILE",
    show_envvar=True,
    help="A profile saved by 'selfcare login' (default: 'default').",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@output_options
@click.pass_context
def cli(
    ctx: click.Context,
    fake: bool,
    seed: int,
    base_url: str | None,
    token: str | None,
    profile: str | None,
    debug: bool,
) -> None:
    """selfcare: mobile-subscriber self-service from the terminal.

    Try it on the built-in fake operator (each run starts it afresh, so changes do not
    persist; 'selfcare serve' plus --base-url keeps them):

        selfcare demo

        selfcare --fake balance

        selfcare --fake expenses --since 7d --kind voice_out

    For scripts, --json writes JSON Lines and --csv writes CSV. Exit codes: 0 done,
    1 the operation failed, 2 bad usage or input.

    Tab completion: add  eval "$(_SELFCARE_COMPLETE=bash_source selfcare)"  to ~/.bashrc
    (zsh_source for ~/.zshrc, fish_source for fish).
    """
    state = ctx.ensure_object(State)
    state.fake, state.seed, state.debug = fake, seed, debug
    state.base_url, state.token, state.profile = base_url, token, profile


def _explicit_defaults(command: click.Command) -> None:
    """Give optional options without a default the one they behave as (``False``, ``None``,
    ``()``).

    click 8.3 marks them with an internal sentinel, which the generated command reference
    would otherwise print as ``Sentinel.UNSET``. Required options keep it: with a default of
    ``None`` click would pass ``None`` on instead of reporting the missing option.
    """
    # click caches the --help option it builds; building it here lets it be fixed too.
    help_option = command.get_help_option(click.Context(command, help_option_names=HELP))
    for param in [*command.params, *([help_option] if help_option else [])]:
        if (
            isinstance(param, click.Option)
            and not param.required
            and type(param.default).__name__ == "Sentinel"
        ):
            if param.is_flag and param.is_bool_flag:
                param.default = False
            else:
                param.default = () if param.multiple else None
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _explicit_defaults(sub)


for module in (
    account,
    usage,
    forwarding,
    messaging,
    contacts,
    payments,
    services,
    history,
    complaints,
    auth,
    server,
):
    for command in module.COMMANDS:
        cli.add_command(command)

_explicit_defaults(cli)
