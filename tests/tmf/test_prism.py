"""TmfProtocol against Stoplight Prism mocking each official TMF spec (see the prism recipe),
in v4 and, for the six APIs that have one, in v5 (OpenAPI 3.0.1: Prism checks ``@type``, the
``_FVO``/``_MVO`` bodies and the PATCH media types as it checks v4's Swagger 2.0).

Prism validates every request against its spec (a 400 with ``sl-violations`` otherwise) and
answers with data generated from the spec's schemas. Writes must pass that validation; reads
must get through every answer: a model, or an ``APIError`` naming the TMF resource whose
placeholder values (``"string"`` as a currency or a phone number) cannot be one, never a crash.
"""

from __future__ import annotations

import json
import random
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

import tests.tmf._spec as specs
from selfcare import APIError, Money, PaymentMethod, Secret, WaitTimeout
from selfcare import operations as ops
from selfcare.model import (
    Attachment,
    ComplaintCategory,
    MessagePriority,
    PhoneNumber,
    RelatedEntity,
    RelatedKind,
)
from selfcare.protocol._http import Wait
from selfcare.tmf import API_NAMES, DEFAULT_PROFILE, TmfProtocol
from tests._once import one_at_a_time
from tests.tmf._spec import SPEC_DIR, SPEC_FILES

PRISM_DIR = Path(__file__).parent / "prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
START_TIMEOUT = 600.0
"""A guard against a hang only: six v5 files took 210 s to load on a 2-core machine at load 20."""
REQUEST_TIMEOUT = 120.0
"""A guard too: there, Prism took over 10 s to answer v5 inventory and ordering requests."""


EPHEMERAL = Path("/proc/sys/net/ipv4/ip_local_port_range")
FIXED_PORTS = 10_000
"""Where a mock's port is drawn from: above the well-known ports, below the kernel's ephemeral
range (read from ``EPHEMERAL``), which ``bind(0)`` and every outgoing connection draw from."""


def _free_port() -> int:
    """A free port outside the kernel's ephemeral range (where it leaves room): a port from
    ``bind(0)`` was handed out again while Prism took its minutes to start under load, and
    CI failed with ``EADDRINUSE`` on it."""
    try:
        ephemeral = int(EPHEMERAL.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral = 32_768  # Linux's default
    if ephemeral <= FIXED_PORTS:  # a range that starts low: draw anyway, a restart covers a clash
        ephemeral = 32_768
    for _ in range(100):
        port = random.randrange(FIXED_PORTS, ephemeral)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port in {FIXED_PORTS}-{ephemeral - 1} after 100 draws")


def _install() -> None:
    with one_at_a_time("prism"):
        _install_once()


def _install_once() -> None:
    if PRISM.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed, so Stoplight Prism cannot be installed")
    subprocess.run(
        [npm, "ci", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund"],
        check=True,
        capture_output=True,
        timeout=300,
    )


class Prism:
    """One ``prism mock`` process for one spec, its output drained in a thread; started again
    on another port if its port was taken before it could listen."""

    ATTEMPTS = 3

    def __init__(self, spec: Path, ports: Callable[[], int] = _free_port) -> None:
        self.spec = spec
        self.ports = ports
        self.attempts = 0
        self._launch()

    def _launch(self) -> None:
        self.attempts += 1
        self.port = self.ports()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(self.port), str(self.spec)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # each launch's own state, so a stopped launch's thread never touches the next one's
        self.output: list[str] = []
        self.listening = threading.Event()
        self.ready = threading.Event()
        """Set once Prism listens, or once its output ends (it exited)."""
        drain = (self.process, self.output, self.listening, self.ready)
        threading.Thread(target=_drain, args=drain, daemon=True).start()

    def wait(self, deadline: float) -> None:
        while True:
            self.ready.wait(max(0.0, deadline - time.monotonic()))
            if self.listening.is_set():
                return
            self.stop()
            output = "".join(self.output[-5:])
            if "EADDRINUSE" not in output or self.attempts >= self.ATTEMPTS:
                raise RuntimeError(f"prism did not start (attempt {self.attempts}): {output}")
            self._launch()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _drain(
    process: subprocess.Popen[str],
    output: list[str],
    listening: threading.Event,
    ready: threading.Event,
) -> None:
    """Keep ``process``'s output, telling when it listens, and when it ends."""
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        if "Prism is listening" in line:
            listening.set()
            ready.set()
    ready.set()


class Prisms(dict[str, Prism]):
    """The mocks of one Open API version, by API (v5: only the six APIs that have one)."""

    version: int


def _start(version: int) -> Iterator[Prisms]:
    _install()
    if version == 5:  # the six APIs with a v5 file
        files = {api: specs.spec_file(api, 5) for api in specs.V5_SPEC_FILES}
    else:
        files = {api: SPEC_DIR / SPEC_FILES[api] for api in API_NAMES}
    started = Prisms({api: Prism(path) for api, path in files.items()})
    started.version = version
    try:
        deadline = time.monotonic() + START_TIMEOUT
        for prism in started.values():
            prism.wait(deadline)
        yield started
    finally:
        for prism in started.values():
            prism.stop()


@pytest.fixture(scope="module")
def prisms4() -> Iterator[Prisms]:
    yield from _start(4)


@pytest.fixture(scope="module")
def prisms5() -> Iterator[Prisms]:
    """The six v5 mocks, started on first use (a module fixture per version, not one
    parametrised fixture: pytest keys those by param index, and restarted them per test)."""
    yield from _start(5)


@pytest.fixture
def prisms(version: int, request: pytest.FixtureRequest) -> Prisms:
    """The mocks of the test's Open API ``version``."""
    return request.getfixturevalue(f"prisms{version}")  # type: ignore[no-any-return]


def _drive(prisms: Prisms, op: ops.Operation[Any]) -> tuple[Any, list[httpx.Response]]:
    """Run ``op``'s flow against the mocks; the result (or the error) and every response."""
    profile = attrs.evolve(
        DEFAULT_PROFILE.with_version(prisms.version).with_roots(
            **{api: p.url for api, p in prisms.items()}
        ),
        poll_timeout=0.5,  # a mocked order or top-up never becomes final
    )
    responses: list[httpx.Response] = []
    with httpx.Client(timeout=REQUEST_TIMEOUT, headers={"Authorization": "Bearer t0ken"}) as client:
        flow = TmfProtocol(profile).flow(client, op)
        try:
            step = next(flow)
            while True:
                answer = None
                if not isinstance(step, Wait):
                    answer = client.send(step)
                    responses.append(answer)
                step = flow.send(answer)
        except StopIteration as done:
            return done.value, responses
        except (APIError, WaitTimeout) as exc:
            return exc, responses


def _request_violations(responses: list[httpx.Response]) -> list[Any]:
    found = []
    for response in responses:
        violations = json.loads(response.headers.get("sl-violations", "[]"))
        found += [
            (response.request.method, response.request.url.path, v)
            for v in violations
            if str(v.get("location", [""])[0]).startswith("request")
        ]
    return found


READS = [
    ops.ListExpenses(limit=5),
    ops.ListCalls(limit=5),
    ops.GetAccount(),
    ops.GetBalance(),
    ops.ListBills(),
    ops.ListPayments(limit=5),
    ops.ListComplaints(limit=5),
    ops.GetComplaint(complaint_id="tt-1"),
    ops.ListMessages(limit=5),
    ops.GetMessage(id="m-1"),
    ops.GetServiceCatalog(),
    ops.ListConnectedServices(),
]

WRITES = [
    ops.Pay(amount=Money(Decimal("100.50"), "RUB"), method=PaymentMethod.card("tok_visa_4242")),
    ops.Pay(amount=Money(100, "RUB"), method=PaymentMethod.wallet("ym-100500")),
    ops.ActivateCard(pin=Secret("12345678901234")),
    ops.FileComplaint(
        subject="Charged twice",
        text="The same SMS was charged twice",
        category=ComplaintCategory.BILLING,
        related=(RelatedEntity(RelatedKind.EXPENSE, "e-1"), RelatedEntity(RelatedKind.BILL, "b-1")),
    ),
    ops.AddComplaintNote(complaint_id="tt-1", text="Any news?"),
    ops.SendSms(
        to=(PhoneNumber("+79161234567"), PhoneNumber("+79161234568")),
        text="Hello",
        sender="ACME Shop",
        deliver_at=datetime(2026, 11, 26, 9, tzinfo=UTC),
        flash=False,
        priority=MessagePriority.HIGH,
    ),
    ops.SendMms(
        to=(PhoneNumber("+79161234567"),),
        subject="Holiday",
        attachments=(Attachment(b"\x89PNG\r\n", "image/png", "a.png"),),
        sender="+74951234567",
    ),
    ops.CancelMessage(id="m-1"),
    ops.ConnectService(code="internet-5gb"),
    ops.DisconnectService(code="internet-5gb"),
    ops.ChangeTariff(code="smart-s"),
]


V5_FLOWS = (
    ops.GetAccount,
    ops.GetBalance,
    ops.ListBills,
    ops.ListComplaints,
    ops.GetComplaint,
    ops.GetServiceCatalog,
    ops.ListConnectedServices,
    ops.FileComplaint,
    ops.AddComplaintNote,
    ops.ConnectService,
    ops.DisconnectService,
    ops.ChangeTariff,
)
"""The operations whose flows go only through the six v5 APIs (the others use v4-only APIs,
which the v4 runs cover)."""


def _cases(operations: list[ops.Operation[Any]]) -> list[Any]:
    return [pytest.param(4, op, id=f"v4-{type(op).__name__}") for op in operations] + [
        pytest.param(5, op, id=f"v5-{type(op).__name__}")
        for op in operations
        if isinstance(op, V5_FLOWS)
    ]


@pytest.mark.parametrize(("version", "op"), _cases(READS))
def test_reads_get_through_spec_generated_answers(prisms: Prisms, op: Any) -> None:
    result, responses = _drive(prisms, op)
    assert responses and all(r.status_code == 200 for r in responses), [
        (r.status_code, r.headers.get("sl-violations")) for r in responses
    ]
    assert not _request_violations(responses)
    # Any other exception (KeyError, TypeError, InvalidMoney…) would have escaped _drive.
    assert isinstance(result, APIError) or result is not None


@pytest.mark.parametrize(("version", "op"), _cases(WRITES))
def test_writes_pass_the_specs_request_validation(prisms: Prisms, op: Any) -> None:
    _, responses = _drive(prisms, op)
    assert responses
    assert not _request_violations(responses)
    assert all(r.status_code < 400 for r in responses), [
        (r.request.method, r.request.url.path, r.status_code, r.text[:200]) for r in responses
    ]


@pytest.mark.parametrize("version", [4])
def test_a_request_breaking_the_spec_is_caught(prisms: Prisms) -> None:
    """The check can fail: a top-up without the required bucket is refused by Prism."""
    url = prisms["prepay"].url + "/topupBalance"
    response = httpx.post(url, json={"voucher": "1", "usageType": "monetary"}, timeout=10)
    assert response.status_code == 400
    assert _request_violations([response])


@pytest.mark.parametrize("version", [5])
def test_a_v5_request_breaking_the_spec_is_caught(prisms: Prisms) -> None:
    """v5 too: a trouble ticket without its ``@type`` (a v4 body) is refused by Prism."""
    url = prisms["troubleTicket"].url + "/troubleTicket"
    body = {"description": "No signal", "severity": "minor", "ticketType": "network"}
    response = httpx.post(url, json=body, timeout=10)
    assert response.status_code == 400
    assert _request_violations([response])


def test_a_mock_whose_port_is_taken_starts_again_on_another() -> None:
    """CI once failed when a mock's port was taken in the minutes Prism took to start."""
    _install()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = iter([int(taken.getsockname()[1])])
        prism = Prism(
            SPEC_DIR / SPEC_FILES["communication"], lambda: next(ports, None) or _free_port()
        )
        try:
            prism.wait(time.monotonic() + START_TIMEOUT)
            assert prism.attempts == 2
            assert httpx.get(
                prism.url + "/communicationMessage", timeout=REQUEST_TIMEOUT
            ).is_success
        finally:
            prism.stop()
