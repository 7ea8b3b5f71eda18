"""Records as pandas DataFrames (the ``analysis`` extra: pandas and pyarrow).

Column types, chosen so nothing is lost and arithmetic stays exact:

- aware datetimes → ``datetime64[ns, <zone>]`` in the account's zone;
- ``Money`` → the amount as an exact ``decimal128`` column (pandas' Arrow-backed dtype, with
  the currency's minor units as scale) plus one ``currency`` column; use
  ``df.cost.astype(float)`` when plotting;
- ``Quantity`` → ``<name>`` (decimal) and ``<name>_unit`` (category);
- ``PhoneNumber`` → its E.164 string; enums → ``category`` of their values;
- ``timedelta`` → ``timedelta64[ns]``; ``date`` → ``datetime64[ns]`` at midnight;
- ``bool``/``int`` → ``bool``/``int64`` (nullable ``boolean``/``Int64`` for optional fields);
- nested records and tuples → Arrow structs and lists (``pd.ArrowDtype``), enums and phone
  numbers inside them as strings, ``Money`` inside them as ``{amount, currency}``.

The columns and their types come from the model class, never from the records, so an empty
listing has the schema of a full one.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from selfcare._dask import dask_expenses
from selfcare.model import Money, PhoneNumber, Quantity, Unit, _locale

__all__ = [
    "Column",
    "arrow_table",
    "columns",
    "dask_expenses",
    "frame",
    "require_pandas",
    "require_pyarrow",
]


def require_pandas(feature: str = "to_pandas()") -> Any:
    """Import pandas (and pyarrow, which backs its columns), or say which extra ``feature``
    needs."""
    require_pyarrow(feature)
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"{feature} needs pandas: pip install 'selfcare[analysis]'") from exc
    return pandas


def require_pyarrow(feature: str) -> Any:
    """Import pyarrow, or say which extra ``feature`` needs."""
    try:
        import pyarrow
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"{feature} needs pyarrow: pip install 'selfcare[analysis]'") from exc
    return pyarrow


def _base(annotation: Any) -> Any:
    """``X`` for ``X | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return args[0] if len(args) == 1 else object
    return annotation


@attrs.frozen
class Column:
    """One output column: its name, its values made plain, and its Arrow type.

    ``kind`` says how pandas should hold it: ``decimal`` (Arrow-backed decimal), ``category``,
    ``string``, ``timestamp`` (zone-aware), ``date``, ``duration`` or ``object``.
    """

    name: str
    values: list[Any]
    type: Any
    kind: str
    categories: tuple[str, ...] | None = None


def _zone_name(zone: dt.tzinfo) -> str:
    return getattr(zone, "key", None) or ("UTC" if zone in (dt.UTC,) else str(zone))


def _quantize(value: Decimal | None, scale: int) -> Decimal | None:
    return None if value is None else value.quantize(_quantum(scale))


@functools.cache
def _quantum(scale: int) -> Decimal:
    return Decimal(1).scaleb(-scale)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """``cls``'s resolved annotations (evaluating the strings costs more than converting a
    page of records, and an export converts hundreds of pages)."""
    return typing.get_type_hints(cls)


def columns(
    records: Iterable[Any],
    cls: type,
    zone: dt.tzinfo | None = None,
    currency: str | None = None,
) -> list[Column]:
    """The columns of ``cls``'s records, typed as the module docstring says; one conversion
    shared by :func:`frame` (pandas) and :func:`arrow_table` (pyarrow).

    Every column and its type come from ``cls``'s annotations, never from the records, so an
    empty listing has the same columns and types as a full one (``zone`` and ``currency``,
    the account's, fill in what the model leaves open). A field of a type with no column
    type is a :class:`TypeError` naming it, whatever the records.
    """
    import pyarrow as pa

    rows = list(records)
    hints = _hints(cls)
    out: list[Column] = []
    has_money = False
    for field in attrs.fields(cls):
        annotation = hints[field.name]
        kind = _base(annotation)
        optional = kind is not annotation
        values = [getattr(row, field.name) for row in rows]
        if kind is Money:
            has_money = True
            currency = next((v.currency for v in values if v is not None), currency)
            codes = {v.currency for v in values if v is not None}
            scale = max((_locale.minor_units(code) for code in codes), default=-1)
            if scale < 0:  # no money in these records: the account currency's own scale
                scale = _locale.minor_units(currency) if currency else 2
            quantum = _quantum(scale)
            amounts = [None if v is None else v.amount.quantize(quantum) for v in values]
            out.append(Column(field.name, amounts, pa.decimal128(18, scale), "decimal"))
        elif kind is Quantity:
            out.append(
                Column(
                    field.name,
                    [None if v is None else v.value.quantize(_quantum(3)) for v in values],
                    pa.decimal128(18, 3),
                    "decimal",
                )
            )
            units = [None if v is None else v.unit.value for v in values]
            out.append(_category(f"{field.name}_unit", units, tuple(u.value for u in Unit)))
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            plain = [None if v is None else v.value for v in values]
            out.append(_category(field.name, plain, tuple(m.value for m in kind)))
        elif kind is dt.datetime:
            shown = zone or next((v.tzinfo for v in values if v is not None), dt.UTC)
            utc = [None if v is None else v.astimezone(dt.UTC) for v in values]
            out.append(
                Column(field.name, utc, pa.timestamp("ns", tz=_zone_name(shown)), "timestamp")
            )
        elif kind is dt.date:
            midnight = [None if v is None else dt.datetime.combine(v, dt.time()) for v in values]
            out.append(Column(field.name, midnight, pa.timestamp("ns"), "date"))
        elif kind is dt.timedelta:
            out.append(Column(field.name, values, pa.duration("ns"), "duration"))
        elif kind is Decimal:
            exact = [_quantize(v, 4) for v in values]
            out.append(Column(field.name, exact, pa.decimal128(18, 4), "decimal"))
        elif kind is str or kind is PhoneNumber:
            plain = [
                None if v is None else str(v.e164 if kind is PhoneNumber else v) for v in values
            ]
            out.append(Column(field.name, plain, pa.string(), "string"))
        elif kind is bool:
            out.append(Column(field.name, values, pa.bool_(), "boolean" if optional else "bool"))
        elif kind is int:
            out.append(Column(field.name, values, pa.int64(), "Int64" if optional else "int64"))
        elif kind is float:
            out.append(Column(field.name, values, pa.float64(), "float64"))
        else:
            arrow = _nested_type(kind, zone, f"{cls.__name__}.{field.name}")
            plain = [_plain(v, zone) for v in values]
            out.append(Column(field.name, plain, arrow, "nested"))
    if has_money:
        out.append(_category("currency", [currency] * len(rows), (currency,) if currency else ()))
    return out


def _nested_type(kind: Any, zone: dt.tzinfo | None, where: str) -> Any:
    """The Arrow type of a value inside a column: records become structs (``Money`` a struct
    of ``amount`` and ``currency``, ``Quantity`` of ``value`` and ``unit``), sequences
    lists; enums and phone numbers their strings."""
    import pyarrow as pa

    kind = _base(kind)
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if kind is Money:
        return pa.struct([("amount", pa.decimal128(18, 4)), ("currency", pa.string())])
    if kind is Quantity:
        return pa.struct([("value", pa.decimal128(18, 3)), ("unit", pa.string())])
    if (
        kind is str
        or kind is PhoneNumber
        or (isinstance(kind, type) and issubclass(kind, enum.Enum))
    ):
        return pa.string()
    if kind is bool:
        return pa.bool_()
    if kind is int:
        return pa.int64()
    if kind is float:
        return pa.float64()
    if kind is Decimal:
        return pa.decimal128(18, 4)
    if kind is dt.datetime:
        return pa.timestamp("ns", tz=_zone_name(zone) if zone is not None else "UTC")
    if kind is dt.date:
        return pa.timestamp("ns")
    if kind is dt.timedelta:
        return pa.duration("ns")
    if origin in (tuple, list, frozenset) and args:
        items = args[:1] if origin is not tuple or args[-1] is Ellipsis else args
        if len(set(items)) == 1:
            return pa.list_(_nested_type(items[0], zone, f"{where}[]"))
    if isinstance(kind, type) and attrs.has(kind):
        hints = typing.get_type_hints(kind)
        return pa.struct(
            [
                (f.name, _nested_type(hints[f.name], zone, f"{where}.{f.name}"))
                for f in attrs.fields(kind)
            ]
        )
    raise TypeError(f"{where}: no column type for {kind!r}, so it cannot be exported")


def _plain(value: Any, zone: dt.tzinfo | None) -> Any:
    """A nested value as Arrow takes it for :func:`_nested_type`'s type."""
    if value is None or isinstance(value, str | bool | int | float | Decimal | dt.timedelta):
        return value
    if isinstance(value, Money):
        return {"amount": _quantize(value.amount, 4), "currency": value.currency}
    if isinstance(value, Quantity):
        return {"value": _quantize(value.value, 3), "unit": value.unit.value}
    if isinstance(value, PhoneNumber):
        return value.e164
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, tuple | list | frozenset):
        return [_plain(item, zone) for item in value]
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name), zone) for f in attrs.fields(type(value))}
    raise TypeError(f"no column value for {type(value).__name__}")


def _category(name: str, values: list[str | None], categories: tuple[str, ...] | None) -> Column:
    import pyarrow as pa

    if categories is None:
        categories = tuple(sorted({v for v in values if v is not None}))
    return Column(name, values, pa.dictionary(pa.int32(), pa.string()), "category", categories)


def frame(
    records: Iterable[Any],
    cls: type,
    zone: dt.tzinfo | None = None,
    currency: str | None = None,
) -> Any:
    """A DataFrame with one row per record of the attrs class ``cls``; times are shown in
    ``zone`` (the account's), else in the zone the records carry. Its columns and dtypes come
    from ``cls``, so an empty listing's frame has them too."""
    pd = require_pandas()
    data: dict[str, Any] = {}
    for column in columns(records, cls, zone, currency):
        values = column.values
        if column.kind in ("decimal", "nested"):
            data[column.name] = pd.Series(values, dtype=pd.ArrowDtype(column.type))
        elif column.kind == "category":
            data[column.name] = pd.Categorical(values, categories=list(column.categories or ()))
        elif column.kind == "string":
            data[column.name] = pd.Series(values, dtype="string")
        elif column.kind == "timestamp":
            utc = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
            data[column.name] = utc.dt.as_unit("ns").dt.tz_convert(column.type.tz)
        elif column.kind == "date":
            data[column.name] = pd.to_datetime(pd.Series(values, dtype=object)).dt.as_unit("ns")
        elif column.kind == "duration":
            data[column.name] = pd.to_timedelta(pd.Series(values, dtype=object)).dt.as_unit("ns")
        else:
            data[column.name] = pd.Series(values, dtype=column.kind)
    return pd.DataFrame(data)


def arrow_table(
    records: Iterable[Any],
    cls: type,
    zone: dt.tzinfo | None = None,
    currency: str | None = None,
) -> Any:
    """A ``pyarrow.Table`` with the same columns and types as :func:`frame` (enums and units
    as dictionary columns holding every possible value, so pages share one schema)."""
    require_pyarrow("arrow_table()")
    import pyarrow as pa

    arrays: dict[str, Any] = {}
    for column in columns(records, cls, zone, currency):
        if column.kind == "category":
            categories = list(column.categories or ())
            index = {value: i for i, value in enumerate(categories)}
            indices = pa.array([None if v is None else index[v] for v in column.values], pa.int32())
            arrays[column.name] = pa.DictionaryArray.from_arrays(
                indices, pa.array(categories, pa.string())
            )
        elif column.type is None:
            arrays[column.name] = pa.array(column.values)
        else:
            arrays[column.name] = pa.array(column.values, type=column.type)
    return pa.table(arrays)
