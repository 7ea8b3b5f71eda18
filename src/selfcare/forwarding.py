"""Call forwarding in one place: conditions, MMI codes, the no-reply timer and the rules.

Pure functions and values only; nothing here talks to a network.
``from selfcare.forwarding import parse_mmi`` reads a code a subscriber would dial
(``**61*+79161234567**20#``, ``##002#``); :class:`ForwardingState` is what
``sc.forwarding.get()`` returns (defined in :mod:`selfcare.model.forwarding` with the other
value types, and named here too).

A supplementary-service MMI string has the structure of TS 22.030 clause 6.5.2::

    <procedure> SC [*SIA [*SIB [*SIC]]] #

where the procedure prefix is ``*`` (activate), ``#`` (deactivate), ``**`` (register),
``##`` (erase) or ``*#`` (interrogate), and SC is the service code of TS 22.030 Annex B.
For call forwarding SIA is the forwarded-to directory number (DN), SIB the basic service
group (BS, TS 22.030 Annex C) and SIC the no-reply condition timer (T) in seconds.  Unused
supplementary-information fields in the middle keep their ``*`` (``**61*+79161234567**20#``);
trailing ones are left out (``**21*+79161234567#``).

Forwarding to voicemail is nothing special: it is registration (or activation) to the
voicemail number of the operator, e.g. ``**62*<voicemail number>#``.  Its number must be
representable as a :class:`~selfcare.model.phone.PhoneNumber`; short service codes are not.

The rule classes load on first use (PEP 562): :mod:`selfcare.model.forwarding` imports the
conditions from here, so importing it back at the top would be circular.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from selfcare._client import lazy as _lazy
from selfcare._errors import ValidationError
from selfcare.model.phone import PhoneNumber

if TYPE_CHECKING:
    from selfcare.model.forwarding import (
        BASIC_CONDITIONS,
        DEFAULT_NO_REPLY_TIMER,
        ForwardingRule,
        ForwardingState,
        expand,
    )

__all__ = [
    "BASIC_CONDITIONS",
    "BASIC_SERVICE_CODES",
    "DEFAULT_NO_REPLY_TIMER",
    "NO_REPLY_TIMER_VALUES",
    "ForwardingCondition",
    "ForwardingRule",
    "ForwardingState",
    "MmiAction",
    "MmiCode",
    "check_no_reply_timer",
    "check_timer_applies",
    "coerce_condition",
    "expand",
    "parse_mmi",
]

_LAZY = dict.fromkeys(
    ["BASIC_CONDITIONS", "DEFAULT_NO_REPLY_TIMER", "ForwardingRule", "ForwardingState", "expand"],
    "selfcare.model.forwarding",
)
"""The rules, defined with the other value types in :mod:`selfcare.model.forwarding`."""


class ForwardingCondition(enum.StrEnum):
    """When calls are forwarded; ``service_code`` is its SC from TS 22.030 Annex B."""

    UNCONDITIONAL = "unconditional"
    """CFU, SC 21: every call."""
    BUSY = "busy"
    """CFB, SC 67: the subscriber is busy."""
    NO_REPLY = "no_reply"
    """CFNRy, SC 61: the call is not answered within the no-reply timer."""
    NOT_REACHABLE = "not_reachable"
    """CFNRc, SC 62: the phone is off or out of coverage."""
    ALL = "all"
    """All call forwarding, SC 002: CFU and all the conditional ones together."""
    ALL_CONDITIONAL = "all_conditional"
    """All conditional call forwarding, SC 004: CFB, CFNRy and CFNRc together."""

    @property
    def service_code(self) -> str:
        """The MMI service code (``"21"``, ``"002"``, …)."""
        return _SERVICE_CODES[self]

    @property
    def takes_timer(self) -> bool:
        """Whether a no-reply timer (SIC) may be given: CFNRy and the groups containing it."""
        return self in _TIMER_CONDITIONS

    @classmethod
    def from_service_code(cls, code: str) -> ForwardingCondition:
        """The condition whose service code is ``code``; :class:`ValidationError` otherwise."""
        try:
            return _BY_SERVICE_CODE[code]
        except (KeyError, TypeError):
            raise ValidationError(
                f"{code!r} is not a call-forwarding service code; known codes are "
                + ", ".join(f"{sc} ({c.value})" for sc, c in _BY_SERVICE_CODE.items()),
                field="condition",
            ) from None


_SERVICE_CODES: Final[Mapping[ForwardingCondition, str]] = MappingProxyType(
    {
        ForwardingCondition.UNCONDITIONAL: "21",
        ForwardingCondition.BUSY: "67",
        ForwardingCondition.NO_REPLY: "61",
        ForwardingCondition.NOT_REACHABLE: "62",
        ForwardingCondition.ALL: "002",
        ForwardingCondition.ALL_CONDITIONAL: "004",
    }
)
_BY_SERVICE_CODE: Final[Mapping[str, ForwardingCondition]] = MappingProxyType(
    {code: condition for condition, code in _SERVICE_CODES.items()}
)
_TIMER_CONDITIONS: Final = frozenset(
    {
        ForwardingCondition.NO_REPLY,
        ForwardingCondition.ALL,
        ForwardingCondition.ALL_CONDITIONAL,
    }
)


class MmiAction(enum.StrEnum):
    """The MMI procedure; ``prefix`` is what starts the string (TS 22.030 clause 6.5.2)."""

    ACTIVATE = "activate"
    """``*``; with a number the network registers it and activates (``*21*DN#``)."""
    DEACTIVATE = "deactivate"
    """``#``: switch forwarding off but keep the registered number."""
    REGISTER = "register"
    """``**``: store the forwarded-to number (and timer), which also activates."""
    ERASURE = "erasure"
    """``##``: forget the registered number; forwarding stops."""
    INTERROGATE = "interrogate"
    """``*#``: ask the network for the current state."""

    @property
    def prefix(self) -> str:
        """``*``, ``#``, ``**``, ``##`` or ``*#``."""
        return _PREFIXES[self]

    @property
    def takes_number(self) -> bool:
        """Whether a forwarded-to number (SIA) may be given: registration and activation."""
        return self in (MmiAction.REGISTER, MmiAction.ACTIVATE)


_PREFIXES: Final[Mapping[MmiAction, str]] = MappingProxyType(
    {
        MmiAction.ACTIVATE: "*",
        MmiAction.DEACTIVATE: "#",
        MmiAction.REGISTER: "**",
        MmiAction.ERASURE: "##",
        MmiAction.INTERROGATE: "*#",
    }
)
_BY_PREFIX: Final[Mapping[str, MmiAction]] = MappingProxyType(
    {prefix: action for action, prefix in _PREFIXES.items()}
)

NO_REPLY_TIMER_VALUES: Final[tuple[int, ...]] = (5, 10, 15, 20, 25, 30)
"""The no-reply condition timer values TS 22.082 allows: 5 to 30 seconds in steps of 5."""

BASIC_SERVICE_CODES: Final[frozenset[str]] = frozenset(
    {"10", "11", "12", "13", "16", "17", "18", "19", "20", "21", "22", "24", "25", "26", "99"}
)
"""Basic service group codes (SIB) of TS 22.030 Annex C that selfcare accepts.

``11`` is telephony, ``13`` facsimile, ``16`` SMS, ``10`` all teleservices, ``20`` all
bearer services.  PLMN-specific codes are not accepted.
"""


def coerce_condition(value: ForwardingCondition | str) -> ForwardingCondition:
    """``value`` as a :class:`ForwardingCondition`: the member itself or its string value.

    Raises :class:`~selfcare.ValidationError` (``field="condition"``) listing the choices.
    """
    if isinstance(value, ForwardingCondition):
        return value
    if isinstance(value, str):
        try:
            return ForwardingCondition(value)
        except ValueError:
            pass
    choices = ", ".join(repr(c.value) for c in ForwardingCondition)
    raise ValidationError(
        f"{value!r} is not a forwarding condition; choose one of {choices}",
        field="condition",
    )


def _coerce_action(value: MmiAction | str) -> MmiAction:
    if isinstance(value, MmiAction):
        return value
    if isinstance(value, str):
        try:
            return MmiAction(value)
        except ValueError:
            pass
    choices = ", ".join(repr(a.value) for a in MmiAction)
    raise ValidationError(
        f"{value!r} is not an MMI action; choose one of {choices}", field="action"
    )


def check_no_reply_timer(seconds: int) -> int:
    """``seconds`` if it is a valid no-reply timer (5 to 30 in steps of 5, TS 22.082).

    Raises :class:`~selfcare.ValidationError` (``field="timer"``) naming the value otherwise.
    """
    if type(seconds) is not int or seconds not in NO_REPLY_TIMER_VALUES:
        raise ValidationError(
            f"timer={seconds!r}: a no-reply timer is 5 to 30 seconds in steps of 5 "
            f"({', '.join(map(str, NO_REPLY_TIMER_VALUES))})",
            field="timer",
        )
    return seconds


def check_timer_applies(condition: ForwardingCondition, timer: int | None) -> int | None:
    """``timer`` if ``condition`` takes a no-reply timer and it is valid (``None`` passes).

    The one home of the rule: only ``no_reply`` and the groups containing it take a timer, of
    5 to 30 seconds in steps of 5.  Raises :class:`~selfcare.ValidationError` (``field="timer"``).
    """
    if timer is None:
        return None
    check_no_reply_timer(timer)
    if not condition.takes_timer:
        raise ValidationError(
            f"timer={timer!r}: a no-reply timer does not apply to {condition.value!r} "
            "forwarding; only 'no_reply', 'all' and 'all_conditional' take one",
            field="timer",
        )
    return timer


def _optional_timer(value: int | None) -> int | None:
    return None if value is None else check_no_reply_timer(value)


def _check_number(instance: Any, attribute: Any, value: object) -> None:
    if value is not None and not isinstance(value, PhoneNumber):
        raise ValidationError(
            f"number {value!r} must be a PhoneNumber (use PhoneNumber.parse() for typed text) "
            "or None",
            field="number",
        )


def _check_basic_service(instance: Any, attribute: Any, value: object) -> None:
    if value is not None and value not in BASIC_SERVICE_CODES:
        raise ValidationError(
            f"basic service {value!r} is not a basic service group code of TS 22.030 Annex C; "
            f"known codes are {', '.join(sorted(BASIC_SERVICE_CODES))}",
            field="basic_service",
        )


@attrs.frozen
class MmiCode:
    """One call-forwarding MMI string, e.g. ``**61*+79161234567**20#``.

    ``action`` and ``condition`` also accept their string values.  ``number`` (SIA) is the
    forwarded-to number: required to register, optional to activate, refused otherwise.
    ``timer`` (SIC) is the no-reply timer in seconds, only with a number and only for
    ``no_reply``, ``all`` and ``all_conditional``.  ``basic_service`` (SIB) is an optional
    basic service group code such as ``"11"`` (telephony); ``None`` means all services.
    """

    action: MmiAction = attrs.field(converter=_coerce_action)
    condition: ForwardingCondition = attrs.field(converter=coerce_condition)
    number: PhoneNumber | None = attrs.field(default=None, validator=_check_number)
    timer: int | None = attrs.field(default=None, converter=_optional_timer)
    basic_service: str | None = attrs.field(default=None, validator=_check_basic_service)

    def __attrs_post_init__(self) -> None:
        if self.number is not None and not self.action.takes_number:
            raise ValidationError(
                f"a forwarded-to number cannot be given to {self.action.value}; "
                "only register and activate take one",
                field="number",
            )
        if self.number is None and self.action is MmiAction.REGISTER:
            raise ValidationError("register needs the forwarded-to number", field="number")
        if check_timer_applies(self.condition, self.timer) is not None and self.number is None:
            raise ValidationError(
                "a no-reply timer is registered together with the forwarded-to number",
                field="timer",
            )

    def render(self) -> str:
        """The MMI string: ``**61*+79161234567**20#``, ``#21#``, ``*#002**11#``."""
        fields = [
            self.number.e164 if self.number is not None else "",
            self.basic_service or "",
            str(self.timer) if self.timer is not None else "",
        ]
        while fields and not fields[-1]:
            fields.pop()
        info = "".join("*" + f for f in fields)
        return f"{self.action.prefix}{self.condition.service_code}{info}#"

    def __str__(self) -> str:
        return self.render()


_MMI_RE: Final = re.compile(
    r"(?P<prefix>\*#|\*\*|##|\*|#)(?P<sc>[0-9]{2,3})(?P<si>(?:\*[^*#]*){0,3})#"
)
_NUMBER_RE: Final = re.compile(r"\+?[0-9]+")


def parse_mmi(code: str, *, region: str = "RU") -> MmiCode:
    """Read a call-forwarding MMI string back into an :class:`MmiCode`.

    Whitespace anywhere is ignored.  The number may be international (``+79161234567``)
    or national, read in ``region`` (``89161234567``).  Malformed strings, service codes
    other than call forwarding, bad numbers, timers and basic services raise
    :class:`~selfcare.ValidationError` naming the input.
    """
    if not isinstance(code, str):
        raise ValidationError(
            f"an MMI code must be text, not {type(code).__name__} {code!r}", field="code"
        )
    compact = "".join(code.split())
    match = _MMI_RE.fullmatch(compact)
    if match is None:
        raise ValidationError(
            f"{code!r} is not an MMI code of the form *SC*SI# "
            "(such as '**21*+79161234567#' or '#21#')",
            field="code",
        )
    action = _BY_PREFIX[match["prefix"]]
    sc = match["sc"]
    if sc not in _BY_SERVICE_CODE:
        raise ValidationError(
            f"{code!r}: service code {sc!r} is not call forwarding; known codes are "
            + ", ".join(f"{c} ({cond.value})" for c, cond in _BY_SERVICE_CODE.items()),
            field="condition",
        )
    condition = _BY_SERVICE_CODE[sc]
    si = match["si"].split("*")[1:]
    sia, sib, sic = [*si, "", "", ""][:3]

    number: PhoneNumber | None = None
    if sia:
        if not _NUMBER_RE.fullmatch(sia):
            raise ValidationError(f"{code!r}: {sia!r} is not a phone number", field="number")
        if sia.startswith("+"):
            try:
                number = PhoneNumber(sia)
            except ValidationError:
                raise ValidationError(
                    f"{code!r}: {sia!r} is not an E.164 number such as '+79161234567'",
                    field="number",
                ) from None
        else:
            try:
                number = PhoneNumber.parse(sia, region)
            except ValidationError as exc:
                raise ValidationError(f"{code!r}: {exc.message}", field="number") from None

    timer: int | None = None
    if sic:
        if not sic.isdecimal() or not sic.isascii():
            raise ValidationError(
                f"{code!r}: no-reply timer {sic!r} is not a number of seconds", field="timer"
            )
        timer = int(sic)

    try:
        return MmiCode(action, condition, number, timer, sib or None)
    except ValidationError as exc:
        raise ValidationError(f"{code!r}: {exc.message}", field=exc.field) from None


def __getattr__(name: str) -> Any:
    return _lazy.attribute(globals(), _LAZY, name)


def __dir__() -> list[str]:
    return _lazy.names(globals(), _LAZY)
