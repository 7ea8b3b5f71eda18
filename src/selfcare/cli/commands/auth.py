"""``selfcare login`` and ``logout``: save a server and its token as a profile.

For now ``login`` takes an API token (from a hidden prompt or standard input) and checks it
by reading the account. Signing in with a password and a one-time code will come with the
protocol's sign-in operations; this command is where it will go.
"""

from __future__ import annotations

import sys

import click

from selfcare import Selfcare
from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare.cli._config import (
    DEFAULT_PROFILE,
    check_profile_name,
    config_dir,
    delete_profile,
    load_profile,
    load_profiles,
    save_profile,
)
from selfcare.cli._context import State, pass_state
from selfcare.cli._output import note

__all__ = ["COMMANDS"]


@click.command()
@click.option("--token-stdin", is_flag=True, help="Read the token from standard input.")
@pass_state
def login(state: State, token_stdin: bool) -> None:
    """Check a token against the server and save it as a profile.

    The base URL comes from --base-url (or SELFCARE_BASE_URL, or the profile being renewed);
    the profile is --profile (default: 'default'). The token goes to the system keyring when
    there is one, else to a file only you can read in the config directory.

    Example: selfcare --base-url https://selfcare.example.com login

    In scripts: printf '%s\\n' "$TOKEN" | selfcare --base-url URL --profile work login --token-stdin
    """
    if state.fake:
        raise ValidationError("--fake needs no login", field="fake")
    name = check_profile_name(state.profile or DEFAULT_PROFILE)
    existing = load_profile(name)
    base_url = state.base_url or (existing.base_url if existing else None)
    if not base_url:
        raise ValidationError(
            "login needs the server: pass --base-url URL (or set SELFCARE_BASE_URL)",
            field="base_url",
        )
    if token_stdin:
        token = Secret(sys.stdin.readline().strip())
    elif state.token:
        token = Secret(state.token)
    else:
        token = Secret(str(click.prompt("Token", hide_input=True)).strip())
    if not token:
        raise ValidationError("the token is empty", field="token")
    with Selfcare(base_url=base_url, token=token) as sc:
        account = sc.account.get()
    profile = save_profile(name, base_url.rstrip("/"), token)
    where = (
        "the system keyring"
        if profile.in_keyring
        else f"{config_dir() / 'tokens'} (readable by you only)"
    )
    note(
        f"Signed in to {profile.base_url} as {account.number.international} "
        f"({account.holder}); profile {name!r}, token kept in {where}."
    )


@click.command()
@pass_state
def logout(state: State) -> None:
    """Forget the profile (--profile, default 'default') and its stored token.

    Example: selfcare --profile work logout
    """
    name = check_profile_name(state.profile or DEFAULT_PROFILE)
    if not delete_profile(name):
        known = ", ".join(sorted(load_profiles())) or "none"
        raise ValidationError(f"there is no profile {name!r} (saved: {known})", field="profile")
    note(f"Signed out: profile {name!r} and its token are gone.")


COMMANDS = [login, logout]
