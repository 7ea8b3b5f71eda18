"""Tests for selfcare.keypad: the one-time shuffled on-screen PIN pad."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare._errors import ValidationError, error_class_for_problem
from selfcare._secret import Secret
from selfcare.keypad import DIGITS, KeypadExpired, KeypadRegistry, VirtualKeypad

START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
PIN = "4071"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def positions_for(keypad: VirtualKeypad, digits: str) -> list[int]:
    """What a frontend would post: where each digit sits in the layout."""
    return [keypad.layout.index(d) for d in digits]


def fixed(layout: str = "9876543210", clock: FakeClock | None = None) -> VirtualKeypad:
    clock = clock or FakeClock()
    return VirtualKeypad(
        "kp-test", tuple(layout), clock.now, clock.now + timedelta(minutes=5), clock=clock
    )


# --- layout ------------------------------------------------------------------------------


def test_new_layout_holds_each_digit_once() -> None:
    for _ in range(50):
        keypad = VirtualKeypad.new()
        assert isinstance(keypad.layout, tuple)
        assert len(keypad.layout) == 10
        assert sorted(keypad.layout) == list(DIGITS)
        assert Counter(keypad.layout) == Counter(DIGITS)


def test_new_sets_id_and_utc_times_from_clock() -> None:
    clock = FakeClock(datetime(2024, 5, 1, 15, 0, tzinfo=timezone(timedelta(hours=3))))
    keypad = VirtualKeypad.new(ttl=timedelta(seconds=90), clock=clock)
    assert keypad.created_at == START
    assert keypad.created_at.tzinfo is UTC
    assert keypad.expires_at == START + timedelta(seconds=90)
    assert isinstance(keypad.id, str)
    assert len(keypad.id) >= 20
    assert keypad.entered == 0
    assert not keypad.expired
    assert not keypad.used


def test_default_clock_is_aware_now() -> None:
    before = datetime.now(UTC)
    keypad = VirtualKeypad.new()
    after = datetime.now(UTC)
    assert before <= keypad.created_at <= after
    assert keypad.expires_at - keypad.created_at == timedelta(minutes=5)


def test_ids_are_unique() -> None:
    ids = {VirtualKeypad.new().id for _ in range(200)}
    assert len(ids) == 200


def test_layouts_differ_across_calls() -> None:
    """Statistical sanity check of the shuffle (not a proof of randomness).

    10! = 3,628,800 layouts, so 200 draws repeat one with probability about 0.5%; we only
    require 190 distinct ones. With 1,000 draws each digit is first about 100 times
    (standard deviation ~9.5); the bounds below are more than 6 deviations wide.
    """
    layouts = [VirtualKeypad.new().layout for _ in range(1000)]
    assert len(set(layouts[:200])) >= 190
    assert layouts[0] != tuple(DIGITS) or layouts[1] != tuple(DIGITS)
    for position in range(10):
        counts = Counter(layout[position] for layout in layouts)
        assert set(counts) == set(DIGITS), f"position {position} never showed some digit"
        assert all(40 <= n <= 160 for n in counts.values()), counts


def test_constructor_refuses_a_layout_that_is_not_a_permutation() -> None:
    clock = FakeClock()
    for bad in ["0123456788", "012345678", "01234567890", "abcdefghij"]:
        with pytest.raises(ValidationError) as info:
            fixed(bad, clock)
        assert info.value.field == "layout"
    as_list: Any = list(DIGITS)
    with pytest.raises(ValidationError):
        VirtualKeypad("kp", as_list, START, START + timedelta(minutes=1))


def test_constructor_refuses_naive_times_and_empty_lifetime() -> None:
    with pytest.raises(ValidationError):
        VirtualKeypad("kp", tuple(DIGITS), datetime(2024, 5, 1), datetime(2024, 5, 2))
    with pytest.raises(ValidationError) as info:
        VirtualKeypad("kp", tuple(DIGITS), START, START)
    assert info.value.field == "expires_at"


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-1), 300])
def test_ttl_must_be_positive_timedelta(ttl: object) -> None:
    with pytest.raises(ValidationError) as info:
        VirtualKeypad.new(ttl=ttl)  # type: ignore[arg-type]
    assert info.value.field == "ttl"
    with pytest.raises(ValidationError):
        KeypadRegistry(ttl=ttl)  # type: ignore[arg-type]


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        VirtualKeypad.new(clock=lambda: datetime(2024, 5, 1))
    assert info.value.field == "clock"


# --- decoding ----------------------------------------------------------------------------


def test_decode_maps_positions_through_the_layout() -> None:
    keypad = fixed("9876543210")
    secret = keypad.decode([5, 9, 2, 8])
    assert isinstance(secret, Secret)
    assert secret.reveal() == "4071"


def test_decode_random_layout_roundtrip() -> None:
    keypad = VirtualKeypad.new()
    assert keypad.decode(positions_for(keypad, PIN)).reveal() == PIN


def test_decode_accepts_any_sequence() -> None:
    keypad = fixed("9876543210")
    assert keypad.decode((0, 0, 1)).reveal() == "998"


def test_press_then_decode() -> None:
    keypad = fixed("9876543210")
    for p in [5, 9, 2, 8]:
        keypad.press(p)
    assert keypad.entered == 4
    assert keypad.decode() == "4071"
    assert keypad.entered == 0


def test_backspace_and_clear() -> None:
    keypad = fixed("9876543210")
    keypad.backspace()  # nothing to erase: no error
    keypad.press(5)
    keypad.press(0)
    keypad.backspace()
    assert keypad.entered == 1
    keypad.clear()
    assert keypad.entered == 0
    for p in [5, 9, 2, 8]:
        keypad.press(p)
    assert keypad.decode().reveal() == "4071"


def test_positions_override_pressed_digits() -> None:
    keypad = fixed("9876543210")
    keypad.press(0)
    assert keypad.decode([9]).reveal() == "0"


@pytest.mark.parametrize("bad", [-1, 10, 99, True, 1.0, "1", None])
def test_bad_positions_raise_validation_error(bad: object) -> None:
    keypad = fixed()
    with pytest.raises(ValidationError) as info:
        keypad.decode([1, bad])  # type: ignore[list-item]
    assert not isinstance(info.value, KeypadExpired)
    assert info.value.field == "positions"
    with pytest.raises(ValidationError) as info:
        keypad.press(bad)  # type: ignore[arg-type]
    assert info.value.field == "position"
    # a caller mistake does not burn the keypad
    assert keypad.decode([1]).reveal() == "8"


@pytest.mark.parametrize("bad", ["1234", b"12", 5, {1, 2}])
def test_positions_must_be_a_sequence_of_ints(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        fixed().decode(bad)  # type: ignore[arg-type]
    assert info.value.field == "positions"


def test_empty_entry_is_refused() -> None:
    keypad = fixed()
    with pytest.raises(ValidationError):
        keypad.decode([])
    with pytest.raises(ValidationError):
        keypad.decode()
    assert not keypad.used


def test_error_messages_never_echo_the_value() -> None:
    keypad = fixed()
    with pytest.raises(ValidationError) as info:
        keypad.decode(["4071"])  # type: ignore[list-item]
    assert PIN not in str(info.value)
    with pytest.raises(ValidationError) as info:
        keypad.decode([4071])
    assert PIN not in str(info.value)


# --- one-time and expiry -----------------------------------------------------------------


def test_decodes_only_once() -> None:
    keypad = fixed("9876543210")
    keypad.decode([5, 9, 2, 8])
    assert keypad.used
    with pytest.raises(KeypadExpired) as info:
        keypad.decode([5, 9, 2, 8])
    assert PIN not in str(info.value)
    with pytest.raises(KeypadExpired):
        keypad.press(1)
    with pytest.raises(KeypadExpired):
        keypad.decode()


def test_expires_after_ttl() -> None:
    clock = FakeClock()
    keypad = VirtualKeypad.new(ttl=timedelta(minutes=2), clock=clock)
    positions = positions_for(keypad, PIN)
    clock.advance(timedelta(minutes=2) - timedelta(microseconds=1))
    assert not keypad.expired
    keypad.press(positions[0])
    clock.advance(timedelta(microseconds=1))
    assert keypad.expired
    with pytest.raises(KeypadExpired) as info:
        keypad.decode(positions)
    assert info.value.field == "keypad"
    with pytest.raises(KeypadExpired):
        keypad.press(positions[1])
    assert not keypad.used


def test_decode_just_before_expiry_works() -> None:
    clock = FakeClock()
    keypad = VirtualKeypad.new(ttl=timedelta(minutes=1), clock=clock)
    clock.advance(timedelta(seconds=59))
    assert keypad.decode(positions_for(keypad, PIN)).reveal() == PIN


def test_keypad_expired_is_a_registered_validation_error() -> None:
    assert issubclass(KeypadExpired, ValidationError)
    assert issubclass(KeypadExpired, ValueError)
    assert KeypadExpired.problem == "keypad-expired"
    assert error_class_for_problem("urn:selfcare:problem:keypad-expired") is KeypadExpired


def test_concurrent_decodes_succeed_once() -> None:
    keypad = VirtualKeypad.new(clock=FakeClock())  # however slow the threads, nothing expires
    positions = positions_for(keypad, PIN)
    results: list[str] = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        barrier.wait()
        try:
            results.append(keypad.decode(positions).reveal())
        except KeypadExpired:
            results.append("expired")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted([PIN] + ["expired"] * 7)


# --- nothing leaks -----------------------------------------------------------------------


def test_repr_and_str_never_show_digits_or_layout() -> None:
    keypad = VirtualKeypad.new()
    for p in positions_for(keypad, PIN):
        keypad.press(p)
    for text in (repr(keypad), str(keypad), f"{keypad}"):
        rest = text.replace(keypad.id, "")
        assert PIN not in rest
        assert "".join(keypad.layout) not in rest
        assert "entered=4" in text
        assert "expired=False" in text
        assert keypad.id in text
    secret = keypad.decode()
    assert PIN not in repr(secret)
    assert PIN not in str(secret)
    assert PIN not in f"{secret}"
    assert PIN not in repr(keypad).replace(keypad.id, "")
    assert "used=True" in repr(keypad)


def test_repr_shows_expired_flag() -> None:
    clock = FakeClock()
    keypad = VirtualKeypad.new(clock=clock)
    clock.advance(timedelta(hours=1))
    assert "expired=True" in repr(keypad)


# --- property ----------------------------------------------------------------------------


@given(
    layout=st.permutations(DIGITS),
    pin=st.text(alphabet=DIGITS, min_size=1, max_size=16),
)
def test_positions_from_layout_decode_back(layout: list[str], pin: str) -> None:
    keypad = fixed("".join(layout))
    assert keypad.decode(positions_for(keypad, pin)).reveal() == pin


@given(pin=st.text(alphabet=DIGITS, min_size=1, max_size=12))
def test_pressing_positions_decodes_back(pin: str) -> None:
    keypad = VirtualKeypad.new()
    for p in positions_for(keypad, pin):
        keypad.press(p)
    assert keypad.entered == len(pin)
    assert keypad.decode() == pin


# --- registry ----------------------------------------------------------------------------


def test_registry_issue_and_decode() -> None:
    registry = KeypadRegistry()
    keypad = registry.issue()
    assert keypad.id in registry
    assert len(registry) == 1
    assert registry.decode(keypad.id, positions_for(keypad, PIN)).reveal() == PIN
    assert keypad.id not in registry
    assert len(registry) == 0


def test_registry_decode_is_one_time() -> None:
    registry = KeypadRegistry()
    keypad = registry.issue()
    positions = positions_for(keypad, PIN)
    registry.decode(keypad.id, positions)
    with pytest.raises(KeypadExpired) as info:
        registry.decode(keypad.id, positions)
    assert info.value.field == "keypad_id"


def test_registry_unknown_id() -> None:
    with pytest.raises(KeypadExpired):
        KeypadRegistry().decode("no-such-keypad", [1, 2, 3, 4])
    with pytest.raises(ValidationError) as info:
        KeypadRegistry().decode(123, [1])  # type: ignore[arg-type]
    assert info.value.field == "keypad_id"
    assert 123 not in KeypadRegistry()


def test_registry_bad_positions_still_consume_the_keypad() -> None:
    registry = KeypadRegistry()
    keypad = registry.issue()
    with pytest.raises(ValidationError) as info:
        registry.decode(keypad.id, [12])
    assert not isinstance(info.value, KeypadExpired)
    with pytest.raises(KeypadExpired):
        registry.decode(keypad.id, positions_for(keypad, PIN))


def test_registry_expiry_and_purge() -> None:
    clock = FakeClock()
    registry = KeypadRegistry(ttl=timedelta(minutes=1), clock=clock)
    old = registry.issue()
    clock.advance(timedelta(seconds=30))
    young = registry.issue()
    clock.advance(timedelta(seconds=30))
    # old has expired but is still stored until a purge
    with pytest.raises(KeypadExpired):
        registry.decode(old.id, positions_for(old, PIN))
    assert registry.purge() == 0  # decode already removed old
    clock.advance(timedelta(seconds=30))
    assert young.id in registry
    assert registry.purge() == 1
    assert len(registry) == 0


def test_registry_issue_purges_expired() -> None:
    clock = FakeClock()
    registry = KeypadRegistry(ttl=timedelta(minutes=1), clock=clock)
    stale = [registry.issue() for _ in range(3)]
    clock.advance(timedelta(minutes=1))
    fresh = registry.issue()
    assert len(registry) == 1
    assert fresh.id in registry
    assert all(k.id not in registry for k in stale)


def test_registry_caps_active_keypads() -> None:
    registry = KeypadRegistry(max_active=3)
    keypads = [registry.issue() for _ in range(5)]
    assert len(registry) == 3
    assert [k.id in registry for k in keypads] == [False, False, True, True, True]
    with pytest.raises(ValidationError):
        KeypadRegistry(max_active=0)


def test_registry_is_thread_safe() -> None:
    registry = KeypadRegistry(clock=FakeClock())  # however slow the threads, nothing expires
    keypads = [registry.issue() for _ in range(50)]
    successes: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        for keypad in keypads:
            try:
                value = registry.decode(keypad.id, positions_for(keypad, PIN)).reveal()
            except KeypadExpired:
                with lock:
                    failures.append(keypad.id)
            else:
                with lock:
                    successes.append(value)
            registry.issue()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert successes == [PIN] * 50
    assert len(failures) == 50 * 5
    assert len(registry) == 6 * 50


def test_registry_repr_has_no_secrets() -> None:
    registry = KeypadRegistry()
    keypad = registry.issue()
    text = repr(registry)
    assert keypad.id not in text
    assert "".join(keypad.layout) not in text
