"""Seeded line-management state: forwarding, connected services, logins, past operations.

Kept apart from the usage history in ``_seed`` and drawn from its own random stream, so
adding to it never changes the seeded expenses, calls or bills.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from selfcare.backends.fake._state import Subscriber
from selfcare.backends.fake._tickets import ComplaintRecord
from selfcare.forwarding import ForwardingCondition
from selfcare.model import (
    ComplaintCategory,
    ExpenseKind,
    LoginMethod,
    LoginStatus,
    OperationStatus,
    RelatedEntity,
    RelatedKind,
)
from selfcare.model.forwarding import DEFAULT_NO_REPLY_TIMER
from selfcare.operations import FileComplaint, SetForwarding

__all__ = ["seed_line"]


def seed_line(
    sub: Subscriber,
    key: str,
    *,
    seed: int,
    now: datetime,
    history_days: int,
    logins: bool = True,
) -> None:
    """Give ``sub`` the line state a subscriber of ``history_days`` would have by ``now``
    (sign-ins only if the line has a login of its own: ``logins``)."""
    rng = random.Random(f"{seed}:{key}:line")  # noqa: S311  (a simulation, not crypto)
    start = now.astimezone(sub.account.zone) - timedelta(days=history_days)
    sub.tariff_since = start.replace(hour=0, minute=0, second=5, microsecond=0)
    for code in ("voicemail", "caller-id"):
        sub.services[code] = sub.tariff_since
    _forwarding(sub, rng, start)
    if logins:
        _logins(sub, rng, start, now.astimezone(sub.account.zone))
    _complaints(sub, rng, now.astimezone(sub.account.zone))


def _at(rng: random.Random, start: datetime, days: float) -> datetime:
    """An instant ``days`` after ``start`` at a waking hour (``start``'s zone)."""
    day = start + timedelta(days=days)
    return day.replace(
        hour=rng.randint(9, 21), minute=rng.randrange(60), second=rng.randrange(60), microsecond=0
    )


def _forwarding(sub: Subscriber, rng: random.Random, start: datetime) -> None:
    """Unanswered and unreachable calls go to voicemail, set up on the web early on."""
    at = _at(rng, start, rng.uniform(3, 20))
    for condition in (ForwardingCondition.NO_REPLY, ForwardingCondition.NOT_REACHABLE):
        timer = DEFAULT_NO_REPLY_TIMER if condition is ForwardingCondition.NO_REPLY else None
        op = SetForwarding(
            condition,
            voicemail=True,
            timer=timer,
            idempotency_key=f"seed-{condition.value}-{rng.getrandbits(64):016x}",
        )
        sub.forwarding[condition] = (sub.voicemail, timer)
        sub.log_operation(at, "web", op, OperationStatus.DONE)
        at += timedelta(seconds=rng.randint(20, 90))


_WEB_CLIENTS = ("Firefox 132 on Windows 11", "Chrome 130 on macOS 14", "Safari 18 on iOS 18")
_APP_CLIENT = "selfcare app 4.2 (Android 14)"
_HOME_IP = "203.0.113.{}"
_MOBILE_IP = "198.51.100.{}"


def _logins(sub: Subscriber, rng: random.Random, start: datetime, now: datetime) -> None:
    """About three sign-ins a week: the web with a password (sometimes mistyped first) or a
    one-time code, and the app with its stored token; a mistyped code now and then."""
    home = _HOME_IP.format(rng.randrange(2, 250))
    day = start
    while day < now:
        at = _at(rng, day, 0)
        if rng.random() < 0.43 and at + timedelta(minutes=5) < now:
            if rng.random() < 0.6:
                _web_login(sub, rng, at, home)
            else:
                _app_login(sub, rng, at)
        day += timedelta(days=1)


def _web_login(sub: Subscriber, rng: random.Random, at: datetime, home: str) -> None:
    client = rng.choice(_WEB_CLIENTS)
    method = LoginMethod.PASSWORD if rng.random() < 0.8 else LoginMethod.OTP
    if rng.random() < 0.12:
        reason = "wrong password" if method is LoginMethod.PASSWORD else "wrong one-time code"
        sub.record_login(at, "web", method, LoginStatus.FAILED, reason, ip=home, client=client)
        at += timedelta(seconds=rng.randint(15, 120))
    sub.record_login(at, "web", method, LoginStatus.SUCCESS, ip=home, client=client)


def _app_login(sub: Subscriber, rng: random.Random, at: datetime) -> None:
    ip = _MOBILE_IP.format(rng.randrange(2, 250))
    if rng.random() < 0.05:
        sub.record_login(
            at,
            "app",
            LoginMethod.TOKEN,
            LoginStatus.FAILED,
            "token expired",
            ip=ip,
            client=_APP_CLIENT,
        )
        at += timedelta(seconds=rng.randint(20, 90))  # on mobile data: the network vouches
        sub.record_login(
            at, "app", LoginMethod.NETWORK, LoginStatus.SUCCESS, ip=ip, client=_APP_CLIENT
        )
        return
    sub.record_login(at, "app", LoginMethod.TOKEN, LoginStatus.SUCCESS, ip=ip, client=_APP_CLIENT)


def _complaints(sub: Subscriber, rng: random.Random, now: datetime) -> None:
    """A resolved complaint from the past (about a roaming charge, if there was roaming) and
    one filed yesterday that is still in progress."""
    roaming = next((e for e in sub.expenses if e.kind is ExpenseKind.ROAMING), None)
    if roaming is not None:
        past = FileComplaint(
            "Roaming charges",
            f"I was charged {roaming.cost} for roaming on {roaming.at:%d.%m.%Y}; "
            "the travel option should have covered it.",
            ComplaintCategory.BILLING,
            (RelatedEntity(RelatedKind.EXPENSE, roaming.id),),
            idempotency_key=f"seed-complaint-{rng.getrandbits(64):016x}",
        )
        filed = roaming.at + timedelta(days=2, hours=rng.randint(1, 6))
    else:
        past = FileComplaint(
            "Weak signal at home",
            "Calls drop at home in the evenings.",
            ComplaintCategory.NETWORK,
            idempotency_key=f"seed-complaint-{rng.getrandbits(64):016x}",
        )
        filed = _at(rng, now, -40)
    recent = FileComplaint(
        "Messages arrive late",
        "Text messages from my bank arrive an hour or more after they are sent.",
        ComplaintCategory.MESSAGING,
        idempotency_key=f"seed-complaint-{rng.getrandbits(64):016x}",
    )
    for op, at in ((past, filed), (recent, now - timedelta(hours=26))):
        at = at.replace(microsecond=0)
        sub.complaints.add(
            ComplaintRecord(sub.next_id("cmp"), at, op.subject, op.text, op.category, op.related)
        )
        sub.log_operation(at, "web", op, OperationStatus.DONE)
