"""Phone numbers, always stored as E.164 and parsed with google's ``phonenumbers``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from selfcare._errors import InvalidPhoneNumber, ValidationError

if TYPE_CHECKING:  # imported where used: checking an E.164 string needs no metadata
    import phonenumbers

__all__ = ["PhoneNumber"]

_E164: Final = re.compile(r"\+[1-9][0-9]{6,14}")


class PhoneNumber(str):
    """A valid phone number, which *is* its E.164 string (``+79161234567``).

    Build one from what people type with :meth:`parse` (``8 916 123-45-67``,
    ``+7 (916) 123-45-67``); the constructor takes the canonical E.164 string only.
    Being a ``str`` makes it travel as itself in JSON, pandas and databases; ``e164`` says so
    explicitly, ``international`` and ``national`` format it for people.
    """

    __slots__ = ()

    def __new__(cls, e164: str) -> PhoneNumber:
        if type(e164) is cls:
            return e164
        if not isinstance(e164, str) or not _E164.fullmatch(e164):
            raise InvalidPhoneNumber(
                f"{e164!r} is not an E.164 number such as '+79161234567'; "
                "use PhoneNumber.parse() for numbers as people type them",
                field="number",
            )
        return super().__new__(cls, e164)

    @property
    def e164(self) -> str:
        """The canonical form: ``+79161234567``."""
        return str.__str__(self)

    @classmethod
    def parse(
        cls, text: str | PhoneNumber, region: str = "RU", *, field: str | None = None
    ) -> PhoneNumber:
        """Read a number as typed; national forms are read in ``region`` (ISO 3166 alpha-2).

        Raises :class:`~selfcare.InvalidPhoneNumber` naming the text when it is not a valid,
        dialable number, and ``field`` (the argument it came in) when given.
        """
        if isinstance(text, PhoneNumber):
            return text
        named = "" if field is None else f"{field}="
        if not isinstance(text, str):
            raise InvalidPhoneNumber(
                f"{named}{text!r}: a phone number must be text, not {type(text).__name__}",
                field=field,
            )
        import phonenumbers

        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            raise InvalidPhoneNumber(
                f"{named}{text!r} is not a phone number", field=field
            ) from None
        if not phonenumbers.is_valid_number(parsed):
            raise InvalidPhoneNumber(
                f"{named}{text!r} is not a valid phone number in {region}", field=field
            )
        return cls(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))

    @classmethod
    def parse_many(
        cls, values: object, region: str = "RU", *, field: str
    ) -> tuple[PhoneNumber, ...]:
        """One number or several, as typed, read in ``region``: duplicates dropped, order kept.

        An invalid one raises :class:`~selfcare.InvalidPhoneNumber` naming it and its place
        (``to[2]``); callers apply their own limits on how many there may be.
        """
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, Iterable):
            raise ValidationError(
                f"{field} must be a number or numbers, not {type(values).__name__}", field=field
            )
        numbers: dict[str, PhoneNumber] = {}
        for index, item in enumerate(values):
            try:
                number = cls.parse(item, region)
            except InvalidPhoneNumber as exc:
                raise InvalidPhoneNumber(
                    f"{field}[{index}]: {exc}", field=f"{field}[{index}]"
                ) from None
            numbers.setdefault(number.e164, number)
        return tuple(numbers.values())

    def _parsed(self) -> phonenumbers.PhoneNumber:
        import phonenumbers

        return phonenumbers.parse(str.__str__(self), None)

    @property
    def international(self) -> str:
        """``+7 916 123-45-67``."""
        import phonenumbers

        return str(
            phonenumbers.format_number(self._parsed(), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        )

    @property
    def national(self) -> str:
        """``8 (916) 123-45-67``: the way it is dialled inside its own country."""
        import phonenumbers

        return str(
            phonenumbers.format_number(self._parsed(), phonenumbers.PhoneNumberFormat.NATIONAL)
        )

    @property
    def region(self) -> str | None:
        """The ISO 3166 country the number belongs to (``RU``), if known."""
        import phonenumbers

        code = phonenumbers.region_code_for_number(self._parsed())
        return str(code) if code and code != "ZZ" else None

    def __repr__(self) -> str:
        return f"PhoneNumber('{self.e164}')"

    def __getnewargs__(self) -> tuple[str]:
        return (self.e164,)
