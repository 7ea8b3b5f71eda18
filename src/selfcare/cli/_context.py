"""What every command shares: the global options, and the client they describe.

The client is built on first use (``selfcare sms plan`` needs none) and closed when the
command ends. Where the server is, in order: ``--fake``; ``--base-url`` or
``SELFCARE_BASE_URL``; the profile (``--profile``, ``SELFCARE_PROFILE``, else ``default``).
``--token`` or ``SELFCARE_TOKEN`` wins over a profile's stored token.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

import attrs
import click

from selfcare import Selfcare
from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare.cli._config import DEFAULT_PROFILE, load_profile, read_token
from selfcare.model import Account

if TYPE_CHECKING:  # the fake loads with Selfcare.fake(), not for 'selfcare --help'
    from selfcare.backends.fake import FakeOperator

__all__ = ["Format", "State", "pass_state"]

Format = Literal["table", "json", "csv"]


@attrs.define
class State:
    """The global options and the lazily built client of one invocation."""

    fake: bool = False
    seed: int = 42
    subscriber: str = "demo"
    """The seeded subscriber ``--fake`` acts as."""
    base_url: str | None = None
    token: str | None = None
    profile: str | None = None
    debug: bool = False
    format: Format = "table"
    operator: FakeOperator | None = None
    """The fake operator ``--fake`` uses (tests share one between invocations); ``None``
    starts a fresh one from ``--seed``."""
    _client: Selfcare | None = None
    _account: Account | None = None

    def client(self) -> Selfcare:
        """The client these options describe (built once, closed with the command)."""
        if self._client is None:
            self._client = self._build()
            click.get_current_context().call_on_close(self._client.close)
        return self._client

    def _build(self) -> Selfcare:
        if self.fake:
            if self.operator is not None:
                return Selfcare.fake(operator=self.operator, subscriber=self.subscriber)
            return Selfcare.fake(seed=self.seed, subscriber=self.subscriber)
        token = None if self.token is None else Secret(self.token)
        if self.base_url:
            return Selfcare(base_url=self.base_url, token=token)
        name = self.profile or DEFAULT_PROFILE
        profile = load_profile(name)
        if profile is None:
            if self.profile:
                raise ValidationError(
                    f"there is no profile {name!r}: create it with "
                    f"'selfcare --profile {name} --base-url URL login'",
                    field="profile",
                )
            raise ValidationError(
                "no server given: pass --base-url URL (or set SELFCARE_BASE_URL), sign in once "
                "with 'selfcare --base-url URL login', or try the fake operator with --fake",
                field="base_url",
            )
        stored = token or read_token(profile)
        if stored is None:
            raise ValidationError(
                f"profile {name!r} has no stored token any more: run "
                f"'selfcare --profile {name} login' again",
                field="profile",
            )
        return Selfcare(base_url=profile.base_url, token=stored)

    @property
    def has_backend(self) -> bool:
        """Whether a backend is named (``--fake``, ``--base-url`` or a saved profile), so a
        command that also works offline can ask it for more."""
        return (
            self.fake
            or bool(self.base_url)
            or load_profile(self.profile or DEFAULT_PROFILE) is not None
        )

    def account(self) -> Account:
        """The account (fetched once): its zone, region and currency shape the output."""
        if self._account is None:
            self._account = self.client().account.get()
        return self._account

    @property
    def locale(self) -> str | None:
        """The account's locale once a client is in use (money is shown as the account's
        region writes it); ``None`` for a command working offline."""
        return None if self._client is None else self.account().locale

    @property
    def zone(self) -> tzinfo:
        """The account's time zone: every time shown to people is in it."""
        return self.account().zone

    def now(self) -> datetime:
        """The backend's now (a fake may run on its own clock): what "7d" and "+2h" count from."""
        return self.client().account.balance().as_of

    def when(self, value: date | datetime | timedelta | None) -> date | datetime | None:
        """A ``--since``/``--until`` value as the SDK takes it: a date (a whole day in the
        account's zone), an aware datetime (naive ones are read in the account's zone), or
        ``7d`` meaning that many days before the backend's today."""
        if value is None or type(value) is date:
            return value
        if isinstance(value, timedelta):
            return self.now().astimezone(self.zone).date() - value
        assert isinstance(value, datetime)
        return value if value.tzinfo is not None else value.replace(tzinfo=self.zone)


pass_state = click.make_pass_decorator(State, ensure=True)
