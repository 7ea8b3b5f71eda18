"""The reference server under uvicorn on 127.0.0.1 (a free port), for tests and benchmarks."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from selfcare._secret import Secret
from selfcare.backends.fake import FakeOperator
from selfcare.server import FakeResolver, create_app


class SwitchableResolver:
    """Serves whichever fake operator the current test installed."""

    def __init__(self) -> None:
        self.resolver: FakeResolver | None = None

    def use(self, operator: FakeOperator) -> None:
        self.resolver = FakeResolver(operator)

    def __call__(self, token: Secret) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver(token)


class LiveServer:
    """uvicorn running an app in a thread, bound to a socket on 127.0.0.1 port 0 (no race)."""

    def __init__(self, app: Any) -> None:
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP,
        # and without it every small response waits ~40 ms for a delayed ACK (Nagle).
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the reference server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._sock.close()


def fake_server() -> tuple[LiveServer, SwitchableResolver]:
    resolver = SwitchableResolver()
    return LiveServer(create_app(resolver)), resolver
