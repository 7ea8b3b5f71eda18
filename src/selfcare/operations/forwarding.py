"""Operations on call forwarding: read the rules, set one (or a group), erase them."""

from __future__ import annotations

from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare.forwarding import ForwardingCondition, check_timer_applies, coerce_condition
from selfcare.model import ForwardingState, PhoneNumber
from selfcare.operations._base import Capability, MutatingOperation, Operation

__all__ = ["DisableForwarding", "GetForwarding", "SetForwarding"]


def _condition(instance: Any, attribute: Any, value: Any) -> None:
    if coerce_condition(value) is not value:
        raise ValidationError(
            f"condition={value!r} must be a ForwardingCondition", field="condition"
        )


def _timer(instance: Any, attribute: Any, value: int | None) -> None:
    check_timer_applies(instance.condition, value)


def _target(instance: Any, attribute: Any, value: bool) -> None:
    if value == (instance.number is not None):
        raise ValidationError(
            "forward either to a number or to voicemail: give exactly one of them",
            field="to",
        )


@attrs.frozen
class GetForwarding(Operation[ForwardingState]):
    """Every forwarding rule and which of them take effect."""

    result = ForwardingState
    capability = Capability.FORWARDING


@attrs.frozen
class SetForwarding(MutatingOperation[ForwardingState]):
    """Register and activate forwarding for a condition (or a group) to a number or voicemail.

    ``timer`` is the no-reply timer in seconds (5–30 in steps of 5); it applies to
    ``no_reply`` and to the groups containing it, and defaults to 20.
    """

    result = ForwardingState
    capability = Capability.FORWARDING

    condition: ForwardingCondition = attrs.field(validator=_condition)
    number: PhoneNumber | None = None
    voicemail: bool = attrs.field(default=False, validator=_target)
    timer: int | None = attrs.field(default=None, validator=_timer)


@attrs.frozen
class DisableForwarding(MutatingOperation[ForwardingState]):
    """Erase forwarding for a condition; ``all`` erases every rule."""

    result = ForwardingState
    capability = Capability.FORWARDING

    condition: ForwardingCondition = attrs.field(validator=_condition)
