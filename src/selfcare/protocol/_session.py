"""A signed-in session on the wire: the bearer is the access token, refreshed when it expires.

:class:`SessionAuth` is an ``httpx.Auth`` flow, so it is sans-IO like httpx's digest auth and
serves the sync and the async client alike: it sends the request with the access token; on a
``401`` whose problem is ``token-expired`` it sends ``POST /v1/auth/refresh`` with the refresh
token, keeps the new access token and sends the request once more. Any other answer goes back
to the caller untouched; a refused refresh raises its error (the session is over).
"""

from __future__ import annotations

import threading
from collections.abc import Generator

import httpx

from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare.model import SignedIn
from selfcare.operations import RefreshSession
from selfcare.protocol._codec import decode_result, encode_body
from selfcare.protocol._problem import error_from_problem
from selfcare.protocol._retry import problem_type
from selfcare.protocol._routes import route_for

__all__ = ["TOKEN_EXPIRED", "SessionAuth"]

TOKEN_EXPIRED = "urn:selfcare:problem:token-expired"  # noqa: S105  (a problem type, not a secret)


def bearer(token: Secret) -> str:
    """The ``Authorization`` value for ``token``. A token with whitespace at either end or a
    control character inside cannot go in a header: it is refused here, without being shown,
    rather than left to the HTTP layer, whose error would quote the header (token and all)."""
    text = token.reveal()
    if text != text.strip():
        raise ValidationError(
            "the token has whitespace at its start or end (it is not shown)", field="token"
        )
    if any((ord(c) < 0x20 and c != "\t") or c == "\x7f" for c in text):
        raise ValidationError(
            "the token holds a control character (it is not shown)", field="token"
        )
    return f"Bearer {text}"


class SessionAuth(httpx.Auth):
    """Bearer auth with a session's access token, refreshed silently once per expiry."""

    requires_response_body = True

    def __init__(self, session: SignedIn, base_url: str, headers: dict[str, str]) -> None:
        self._session = session
        self._refresh_url = base_url.rstrip("/") + route_for(RefreshSession).path
        self._headers = headers
        self._lock = threading.Lock()

    @property
    def session(self) -> SignedIn:
        """The session's tokens as they are now (after any refresh)."""
        return self._session

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        used = self._session
        request.headers["Authorization"] = bearer(used.access_token)
        response = yield request
        if response.status_code != 401 or problem_type(response) != TOKEN_EXPIRED:
            return
        if self._session is used:  # nobody refreshed it meanwhile
            answer = yield self._refresh_request(used)
            if not answer.is_success:
                raise error_from_problem(answer.status_code, answer.content).answered_by(answer)
            fresh: SignedIn = decode_result(route_for(RefreshSession), answer.content)
            with self._lock:
                self._session = fresh
        request.headers["Authorization"] = bearer(self._session.access_token)
        yield request

    def _refresh_request(self, session: SignedIn) -> httpx.Request:
        op = RefreshSession(refresh_token=session.refresh_token)
        body = encode_body(route_for(RefreshSession), op)
        headers = {**self._headers, "Content-Type": "application/json"}
        return httpx.Request("POST", self._refresh_url, content=body, headers=headers)

    def __repr__(self) -> str:
        return "SessionAuth(access_token=***, refresh_token=***)"
