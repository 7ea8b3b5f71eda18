"""``selfcare.analysis.dask_expenses``: lines' histories fetched by Dask workers in other
processes, from the suite's reference server on 127.0.0.1 (one cluster for the module)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import date

import attrs
import cloudpickle
import httpx
import pytest

from selfcare import AsyncSelfcare, NotSupported, Selfcare, ValidationError
from selfcare.analysis import dask_expenses
from selfcare.backends.fake import FakeOperator
from selfcare.backends.http import HttpBackend

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")

FAMILY = ["+79165557001", "+79165557002", "+79165557003", "+79165557004"]
SINCE = date(2026, 10, 1)
TMF_SINCE = date(2026, 11, 15)


@pytest.fixture(scope="module")
def cluster_client() -> Iterator[object]:
    """Two single-threaded worker processes on 127.0.0.1, no dashboard."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture
def family(live_server, operator: FakeOperator) -> Iterator[Selfcare]:  # type: ignore[no-untyped-def]
    server, resolver = live_server
    resolver.use(operator)
    with Selfcare(base_url=server.url, token=operator.token("family")) as sc:
        yield sc


@pytest.fixture(params=[4, 5], ids=["tmf", "tmf5"])
def family_tmf(request, operator: FakeOperator) -> Iterator[Selfcare]:  # type: ignore[no-untyped-def]
    """The family's owner over the server's TMF face, in v4 or with v5 where TMF has it."""
    fixture = "tmf5_live_server" if request.param == 5 else "tmf_live_server"
    server, resolver, check = request.getfixturevalue(fixture)
    resolver.use(operator)
    check.violations.clear()
    with Selfcare.tmf(
        base_url=server.url, token=operator.token("family"), version=request.param, timeout=120
    ) as sc:
        yield sc
    assert not check.violations, "\n".join(check.violations[:5])


def _ordered(table):  # type: ignore[no-untyped-def]
    return table.sort_values(["line", "at", "id"]).reset_index(drop=True)


def test_workers_in_other_processes_fetch_every_lines_history(family, cluster_client) -> None:  # type: ignore[no-untyped-def]
    frame = dask_expenses(family, since=SINCE, lines_per_partition=3)
    assert frame.npartitions == 2  # the family's four lines, three and one
    with distributed.get_task_stream(cluster_client) as stream:
        got = frame.compute()
    want = family.lines.expenses(since=SINCE).to_pandas()
    assert list(got.columns) == list(want.columns)
    assert got.dtypes.equals(want.dtypes)
    assert len(got) == len(want) > 100
    assert _ordered(got).equals(_ordered(want))
    assert sorted(got["line"].unique()) == FAMILY
    fetched = [task for task in stream.data if "selfcare-expenses" in str(task["key"])]
    assert len(fetched) == 2
    workers = cluster_client.run(os.getpid)  # by worker address
    assert {task["worker"] for task in fetched} <= set(workers)
    assert os.getpid() not in workers.values()


def test_workers_fetch_over_tmf_with_the_clients_profile(family_tmf, cluster_client) -> None:  # type: ignore[no-untyped-def]
    lines = FAMILY[1:3]
    frame = dask_expenses(family_tmf, since=TMF_SINCE, lines=lines, lines_per_partition=1)
    assert frame.npartitions == 2
    got = frame.compute()  # on the workers, each with its own TMF client (v5 too)
    want = family_tmf.lines.expenses(since=TMF_SINCE, lines=lines).to_pandas()
    assert got.dtypes.equals(want.dtypes)
    assert len(got) == len(want) > 10
    assert _ordered(got).equals(_ordered(want))


def test_the_token_never_shows_and_lines_are_read_as_typed(family, operator) -> None:  # type: ignore[no-untyped-def]
    token = operator.token("family").reveal()
    frame = dask_expenses(family, lines=["8 916 555-70-03", "+7 916 555-70-04"])
    graph = frame.__dask_graph__()
    shown = [repr(frame), str(frame.expr), repr(dict(graph))]
    assert all(token not in text for text in shown)
    assert token.encode() in cloudpickle.dumps(dict(graph))  # what workers receive
    assert frame.npartitions == 1
    assert sorted(frame.compute(scheduler="sync")["line"].unique()) == FAMILY[2:]


def test_refusals_say_what_would_work(family) -> None:  # type: ignore[no-untyped-def]
    with Selfcare.fake(subscriber="family") as fake, pytest.raises(NotSupported) as refused:
        dask_expenses(fake)
    assert "selfcare serve" in str(refused.value)
    with pytest.raises(ValidationError, match="lines_per_partition"):
        dask_expenses(family, lines_per_partition=0)
    with pytest.raises(ValidationError, match="not one number"):
        dask_expenses(family, lines="+79165557003")


def test_what_workers_get_is_the_clients_settings_or_a_refusal_naming_it() -> None:
    """No server needed: what would travel to the workers, and what cannot."""
    from selfcare._dask import _job
    from selfcare.protocol._http import SelfcareProtocol
    from selfcare.tmf import DEFAULT_PROFILE

    custom = attrs.evolve(DEFAULT_PROFILE, name="regional-bss", time_zone="Asia/Yekaterinburg")
    url = "http://127.0.0.1:9"
    with Selfcare.tmf(base_url=url, token="t0ken", profile=custom, timeout=42) as sc:
        job = cloudpickle.loads(cloudpickle.dumps(_job(sc, None, None, 100)))
    with job.client() as worker:
        assert worker.backend.protocol.profile == custom
        assert worker.backend.timeout.read == 42
    asynchronous = AsyncSelfcare.tmf(base_url=url, token="t0ken", version=5)
    job = cloudpickle.loads(cloudpickle.dumps(_job(asynchronous, None, None, 100)))
    asyncio.run(asynchronous.aclose())
    with job.client() as worker:
        assert worker.backend.protocol.profile == DEFAULT_PROFILE.with_version(5)

    class Tailored(SelfcareProtocol):
        pass

    tailored = Selfcare(HttpBackend(url, "t0ken", protocol=Tailored()))
    with tailored as sc, pytest.raises(NotSupported, match="Tailored"):
        _job(sc, None, None, 100)

    @attrs.frozen
    class Derived(type(DEFAULT_PROFILE)):  # type: ignore[misc]
        extra: str = attrs.field(default="as built", init=False)

    odd = Derived(**{f.alias: getattr(custom, f.name) for f in attrs.fields(type(custom))})
    object.__setattr__(odd, "extra", "set afterwards")  # its fields do not make it again
    odd_client = Selfcare.tmf(base_url=url, token="t0ken", profile=odd)
    with odd_client as sc, pytest.raises(NotSupported, match="regional-bss"):
        _job(sc, None, None, 100)

    for options, named in (
        ({"headers": {"X-Api-Key": "k3y"}}, "headers="),
        ({"verify": False}, "verify=False"),
        ({"transport": httpx.HTTPTransport()}, "transport="),
    ):
        local = Selfcare(HttpBackend(url, "t0ken", **options))  # type: ignore[arg-type]
        with local as sc, pytest.raises(NotSupported, match=named) as refused:
            _job(sc, None, None, 100)
        assert "k3y" not in str(refused.value)
    with httpx.Client() as pool:
        shared = Selfcare(HttpBackend(url, "t0ken", http_client=pool))
        with shared as sc, pytest.raises(NotSupported, match="http_client="):
            _job(sc, None, None, 100)
