"""Lockout abuse (issue 20): a lock slows guessing down but cannot be turned against the owner,
refused attempts do not flood the login history, and refreshes are rate-limited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selfcare import AuthenticationError, LoginStatus, RateLimited, Selfcare, TooManyAttempts
from selfcare._secret import Secret
from selfcare.backends.fake import FakeOperator, Lockout, ManualClock, RateLimits
from selfcare.backends.fake._signin import demo_password
from selfcare.model import PhoneNumber

NUMBER = "+79165550123"
RIGHT = demo_password("demo")
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def _wrong(operator: FakeOperator, client: str | None, n: int = 5) -> None:
    desk, now = operator.sign_in, operator.clock.now()
    for attempt in range(n):
        with pytest.raises(AuthenticationError):
            desk.with_password(PhoneNumber(NUMBER), Secret(f"guess-{attempt}"), now, "api", client)


def test_three_thousand_refused_attempts_are_one_count_not_three_thousand_records(
    operator: FakeOperator,
) -> None:
    logins = operator.subscriber().logins
    before = len(logins)
    for attempt in range(5):
        with pytest.raises(AuthenticationError):
            Selfcare.login(number=NUMBER, password=f"wrong-{attempt}", operator=operator)
    for _ in range(3000):
        with pytest.raises(TooManyAttempts):
            Selfcare.login(number=NUMBER, password=RIGHT.reveal(), operator=operator)
    grown = len(logins) - before
    assert grown == 6, f"the login history grew by {grown}"  # 5 wrong, 1 lock
    newest = logins.page(since=None, until=None, cursor=None, limit=1).items[0]
    assert (newest.status, newest.reason) == (
        LoginStatus.FAILED,
        "sign-in locked after too many wrong attempts",
    )
    [lock] = operator.sign_in.locks(PhoneNumber(NUMBER), operator.clock.now())
    assert (lock.scope, lock.client, lock.refused) == ("client", "in process", 3000)


def test_an_attacker_locks_only_themselves_out(operator: FakeOperator, clock: ManualClock) -> None:
    desk, number = operator.sign_in, PhoneNumber(NUMBER)
    for _ in range(6):  # hours of attack, re-locking each time the lock ends
        _wrong(operator, ATTACKER)
        with pytest.raises(TooManyAttempts):
            desk.with_password(number, RIGHT, clock.now(), "api", ATTACKER)
        desk.with_password(number, RIGHT, clock.now(), "api", OWNER)  # the owner gets in
        [lock] = desk.locks(number, clock.now())
        assert lock.client == ATTACKER
        clock.advance(lock.locked_until - clock.now())
    owner_records = [r for r in operator.subscriber().logins if r.ip == OWNER]
    assert owner_records and all(r.status is LoginStatus.SUCCESS for r in owner_records)


def test_repeated_locks_grow_and_the_owner_gets_in_after_the_delay(
    operator: FakeOperator, clock: ManualClock
) -> None:
    desk, number = operator.sign_in, PhoneNumber(NUMBER)
    waits = []
    for _ in range(6):
        _wrong(operator, None)
        with pytest.raises(TooManyAttempts) as caught:
            desk.with_password(number, RIGHT, clock.now(), "sdk")
        assert caught.value.retry_after is not None
        waits.append(caught.value.retry_after)
        clock.advance(caught.value.retry_after)
    minutes = [int(wait.total_seconds() // 60) for wait in waits]
    assert minutes == [15, 30, 60, 120, 240, 240]
    desk.with_password(number, RIGHT, clock.now(), "sdk")  # right after the delay: in
    _wrong(operator, None)  # and a success starts the count over
    with pytest.raises(TooManyAttempts) as again:
        desk.with_password(number, RIGHT, clock.now(), "sdk")
    assert again.value.retry_after == timedelta(minutes=15)


def test_guessing_from_many_addresses_pauses_new_places_but_not_the_owners(
    operator: FakeOperator, clock: ManualClock
) -> None:
    desk, number = operator.sign_in, PhoneNumber(NUMBER)
    desk.with_password(number, RIGHT, clock.now(), "api", OWNER)  # the owner's usual place
    clock.advance(timedelta(hours=1))
    for n in range(4):  # 4 addresses x 5 wrong = the number's 20
        _wrong(operator, f"203.0.113.{n}")
    with pytest.raises(TooManyAttempts, match="paused") as caught:
        desk.with_password(number, RIGHT, clock.now(), "api", "203.0.113.99")
    assert caught.value.retry_after == timedelta(minutes=15)
    with pytest.raises(TooManyAttempts, match="paused"):
        desk.send_code(number, clock.now(), "203.0.113.98")
    desk.with_password(number, RIGHT, clock.now(), "api", OWNER)
    guard = [lock for lock in desk.locks(number, clock.now()) if lock.scope == "number"]
    assert [lock.refused for lock in guard] == [2]
    reasons = [r.reason for r in operator.subscriber().logins if r.failed]
    assert reasons.count("sign-in from new places paused after too many wrong attempts") == 1


def test_the_lockout_is_configurable(operator: FakeOperator, clock: ManualClock) -> None:
    operator.limits = RateLimits(lockout=Lockout(max_failures=2, first=timedelta(minutes=1)))
    _wrong(operator, None, n=2)
    with pytest.raises(TooManyAttempts, match="after 2 wrong attempts") as caught:
        operator.sign_in.with_password(PhoneNumber(NUMBER), RIGHT, clock.now(), "sdk")
    assert caught.value.retry_after == timedelta(minutes=1)
    with pytest.raises(ValueError, match="max_failures=0 must be a positive"):
        Lockout(max_failures=0)
    with pytest.raises(ValueError, match="first=.* must be positive"):
        Lockout(first=timedelta(0))


def test_refreshes_are_rate_limited_per_subscriber(
    operator: FakeOperator, clock: ManualClock
) -> None:
    desk = operator.sign_in
    session = desk.with_password(PhoneNumber(NUMBER), RIGHT, clock.now(), "sdk")
    other = desk.with_password(PhoneNumber(NUMBER), RIGHT, clock.now(), "sdk")
    for _ in range(10):
        session = desk.refresh(session.refresh_token, clock.now(), "sdk")
    logins = len(operator.subscriber().logins)
    with pytest.raises(RateLimited, match="too many refreshes") as caught:
        desk.refresh(other.refresh_token, clock.now(), "sdk")  # another session, same person
    assert not isinstance(caught.value, TooManyAttempts)
    assert caught.value.retry_after == timedelta(seconds=60)
    assert len(operator.subscriber().logins) == logins  # refused, not logged
    clock.advance(timedelta(minutes=1))
    desk.refresh(other.refresh_token, clock.now(), "sdk")
