# Generated from selfcare/_async/forwarding.py by scripts/unasync.py. Do not edit.
"""Call forwarding: to a number or to voicemail, per condition, with the no-reply timer."""

from __future__ import annotations

from datetime import timedelta

from selfcare._sync._area import Area
from selfcare._client.deprecation import renamed_argument
from selfcare._errors import ValidationError
from selfcare.forwarding import ForwardingCondition, coerce_condition
from selfcare.model import ForwardingState, PhoneNumber
from selfcare.operations import DisableForwarding, GetForwarding, SetForwarding

__all__ = ["Forwarding"]

Timer = int | timedelta


class Forwarding(Area):
    """``sc.forwarding``: where calls go when the line is busy, unanswered or unreachable.

    Conditions are ``"unconditional"``, ``"busy"``, ``"no_reply"``, ``"not_reachable"``
    and the groups ``"all_conditional"`` and ``"all"`` (or :class:`ForwardingCondition`).
    """

    def get(self) -> ForwardingState:
        """Every rule and which of them take effect (an active CFU overrides the rest)."""
        return self._client._execute(GetForwarding())

    def set(
        self,
        condition: ForwardingCondition | str,
        to: str | PhoneNumber,
        *,
        timer: Timer | None = None,
        idempotency_key: str | None = None,
        timeout: Timer | None = None,
    ) -> ForwardingState:
        """Forward calls under ``condition`` to the number ``to`` (typed as people do).

        ``timer`` is the no-reply timer (how long the phone rings first), 5 to 30 seconds in
        steps of 5 (default 20); it applies to ``no_reply`` and the groups containing it.
        ``timeout`` is its deprecated old name.
        """
        ctx = self._client._context()
        return self._client._execute(
            SetForwarding(
                coerce_condition(condition),
                number=ctx.phone(to, "to"),
                timer=_seconds(renamed_argument("timeout", "timer", timeout, timer)),
                idempotency_key=idempotency_key,
            )
        )

    def to_voicemail(
        self,
        condition: ForwardingCondition | str,
        *,
        timer: Timer | None = None,
        idempotency_key: str | None = None,
        timeout: Timer | None = None,
    ) -> ForwardingState:
        """Forward calls under ``condition`` to the subscriber's voicemail (``timer`` as for
        :meth:`set`)."""
        return self._client._execute(
            SetForwarding(
                coerce_condition(condition),
                voicemail=True,
                timer=_seconds(renamed_argument("timeout", "timer", timeout, timer)),
                idempotency_key=idempotency_key,
            )
        )

    def disable(
        self, condition: ForwardingCondition | str, *, idempotency_key: str | None = None
    ) -> ForwardingState:
        """Erase forwarding under ``condition`` (a group erases each of its rules)."""
        return self._client._execute(
            DisableForwarding(coerce_condition(condition), idempotency_key=idempotency_key)
        )

    def disable_all(self, *, idempotency_key: str | None = None) -> ForwardingState:
        """Erase every forwarding rule."""
        return self.disable(ForwardingCondition.ALL, idempotency_key=idempotency_key)


def _seconds(timer: Timer | None) -> int | None:
    """A timer as whole seconds (the operation checks the value and the condition)."""
    if not isinstance(timer, timedelta):
        return timer
    seconds = timer.total_seconds()
    if seconds != int(seconds):
        raise ValidationError(f"timer={timer} is not a whole number of seconds", field="timer")
    return int(seconds)
