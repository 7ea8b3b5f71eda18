"""sc.forwarding, on every configuration of the contract suite (3GPP TS 22.082 rules)."""

from datetime import timedelta

import pytest

from selfcare import (
    ForwardingCondition,
    ForwardingState,
    IdempotencyKeyReused,
    InvalidPhoneNumber,
    PhoneNumber,
    ValidationError,
)
from selfcare.forwarding import parse_mmi
from selfcare.operations import Capability

pytestmark = pytest.mark.requires(Capability.FORWARDING)

FRIEND = PhoneNumber("+79161234567")
VOICEMAIL = PhoneNumber("+79160000123")


def _active(state: ForwardingState) -> dict[str, PhoneNumber | None]:
    return {rule.condition.value: rule.number for rule in state.rules if rule.active}


def test_state_lists_every_basic_rule_and_the_voicemail_number(sc) -> None:
    state = sc.forwarding.get()
    assert [r.condition for r in state.rules] == [
        ForwardingCondition.UNCONDITIONAL,
        ForwardingCondition.BUSY,
        ForwardingCondition.NO_REPLY,
        ForwardingCondition.NOT_REACHABLE,
    ]
    assert state.voicemail == VOICEMAIL
    # the seeded line sends unanswered and unreachable calls to voicemail, as operators do
    assert _active(state) == {"no_reply": VOICEMAIL, "not_reachable": VOICEMAIL}
    assert state.rule("no_reply").timer == 20 and state.rule("no_reply").to_voicemail


def test_set_to_a_number_typed_as_people_do(sc) -> None:
    state = sc.forwarding.set("busy", "8 (916) 123-45-67")
    rule = state.rule(ForwardingCondition.BUSY)
    assert rule.number == FRIEND and rule.active and rule.effective and not rule.to_voicemail
    assert sc.forwarding.get() == state


def test_unconditional_overrides_the_conditional_rules_which_stay_registered(sc) -> None:
    sc.forwarding.set("busy", FRIEND)
    state = sc.forwarding.set("unconditional", "+7 925 765-43-21")
    assert state.unconditional
    assert [r.condition.value for r in state.effective] == ["unconditional"]
    busy = state.rule("busy")
    assert busy.active and not busy.effective and busy.number == FRIEND
    assert state.rule("no_reply").active and not state.rule("no_reply").effective

    state = sc.forwarding.disable("unconditional")
    assert not state.unconditional
    assert {r.condition.value for r in state.effective} == {"busy", "no_reply", "not_reachable"}


def test_no_reply_timer_defaults_to_20_and_takes_5_to_30_in_steps_of_5(sc) -> None:
    sc.forwarding.disable_all()
    assert sc.forwarding.set("no_reply", FRIEND).rule("no_reply").timer == 20
    for seconds in (5, 10, 15, 20, 25, 30):
        assert sc.forwarding.set("no_reply", FRIEND, timer=seconds).rule("no_reply").timer == (
            seconds
        )
    state = sc.forwarding.set("no_reply", FRIEND, timer=timedelta(seconds=25))
    assert state.rule("no_reply").timer == 25


@pytest.mark.parametrize("bad", [0, 4, 7, 35, -5, 20.0, "20", timedelta(seconds=12.5)])
def test_bad_timers_are_refused_naming_the_value_and_nothing_changes(sc, bad) -> None:
    before = sc.forwarding.get()
    with pytest.raises(ValidationError, match="timer") as info:
        sc.forwarding.set("no_reply", FRIEND, timer=bad)
    assert info.value.field == "timer"
    assert sc.forwarding.get() == before


@pytest.mark.parametrize("condition", ["unconditional", "busy", "not_reachable"])
def test_a_timer_only_applies_to_no_reply_and_its_groups(sc, condition) -> None:
    with pytest.raises(ValidationError, match=f"does not apply to '{condition}'"):
        sc.forwarding.set(condition, FRIEND, timer=20)


def test_groups_set_each_member_with_the_timer_on_no_reply(sc) -> None:
    sc.forwarding.disable_all()
    state = sc.forwarding.set("all_conditional", FRIEND, timer=10)
    assert _active(state) == {"busy": FRIEND, "no_reply": FRIEND, "not_reachable": FRIEND}
    assert state.rule("no_reply").timer == 10 and state.rule("busy").timer is None
    state = sc.forwarding.to_voicemail(ForwardingCondition.ALL)
    assert all(rule.to_voicemail and rule.number == VOICEMAIL for rule in state.rules)
    assert [r.condition.value for r in state.effective] == ["unconditional"]


def test_to_voicemail_and_disable(sc) -> None:
    state = sc.forwarding.to_voicemail("busy")
    assert state.rule("busy").to_voicemail and state.rule("busy").number == state.voicemail
    state = sc.forwarding.disable("busy")
    rule = state.rule("busy")
    assert not rule.active and not rule.effective and rule.number is None


def test_disable_a_group_and_disable_all(sc) -> None:
    sc.forwarding.set("all", FRIEND)
    state = sc.forwarding.disable("all_conditional")
    assert _active(state) == {"unconditional": FRIEND}
    assert _active(sc.forwarding.disable_all()) == {}
    assert _active(sc.forwarding.disable_all()) == {}  # erasing nothing is fine


def test_each_rule_renders_the_mmi_code_a_subscriber_would_dial(sc) -> None:
    sc.forwarding.set("no_reply", FRIEND, timer=15)
    state = sc.forwarding.set("unconditional", FRIEND)
    assert str(state.rule("no_reply").mmi) == "**61*+79161234567**15#"
    assert str(state.rule("unconditional").mmi) == "**21*+79161234567#"
    assert str(state.rule("not_reachable").mmi) == f"**62*{VOICEMAIL.e164}#"
    state = sc.forwarding.disable("busy")
    assert str(state.rule("busy").mmi) == "##67#"
    for rule in state.rules:
        assert parse_mmi(str(rule.mmi)) == rule.mmi


def test_unknown_conditions_are_refused_listing_the_choices(sc) -> None:
    with pytest.raises(ValidationError, match="'sometimes' is not a forwarding condition.*'busy'"):
        sc.forwarding.set("sometimes", FRIEND)
    with pytest.raises(ValidationError, match="'never'"):
        sc.forwarding.disable("never")
    with pytest.raises(ValidationError, match="group"):
        sc.forwarding.get().rule("all")


def test_bad_numbers_and_forwarding_to_itself_are_refused(sc) -> None:
    with pytest.raises(InvalidPhoneNumber, match="'12'"):
        sc.forwarding.set("busy", "12")
    with pytest.raises(ValidationError, match="to itself"):
        sc.forwarding.set("busy", "8 916 555-01-23")
    assert not sc.forwarding.get().rule("busy").active


def test_changes_are_idempotent_and_logged(sc, operator) -> None:
    key = "fwd-key-0001"
    first = sc.forwarding.set("busy", FRIEND, idempotency_key=key)
    sc.forwarding.disable("busy")
    assert sc.forwarding.set("busy", FRIEND, idempotency_key=key) == first  # not re-applied
    assert not sc.forwarding.get().rule("busy").active
    with pytest.raises(IdempotencyKeyReused):
        sc.forwarding.set("busy", "+79251112233", idempotency_key=key)
    with pytest.raises(ValidationError):
        sc.forwarding.set("busy", "+79165550123")
    newest = list(operator.subscriber().operations)[-3:]
    assert [r.operation for r in newest] == [
        "set_forwarding",
        "disable_forwarding",
        "set_forwarding",
    ]
    assert newest[0].parameter("condition") == "busy"
    assert newest[0].parameter("number") == FRIEND.e164
    assert [r.status.value for r in newest] == ["done", "done", "failed"]
    assert "itself" in (newest[-1].reason or "")


def test_timeout_is_the_deprecated_name_of_timer(sc) -> None:
    with pytest.warns(DeprecationWarning, match="timeout= is deprecated; call it timer="):
        state = sc.forwarding.set("no_reply", FRIEND, timeout=25)
    assert state.rule("no_reply").timer == 25
    with pytest.raises(TypeError, match="give timer= only"):
        sc.forwarding.set("no_reply", FRIEND, timer=25, timeout=25)
