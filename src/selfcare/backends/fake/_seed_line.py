"""Seeded line-management state: forwarding, connected services, logins, past operations.

Kept apart from the usage history in ``_seed`` and drawn from its own random stream, so
adding to it never changes the seeded expenses, calls or bills.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from selfcare.backends.fake._state import Subscriber
from selfcare.forwarding_codes import ForwardingCondition
from selfcare.model import OperationStatus
from selfcare.model.forwarding import DEFAULT_NO_REPLY_TIMER
from selfcare.operations import SetForwarding

__all__ = ["seed_line"]


def seed_line(sub: Subscriber, key: str, *, seed: int, now: datetime, history_days: int) -> None:
    """Give ``sub`` the line state a subscriber of ``history_days`` would have by ``now``."""
    rng = random.Random(f"{seed}:{key}:line")  # noqa: S311  (a simulation, not crypto)
    start = now.astimezone(sub.account.zone) - timedelta(days=history_days)
    sub.tariff_since = start.replace(hour=0, minute=0, second=5, microsecond=0)
    for code in ("voicemail", "caller-id"):
        sub.services[code] = sub.tariff_since
    _forwarding(sub, rng, start)


def _at(rng: random.Random, start: datetime, days: float) -> datetime:
    """An instant ``days`` after ``start`` at a waking hour (``start``'s zone)."""
    day = start + timedelta(days=days)
    return day.replace(hour=rng.randint(9, 21), minute=rng.randrange(60), second=rng.randrange(60))


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
