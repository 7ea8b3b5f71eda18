"""A line-scoped client of a signed-in login shares the login's session."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selfcare import ClientClosed, LoginMethod, Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock

KID = "+79165557003"


def test_the_line_client_refreshes_the_logins_session_once(
    operator: FakeOperator, clock: ManualClock
) -> None:
    family = Selfcare.login(number="+79165557001", password="family-password-1", operator=operator)
    kid = family.line(KID)
    assert kid.account.get().number.e164 == KID
    owner = operator.subscriber("family")
    before = len(owner.logins)
    clock.advance(timedelta(minutes=20))  # the access token has expired
    assert kid.account.get().number.e164 == KID
    assert family.account.get().number.e164 == "+79165557001"
    refreshes = [r for r in list(owner.logins)[before:] if r.method is LoginMethod.TOKEN]
    assert len(refreshes) == 1


def test_closing_the_login_closes_its_line_clients(operator: FakeOperator) -> None:
    family = Selfcare.fake(operator=operator, subscriber="family")
    kid = family.line(KID)
    family.close()
    with pytest.raises(ClientClosed):
        kid.account.get()
