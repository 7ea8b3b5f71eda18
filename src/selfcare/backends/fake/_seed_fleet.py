"""Seeded accounts with many lines: a family and a company (``docs/lines.md``).

Each line is a profile like any other subscriber's, with a role in its account. Lines with a
login of their own (the family's owner and one member, the company's manager) are
subscribers of the operator, generated when first used as every subscriber with a login is;
the others are generated from their own seed when first read, so a thousand lines cost
nothing until used. Even the company's line profiles are drawn only when asked for.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from selfcare.backends.fake._seed import SMART_L, SMART_M, SMART_S, Profile
from selfcare.model import LineRole

__all__ = ["FLEET_SIZE", "Fleet", "LineSpec", "seeded_fleets"]

FLEET_SIZE = 1_000
"""How many lines the seeded company (``acme``) has."""


@attrs.frozen
class LineSpec:
    """One line of a seeded account: its profile, its role, and its login's key if it has one."""

    profile: Profile
    role: LineRole
    login: str | None = None
    cached: bool = True
    """Keep its replayed history for the next operator of the process (the few family
    lines), or replay it for each operator that reads it (the company's thousand)."""


@attrs.frozen
class Fleet:
    """A seeded account with several lines."""

    key: str
    name: str
    lines: Mapping[str, LineSpec]
    """By E.164 number, in number order."""
    logins: Mapping[str, LineSpec] = attrs.field(
        default=attrs.Factory(
            lambda fleet: {spec.login: spec for spec in fleet.lines.values() if spec.login},
            takes_self=True,
        )
    )
    """The lines with a login of their own, by login key."""


_MOSCOW_PREFIXES = ("+7903", "+7905", "+7915", "+7916", "+7925", "+7926", "+7977", "+7495")


def _ru(key: str, number: str, holder: str, **fields: object) -> Profile:
    values: dict[str, object] = {
        "region": "RU",
        "time_zone": "Europe/Moscow",
        "currency": "RUB",
        "tariff": SMART_M,
        "opening_balance": Decimal("200.00"),
        "credit_limit": Decimal("3000.00"),
        "contact_prefixes": _MOSCOW_PREFIXES,
        "history_days": 120,
        "calls_per_day": 4.0,
        **fields,
    }
    return Profile(key=key, number=number, holder=holder, **values)  # type: ignore[arg-type]


def _family() -> Fleet:
    lines = (
        LineSpec(
            _ru("family", "+79165557001", "Sergey Kuznetsov", tariff=SMART_L, calls_per_day=6.0),
            LineRole.OWNER,
            login="family",
        ),
        LineSpec(
            _ru("family-member", "+79165557002", "Maria Kuznetsova", calls_per_day=5.0),
            LineRole.MEMBER,
            login="family-member",
        ),
        LineSpec(
            _ru(
                "family-3",
                "+79165557003",
                "Daniil Kuznetsov",
                calls_per_day=2.0,
                sms_per_day=5.0,
                data_per_day=6.0,
                signs_in=False,
            ),
            LineRole.MEMBER,
        ),
        LineSpec(
            _ru(
                "family-4",
                "+79165557004",
                "Valentina Kuznetsova",
                tariff=SMART_S,
                calls_per_day=3.0,
                sms_per_day=0.5,
                data_per_day=0.5,
                signs_in=False,
            ),
            LineRole.MEMBER,
        ),
    )
    return Fleet("family", "The Kuznetsovs", {line.profile.number: line for line in lines})


_FIRST = (
    "Alexander", "Alexei", "Anastasia", "Andrei", "Anna", "Boris", "Daria", "Dmitry", "Ekaterina",
    "Elena", "Igor", "Irina", "Ivan", "Kirill", "Ksenia", "Maxim", "Mikhail", "Natalia", "Nikita",
    "Olga", "Pavel", "Polina", "Roman", "Svetlana", "Tatiana", "Vladimir", "Yulia",
)  # fmt: skip
_LAST = (
    "Alekseev", "Belov", "Fedorov", "Egorov", "Ivanov", "Kozlov", "Lebedev", "Morozov", "Novikov",
    "Orlov", "Pavlov", "Petrov", "Popov", "Semenov", "Smirnov", "Sokolov", "Volkov", "Zaitsev",
)  # fmt: skip
_FEMININE = {"Anastasia", "Anna", "Daria", "Ekaterina", "Elena", "Irina", "Ksenia", "Natalia",
             "Olga", "Polina", "Svetlana", "Tatiana", "Yulia"}  # fmt: skip
_ABROAD = ((30, 5, "DE", "Germany"), (75, 4, "TR", "Turkey"), (200, 6, "KZ", "Kazakhstan"))


def _acme_line(seed: int, index: int) -> LineSpec:
    """Line ``index`` of the company: a person, a tariff and a usage of its own, drawn from the
    line's own seed (sales people call a lot, field staff use data, some lines barely live)."""
    rng = random.Random(f"{seed}:acme:{index}")  # noqa: S311  (a simulation, not crypto)
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    holder = f"{first} {last}{'a' if first in _FEMININE else ''}"
    style = rng.choices(("sales", "field", "office", "quiet"), weights=(2, 3, 4, 1))[0]
    calls, sms, data = {
        "sales": (rng.uniform(4, 9), rng.uniform(0.5, 2), rng.uniform(0.5, 2)),
        "field": (rng.uniform(1, 4), rng.uniform(0.2, 1), rng.uniform(2, 5)),
        "office": (rng.uniform(0.5, 3), rng.uniform(0.1, 1), rng.uniform(0.5, 2)),
        "quiet": (rng.uniform(0.05, 0.4), rng.uniform(0, 0.2), rng.uniform(0, 0.3)),
    }[style]
    tariff = {"sales": SMART_L, "field": SMART_M}.get(style, SMART_S)
    roaming = rng.choice(_ABROAD) if rng.random() < 0.06 else None
    manager = index == 0
    profile = _ru(
        "acme" if manager else f"acme-{index:04d}",
        f"{_ACME_PREFIX}{index:04d}",
        "Galina Orlova" if manager else holder,
        tariff=tariff,
        opening_balance=Decimal("0.00"),
        credit_limit=Decimal("10000.00"),
        history_days=365,
        calls_per_day=round(calls, 2),
        sms_per_day=round(sms, 2),
        data_per_day=round(data, 2),
        roaming=roaming,
        signs_in=manager,
    )
    if manager:
        return LineSpec(profile, LineRole.MANAGER, login="acme")
    return LineSpec(profile, LineRole.MEMBER, cached=False)


_ACME_PREFIX = "+7985700"


class _AcmeLines(Mapping[str, LineSpec]):
    """The company's lines by number, each drawn from its seed when first asked for: the
    numbers are known without drawing (``+7985700`` and the line's index), so an operator
    that never lists the company's lines does not pay for a thousand profiles."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._specs: dict[int, LineSpec] = {}

    def _index(self, number: object) -> int | None:
        if not isinstance(number, str) or not number.startswith(_ACME_PREFIX):
            return None
        digits = number.removeprefix(_ACME_PREFIX)
        if len(digits) != 4 or not digits.isdigit() or int(digits) >= FLEET_SIZE:
            return None
        return int(digits)

    def __getitem__(self, number: str) -> LineSpec:
        index = self._index(number)
        if index is None:
            raise KeyError(number)
        spec = self._specs.get(index)
        if spec is None:
            spec = self._specs[index] = _acme_line(self._seed, index)
        return spec

    def __contains__(self, number: object) -> bool:
        return self._index(number) is not None

    def __iter__(self) -> Iterator[str]:
        return (f"{_ACME_PREFIX}{index:04d}" for index in range(FLEET_SIZE))

    def __len__(self) -> int:
        return FLEET_SIZE


def _acme(seed: int) -> Fleet:
    lines = _AcmeLines(seed)
    manager = lines[f"{_ACME_PREFIX}0000"]
    return Fleet("acme", "Acme Logistics LLC", lines, {"acme": manager})


@functools.lru_cache(maxsize=4)
def seeded_fleets(seed: int) -> tuple[Fleet, ...]:
    """The seeded family and company for ``seed`` (built once per process: they are frozen)."""
    return (_family(), _acme(seed))
