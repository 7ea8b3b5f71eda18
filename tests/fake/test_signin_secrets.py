"""Sign-in secrets cannot be predicted: the attack of issue 20, played as the attacker would.

Subscriber A refreshes their own session a few hundred times, reads 624 32-bit outputs of a
Mersenne Twister out of the tokens, untempers them into the generator's state, and predicts
the one-time code the operator texts to subscriber B and B's next session token. On the old
fake (tokens and codes from a seeded ``random.Random``) this signed A in as B; every secret
must now come from :mod:`secrets`, so the prediction is worthless.
"""

from __future__ import annotations

import base64
import random
from datetime import timedelta

import pytest

from selfcare import AuthenticationError
from selfcare._secret import Secret
from selfcare.backends.fake import FakeOperator, ManualClock, RateLimits
from selfcare.backends.fake._signin import demo_password
from tests.conftest import NOW

MASK = 0xFFFFFFFF
STATE_WORDS = 624


def _unshift_right(y: int, shift: int) -> int:
    x = y
    for _ in range(32 // shift + 1):
        x = y ^ (x >> shift)
    return x & MASK


def _unshift_left(y: int, shift: int, mask: int) -> int:
    x = y
    for _ in range(32 // shift + 1):
        x = y ^ ((x << shift) & mask)
    return x & MASK


def untemper(y: int) -> int:
    """The Mersenne Twister state word behind one 32-bit output."""
    y = _unshift_right(y, 18)
    y = _unshift_left(y, 15, 0xEFC60000)
    y = _unshift_left(y, 7, 0x9D2C5680)
    return _unshift_right(y, 11)


def clone(outputs: list[int]) -> random.Random:
    """A generator in the state the one that produced ``outputs`` (624 words) is in now."""
    state = [untemper(word) for word in outputs[:STATE_WORDS]]
    twin = random.Random()
    twin.setstate((3, (*state, STATE_WORDS), None))
    return twin


def words_of(token: Secret) -> list[int]:
    """The 32-bit outputs an attacker reads out of a token's random part: hex as
    ``getrandbits`` wrote it (least significant word first), else the base64url bytes."""
    tail = token.reveal().split("_", 2)[-1]
    try:
        value, count = int(tail, 16), len(tail) // 8
    except ValueError:
        raw = base64.urlsafe_b64decode(tail + "=" * (-len(tail) % 4))
        value, count = int.from_bytes(raw, "little"), len(raw) // 4
    return [(value >> (32 * i)) & MASK for i in range(count)]


def test_the_attack_itself_recovers_a_mersenne_twister() -> None:
    """The harness is sound: on a seeded Random it predicts what comes next exactly."""
    victim = random.Random("42:sign-in")  # a Mersenne Twister, as the fake had
    outputs: list[int] = []
    while len(outputs) < STATE_WORDS:
        outputs += words_of(Secret(f"sa_0_{victim.getrandbits(128):032x}"))
    twin = clone(outputs)
    assert twin.randrange(10**6) == victim.randrange(10**6)
    assert twin.getrandbits(128) == victim.getrandbits(128)


def test_refreshing_your_own_session_does_not_reveal_anyone_elses_secrets() -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock, limits=RateLimits.generous())
    desk = operator.sign_in
    a, b = operator.subscriber("oleg"), operator.subscriber("demo")
    session = desk.with_password(a.account.number, demo_password("oleg"), clock.now(), "api")
    outputs: list[int] = []
    while len(outputs) < STATE_WORDS:
        clock.advance(timedelta(minutes=1))
        session = desk.refresh(session.refresh_token, clock.now(), "api")
        outputs += words_of(session.access_token)
    assert len(outputs) < STATE_WORDS + 8  # as few refreshes as the attack needs

    twin = clone(outputs)
    desk.send_code(b.account.number, clock.now())
    guess = Secret(f"{twin.randrange(10**6):06d}")
    with pytest.raises(AuthenticationError, match="wrong code"):
        desk.with_code(b.account.number, guess, clock.now(), "api")

    # B's next password sign-in: the session id and both tokens are not predictable either
    twin.getrandbits(48)
    predicted = f"{twin.getrandbits(128):032x}"
    signed_in = desk.with_password(b.account.number, demo_password("demo"), clock.now(), "web")
    assert predicted not in signed_in.access_token.reveal()


def test_the_same_seed_does_not_give_the_same_secrets() -> None:
    """Two operators with one seed have the same data but never the same codes or tokens,
    and a Random seeded as the fake's used to be reproduces none of them."""
    operators = [FakeOperator(seed=42, clock=ManualClock(NOW)) for _ in range(2)]
    number = operators[0].subscriber().account.number
    assert number == operators[1].subscriber().account.number
    codes, tokens = [], []
    for operator in operators:
        desk = operator.sign_in
        session = desk.with_password(number, demo_password("demo"), NOW, "sdk")
        tokens.append((session.access_token.reveal(), session.refresh_token.reveal()))
        codes.append([])
        for _ in range(3):
            desk.send_code(number, NOW)
            codes[-1].append(desk.last_code(number).code.reveal())
    assert tokens[0][0] != tokens[1][0] and tokens[0][1] != tokens[1][1]
    assert codes[0] != codes[1]
    old = random.Random("42:sign-in")  # the old generator, re-seeded
    old.getrandbits(64)  # the salt
    sid = f"{old.getrandbits(48):012x}"
    assert sid not in tokens[0][0] and f"{old.getrandbits(128):032x}" not in tokens[0][0]
