# Generated from selfcare/_async/http_backend.py by scripts/unasync.py. Do not edit.
"""The HTTP backend: operations over the selfcare wire protocol, with httpx."""

from __future__ import annotations

from typing import TypeVar

import httpx

from selfcare._secret import Secret
from selfcare.operations import Operation
from selfcare.protocol._http import (
    CAPABILITIES,
    DEFAULT_TIMEOUT,
    HttpSettings,
    build_request,
    read_response,
    transport_error,
)

__all__ = ["HttpBackend"]

R = TypeVar("R")


class HttpBackend:
    """Talks to a server that speaks the selfcare protocol (such as ``selfcare serve``).

    ``base_url`` is the server's root; the token is sent as a bearer token. Connections are
    pooled; close the backend (or the client that owns it) to release them. TLS certificates
    are verified unless ``verify=False`` is passed explicitly.
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | Secret | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        verify: bool = True,
    ) -> None:
        self.settings = HttpSettings.resolve(base_url, token)
        self._http = httpx.Client(
            **self.settings.client_options(),
            timeout=timeout,
            transport=transport,
            verify=verify,
        )

    @property
    def capabilities(self) -> frozenset[str]:
        """Everything the protocol has a route for."""
        return CAPABILITIES

    def execute(self, op: Operation[R]) -> R:
        """Send ``op`` and return its result, or raise the error the server reported."""
        request = build_request(self._http, op)
        try:
            response = self._http.send(request)
        except httpx.HTTPError as exc:
            raise transport_error(op, exc) from exc
        result: R = read_response(op, response)
        return result

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.settings.base_url!r})"
