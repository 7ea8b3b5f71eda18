"""Running the reference server: in the foreground (``selfcare serve``) or in a thread (tests)."""

from __future__ import annotations

import gc
import socket
import threading
import time
from typing import Any

import uvicorn

__all__ = ["LiveServer", "base_url", "bind", "serve_forever"]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0 picks a free one).

    ``IPPROTO_TCP`` is given explicitly: asyncio turns on TCP_NODELAY only for sockets whose
    protocol says TCP, and without it each small response waits ~40 ms for a delayed ACK.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    # listen now, not when uvicorn starts: callers print the URL before the app is built,
    # and a client connecting in between would be refused (uvicorn listens again, harmlessly)
    sock.listen(2048)
    return sock


def base_url(sock: socket.socket) -> str:
    """The root URL a socket from :func:`bind` serves."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve_forever(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` on ``sock`` in the foreground until interrupted, as ``selfcare serve``
    does: uvicorn logging each request, and ``proxy_headers`` off (uvicorn would otherwise
    take a loopback client's address from ``X-Forwarded-For``, and network sign-in must
    trust only the connection).

    What the process has built so far (the imports, and whatever the caller built before
    serving: a fake given 200,000 records is a million objects) is frozen out of the garbage
    collector's reach first (``gc.freeze()``): it lives as long as the server, and every
    full collection that serving triggers would otherwise scan all of it (0.6 s of a 3.3 s
    first pass through those records). Frozen objects are still freed by reference counting
    when the fake replaces them.
    """
    gc.collect()
    gc.freeze()
    uvicorn.Server(uvicorn.Config(app, log_level="info", proxy_headers=False)).run(sockets=[sock])


class LiveServer:
    """An ASGI app under uvicorn in a background thread, on 127.0.0.1 and a free port.

    ``with LiveServer(app) as server: ... server.url ...`` starts it, waits until it accepts
    connections, and stops it on exit.
    """

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._sock = bind(host, port)
        self.url = base_url(self._sock)
        self._server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", lifespan="off", proxy_headers=False)
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 60  # a safety net: a loaded machine can be slow to start
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._sock.close()
