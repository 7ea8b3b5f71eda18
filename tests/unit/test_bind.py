"""``bind`` hands out a socket that already listens, so a URL printed from it can be used."""

from __future__ import annotations

import socket

from selfcare.server._live import base_url, bind


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
