"""Values on the wire: JSON via msgspec, times in UTC, money as decimal strings.

Requests are encoded by the client and decoded by the server; results the other way round.
Decoding goes straight into the attrs models with prebuilt msgspec decoders (one per result
type), which run the models' validators but skip their ``__init__``; the protocol's own
types (E.164 numbers, decimal strings, RFC 3339 times) are checked by msgspec itself.
"""

from __future__ import annotations

import collections
import enum
import functools
import operator
import re
import types
import typing
import weakref
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import attrs
import msgspec

from selfcare._client.paging import Page
from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare.model import PhoneNumber
from selfcare.model.events import Event as _EVENT
from selfcare.operations import Operation
from selfcare.protocol._events import from_wire, wire_type
from selfcare.protocol._routes import Route

__all__ = [
    "ResultEncoder",
    "decode_as",
    "decode_event",
    "decode_operation",
    "decode_result",
    "encode_body",
    "encode_query",
    "encode_result",
]


def enc_hook(value: Any) -> Any:
    """Types msgspec does not know: numbers as E.164; secrets revealed (only in requests)."""
    if isinstance(value, PhoneNumber):
        return value.e164
    if isinstance(value, Secret):
        return value.reveal()
    raise NotImplementedError(f"cannot encode {type(value).__name__}")


def dec_hook(kind: type, value: Any) -> Any:
    """Build selfcare's own scalar types from their wire form."""
    if kind is PhoneNumber and isinstance(value, str):
        return PhoneNumber(value)
    if kind is Secret and isinstance(value, str):
        return Secret(value)
    # A TypeError becomes a msgspec.ValidationError naming the field (a 4xx, not a crash).
    raise TypeError(f"Expected `str`, got `{type(value).__name__}`")


def _utc(value: Any) -> Any:
    """Aware datetimes to UTC, recursively through builtins."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, dict):
        return {key: _utc(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_utc(item) for item in value]
    return value


def _query_value(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, date | Decimal | int | str):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot travel in a query string")


QueryItems = list[tuple[str, str | int | float | bool | None]]


def encode_query(route: Route, op: Operation[Any]) -> QueryItems:
    """The query parameters of ``op`` (lists repeat their key; ``None`` is left out)."""
    params: QueryItems = []
    for name in route.query_fields:
        value = getattr(op, name)
        if value is None:
            continue
        if isinstance(value, tuple | list | frozenset):
            params.extend((name, _query_value(item)) for item in value)
        else:
            params.append((name, _query_value(value)))
    return params


_ENCODER = msgspec.json.Encoder(enc_hook=enc_hook, decimal_format="string")


def encode_body(route: Route, op: Operation[Any]) -> bytes | None:
    """The JSON body of ``op`` (``None`` for methods without one)."""
    if not route.body_fields:
        return None if route.method in ("GET", "DELETE") else b"{}"
    fields = {name: getattr(op, name) for name in route.body_fields}
    builtins = msgspec.to_builtins(fields, builtin_types=(datetime,), enc_hook=enc_hook)
    return _ENCODER.encode(_utc(builtins))


def encode_result(result: Any) -> bytes:
    """A result as the server sends it: JSON with every time in UTC.

    msgspec encodes the model objects itself (in C); only the objects that hold times are
    replaced, by msgspec structs with the same fields, the times moved to UTC and every
    other value shared (see :func:`_in_utc`), so a page of records costs one small copy
    per record rather than a walk in Python over every value.
    """
    return _ENCODER.encode(_in_utc(result))


_DeadPage = tuple[tuple[Any, ...], int]
"""A kept page's key and serial (another page may take its key later)."""


class ResultEncoder:
    """:func:`encode_result` that keeps the JSON of the pages it encoded, for a server whose
    backend keeps its records (the fake operator: ``create_app`` installs one only for a
    resolver fronting a :class:`~selfcare.backends.fake.FakeOperator`): a page of the very
    same record objects again (a second pass through a history, another client paging the
    same line) is answered with the JSON kept, instead of a conversion and an encoding per
    record. Byte for byte the same.

    Only pages of immutable records are kept: frozen attrs classes whose fields are deeply
    immutable (strings, numbers, decimals, times, enums, phone numbers, frozen attrs values,
    tuples of those; never a secret) and that take weak references. What is kept per page
    is its JSON and a weak reference to each record, never the records: a page is served
    again only while its records are alive and the backend answers with the same objects,
    in the same order, with the same next cursor. An edit or a new record is a new object,
    so nothing kept can go stale, and nothing but the records and the cursor goes into the
    JSON (times travel in UTC whatever the account's zone, numbers as E.164). Once any of a
    page's records dies (the fake evicted its line, replaced it, or was reset) the page can
    never be served again, and it is dropped (its record's weak reference only queues it;
    the next call lets it go, so a record dying in another thread touches nothing here).
    The backend still answers every request (tokens, lines, the fake's rules); only the
    encoding is saved.

    At most ``max_bytes`` of JSON is kept, the pages least recently served dropped first;
    the bound counts the JSON only: besides it each page holds a weak reference per record
    (88 bytes with its slot, a third of an expense's 245 bytes of JSON) and a dict entry. One per
    app, used from its event loop (not thread-safe, but for the queue of dead pages).
    """

    def __init__(self, max_bytes: int = 128 * 2**20) -> None:
        self.max_bytes = max_bytes
        self._pages: collections.OrderedDict[
            tuple[Any, ...], tuple[tuple[weakref.ref[Any], ...], bytes, int]
        ]
        self._pages = collections.OrderedDict()
        self._bytes = 0
        self._serial = 0
        # (key, serial) of pages one of whose records died: appended by weak references'
        # callbacks, from whichever thread let the record go (list.append is atomic)
        self._dead: list[_DeadPage] = []

    def encode(self, result: Any) -> bytes:
        """``encode_result(result)``, or the JSON kept for the same page."""
        if type(result) is not Page or not result.items:
            return encode_result(result)
        items = tuple(result.items)
        if not all(map(_keepable, set(map(type, items)))):
            return encode_result(result)
        self._drop_dead()
        # another object may have taken a dead record's id: the weak references decide
        # (each called by operator.call, in C: a dead one gives None, never a record)
        key = (id(items[0]), id(items[-1]), len(items), result.next_cursor)
        kept = self._pages.get(key)
        if kept is not None and all(map(operator.is_, map(operator.call, kept[0]), items)):
            self._pages.move_to_end(key)
            return kept[1]
        encoded = encode_result(result)
        if kept is not None:
            self._forget(key)
        if len(encoded) <= self.max_bytes:
            self._serial += 1
            gone = functools.partial(_died, self._dead, (key, self._serial))
            refs = tuple(weakref.ref(item, gone) for item in items)
            self._pages[key] = (refs, encoded, self._serial)
            self._bytes += len(encoded)
            while self._bytes > self.max_bytes:
                self._forget(next(iter(self._pages)))
        return encoded

    def __len__(self) -> int:
        """How many pages' JSON is kept (pages of records that died not counted)."""
        self._drop_dead()
        return len(self._pages)

    def clear(self) -> None:
        """Keep nothing any more."""
        self._pages.clear()
        self._dead.clear()
        self._bytes = 0

    def _drop_dead(self) -> None:
        """Let go of the pages one of whose records died since the last call."""
        while self._dead:
            key, serial = self._dead.pop()
            kept = self._pages.get(key)
            if kept is not None and kept[2] == serial:  # not a later page under the same key
                self._forget(key)

    def _forget(self, key: tuple[Any, ...]) -> None:
        self._bytes -= len(self._pages.pop(key)[1])


def _died(dead: list[_DeadPage], page: _DeadPage, _: Any) -> None:
    """A kept record died: queue its page (its key and serial) to be let go."""
    dead.append(page)


@functools.cache
def _keepable(kind: type) -> bool:
    """Whether a ``kind`` record's JSON may be kept: a deeply immutable attrs record that
    takes weak references (attrs' slotted classes do unless ``weakref_slot=False``)."""
    return attrs.has(kind) and kind.__weakrefoffset__ != 0 and _immutable(kind, set())


_FROZEN_SETATTR: Any = attrs.frozen(type("_Probe", (), {})).__setattr__
_IMMUTABLE = (str, bytes, int, float, Decimal, enum.Enum, date, timedelta, type(None))
"""Scalar types whose values cannot change (``PhoneNumber`` is a slotted ``str``; a
``Secret`` is not among them: its value is never kept)."""


def _immutable(hint: Any, seen: set[type]) -> bool:
    """Whether every value typed ``hint`` is deeply immutable (anything unknown is not)."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _immutable(hint.__origin__, seen)
    if origin is typing.Literal:
        return True
    if origin in (typing.Union, types.UnionType, tuple, frozenset):
        return all(_immutable(arg, seen) for arg in typing.get_args(hint) if arg is not ...)
    if origin is not None or not isinstance(hint, type):
        return hint is None
    if issubclass(hint, _IMMUTABLE):  # of the str subclasses, only those known to be values
        return (
            not issubclass(hint, str) or hint in (str, PhoneNumber) or issubclass(hint, enum.Enum)
        )
    if attrs.has(hint) and hint.__setattr__ is _FROZEN_SETATTR:
        if hint in seen:
            return True
        try:
            hints = typing.get_type_hints(hint)
        except Exception:
            return False
        inner = seen | {hint}
        return all(_immutable(hints.get(field.name, Any), inner) for field in attrs.fields(hint))
    return False


def _in_utc(value: Any) -> Any:
    """``value`` as msgspec would encode it, with every datetime in it moved to UTC: the
    value itself when it holds no datetime, else a copy (of structs, dicts and lists)."""
    convert = _UTC_CONVERTERS.get(type(value), _UNKNOWN)
    if convert is _UNKNOWN:
        convert = _UTC_CONVERTERS[type(value)] = _converter(type(value))
    return value if convert is None else convert(value)


def _datetime_in_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _sequence_in_utc(value: Any) -> Any:
    """A copy of the sequence with its items in UTC, or the sequence itself when its items
    hold no datetime. A page's items are one type: the plan is looked up once and mapped
    over them in C, not called through :func:`_in_utc` per item."""
    if not value:
        return value
    kind = type(next(iter(value)))
    if all(type(item) is kind for item in value):
        convert = _UTC_CONVERTERS.get(kind, _UNKNOWN)
        if convert is _UNKNOWN:
            convert = _UTC_CONVERTERS[kind] = _converter(kind)
        return value if convert is None else list(map(convert, value))
    return [_in_utc(item) for item in value]


def _dict_in_utc(value: dict[Any, Any]) -> dict[Any, Any]:
    return {key: _in_utc(item) for key, item in value.items()}


def _builtins_in_utc(value: Any) -> Any:
    """The general way, for types without a plan of their own (structs, dataclasses)."""
    return _utc(msgspec.to_builtins(value, builtin_types=(datetime,), enc_hook=enc_hook))


_UNKNOWN: Any = object()
_UTC_CONVERTERS: dict[type, Callable[[Any], Any] | None] = {}
"""Per type: how to move the datetimes in its values to UTC, ``None`` when it holds none."""

_NO_TIMES = (str, bytes, int, float, Decimal, enum.Enum, date, timedelta, Secret, type(None))
"""Types whose values never hold a datetime (``date``: a datetime is a date, so checked first)."""


def _converter(kind: type) -> Callable[[Any], Any] | None:
    if issubclass(kind, datetime):
        return _datetime_in_utc
    if issubclass(kind, _NO_TIMES):
        return None
    if attrs.has(kind):
        return _attrs_converter(kind)
    if issubclass(kind, dict):
        return _dict_in_utc
    if issubclass(kind, list | tuple | set | frozenset):
        return _sequence_in_utc
    return _builtins_in_utc


@functools.cache
def _attrs_sorted() -> bool:
    """Whether this msgspec encodes attrs fields sorted by name (0.19 and later) rather
    than in their declared order: the copies standing in for attrs objects follow it."""

    @attrs.frozen
    class Probe:
        b: int = 0
        a: int = 0

    return msgspec.json.encode(Probe()).startswith(b'{"a"')


def _attrs_converter(kind: type) -> Callable[[Any], Any] | None:
    """For an attrs class: ``None`` when its fields' types hold no datetime (its objects
    are encoded as they are), else a function copying an object into a struct that msgspec
    encodes as it would the object, with each field that may hold a datetime in UTC."""
    try:
        hints = typing.get_type_hints(kind)
    except Exception:  # a hint that does not resolve here: take the general way
        return _builtins_in_utc
    names = [field.name for field in attrs.fields(kind) if not field.name.startswith("_")]
    if _attrs_sorted():
        names.sort()
    plans = {name: _field_plan(hints.get(name, Any)) for name in names}
    if all(plan is None for plan in plans.values()):
        return None
    # A msgspec struct with the same fields: built in C from positional values and encoded
    # fastest of all; untracked by the garbage collector, as nothing it holds refers back.
    try:
        copy = msgspec.defstruct(f"{kind.__name__}InUtc", [(n, Any) for n in names], gc=False)
    except (TypeError, ValueError):  # a field name a struct cannot take
        return _builtins_in_utc
    # One call reading every field, generated as attrs generates its own methods: a loop
    # over the names costs several times more than the copy itself.
    values = ", ".join(_READS[plans[name]].format(name) for name in names)
    namespace: dict[str, Any] = {"UTC": UTC, "in_utc": _in_utc, "copy": copy}
    exec(f"def convert(v):\n    return copy({values})\n", namespace)  # noqa: S102
    convert: Callable[[Any], Any] = namespace["convert"]
    convert.__qualname__ = f"in_utc[{kind.__qualname__}]"
    return convert


_READS = {
    None: "v.{0}",
    "utc": "v.{0}.astimezone(UTC)",
    "walk": "in_utc(v.{0})",
    "text": "(None if (x := v.{0}) is None else str.__str__(x))",
}
"""How the copy of an attrs object reads a field, by the field's plan (``text``: a phone
number as its E.164 string, which msgspec would otherwise ask ``enc_hook`` for)."""


def _field_plan(hint: Any) -> str | None:
    """How a field typed ``hint`` is moved to UTC: ``None`` (it holds no datetime),
    ``"utc"`` (it is one) or ``"walk"`` (look at the value: it may hold some); a phone
    number (or ``None``) is read as ``"text"``."""
    if hint is PhoneNumber or hint == PhoneNumber | None:
        return "text"
    if hint is datetime or (
        typing.get_origin(hint) is typing.Annotated and hint.__origin__ is datetime
    ):
        return "utc"
    return "walk" if _may_hold_times(hint, set()) else None


def _may_hold_times(hint: Any, seen: set[type]) -> bool:
    """Whether a value typed ``hint`` may hold a datetime (anything not known not to may)."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _may_hold_times(hint.__origin__, seen)
    if origin is not None:  # unions, containers: their arguments decide (dict keys too)
        if origin in (typing.Union, types.UnionType, tuple, list, frozenset, set, dict):
            return any(
                _may_hold_times(arg, seen) for arg in typing.get_args(hint) if arg is not ...
            )
        return True
    if hint is None or hint is type(None):
        return False
    if not isinstance(hint, type):  # Any, type variables, strings that did not resolve
        return True
    if issubclass(hint, datetime):
        return True
    if issubclass(hint, _NO_TIMES):
        return False
    if attrs.has(hint):
        if hint in seen:
            return False  # a class already being looked at further up decides there
        try:
            hints = typing.get_type_hints(hint)
        except Exception:
            return True
        inner = seen | {hint}
        return any(_may_hold_times(hints.get(f.name, Any), inner) for f in attrs.fields(hint))
    return True


@functools.lru_cache(maxsize=8192)
def _result_hook(kind: type, value: Any) -> Any:
    """``dec_hook`` for results, memoised: the numbers in a history repeat (the same few
    people) and PhoneNumber is immutable, so a page shares one object per number and the
    cache answers in C without entering Python. Results with secrets (a sign-in's tokens)
    and operations are decoded with the plain hook, so no secret is ever kept here."""
    return dec_hook(kind, value)


_SECRET_TYPES = (Secret, "Secret", Secret | None, "Secret | None")


def _carries_secrets(kind: Any) -> bool:
    """A result with secret fields (a sign-in's tokens), which must skip the memoised hook."""
    return attrs.has(kind) and any(field.type in _SECRET_TYPES for field in attrs.fields(kind))


def _refuse_body(route: Route, body: bytes) -> None:
    """A route without body fields refuses any body but ``{}``, naming what was sent."""
    try:
        document = msgspec.json.decode(body)
    except msgspec.DecodeError:
        document = None
    if document == {}:
        return
    if isinstance(document, dict):
        first = sorted(document)[0]
        raise ValidationError(
            f"unknown field {first!r}: {route.method} {route.path} takes no body", field=first
        )
    raise ValidationError(f"{route.method} {route.path} takes no body", field="body")


@functools.cache
def _decoder(kind: Any) -> msgspec.json.Decoder[Any]:
    hook = dec_hook if _carries_secrets(kind) else _result_hook
    return msgspec.json.Decoder(kind, dec_hook=hook)


def _event_data(kind: type, raw: bytes) -> Any:
    return _decoder(kind).decode(raw)


def decode_result(route: Route, content: bytes) -> Any:
    """Decode the JSON of ``route``'s result into its model type."""
    return decode_as(route.op.result, content)


def decode_event(content: bytes) -> Any:
    """One event's JSON (a server-sent event's data, a webhook's body) as an ``Event``."""
    return decode_as(_EVENT, content)


def decode_as(kind: Any, content: bytes) -> Any:
    """Decode JSON into ``kind`` (events through their wire form, see ``_events``)."""
    wire = wire_type(kind)
    if wire is kind:
        return _decoder(kind).decode(content)
    return from_wire(_decoder(wire).decode(content), _event_data)


_WHERE = re.compile(r" - at `\$\.?([\w.\[\]]*)`")


def _validation_error(
    exc: msgspec.ValidationError, shown: Mapping[str, Any] | None = None
) -> ValidationError:
    """The error to report, naming the request field: a model's own error keeps its class
    and message; msgspec's path (``$.to[0]``) says which field it was about, and the value
    sent is quoted when it is in ``shown`` (query and path values: never secrets, which
    travel only in bodies)."""
    message = str(exc)
    match = _WHERE.search(message)
    field = match.group(1).split(".")[0].split("[")[0] if match and match.group(1) else None
    if isinstance(exc.__cause__, ValidationError):
        cause = exc.__cause__
        if field is not None:
            cause.field = field
        return cause
    text = _WHERE.sub("", message)
    if field is not None and shown is not None and field in shown:
        return ValidationError(f"{field}={shown[field]!r}: {text}", field=field)
    return ValidationError(f"{field}: {text}" if field else text, field=field)


def _refuse_floats(document: dict[str, Any]) -> None:
    """Numbers with a fraction have no place in the protocol: money travels as decimal
    strings, so a float anywhere is refused rather than rounded into a Decimal."""

    def has_float(value: Any) -> bool:
        if isinstance(value, float):
            return True
        if isinstance(value, dict):
            return any(has_float(item) for item in value.values())
        if isinstance(value, list):
            return any(has_float(item) for item in value)
        return False

    for name, value in document.items():
        if has_float(value):
            raise ValidationError(
                f"{name}: numbers with a fraction must be sent as decimal strings "
                '(e.g. "12.50"), never as JSON floats',
                field=name,
            )


def decode_operation(
    route: Route,
    path: Mapping[str, str],
    query: Callable[[str], list[str]],
    query_keys: set[str],
    body: bytes,
    idempotency_key: str | None,
) -> Operation[Any]:
    """Rebuild an operation from an HTTP request; anything wrong is a ValidationError naming it."""
    unknown = sorted(query_keys - set(route.query_fields))
    if unknown:
        raise ValidationError(f"unknown query parameter {unknown[0]!r}", field=unknown[0])
    data: dict[str, Any] = {}
    for name in route.query_fields:
        values = query(name)
        if not values:
            continue
        if _is_sequence(cast(Any, route.op), name):
            data[name] = values
        elif len(values) > 1:
            raise ValidationError(f"query parameter {name!r} was given more than once", field=name)
        else:
            data[name] = values[0]
    if route.body_fields:
        try:
            document = msgspec.json.decode(body) if body else {}
        except msgspec.ValidationError:  # a JSON number no 64-bit integer or double can hold
            raise ValidationError(
                "the request body has a number out of range (amounts travel as decimal "
                'strings, e.g. "12.50")',
                field="body",
            ) from None
        except msgspec.DecodeError:
            raise ValidationError("the request body is not valid JSON", field="body") from None
        except RecursionError:  # the server refuses deep bodies before; this is a backstop
            raise ValidationError("the request body nests too deeply", field="body") from None
        if not isinstance(document, dict):
            raise ValidationError("the request body must be a JSON object", field="body")
        extra = sorted(set(document) - set(route.body_fields))
        if extra:
            raise ValidationError(f"unknown field {extra[0]!r}", field=extra[0])
        try:
            _refuse_floats(document)
        except RecursionError:
            raise ValidationError("the request body nests too deeply", field="body") from None
        data.update(document)
    elif body.strip():
        _refuse_body(route, body)
    data.update(path)
    if idempotency_key is not None and not route.op.idempotent:
        data["idempotency_key"] = idempotency_key
    try:
        op: Operation[Any] = msgspec.convert(data, route.op, strict=False, dec_hook=dec_hook)
    except msgspec.ValidationError as exc:
        # the query and path values may be quoted back; body fields (where secrets travel) not
        shown = {name: data[name] for name in route.query_fields if name in data} | dict(path)
        raise _validation_error(exc, shown) from None
    except ArithmeticError:  # a model's check met a decimal string no amount can be
        field = next((name for name, value in data.items() if _absurd_number(value)), None)
        raise ValidationError(
            f"{field or 'a number'}: the number is out of range for an amount (below 10^15, "
            "at most 8 decimals)",
            field=field,
        ) from None
    except RecursionError:
        raise ValidationError("the request nests too deeply", field="body") from None
    return op


def _absurd_number(value: Any) -> bool:
    """Whether ``value`` holds a decimal string beyond what any amount can be."""
    if isinstance(value, dict):
        return any(_absurd_number(item) for item in value.values())
    if isinstance(value, list):
        return any(_absurd_number(item) for item in value)
    if not isinstance(value, str):
        return False
    try:
        number = Decimal(value)
    except ArithmeticError:
        return False
    return (
        not number.is_finite() or abs(number.adjusted()) > 15 or len(number.as_tuple().digits) > 28
    )


@functools.cache
def _is_sequence(cls: Any, name: str) -> bool:
    kind = _strip_optional(typing.get_type_hints(cls)[name])
    return typing.get_origin(kind) in (tuple, list, frozenset)


def _strip_optional(kind: Any) -> Any:
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        args = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return kind
