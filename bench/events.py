"""Events, pushed: stream latency and webhook delivery rate, each against a floor, in one run.

(1) **Stream latency.** The reference server (``selfcare serve``'s app under uvicorn on
127.0.0.1, in a thread of this process) serves a fake operator on the machine's clock; a
client follows ``sc.events.stream()`` over HTTP (server-sent events) in another thread.
The benchmark makes one event at a time in process (call forwarding switched on and off:
one ``forwarding.changed`` each) and times from just before the operation to the moment
the stream yields that event; the next event is made once it arrived. p50 and p99 over
``--events`` events.

(2) **Webhook deliveries per second.** ``--endpoints`` endpoints on the demo line, all
served by one receiver (a Starlette app under uvicorn that verifies each delivery with
``selfcare.webhooks.unwrap`` and answers 204), and ``--deliveries`` events. The
:class:`~selfcare.server.WebhookDispatcher` drains the outboxes (encode, sign, POST, record
each, endpoints concurrently, each endpoint's events in order), timed. The floor: plain
httpx POSTs of the same bodies, encoded and signed beforehand, to the same receiver with the
same concurrency (one sequence per endpoint). Both are verified by the receiver; the ratio
is the dispatcher's cost over the bare HTTP.

    python bench/events.py               # 300 stream events; 4 rounds of 1000 deliveries
    python bench/events.py --events 100 --deliveries 400 --repeat 2
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from selfcare import ForwardingCondition, PhoneNumber, Secret, Selfcare
from selfcare.backends.fake import FakeOperator, RateLimits
from selfcare.backends.fake._webhooks import new_secret
from selfcare.operations import DisableForwarding, SetForwarding
from selfcare.protocol._codec import encode_result
from selfcare.server import FakeResolver, LiveServer, WebhookDispatcher, create_app
from selfcare.webhooks import sign, unwrap, webhook_id

FRIEND = PhoneNumber("+79161234567")
BUSY = ForwardingCondition.BUSY


def _toggle(backend: object, n: int) -> None:
    """One ``forwarding.changed``: busy forwarding on (even n) or off (odd n)."""
    execute = backend.execute  # type: ignore[attr-defined]
    if n % 2 == 0:
        execute(SetForwarding(condition=BUSY, number=FRIEND))
    else:
        execute(DisableForwarding(condition=BUSY))


def stream_latency(count: int) -> list[float]:
    """Seconds from making each event to the stream client yielding it."""
    operator = FakeOperator(seed=42, limits=RateLimits.generous())
    backend = operator.backend()
    app = create_app(FakeResolver(operator), deliver_webhooks=False)
    arrived: dict[str, float] = {}
    got = threading.Condition()
    latencies: list[float] = []
    with LiveServer(app) as server, Selfcare(base_url=server.url, token=operator.token()) as sc:
        _toggle(backend, 0)  # the stream starts after the newest event: have one
        ready = threading.Event()

        def follow() -> None:
            stream = sc.events.stream()
            ready.set()
            for event in stream:
                with got:
                    arrived[event.id] = time.perf_counter()
                    got.notify_all()
                if len(arrived) >= count:
                    return

        reader = threading.Thread(target=follow, daemon=True)
        reader.start()
        ready.wait()
        time.sleep(0.5)  # the stream connects (not measured)
        subscriber = operator.subscriber()
        for n in range(1, count + 1):
            started = time.perf_counter()
            _toggle(backend, n)
            event_id = subscriber.events.by_seq[-1].id
            with got:
                if not got.wait_for(lambda eid=event_id: eid in arrived, timeout=30):
                    raise RuntimeError(f"{event_id} never reached the stream")
            latencies.append(arrived[event_id] - started)
        reader.join(timeout=10)
    return latencies


def _transport(endpoints: int) -> httpx.AsyncHTTPTransport:
    """The same for both sides: a connection per endpoint."""
    return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=endpoints))


def _receiver(secret: Secret) -> tuple[Starlette, list[int]]:
    counted = [0]

    async def endpoint(request: Request) -> Response:
        unwrap(await request.body(), request.headers, secret)
        counted[0] += 1
        return Response(status_code=204)

    return Starlette(routes=[Route("/{path:path}", endpoint, methods=["POST"])]), counted


def deliveries(endpoints: int, total: int, floor_first: bool = True) -> tuple[float, float]:
    """(dispatcher deliveries/s, floor POSTs/s) for ``total`` deliveries to ``endpoints``,
    the floor measured first or second."""
    per_endpoint = total // endpoints
    operator = FakeOperator(seed=42, limits=RateLimits.generous())
    sc = Selfcare.fake(operator=operator)
    secret = new_secret()
    app, counted = _receiver(secret)
    with LiveServer(app) as server:
        made = [sc.webhooks.create(f"{server.url}/hook/{n}") for n in range(endpoints)]
        store = operator.subscriber().webhooks.endpoints
        for endpoint in made:
            store[endpoint.id].secret = secret  # one receiver verifies them all
        backend = operator.backend()
        for n in range(per_endpoint):
            _toggle(backend, n)
        events = operator.subscriber().events.by_seq[-per_endpoint:]

        async def dispatch() -> float:
            async with httpx.AsyncClient(transport=_transport(endpoints)) as client:
                dispatcher = WebhookDispatcher(operator, client=client)
                started = time.perf_counter()
                await dispatcher.step()
                elapsed = time.perf_counter() - started
            assert dispatcher.stats.delivered == per_endpoint * endpoints, dispatcher.stats
            return elapsed

        async def floor() -> float:
            bodies = []
            for event in events:
                body = encode_result(event)
                headers = sign(body, secret, message_id=webhook_id(event))
                bodies.append((body, {**headers, "content-type": "application/json"}))
            async with httpx.AsyncClient(transport=_transport(endpoints)) as client:

                async def one(n: int) -> None:
                    for body, headers in bodies:
                        answer = await client.post(
                            f"{server.url}/hook/{n}", content=body, headers=headers
                        )
                        answer.raise_for_status()

                started = time.perf_counter()
                await asyncio.gather(*(one(n) for n in range(endpoints)))
                return time.perf_counter() - started

        if floor_first:
            floor_time = asyncio.run(floor())
            dispatch_time = asyncio.run(dispatch())
        else:
            dispatch_time = asyncio.run(dispatch())
            floor_time = asyncio.run(floor())
        assert counted[0] == 2 * per_endpoint * endpoints
    count = per_endpoint * endpoints
    return count / dispatch_time, count / floor_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--endpoints", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=4, help="rounds of deliveries")
    args = parser.parse_args()

    latencies = sorted(stream_latency(args.events))
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print(f"stream latency over {len(latencies)} events, operation to client, loopback SSE:")
    print(f"  p50 {p50:.2f} ms   p99 {p99:.2f} ms   max {latencies[-1] * 1000:.2f} ms")

    rounds = [deliveries(args.endpoints, args.deliveries, n % 2 == 0) for n in range(args.repeat)]
    rate, floor = max(r for r, _ in rounds), max(f for _, f in rounds)
    ratios = sorted(r / f for r, f in rounds)
    print(
        f"webhook deliveries, {args.deliveries} to {args.endpoints} endpoints, each verified "
        f"by the receiver, best of {args.repeat} rounds (alternating which goes first):"
    )
    print(f"  floor (plain httpx POSTs, presigned)  {floor:8,.0f} /s   1.00x")
    print(f"  WebhookDispatcher                     {rate:8,.0f} /s   {rate / floor:.2f}x floor")
    print(f"  ratio in each round: {', '.join(f'{r:.2f}' for r in ratios)}")


if __name__ == "__main__":
    main()
