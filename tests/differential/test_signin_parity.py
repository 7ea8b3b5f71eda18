"""Signing in with a one-time code answers the same on the fake and over HTTP, sync and async
(TMF has no sign-in). Runs on the operators the scenarios left behind, in the same state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

import pytest

from selfcare import AsyncSelfcare, Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from tests._bridge import wrap
from tests.conftest import NOW
from tests.differential._compare import Raised, first_difference

NUMBER = "+79165550123"
REFERENCE: list[Any] = []


def sign_in(configuration: str, operator: FakeOperator, request: Any, loop: Any) -> list[Any]:
    """Ask for a code, try a wrong one, confirm the right one, read the account."""
    kind = AsyncSelfcare if configuration.endswith("async") else Selfcare
    where: dict[str, Any] = {"operator": operator}
    if configuration.startswith("http"):
        server, resolver = request.getfixturevalue("live_server")
        resolver.use(operator)
        where = {"base_url": server.url}
    pending = wrap(kind.start_login(number=NUMBER, **where), loop)
    answers: list[Any] = [("number", pending.number), ("expires_at", pending.expires_at)]
    try:
        pending.confirm("000000")
    except Exception as exc:
        answers.append(("wrong code", Raised.of(exc)))
    code = operator.sign_in.last_code(pending.number).code
    client = pending.confirm(code)
    try:
        answers.append(("account", client.account.get()))
        answers.append(("balance", client.account.balance()))
    finally:
        if configuration.endswith("async"):
            loop.run(client.unwrapped.aclose())
        else:
            client.close()
    return answers


@pytest.mark.parametrize("configuration", ["fake-async", "http-sync", "http-async"])
def test_signing_in_answers_the_same(
    configuration: str,
    operated: Callable[[str], Any],
    request: pytest.FixtureRequest,
    loop_thread: Any,
) -> None:
    if not REFERENCE:  # signed in once: each sign-in changes the operator (codes, attempts)
        REFERENCE.extend(sign_in("fake-sync", operated("fake-sync")[1], request, loop_thread))
    reference = REFERENCE
    other = sign_in(configuration, operated(configuration)[1], request, loop_thread)
    assert first_difference(reference, other) is None, first_difference(reference, other)


def test_the_code_expiry_is_in_utc_before_anyone_is_signed_in() -> None:
    """Before signing in there is no account, so no account zone: ``expires_at`` is UTC on
    every backend (the parity test above holds the others to the fake), for a subscriber's
    number and a stranger's alike, so the answer does not tell who is a subscriber."""
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))  # NOW is in Moscow
    for number in (NUMBER, "+79160000000"):
        pending = Selfcare.start_login(number=number, operator=operator)
        assert pending.expires_at.tzinfo is UTC, pending.expires_at
        pending.close()
