"""Lines' expenses as a Dask DataFrame fetched on the cluster's workers (the ``scale`` extra).

The driver (where :func:`dask_expenses` is called) only decides which lines there are and
what the frame looks like; each partition is a group of lines, and whichever worker computes
it makes its own client from the settings of the caller's client (base URL, API token,
timeout and retries, and the TMF profile of a client on an operator's TM Forum APIs) and
reads those lines' histories a page at a time. Nothing of the histories passes through
the driver unless the caller computes the whole frame there.

The token travels inside the task graph as a :class:`_TravellingSecret`: a ``Secret`` (its
repr, str and format are ``***``, so the graph, the dashboard and logs never show it) that,
unlike a plain ``Secret``, can be pickled, because a worker in another process or on another
machine needs it. Whoever can read the scheduler's and workers' messages can read it: on a
real cluster, use TLS between them (``distributed``'s security settings).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from selfcare._client.paging import check_page_size
from selfcare._errors import NotSupported, ValidationError
from selfcare._secret import Secret
from selfcare._time import When, check_when
from selfcare.model import PhoneNumber

if TYPE_CHECKING:
    import httpx

    from selfcare._async._client import AsyncSelfcare
    from selfcare._sync._client import Selfcare
    from selfcare.protocol._retry import RetryPolicy
    from selfcare.tmf import TmfProfile

__all__ = ["dask_expenses"]

MAX_LINES_PER_PARTITION = 1_000


class _TravellingSecret(Secret):
    """A token that may cross to a worker: pickled with its value, shown as ``***``."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[str]]:  # type: ignore[override]
        return (_TravellingSecret, (self.reveal(),))


@attrs.frozen(eq=False)
class _Profile:
    """A :class:`~selfcare.tmf.TmfProfile` that may cross to a worker: its class and its
    fields with plain dicts for the read-only mappings (which do not pickle); the worker
    builds the same profile again."""

    kind: type[TmfProfile]
    fields: dict[str, Any]

    @classmethod
    def of(cls, profile: TmfProfile) -> _Profile:
        fields = {
            field.alias: _plain(getattr(profile, field.name))
            for field in attrs.fields(type(profile))
            if field.init
        }
        travelling = cls(type(profile), fields)
        try:
            same = travelling.build() == profile
        except (TypeError, ValueError):
            same = False
        if not same:
            raise NotSupported(
                f"dask_expenses() cannot send the TMF profile {profile.name!r} "
                f"({type(profile).__name__}) to workers: built again from its fields it is "
                "not the same profile. Use a TmfProfile made from fields only (attrs.evolve "
                "of DEFAULT_PROFILE)"
            )
        return travelling

    def build(self) -> TmfProfile:
        return self.kind(**self.fields)


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


@attrs.frozen(eq=False)
class _Job:
    """What a worker needs to fetch a partition: where, as whom, over which protocol, with
    which timeouts and retries, and which period."""

    base_url: str
    token: _TravellingSecret = attrs.field(repr=False)
    since: When | None
    until: When | None
    page_size: int
    timeout: httpx.Timeout
    retry: RetryPolicy
    profile: _Profile | None = None
    """The TMF profile of a client on an operator's TM Forum face; ``None``: the selfcare
    protocol."""
    run: str = attrs.field(factory=lambda: uuid.uuid4().hex)
    """Names this call's tasks: two calls never share results (the token is not hashed)."""

    def __dask_tokenize__(self) -> tuple[Any, ...]:
        return (type(self).__name__, self.base_url, self.since, self.until, self.run)

    def client(self) -> Selfcare:
        """A client made here, as the caller's was (the same server, token and protocol)."""
        from selfcare._sync._client import Selfcare
        from selfcare.backends.http import HttpBackend

        protocol = None
        if self.profile is not None:
            from selfcare.tmf import TmfProtocol

            protocol = TmfProtocol(self.profile.build())
        backend = HttpBackend(
            self.base_url, self.token, protocol=protocol, timeout=self.timeout, retry=self.retry
        )
        return Selfcare(backend)


def _partition(numbers: tuple[str, ...], job: _Job) -> Any:
    """One partition: the expenses of ``numbers``, fetched by a client made here."""
    with job.client() as sc:
        merged = sc.lines.expenses(
            since=job.since, until=job.until, lines=list(numbers), page_size=job.page_size
        )
        return merged.to_pandas()


def _meta(zone: Any) -> Any:
    """The empty frame every partition matches: ``line``, then the expense columns."""
    from selfcare.analysis import frame
    from selfcare.model import Expense

    table = frame([], Expense, zone)
    table.insert(0, "line", [])
    table["line"] = table["line"].astype("string")
    return table


def _job(
    sc: Selfcare | AsyncSelfcare, since: When | None, until: When | None, page_size: int
) -> _Job:
    """What workers need to act as ``sc`` does, or an error that says what would work."""
    from selfcare.backends.http import AsyncHttpBackend, HttpBackend

    backend = sc.backend
    if not isinstance(backend, HttpBackend | AsyncHttpBackend):
        raise NotSupported(
            f"dask_expenses() needs a client on a server, not {type(backend).__name__}: its "
            "workers make their own clients, and an in-process fake operator lives in this "
            "process only. Serve the fake with `selfcare serve` and pass "
            "Selfcare(base_url=..., token=...) (docs/notebooks.md, 'Beyond one machine')"
        )
    from selfcare.protocol._http import SelfcareProtocol
    from selfcare.tmf import TmfProtocol

    settings, protocol = backend.settings, backend.protocol
    if type(protocol) is TmfProtocol:
        profile: _Profile | None = _Profile.of(protocol.profile)
    elif type(protocol) is SelfcareProtocol:
        profile = None
    else:
        raise NotSupported(
            "dask_expenses() sends workers the selfcare protocol or a TMF profile; this "
            f"client uses {type(protocol).__name__}, which they could not make"
        )
    if backend.local_options:
        raise NotSupported(
            "dask_expenses() cannot send workers what this client was built with: "
            f"{', '.join(backend.local_options)} (workers make their own clients from the base "
            "URL, token, timeout, retries and protocol only, and would silently go without it). "
            "Build the client without it, or give every worker's environment what it needs"
        )
    if settings.token is None:
        raise NotSupported(
            "dask_expenses() needs a client with an API token (Selfcare(base_url=..., "
            "token=...) or Selfcare.tmf(...)): a signed-in session's token expires and is "
            "refreshed in this process only, so workers could not keep using it"
        )
    return _Job(
        settings.base_url,
        _TravellingSecret(settings.token),
        since,
        until,
        page_size,
        timeout=backend.timeout,
        retry=backend.retry,
        profile=profile,
    )


def dask_expenses(
    sc: Selfcare | AsyncSelfcare,
    *,
    since: When | None = None,
    until: When | None = None,
    lines: Iterable[str | PhoneNumber] | None = None,
    lines_per_partition: int = 25,
    page_size: int = 1000,
) -> Any:
    """The expenses of ``lines`` (all the login may see if ``None``) as a Dask DataFrame
    whose partitions each fetch a group of ``lines_per_partition`` lines on the workers.

    The columns are those of ``sc.lines.expenses().to_pandas()`` (``line``, then the
    expense columns, times in the login's account zone); within a partition the records are
    newest first, across partitions in no order (the index is not sorted: ``divisions`` are
    unknown). ``since``/``until`` as for ``sc.lines.expenses()``.

    ``sc`` is a client on a server with an API token (``Selfcare`` or ``AsyncSelfcare``,
    on the selfcare protocol or ``Selfcare.tmf(...)`` on TM Forum APIs): each worker makes
    its own client with the same base URL, token, timeout, retries and TMF profile; the
    token travels in the task graph as a ``Secret`` that prints as ``***``. What could not
    be made again on a worker (a wire protocol of your own, a profile that its fields do
    not rebuild) raises :class:`~selfcare.NotSupported` naming it. A client on the in-process fake
    raises :class:`~selfcare.NotSupported` (serve it with ``selfcare serve``). Called here,
    only the list of lines (when ``lines`` is ``None``) and the account's time zone are
    fetched, synchronously. Needs the ``scale`` extra (``dask[dataframe]``, and
    ``distributed`` for a cluster).
    """
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "dask_expenses() needs dask[dataframe]: pip install 'selfcare[scale]'"
        ) from exc
    if type(lines_per_partition) is not int or not 1 <= lines_per_partition <= (
        MAX_LINES_PER_PARTITION
    ):
        raise ValidationError(
            f"lines_per_partition={lines_per_partition!r} must be a whole number from 1 to "
            f"{MAX_LINES_PER_PARTITION}",
            field="lines_per_partition",
        )
    if isinstance(lines, str | PhoneNumber):
        raise ValidationError(
            "lines must be a list of numbers, not one number: lines=[...]", field="lines"
        )
    check_when(since, "since")
    check_when(until, "until")
    check_page_size(page_size, "page_size")
    job = _job(sc, since, until, page_size)
    with job.client() as driver:
        ctx = driver._context()
        if lines is None:
            numbers = [line.number.e164 for line in driver.lines.list(page_size=1000)]
        else:
            seen: dict[str, None] = {}
            for value in lines:
                number = ctx.phone(value, "lines")
                assert number is not None
                seen.setdefault(number.e164)
            numbers = list(seen)
    if not numbers:
        raise ValidationError("lines is empty: name at least one line", field="lines")
    groups = [
        tuple(numbers[start : start + lines_per_partition])
        for start in range(0, len(numbers), lines_per_partition)
    ]
    return dd.from_map(  # type: ignore[no-untyped-call]
        _partition,
        groups,
        job=job,
        meta=_meta(ctx.zone),
        label="selfcare-expenses",
        enforce_metadata=True,
    )
