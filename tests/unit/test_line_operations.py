"""Line-management operations refuse bad requests on construction, whoever builds them."""

import pytest

from selfcare import ForwardingCondition, ForwardingRule, PhoneNumber, ValidationError
from selfcare.model import ComplaintCategory
from selfcare.operations import (
    ConnectService,
    FileComplaint,
    GetComplaint,
    MutatingOperation,
    SetForwarding,
)
from selfcare.operations.history import logged_operation_names

NUMBER = PhoneNumber("+79161234567")


def test_set_forwarding_needs_exactly_one_target() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        SetForwarding(ForwardingCondition.BUSY)
    with pytest.raises(ValidationError, match="exactly one"):
        SetForwarding(ForwardingCondition.BUSY, number=NUMBER, voicemail=True)
    assert SetForwarding(ForwardingCondition.BUSY, voicemail=True).number is None


@pytest.mark.parametrize(
    ("condition", "timer"),
    [
        (ForwardingCondition.NO_REPLY, 7),
        (ForwardingCondition.NO_REPLY, 35),
        (ForwardingCondition.BUSY, 20),
        (ForwardingCondition.UNCONDITIONAL, 20),
    ],
)
def test_set_forwarding_checks_the_timer(condition, timer) -> None:
    with pytest.raises(ValidationError, match=str(timer)):
        SetForwarding(condition, number=NUMBER, timer=timer)


def test_set_forwarding_takes_the_enum_not_its_string() -> None:
    with pytest.raises(ValidationError, match="condition='busy'"):
        SetForwarding("busy", number=NUMBER)  # type: ignore[arg-type]


def test_a_rule_only_has_a_timer_when_it_is_an_active_no_reply_rule() -> None:
    ForwardingRule(ForwardingCondition.NO_REPLY, NUMBER, timer=20, effective=True)
    with pytest.raises(ValidationError, match="timer=20"):
        ForwardingRule(ForwardingCondition.BUSY, NUMBER, timer=20)
    with pytest.raises(ValidationError, match="timer=20"):
        ForwardingRule(ForwardingCondition.NO_REPLY, None, timer=20)
    with pytest.raises(ValidationError, match="not 'all' \\(a group"):
        ForwardingRule(ForwardingCondition.ALL)


def test_codes_texts_and_ids_are_checked() -> None:
    with pytest.raises(ValidationError, match="code='Bad Code'"):
        ConnectService("Bad Code")
    with pytest.raises(ValidationError, match="subject=''"):
        FileComplaint("", "text", ComplaintCategory.BILLING)
    with pytest.raises(ValidationError, match="subject is 121 characters"):
        FileComplaint("s" * 121, "text", ComplaintCategory.BILLING)
    with pytest.raises(ValidationError, match="'a/b'"):
        GetComplaint("a/b")


def test_the_log_knows_every_mutating_operation_name() -> None:
    names = logged_operation_names()
    assert {"set_forwarding", "connect_service", "file_complaint", "add_complaint_note"} <= names
    assert all(isinstance(n, str) for n in names)
    assert MutatingOperation.operation_name() not in names
