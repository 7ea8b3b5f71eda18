"""``selfcare login`` and ``logout``: save a server and its credentials as a profile.

``login`` either takes an API token (from a hidden prompt or standard input) and checks it by
reading the account, or signs in as the subscriber does: ``--number`` with the password, or
with ``--code`` a one-time code the operator texts to the phone. Passwords and codes are read
from a hidden prompt or standard input only, and are never shown or stored; what is stored is
the token the server hands back.

``logout`` forgets the profile and, when its token is a session's, ends that session on the
server first.
"""

from __future__ import annotations

import sys
from datetime import datetime, tzinfo

import click
from click.core import ParameterSource

from selfcare import Selfcare
from selfcare._errors import AuthenticationError, Conflict, SelfcareError, ValidationError
from selfcare._i18n import gettext as _
from selfcare._secret import Secret
from selfcare.cli._config import (
    DEFAULT_PROFILE,
    check_profile_name,
    config_dir,
    delete_profile,
    load_profile,
    load_profiles,
    read_token,
    save_profile,
)
from selfcare.cli._context import State, pass_state
from selfcare.cli._errors import CliError
from selfcare.cli._output import note
from selfcare.model import SignedIn
from selfcare.protocol._session import SessionAuth

__all__ = ["COMMANDS"]

CODE_ATTEMPTS = 3
"""How many times the hidden prompt asks again after a wrong one-time code."""


@click.command()
@click.option("--token-stdin", is_flag=True, help="Read the API token from standard input.")
@click.option(
    "--number",
    metavar="NUMBER",
    help="Sign in as this subscriber (as typed: '8 916 555-01-23') instead of with a token.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="With --number: read the password from standard input (else a hidden prompt).",
)
@click.option(
    "--code",
    "use_code",
    is_flag=True,
    help="With --number: sign in with a one-time code texted to the number, not a password.",
)
@click.option(
    "--code-stdin",
    is_flag=True,
    help="With --number: like --code, reading the code from standard input.",
)
@pass_state
def login(
    state: State,
    token_stdin: bool,
    number: str | None,
    password_stdin: bool,
    use_code: bool,
    code_stdin: bool,
) -> None:
    """Sign in to a server and save it as a profile.

    The base URL comes from --base-url (or SELFCARE_BASE_URL, or the profile being renewed);
    the profile is --profile (default: 'default'). The token goes to the system keyring when
    there is one, else to a file only you can read in the config directory.

    Without --number, login checks an API token (hidden prompt, --token-stdin or --token)
    and saves it. With --number it signs in as the subscriber does, with the password (hidden
    prompt or --password-stdin) or, with --code, a one-time code the operator texts to the
    number (hidden prompt or --code-stdin). Passwords and codes are never arguments and
    never stored: the session's access token is. The session lasts until that token expires
    (15 minutes on the reference server); then run login again. Use an API token for
    anything longer. 'selfcare logout' ends the session on the server.

    Example: selfcare --base-url https://selfcare.example.com login

    Example: selfcare --base-url URL login --number '8 916 555-01-23'

    Example: selfcare --base-url URL login --number '8 916 555-01-23' --code

    In scripts: printf '%s\\n' "$TOKEN" | selfcare --base-url URL --profile work login --token-stdin
    """
    if state.fake:
        raise ValidationError("--fake needs no login", field="fake")
    name = check_profile_name(state.profile or DEFAULT_PROFILE)
    with_code = use_code or code_stdin
    _check_options(state, token_stdin, number, password_stdin, with_code)
    existing = load_profile(name)
    base_url = state.base_url or (existing.base_url if existing else None)
    if not base_url:
        raise ValidationError(
            "login needs the server: pass --base-url URL (or set SELFCARE_BASE_URL)",
            field="base_url",
        )
    session: SignedIn | None = None
    if number is None:
        token = _read_token(state, token_stdin)
        with Selfcare(base_url=base_url, token=token) as sc:
            account = sc.account.get()
        how = "token"
    else:
        if with_code:
            sc = _sign_in_with_code(base_url, number, code_stdin)
        else:
            sc = Selfcare.login(base_url, number, password=_read_password(password_stdin))
        with sc:
            session = _session_of(sc)
            account = sc.account.get()
        token = session.access_token
        how = _("one-time code") if with_code else _("password")
    profile = save_profile(name, base_url.rstrip("/"), token)
    where = (
        _("the system keyring")
        if profile.in_keyring
        else _("%(path)s (readable by you only)") % {"path": config_dir() / "tokens"}
    )
    note(
        _(
            "Signed in to %(url)s as %(number)s (%(holder)s) with a %(how)s; "
            "profile %(profile)r, token kept in %(where)s."
        )
        % {
            "url": profile.base_url,
            "number": account.number.international,
            "holder": account.holder,
            "how": how,
            "profile": name,
            "where": where,
        }
    )
    if session is not None:
        until = _local(session.access_expires_at, account.zone)
        note(
            _("The session lasts until %(until)s; then run 'selfcare login' again.")
            % {"until": until}
        )


def _check_options(
    state: State, token_stdin: bool, number: str | None, password_stdin: bool, with_code: bool
) -> None:
    if number is None:
        if password_stdin or with_code:
            raise ValidationError(
                "--password-stdin, --code and --code-stdin need --number NUMBER", field="number"
            )
        return
    # SELFCARE_TOKEN from the environment is simply not used; a token typed here is refused.
    typed = click.get_current_context().find_root().get_parameter_source("token")
    if token_stdin or typed is ParameterSource.COMMANDLINE:
        raise ValidationError(
            "--number signs in with a password or code: leave out --token and --token-stdin",
            field="number",
        )
    if password_stdin and with_code:
        raise ValidationError(
            "--password-stdin and --code cannot be used together: pick one way to sign in",
            field="password",
        )


def _read_token(state: State, token_stdin: bool) -> Secret:
    if token_stdin:
        token = Secret(sys.stdin.readline().strip())
    elif state.token:
        token = Secret(state.token)
    else:
        token = Secret(str(click.prompt(_("Token"), hide_input=True)).strip())
    if not token:
        raise ValidationError("the token is empty", field="token")
    return token


def _read_password(from_stdin: bool) -> Secret:
    if from_stdin:
        # Only the line ending goes: spaces may be part of a password.
        return Secret(sys.stdin.readline().rstrip("\r\n"))
    return Secret(str(click.prompt(_("Password"), hide_input=True)))


def _sign_in_with_code(base_url: str, number: str, from_stdin: bool) -> Selfcare:
    pending = Selfcare.start_login(base_url, number)
    try:
        note(
            _("A one-time code was sent to %(number)s; it works until %(until)s.")
            % {
                "number": pending.number.international,
                "until": _local(pending.expires_at, None),
            }
        )
        if from_stdin:
            return pending.confirm(Secret(sys.stdin.readline().strip()))
        for attempt in range(1, CODE_ATTEMPTS + 1):
            code = Secret(str(click.prompt(_("Code"), hide_input=True)).strip())
            try:
                return pending.confirm(code)
            except AuthenticationError:
                if attempt == CODE_ATTEMPTS:
                    raise
                note(_("That code did not work; try again."))
        raise AssertionError("unreachable")  # pragma: no cover
    except BaseException:
        pending.close()
        raise


def _session_of(sc: Selfcare) -> SignedIn:
    """The session a signed-in client acts with.

    The SDK has no public accessor for it (the client keeps it in its backend's auth flow),
    so this is the one place the CLI reaches inside the client.
    """
    auth = getattr(sc._backend, "auth", None)
    if not isinstance(auth, SessionAuth):
        raise CliError("the server signed in without a session this CLI can store")
    return auth.session


def _local(when: datetime, zone: tzinfo | None) -> str:
    shown = when.astimezone(zone)
    return f"{shown:%Y-%m-%d %H:%M} {shown.tzname() or ''}".rstrip()


@click.command()
@pass_state
def logout(state: State) -> None:
    """Forget the profile (--profile, default 'default') and its stored token.

    When the stored token is a session's (from 'login --number'), the session is ended on the
    server first, so the token stops working everywhere. An API token is only forgotten here:
    it keeps working on the server.

    Example: selfcare --profile work logout
    """
    name = check_profile_name(state.profile or DEFAULT_PROFILE)
    profile = load_profile(name)
    if profile is None:
        known = ", ".join(sorted(load_profiles())) or "none"
        raise ValidationError(f"there is no profile {name!r} (saved: {known})", field="profile")
    ended = False
    token = read_token(profile)
    if token is not None:
        ended = _end_session(profile.base_url, token)
    delete_profile(name)
    if ended:
        note(
            _("Signed out: the session is ended and profile %(profile)r and its token are gone.")
            % {"profile": name}
        )
    else:
        note(_("Signed out: profile %(profile)r and its token are gone.") % {"profile": name})


def _end_session(base_url: str, token: Secret) -> bool:
    """End the session ``token`` belongs to; ``False`` when it is not a session (or is over)."""
    try:
        with Selfcare(base_url=base_url, token=token, max_retries=0) as sc:
            sc.logout()
    except Conflict:
        return False  # a long-lived API token: there is no session to end
    except AuthenticationError:
        return False  # the session already expired or was ended
    except SelfcareError as exc:
        note(
            _("Could not reach the server to end the session (%(error)s); forgetting it anyway.")
            % {"error": exc}
        )
        return False
    return True


COMMANDS = [login, logout]
