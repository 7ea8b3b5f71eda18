"""The fake operator: an in-memory simulator with seeded, realistic data and real rules."""

from selfcare.backends.fake._clock import Clock, ManualClock, SandboxClock, SystemClock
from selfcare.backends.fake._documents import TmfDocuments
from selfcare.backends.fake._idempotency import IdempotencyLimits
from selfcare.backends.fake._limits import Bucket, Lockout, RateLimits
from selfcare.backends.fake._operator import AsyncFakeBackend, FakeBackend, FakeOperator
from selfcare.backends.fake._seed import DEFAULT_PROFILES, Profile
from selfcare.backends.fake._state import Subscriber, TariffPlan

__all__ = [
    "DEFAULT_PROFILES",
    "AsyncFakeBackend",
    "Bucket",
    "Clock",
    "FakeBackend",
    "FakeOperator",
    "IdempotencyLimits",
    "Lockout",
    "ManualClock",
    "Profile",
    "RateLimits",
    "SandboxClock",
    "Subscriber",
    "SystemClock",
    "TariffPlan",
    "TmfDocuments",
]
