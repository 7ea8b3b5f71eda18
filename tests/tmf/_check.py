"""An ASGI middleware that validates every TMF request body and response against the
official spec of its API and version (v4 or v5, by the root), collecting what breaks it."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from tests.tmf._spec import request_errors, response_errors, split


def _parse(raw: bytes) -> Any:
    return json.loads(raw, parse_float=Decimal) if raw else None


class SpecCheck:
    """Wraps the TMF face; ``violations`` lists each exchange that broke its spec."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.violations: list[str] = []
        self.checked = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = split(scope["path"])
        request: list[bytes] = []
        response: list[bytes] = []
        status: list[int] = []

        async def receiving() -> Any:
            message = await receive()
            if message["type"] == "http.request":
                request.append(message.get("body", b""))
            return message

        def record() -> None:
            # Called before the last byte of the answer leaves, so a test that has its answer
            # always sees the violations of that exchange (checking after send raced it).
            if where is None:
                self.violations.append(
                    f"{scope['method']} {scope['path']}: not under a TMF basePath"
                )
                return
            api, version, path = where
            method = scope["method"]
            media = dict(scope.get("headers") or []).get(b"content-type", b"application/json")
            partial = "fields" in parse_qs(scope.get("query_string", b"").decode())
            self.checked += 1
            try:
                problems = []
                if method in ("POST", "PATCH", "PUT"):
                    problems += [
                        f"request {p}"
                        for p in request_errors(
                            api, method, path, _parse(b"".join(request)), version, media.decode()
                        )
                    ]
                problems += [
                    f"response {status[0]} {p}"
                    for p in response_errors(
                        api, method, path, status[0], _parse(b"".join(response)), partial, version
                    )
                ]
            except LookupError as exc:
                problems = [str(exc)]
            self.violations += [f"{method} {scope['path']}: {p}" for p in problems]

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            elif message["type"] == "http.response.body":
                response.append(message.get("body", b""))
                if not message.get("more_body", False):
                    record()
            await send(message)

        await self.app(scope, receiving, sending)
