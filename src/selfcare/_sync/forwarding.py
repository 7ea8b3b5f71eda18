# Generated from selfcare/_async/forwarding.py by scripts/unasync.py. Do not edit.
"""Call forwarding: to a number or to voicemail, per condition, with the no-reply timer."""

from __future__ import annotations

from datetime import timedelta

from selfcare._sync._area import Area
from selfcare._errors import ValidationError
from selfcare._keys import key_or_new
from selfcare.forwarding_codes import ForwardingCondition, check_no_reply_timer, coerce_condition
from selfcare.model import ForwardingState, PhoneNumber
from selfcare.operations import DisableForwarding, GetForwarding, SetForwarding

__all__ = ["Forwarding"]

Timeout = int | timedelta


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
        timeout: Timeout | None = None,
        idempotency_key: str | None = None,
    ) -> ForwardingState:
        """Forward calls under ``condition`` to the number ``to`` (typed as people do).

        ``timeout`` is the no-reply timer, 5 to 30 seconds in steps of 5 (default 20); it
        applies to ``no_reply`` and the groups containing it.
        """
        wanted, timer = _check(condition, timeout)
        ctx = self._client._context()
        number = ctx.phone(to)
        return self._client._execute(
            SetForwarding(
                wanted, number=number, timer=timer, idempotency_key=key_or_new(idempotency_key)
            )
        )

    def to_voicemail(
        self,
        condition: ForwardingCondition | str,
        *,
        timeout: Timeout | None = None,
        idempotency_key: str | None = None,
    ) -> ForwardingState:
        """Forward calls under ``condition`` to the subscriber's voicemail."""
        wanted, timer = _check(condition, timeout)
        return self._client._execute(
            SetForwarding(
                wanted, voicemail=True, timer=timer, idempotency_key=key_or_new(idempotency_key)
            )
        )

    def disable(
        self, condition: ForwardingCondition | str, *, idempotency_key: str | None = None
    ) -> ForwardingState:
        """Erase forwarding under ``condition`` (a group erases each of its rules)."""
        wanted = coerce_condition(condition)
        return self._client._execute(
            DisableForwarding(wanted, idempotency_key=key_or_new(idempotency_key))
        )

    def disable_all(self, *, idempotency_key: str | None = None) -> ForwardingState:
        """Erase every forwarding rule."""
        return self.disable(ForwardingCondition.ALL, idempotency_key=idempotency_key)


def _check(
    condition: ForwardingCondition | str, timeout: Timeout | None
) -> tuple[ForwardingCondition, int | None]:
    wanted = coerce_condition(condition)
    if timeout is None:
        return wanted, None
    seconds: object = timeout
    if isinstance(timeout, timedelta):
        whole = timeout.total_seconds()
        if whole != int(whole):
            raise ValidationError(
                f"timeout={timeout} is not a whole number of seconds", field="timeout"
            )
        seconds = int(whole)
    try:
        timer = check_no_reply_timer(seconds)  # type: ignore[arg-type]  # checked at run time
    except ValidationError as exc:
        raise ValidationError(f"timeout={timeout!r}: {exc.message}", field="timeout") from None
    if not wanted.takes_timer:
        raise ValidationError(
            f"timeout={timeout!r}: a no-reply timer does not apply to {wanted.value!r} "
            "forwarding; only 'no_reply', 'all' and 'all_conditional' take one",
            field="timeout",
        )
    return wanted, timer
