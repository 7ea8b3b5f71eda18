"""SMS segmentation as a handset does it: pick GSM 7-bit or UCS-2, then cut the text into parts.

Pure computation, no I/O.  Use it to preview how many messages a text will cost before sending:

    >>> p = plan("Hello " * 30)
    >>> p.encoding == "gsm7", p.count, p.per_part, p.units
    (True, 2, 153, 180)
    >>> p
    SmsPlan(encoding='gsm7', count=2, units=180, per_part=153, remaining=126)

Rules (3GPP TS 23.038 clause 6.2.1 and TS 23.040 clause 9.2.3.24.1):

* A text is sent in the GSM 7-bit default alphabet when every character is in the default
  table (one septet) or the default extension table (two septets: ESC + char); otherwise the
  whole text goes as UCS-2, one UTF-16 code unit per BMP character and two (a surrogate pair)
  for anything beyond it, such as most emoji.
* A single SMS carries 140 octets: 160 septets or 70 UCS-2 units.  A concatenated part loses
  6 octets to the user data header, leaving 153 septets (with fill bits) or 67 units.
* A part never ends between ESC and its character, nor between the halves of a surrogate pair;
  the whole pair moves to the next part, leaving that part one unit short.

National language shift tables (TS 23.038 clause 6.2.1.2) are not used: like most handsets
with no operator override, only the default alphabet and its extension table are tried.
"""

from __future__ import annotations

import enum
from typing import Final, Literal

import attrs

from selfcare._errors import ValidationError
from selfcare._rules.encoding import check_encodable
from selfcare.model.money import Money

__all__ = [
    "MAX_PARTS",
    "Encoding",
    "SmsPart",
    "SmsPlan",
    "is_gsm7",
    "plan",
    "septets",
    "ucs2_units",
]

# TS 23.038 clause 6.2.1, the GSM 7-bit default alphabet, in code order 0x00..0x7F.
# 0x1B is ESC (escape to the extension table) and stands for no character of its own, so it is
# written here as U+001B and excluded from the mapping below.
_DEFAULT_ALPHABET: Final = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# TS 23.038 clause 6.2.1.1, the characters of the default extension table (each sent as
# ESC + code): form feed 0x0A, ^ 0x14, { 0x28, } 0x29, \ 0x2F, [ 0x3C, ~ 0x3D, ] 0x3E,
# | 0x40, € 0x65.
_EXTENSION: Final = frozenset("\f^{}\\[~]|€")
_BASIC: Final = frozenset(_DEFAULT_ALPHABET) - {"\x1b"}

# TS 23.040 clause 9.2.3.24.1: 140 octets of user data, 6 of them spent on the concatenation
# header (UDHL + IEI + IEDL + reference + total + sequence) in every part of a long message.
_GSM7_SINGLE: Final = 160
_GSM7_MULTI: Final = 153
_UCS2_SINGLE: Final = 70
_UCS2_MULTI: Final = 67

MAX_PARTS: Final = 255
"""The most parts a concatenated SMS can have: the part counter in the header is one octet."""


class Encoding(enum.StrEnum):
    """The data coding of a message; the values are the strings ``"gsm7"`` and ``"ucs2"``."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


def _gsm7_cost(char: str) -> int | None:
    """Septets ``char`` takes in GSM 7-bit (1, or 2 for ESC + char); None if unrepresentable."""
    if char in _BASIC:
        return 1
    if char in _EXTENSION:
        return 2
    return None


def _ucs2_cost(char: str) -> int:
    """UTF-16 code units ``char`` takes: 2 (a surrogate pair) beyond the BMP, else 1."""
    return 2 if ord(char) > 0xFFFF else 1


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationError(f"SMS text must be a str, not {type(text).__name__}", field="text")
    return check_encodable(text, "text")


def is_gsm7(text: str) -> bool:
    """Whether every character of ``text`` is in the GSM 7-bit default or extension table."""
    return all(_gsm7_cost(c) is not None for c in _check_text(text))


def septets(text: str) -> int:
    """Septets ``text`` takes in GSM 7-bit, extension characters counting two.

    Raises :class:`~selfcare.ValidationError` naming the first character GSM 7-bit cannot carry.
    """
    total = 0
    for index, char in enumerate(_check_text(text)):
        cost = _gsm7_cost(char)
        if cost is None:
            raise ValidationError(
                f"character {char!r} (U+{ord(char):04X}) at position {index} is not in the "
                "GSM 7-bit alphabet",
                field="text",
            )
        total += cost
    return total


def ucs2_units(text: str) -> int:
    """UTF-16 code units ``text`` takes in UCS-2, characters beyond the BMP counting two."""
    return sum(_ucs2_cost(c) for c in _check_text(text))


def _shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@attrs.frozen(repr=False)
class SmsPart:
    """One message of a (possibly concatenated) SMS: its text and the units it fills."""

    text: str
    units: int
    """Septets (GSM 7-bit) or UTF-16 code units (UCS-2) this part uses."""
    capacity: int
    """Units this part can hold: 160/70 for a single SMS, 153/67 for a concatenated part."""

    @property
    def remaining(self) -> int:
        """Units still free in this part."""
        return self.capacity - self.units

    def __repr__(self) -> str:
        return f"SmsPart({_shorten(self.text)!r}, units={self.units}, capacity={self.capacity})"


@attrs.frozen(repr=False)
class SmsPlan:
    """How a text will be sent: its encoding, its parts and, given a price, what it costs.

    ``len(plan)`` and ``plan.count`` are the number of messages that will be billed.
    """

    encoding: Encoding
    parts: tuple[SmsPart, ...]
    per_part: int
    """Capacity of each part of this message: 160 or 153 septets, 70 or 67 UCS-2 units."""
    cost: Money | None = None
    """Number of parts × the per-message price, when a price was given."""

    @property
    def count(self) -> int:
        """Number of parts (messages billed)."""
        return len(self.parts)

    @property
    def units(self) -> int:
        """Septets or UTF-16 units used in all parts together."""
        return sum(p.units for p in self.parts)

    @property
    def remaining(self) -> int:
        """Units still free in the last part before another part would be needed.

        A two-unit character (ESC pair, surrogate pair) may not fit even when this is 1.
        """
        return self.parts[-1].remaining

    @property
    def concatenated(self) -> bool:
        """Whether the text is split into several parts, each with a concatenation header."""
        return len(self.parts) > 1

    def __len__(self) -> int:
        return len(self.parts)

    def __repr__(self) -> str:
        cost = "" if self.cost is None else f", cost={self.cost!r}"
        return (
            f"SmsPlan(encoding={self.encoding.value!r}, count={self.count}, units={self.units}, "
            f"per_part={self.per_part}, remaining={self.remaining}{cost})"
        )


def _split(text: str, costs: list[int], capacity: int) -> list[SmsPart]:
    """Greedy split: each character, with its whole ESC or surrogate pair, goes where it fits."""
    parts: list[SmsPart] = []
    start = 0
    used = 0
    for index, cost in enumerate(costs):
        if used + cost > capacity:
            parts.append(SmsPart(text[start:index], used, capacity))
            start, used = index, 0
        used += cost
    parts.append(SmsPart(text[start:], used, capacity))
    return parts


def plan(
    text: str,
    *,
    max_parts: int = MAX_PARTS,
    price: Money | None = None,
    encoding: Encoding | Literal["gsm7", "ucs2"] | None = None,
) -> SmsPlan:
    """Split ``text`` into SMS parts the way a handset would, and price it if ``price`` is given.

    The encoding is GSM 7-bit when the text allows it, else UCS-2; pass ``encoding="ucs2"`` to
    force UCS-2 (``"gsm7"`` on a text GSM cannot carry is refused).  Empty text gives one empty
    part; refusing empty sends is the caller's business.  ``max_parts`` (1..255) is the
    operator's limit on concatenation: a text needing more parts raises
    :class:`~selfcare.ValidationError`.
    """
    text = _check_text(text)
    if (
        isinstance(max_parts, bool)
        or not isinstance(max_parts, int)
        or not (1 <= max_parts <= MAX_PARTS)
    ):
        raise ValidationError(
            f"max_parts must be an int from 1 to {MAX_PARTS}, not {max_parts!r}",
            field="max_parts",
        )
    if price is not None and not isinstance(price, Money):
        raise ValidationError(f"price must be Money, not {type(price).__name__}", field="price")
    if encoding is not None:
        try:
            encoding = Encoding(encoding)
        except ValueError:
            raise ValidationError(
                f"encoding must be 'gsm7' or 'ucs2', not {encoding!r}", field="encoding"
            ) from None

    gsm_costs = [] if encoding == Encoding.UCS2 else [_gsm7_cost(c) for c in text]
    if encoding == Encoding.UCS2 or None in gsm_costs:
        if encoding == Encoding.GSM7:
            septets(text)  # raises, naming the first character GSM 7-bit cannot carry
        chosen = Encoding.UCS2
        costs = [_ucs2_cost(c) for c in text]
        single, multi = _UCS2_SINGLE, _UCS2_MULTI
    else:
        chosen = Encoding.GSM7
        costs = [c for c in gsm_costs if c is not None]
        single, multi = _GSM7_SINGLE, _GSM7_MULTI

    per_part = single if sum(costs) <= single else multi
    parts = _split(text, costs, per_part)
    if len(parts) > max_parts:
        raise ValidationError(
            f"text needs {len(parts)} SMS parts ({chosen.value}, {sum(costs)} units) but at most "
            f"{max_parts} are allowed",
            field="text",
            parts=len(parts),
            max_parts=max_parts,
        )
    cost = None if price is None else price * len(parts)
    return SmsPlan(encoding=chosen, parts=tuple(parts), per_part=per_part, cost=cost)
