"""Phone numbers, always stored as E.164 and parsed with google's ``phonenumbers``."""

from __future__ import annotations

import re
from typing import Any, Final

import attrs
import phonenumbers

from selfcare._errors import InvalidPhoneNumber

__all__ = ["PhoneNumber"]

_E164: Final = re.compile(r"\+[1-9][0-9]{6,14}")


def _e164_validator(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not str or not _E164.fullmatch(value):
        raise InvalidPhoneNumber(
            f"{value!r} is not an E.164 number such as '+79161234567'; "
            "use PhoneNumber.parse() for numbers as people type them",
            field="e164",
        )


@attrs.frozen(repr=False)
class PhoneNumber:
    """A valid phone number in E.164 form (``+79161234567``).

    Build one from what people type with :meth:`parse` (``8 916 123-45-67``,
    ``+7 (916) 123-45-67``); the constructor takes the canonical E.164 string only.
    ``str()`` gives the international format, ``national`` the local one.
    """

    e164: str = attrs.field(validator=_e164_validator)

    @classmethod
    def parse(cls, text: str | PhoneNumber, region: str = "RU") -> PhoneNumber:
        """Read a number as typed; national forms are read in ``region`` (ISO 3166 alpha-2).

        Raises :class:`~selfcare.InvalidPhoneNumber` naming the text when it is not a valid,
        dialable number.
        """
        if isinstance(text, PhoneNumber):
            return text
        if not isinstance(text, str):
            raise InvalidPhoneNumber(
                f"a phone number must be text, not {type(text).__name__} {text!r}"
            )
        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            raise InvalidPhoneNumber(f"{text!r} is not a phone number") from None
        if not phonenumbers.is_valid_number(parsed):
            raise InvalidPhoneNumber(f"{text!r} is not a valid phone number in {region}")
        return cls(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))

    def _parsed(self) -> phonenumbers.PhoneNumber:
        return phonenumbers.parse(self.e164, None)

    @property
    def international(self) -> str:
        """``+7 916 123-45-67``."""
        return str(
            phonenumbers.format_number(self._parsed(), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        )

    @property
    def national(self) -> str:
        """``8 (916) 123-45-67``: the way it is dialled inside its own country."""
        return str(
            phonenumbers.format_number(self._parsed(), phonenumbers.PhoneNumberFormat.NATIONAL)
        )

    @property
    def region(self) -> str | None:
        """The ISO 3166 country the number belongs to (``RU``), if known."""
        code = phonenumbers.region_code_for_number(self._parsed())
        return str(code) if code and code != "ZZ" else None

    def __str__(self) -> str:
        return self.international

    def __repr__(self) -> str:
        return f"PhoneNumber('{self.e164}')"
