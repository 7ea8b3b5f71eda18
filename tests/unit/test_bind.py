"""``bind`` hands out a socket that already listens, so a URL printed from it can be used;
``serve_forever`` runs an app on it as ``selfcare serve`` does."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
import uvicorn

from selfcare.server import _live
from selfcare.server._live import base_url, bind, serve_forever


def test_a_bound_socket_accepts_connections_before_any_server_runs() -> None:
    # `selfcare serve` prints its Base URL from this socket before uvicorn starts; a client
    # that reads the URL and connects at once (a test, a script) was refused until then
    sock = bind("127.0.0.1", 0)
    try:
        host, port = base_url(sock).removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5):
            pass
    finally:
        sock.close()


def test_serve_forever_freezes_what_was_built_then_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    # the fake's seeded histories live as long as the server: full collections must not
    # scan them, so they are frozen before uvicorn starts (after a collection: no garbage)
    steps: list[object] = []
    monkeypatch.setattr(
        _live,
        "gc",
        SimpleNamespace(
            collect=lambda: steps.append("collect"), freeze=lambda: steps.append("freeze")
        ),
    )
    monkeypatch.setattr(
        uvicorn.Server,
        "run",
        lambda self, sockets: steps.append((self.config.log_level, self.config.proxy_headers)),
    )
    sock = bind("127.0.0.1", 0)
    try:
        serve_forever(object(), sock)
    finally:
        sock.close()
    assert steps == ["collect", "freeze", ("info", False)]
