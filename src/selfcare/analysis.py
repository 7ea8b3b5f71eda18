"""Records as pandas DataFrames (the ``analysis`` extra: pandas and pyarrow).

Column types, chosen so nothing is lost and arithmetic stays exact:

- aware datetimes → ``datetime64[ns, <zone>]`` in the account's zone;
- ``Money`` → the amount as an exact ``decimal128`` column (pandas' Arrow-backed dtype, with
  the currency's minor units as scale) plus one ``currency`` column; use
  ``df.cost.astype(float)`` when plotting;
- ``Quantity`` → ``<name>`` (decimal) and ``<name>_unit`` (category);
- ``PhoneNumber`` → its E.164 string; enums → ``category`` of their values;
- ``timedelta`` → ``timedelta64[ns]``; ``date`` → ``datetime64[ns]`` at midnight.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from selfcare.model import Money, PhoneNumber, Quantity

__all__ = ["frame", "require_pandas"]


def require_pandas() -> Any:
    """Import pandas, or explain which extra to install."""
    try:
        import pandas
        import pyarrow  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "to_pandas() needs pandas and pyarrow: pip install 'selfcare[analysis]'"
        ) from exc
    return pandas


def _base(annotation: Any) -> Any:
    """``X`` for ``X | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return args[0] if len(args) == 1 else object
    return annotation


def frame(records: Iterable[Any], cls: type, zone: dt.tzinfo | None = None) -> Any:
    """A DataFrame with one row per record of the attrs class ``cls``; times are shown in
    ``zone`` (the account's), else in the zone the records carry."""
    pd = require_pandas()
    import pyarrow as pa

    rows = list(records)
    hints = typing.get_type_hints(cls)
    columns: dict[str, Any] = {}
    currency: str | None = None
    for field in attrs.fields(cls):
        kind = _base(hints[field.name])
        values = [getattr(row, field.name) for row in rows]
        if kind is Money:
            amounts = [None if v is None else v.amount for v in values]
            currency = next((v.currency for v in values if v is not None), currency)
            scale = max((v.minor_units for v in values if v is not None), default=2)
            columns[field.name] = pd.Series(
                amounts, dtype=pd.ArrowDtype(pa.decimal128(18, scale))
            ).round(scale)
        elif kind is Quantity:
            columns[field.name] = pd.Series(
                [None if v is None else v.value for v in values],
                dtype=pd.ArrowDtype(pa.decimal128(18, 3)),
            )
            columns[f"{field.name}_unit"] = pd.Categorical(
                [None if v is None else v.unit.value for v in values]
            )
        elif kind is PhoneNumber:
            columns[field.name] = pd.Series(
                [None if v is None else v.e164 for v in values], dtype="string"
            )
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            columns[field.name] = pd.Categorical(
                [None if v is None else v.value for v in values],
                categories=[member.value for member in kind],
            )
        elif kind is dt.datetime:
            shown = zone or next((v.tzinfo for v in values if v is not None), dt.UTC)
            columns[field.name] = pd.to_datetime(
                [None if v is None else v.astimezone(dt.UTC) for v in values], utc=True
            ).tz_convert(shown)
        elif kind is dt.date:
            columns[field.name] = pd.to_datetime(values)
        elif kind is dt.timedelta:
            columns[field.name] = pd.to_timedelta(values)
        elif kind is Decimal:
            columns[field.name] = pd.Series(values, dtype=pd.ArrowDtype(pa.decimal128(18, 4)))
        elif kind is str:
            columns[field.name] = pd.Series(values, dtype="string")
        else:
            columns[field.name] = values
    if currency is not None:
        columns["currency"] = pd.Categorical([currency] * len(rows))
    return pd.DataFrame(columns)
