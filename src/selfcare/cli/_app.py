"""The ``selfcare`` command group: global options, error handling, and every command.

Commands load on first use (click's "lazy loading subcommands"): ``selfcare balance`` imports
``selfcare.cli.commands.account`` and no other command module, and ``selfcare --help`` none
at all, since its list of commands comes from :data:`COMMANDS` (``tests/cli/test_app.py``
checks that the table says what the commands themselves say).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from selfcare import SelfcareError, __version__
from selfcare.cli._context import State
from selfcare.cli._errors import stdout_closed, translate
from selfcare.cli._options import output_options

__all__ = ["COMMANDS", "cli"]

HELP = ["-h", "--help"]

COMMANDS: dict[str, tuple[str, str]] = {
    "autopay": (
        "payments",
        "Top up automatically when the balance runs low: show the rule, set it, turn it off.",
    ),
    "balance": ("account", "The balance now, the credit limit and what is available."),
    "bills": ("account", "Bills, oldest first; overdue ones are shown in red."),
    "broadcast": (
        "messaging",
        "Send the text to each member of the mailing list LIST (its id or name) separately.",
    ),
    "calls": ("usage", "The call log, newest first; --missed for the calls to return."),
    "card": ("payments", "Prepaid payment cards (scratch cards)."),
    "complaints": ("complaints", "Complaints to the operator: file, list, show, add a note."),
    "contacts": (
        "contacts",
        "The phonebook kept on the server: list, add, edit, remove, import, export.",
    ),
    "demo": (
        "server",
        "Show the fake operator's demo subscriber: balance, debts, expenses, missed calls.",
    ),
    "events": (
        "events",
        "What happened on the line: deliveries, bills, payments, alerts, changes.",
    ),
    "expenses": ("usage", "Every charge and credit, newest first (credits in green)."),
    "forwarding": (
        "forwarding",
        "Call forwarding: show it, forward to a number or to voicemail, switch it off.",
    ),
    "history": ("history", "Your own history: sign-ins and the operation log."),
    "lines": ("lines", "The lines this login may see and their data: list, export."),
    "lists": ("contacts", "Mailing lists of contacts and numbers, for 'selfcare broadcast'."),
    "login": ("auth", "Sign in to a server and save it as a profile."),
    "logout": ("auth", "Forget the profile (--profile, default 'default') and its stored token."),
    "messages": ("messaging", "Messages sent, newest first."),
    "mms": ("messaging", "MMS: a subject, text and pictures, sounds or video."),
    "pay": (
        "payments",
        "Pay AMOUNT (in the account's currency) from a card or wallet; oldest bills first.",
    ),
    "payments": ("payments", "Payments newest first, declined ones too."),
    "serve": (
        "server",
        "Serve the fake operator over HTTP (needs the 'server' extra): a sandbox for trying "
        "clients, never for real subscribers' data and never facing the internet.",
    ),
    "services": (
        "services",
        "Tariff plan and options: what is on offer, what is connected, changing both.",
    ),
    "sms": (
        "messaging",
        "SMS: plan a text (parts and cost), send it, look at it, cancel a scheduled one.",
    ),
    "webhooks": (
        "webhooks",
        "URLs the line's events are pushed to, signed: create, list, delete, listen.",
    ),
}
"""Each command: the module of ``selfcare.cli.commands`` that defines it (in its
``COMMANDS``) and the first paragraph of its help, which ``selfcare --help`` lists."""


class SelfcareGroup(click.Group):
    """A group that turns SDK errors into one line and a stable exit code, and loads the
    commands of :data:`COMMANDS` when first asked for one.

    A reader that closes standard output early (``| head -1``) ends the command quietly with
    exit code 0, where click would exit 1: see :func:`stdout_closed`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, click.Command] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        if cmd_name not in self._loaded:
            module = importlib.import_module(f"selfcare.cli.commands.{COMMANDS[cmd_name][0]}")
            for command in module.COMMANDS:
                _explicit_defaults(command)
                self._loaded[command.name or ""] = command
        return self._loaded.get(cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._hoist_global_options(ctx, args))

    def _hoist_global_options(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``args`` with the group's options typed after the command moved before it, so
        ``selfcare expenses --fake --seed 7`` means ``selfcare --fake --seed 7 expenses``.

        An option the command (or one of its subcommands) declares itself stays where it is
        (``serve --seed``), and so does everything after ``--``.
        """
        takes_value = {
            opt: not (param.is_flag or param.count)
            for param in self.params
            if isinstance(param, click.Option)
            for opt in param.opts
        }
        at = 0
        while at < len(args) and args[at].startswith("-") and args[at] != "--":
            name, _, inline = args[at].partition("=")
            at += 2 if takes_value.get(name) and not inline else 1
        if at >= len(args) or args[at] == "--":
            return args
        command = self.get_command(ctx, args[at])
        if command is None:
            return args
        own = _declared_options(command)
        front, rest = list(args[: at + 1]), list(args[at + 1 :])
        kept: list[str] = []
        while rest:
            arg = rest.pop(0)
            if arg == "--":
                kept += [arg, *rest]
                break
            name, _, inline = arg.partition("=")
            if name not in takes_value or name in own:
                kept.append(arg)
                continue
            hoisted = [arg]
            if takes_value[name] and not inline and rest:
                hoisted.append(rest.pop(0))
            front[at:at] = hoisted
            at += len(hoisted)
        return front + kept

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The list needs each command's summary, not the command: listed from the table, it
        # imports no command module. click formats it, as it would the commands themselves.
        listing = click.Group(
            commands=[
                self._loaded.get(name) or click.Command(name, help=COMMANDS[name][1])
                for name in COMMANDS
            ]
            + list(self.commands.values())
        )
        listing.format_commands(ctx, formatter)

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
    "--subscriber",
    default="demo",
    show_default=True,
    help="For --fake: the seeded subscriber to act as (demo, oleg, aigerim, family, "
    "family-member, acme).",
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
    subscriber: str,
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
    state.subscriber = subscriber
    state.base_url, state.token, state.profile = base_url, token, profile


def _declared_options(command: click.Command) -> set[str]:
    """Every option name ``command`` and its subcommands declare."""
    names = {opt for param in command.params for opt in getattr(param, "opts", ())}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            names |= _declared_options(sub)
    return names


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


_explicit_defaults(cli)
