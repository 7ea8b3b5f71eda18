"""Signing in as a subscriber does, on the fake in process and over HTTP, sync and async.

TM Forum has no sign-in API (``Capability.SIGN_IN`` is not TMF's), so the TMF configurations
are skipped rather than signing in to the fake a second and third time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from selfcare import (
    AsyncSelfcare,
    AuthenticationError,
    Conflict,
    InvalidPhoneNumber,
    LoginMethod,
    LoginStatus,
    Selfcare,
    TooManyAttempts,
    ValidationError,
)
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.model import PhoneNumber
from selfcare.operations import Capability
from tests._bridge import Bridge, EventLoopThread
from tests.conftest import NOW

pytestmark = pytest.mark.requires(Capability.SIGN_IN)

NUMBER = "8 916 555-01-23"
E164 = "+79165550123"
PASSWORD = "demo-password-1"


class Door:
    """Signing in, in one configuration: the facade class and where it signs in."""

    def __init__(
        self, configuration: str, operator: FakeOperator, runner: EventLoopThread, url: str | None
    ) -> None:
        self.configuration = configuration
        self.operator = operator
        self.url = url
        self.facade: Any = (
            Selfcare
            if configuration.endswith("sync") and "async" not in configuration
            else Bridge(AsyncSelfcare, runner)
        )
        self.where: dict[str, Any] = {"operator": operator} if url is None else {"base_url": url}
        self.opened: list[Any] = []
        self.channel = "sdk" if url is None else "api"

    def login(self, number: str = NUMBER, password: str = PASSWORD) -> Any:
        client = self.facade.login(number=number, password=password, **self.where)
        self.opened.append(client)
        return client

    def start_login(self, number: str = NUMBER) -> Any:
        pending = self.facade.start_login(number=number, **self.where)
        self.opened.append(pending)
        return pending

    def code(self, number: str = E164) -> str:
        """The code the phone received: from the fake in process, or the server's test hook."""
        if self.url is None:
            return self.operator.sign_in.last_code(PhoneNumber(number)).code.reveal()
        answer = httpx.get(f"{self.url}/v1/_test/otp", params={"number": number})
        answer.raise_for_status()
        return str(answer.json()["code"])

    def history(self, n: int) -> list[Any]:
        return (
            self.operator.subscriber()
            .logins.page(since=None, until=None, cursor=None, limit=n)
            .items
        )

    def close(self) -> None:
        for item in self.opened:
            item.close() if hasattr(item, "close") else item.aclose()


@pytest.fixture
def door(
    configuration: str,
    operator: FakeOperator,
    loop_thread: EventLoopThread,
    request: pytest.FixtureRequest,
) -> Iterator[Door]:
    assert configuration.startswith(("fake", "http")), configuration
    url = None
    if configuration.startswith("http"):
        server, resolver = request.getfixturevalue("live_server")
        resolver.use(operator)
        url = server.url
    d = Door(configuration, operator, loop_thread, url)
    yield d
    d.close()


def _newest(door: Door) -> Any:
    return door.history(1)[0]


def test_password_sign_in_opens_a_session(door: Door) -> None:
    sc = door.login()
    assert sc.account.get().number.e164 == E164
    record = _newest(door)
    assert (record.method, record.status, record.channel) == (
        LoginMethod.PASSWORD,
        LoginStatus.SUCCESS,
        door.channel,
    )
    assert record.at == NOW
    newest = sc.logins.list(method="password").first(1)[0]
    assert newest.id == record.id


def test_numbers_are_read_as_people_type_them(door: Door) -> None:
    for typed in ("+7 (916) 555-01-23", "89165550123", E164):
        assert door.login(number=typed).account.get().number.e164 == E164


def test_a_wrong_password_is_refused_and_logged_without_the_password(door: Door) -> None:
    with pytest.raises(AuthenticationError, match="wrong number or password") as caught:
        door.login(password="guess-1234")
    assert "guess-1234" not in str(caught.value) + repr(caught.value)
    record = _newest(door)
    assert (record.method, record.status, record.reason) == (
        LoginMethod.PASSWORD,
        LoginStatus.FAILED,
        "wrong number or password",
    )
    assert "guess-1234" not in repr(record)


def test_an_unknown_number_gets_the_same_answer(door: Door) -> None:
    before = len(door.operator.subscriber().logins)
    with pytest.raises(AuthenticationError, match="wrong number or password"):
        door.login(number="+7 916 000-00-01")
    assert len(door.operator.subscriber().logins) == before


def test_bad_input_is_refused_before_anything_is_sent(door: Door) -> None:
    with pytest.raises(InvalidPhoneNumber, match="12"):
        door.facade.login(number="12", password=PASSWORD, **door.where)
    with pytest.raises(ValidationError, match="number is required"):
        door.facade.login(password=PASSWORD, **door.where)
    with pytest.raises(ValidationError, match="password must be non-empty") as caught:
        door.facade.login(number=NUMBER, password="", **door.where)
    assert caught.value.field == "password"
    with pytest.raises(ValidationError, match="not both"):
        door.facade.login("http://127.0.0.1:9", NUMBER, password=PASSWORD, operator=door.operator)


def test_one_time_code_flow(door: Door) -> None:
    pending = door.start_login()
    assert pending.number.e164 == E164
    assert pending.expires_at == NOW + timedelta(minutes=5)
    code = door.code()
    assert len(code) == 6 and code.isdigit()
    sc = pending.confirm(code)
    assert sc.account.get().number.e164 == E164
    record = _newest(door)
    assert (record.method, record.status) == (LoginMethod.OTP, LoginStatus.SUCCESS)
    with pytest.raises(AuthenticationError, match="already used"):
        pending.confirm(code)
    assert _newest(door).reason == "the code was already used"


def test_a_wrong_code_can_be_corrected(door: Door) -> None:
    pending = door.start_login()
    code = door.code()
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(AuthenticationError, match="wrong code") as caught:
        pending.confirm(wrong)
    assert code not in str(caught.value) and wrong not in str(caught.value)
    assert (_newest(door).method, _newest(door).reason) == (LoginMethod.OTP, "wrong code")
    assert pending.confirm(code).account.get().number.e164 == E164


def test_codes_expire_after_five_minutes_and_a_new_one_replaces_the_old(
    door: Door, clock: ManualClock
) -> None:
    pending = door.start_login()
    first = door.code()
    clock.advance(timedelta(minutes=5))
    with pytest.raises(AuthenticationError, match="expired"):
        pending.confirm(first)
    again = door.start_login()
    second = door.code()
    if second != first:
        with pytest.raises(AuthenticationError, match="wrong code"):
            again.confirm(first)
    assert again.confirm(second).account.get().number.e164 == E164


def test_expired_access_tokens_are_refreshed_without_the_caller_noticing(
    door: Door, clock: ManualClock
) -> None:
    sc = door.login()
    clock.advance(timedelta(minutes=16))
    assert sc.account.get().number.e164 == E164
    record = _newest(door)
    assert (record.method, record.status) == (LoginMethod.TOKEN, LoginStatus.SUCCESS)
    clock.advance(timedelta(minutes=16))
    sc.account.balance()
    sc.account.balance()  # refreshed once per expiry, not per request
    refreshes = [r for r in door.history(5) if r.method is LoginMethod.TOKEN and r.at >= NOW]
    assert len(refreshes) == 2


def test_a_session_ends_after_thirty_days(door: Door, clock: ManualClock) -> None:
    sc = door.login()
    clock.advance(timedelta(days=30))
    with pytest.raises(AuthenticationError, match="session expired"):
        sc.account.get()
    assert _newest(door).reason == "the session expired"


def test_logout_revokes_the_session(door: Door, clock: ManualClock) -> None:
    sc = door.login()
    other = door.login()
    sc.logout()
    with pytest.raises(AuthenticationError, match="signed out"):
        sc.account.get()
    clock.advance(timedelta(minutes=16))  # the refresh token is dead too
    with pytest.raises(AuthenticationError, match="signed out"):
        sc.account.get()
    assert other.account.get().number.e164 == E164  # other sessions go on


@pytest.mark.requires("sign_in")
def test_logout_with_an_api_token_is_refused(sc) -> None:
    with pytest.raises(Conflict, match="not signed in with a session"):
        sc.logout()
    assert sc.account.get().number.e164 == E164


def test_five_wrong_passwords_lock_sign_in_for_fifteen_minutes(
    door: Door, clock: ManualClock
) -> None:
    for attempt in range(5):
        clock.advance(timedelta(seconds=30))
        with pytest.raises(AuthenticationError):
            door.login(password=f"wrong-{attempt}")
    with pytest.raises(TooManyAttempts, match=r"locked.*15 min") as caught:
        door.login()  # even the right password
    assert caught.value.retry_after == timedelta(minutes=15)
    with pytest.raises(TooManyAttempts):
        door.start_login()
    failed = door.history(6)
    assert [r.status for r in failed] == [LoginStatus.FAILED] * 6
    assert failed[0].reason == "sign-in locked after too many wrong attempts"
    clock.advance(timedelta(minutes=14))
    with pytest.raises(TooManyAttempts) as later:
        door.login()
    assert later.value.retry_after == timedelta(minutes=1)
    clock.advance(timedelta(minutes=1))
    assert door.login().account.get().number.e164 == E164


def test_wrong_codes_count_towards_the_lockout_too(door: Door, clock: ManualClock) -> None:
    for attempt in range(3):
        with pytest.raises(AuthenticationError):
            door.login(password=f"wrong-{attempt}")
    pending = door.start_login()
    code = door.code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            pending.confirm(wrong)
    with pytest.raises(TooManyAttempts):
        pending.confirm(code)


def test_failures_outside_the_window_do_not_add_up(door: Door, clock: ManualClock) -> None:
    for attempt in range(4):
        with pytest.raises(AuthenticationError):
            door.login(password=f"wrong-{attempt}")
    clock.advance(timedelta(minutes=15))
    for attempt in range(4):
        with pytest.raises(AuthenticationError):
            door.login(password=f"wrong-{attempt}")
    assert door.login().account.get().number.e164 == E164


def test_a_successful_sign_in_resets_the_count(door: Door) -> None:
    for attempt in range(4):
        with pytest.raises(AuthenticationError):
            door.login(password=f"wrong-{attempt}")
    door.login()
    for attempt in range(4):
        with pytest.raises(AuthenticationError):
            door.login(password=f"wrong-{attempt}")
    assert door.login().account.get().number.e164 == E164


def test_every_attempt_lands_in_the_login_history(door: Door, clock: ManualClock) -> None:
    before = len(door.operator.subscriber().logins)
    with pytest.raises(AuthenticationError):
        door.login(password="nope-nope")
    sc = door.login()
    pending = door.start_login()
    with pytest.raises(AuthenticationError):
        pending.confirm("999999" if door.code() != "999999" else "888888")
    pending.confirm(door.code())
    clock.advance(timedelta(minutes=20))
    sc.account.get()
    sc.logout()
    records = door.history(5)
    assert len(door.operator.subscriber().logins) == before + 5
    assert [(r.method, r.status) for r in records] == [
        (LoginMethod.TOKEN, LoginStatus.SUCCESS),
        (LoginMethod.OTP, LoginStatus.SUCCESS),
        (LoginMethod.OTP, LoginStatus.FAILED),
        (LoginMethod.PASSWORD, LoginStatus.SUCCESS),
        (LoginMethod.PASSWORD, LoginStatus.FAILED),
    ]
    assert all(r.channel == door.channel for r in records)
    assert records[0].at == NOW + timedelta(minutes=20)


MALFORMED = ["12345", "1234567", "12 456", "abcdef", "１２３４５６"]


def test_a_malformed_code_is_refused_without_using_an_attempt(door: Door) -> None:
    pending = door.start_login()
    logged = len(door.history(100))
    for _ in range(3):  # more than enough to lock sign-in, were they attempts
        for typo in MALFORMED:
            with pytest.raises(ValidationError, match="6 digits") as caught:
                pending.confirm(typo)
            assert caught.value.field == "code" and typo not in str(caught.value)
    assert len(door.history(100)) == logged
    assert pending.confirm(door.code()).account.get().number.e164 == E164


def test_the_server_refuses_a_malformed_code_too(door: Door) -> None:
    if door.url is None:
        pytest.skip("a request straight to the server")
    door.start_login()
    logged = len(door.history(100))
    for _ in range(6):
        answer = httpx.post(
            f"{door.url}/v1/auth/otp/confirm", json={"number": E164, "code": "12345"}
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == "code" and "12345" not in answer.text
    assert len(door.history(100)) == logged
