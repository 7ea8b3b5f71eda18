# Generated from selfcare/_async/_network.py by scripts/unasync.py. Do not edit.
"""Network sign-in, the I/O: ``Selfcare.start_network_login`` / ``network_login``.

The messages and checks are sans-IO in ``selfcare._client.oidc`` (Authlib and joserfc);
this module only sends them, over the backend's own connection pool, so a device's
transport (its mobile-data interface) carries every request, the sign-in's and the
signed-in client's alike.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from selfcare._errors import APIError, AuthenticationError, SelfcareError, TransportError

if TYPE_CHECKING:  # httpx, Authlib and joserfc load only when network sign-in is used
    import httpx

    from selfcare._sync._client import Selfcare
    from selfcare._client.oidc import AuthorizationRequest
    from selfcare.backends.http._sync import HttpBackend
    from selfcare.model import SignedIn

__all__ = ["NetworkLogin", "begin", "run_on_device"]


def _send(backend: HttpBackend, method: str, url: str, **kwargs: Any) -> httpx.Response:
    import httpx

    try:
        return backend.raw(method, url, **kwargs)
    except httpx.HTTPError as exc:
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        raise TransportError(f"network sign-in {kind}: {type(exc).__name__}") from exc


def _json(response: httpx.Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise APIError(f"the operator's {what} is not JSON (HTTP {response.status_code})") from None


def begin(
    client_type: type[Selfcare],
    backend: HttpBackend,
    *,
    redirect_uri: str,
    client_id: str,
    scope: str,
) -> NetworkLogin:
    """Read the operator's OpenID configuration and prepare an authorization request."""
    from selfcare._client.oidc import DISCOVERY_PATH, AuthorizationRequest, Metadata

    base = backend.settings.base_url
    try:
        found = _send(backend, "GET", base.rstrip("/") + DISCOVERY_PATH)
        if not found.is_success:
            raise APIError(
                f"the server offers no network sign-in (GET {DISCOVERY_PATH}: HTTP "
                f"{found.status_code})"
            )
        metadata = Metadata.parse(_json(found, "OpenID configuration"), base)
        request = AuthorizationRequest.new(
            metadata, client_id=client_id, redirect_uri=redirect_uri, scope=scope
        )
    except BaseException:
        backend.close()
        raise
    return NetworkLogin(client_type, backend, request)


def run_on_device(login: NetworkLogin) -> Selfcare:
    """The whole flow from the device: open the authorization URL over the device's own
    connection (where the operator sees its line), read the redirect, complete."""
    try:
        answer = _send(login.backend, "GET", login.authorization_url)
        location = answer.headers.get("location")
        if answer.status_code not in (302, 303) or not location:
            raise APIError(
                f"the authorization endpoint did not redirect back (HTTP {answer.status_code})"
            )
    except BaseException:
        login.close()
        raise
    return login.complete(location)


def _sign_out(backend: HttpBackend, session: SignedIn) -> None:
    """End ``session`` on the server, best effort (its ID token was refused)."""
    from selfcare.operations import SignOut

    with contextlib.suppress(SelfcareError):
        backend.signed_in(session).execute(SignOut())


class NetworkLogin:
    """A network sign-in waiting for its redirect back.

    Send the device to :attr:`authorization_url` (it must travel over the operator's mobile
    data, where the operator recognises the line); the operator redirects it to
    ``redirect_uri`` with a code, and ``login.complete(callback_url)`` exchanges the
    code (with the PKCE verifier), checks the ID token and returns the signed-in client.
    The state, nonce and verifier stay inside; the repr shows none of them.
    """

    def __init__(
        self,
        client_type: type[Selfcare],
        backend: HttpBackend,
        request: AuthorizationRequest,
    ) -> None:
        self._client_type = client_type
        self.backend = backend
        self._request = request
        self._done = False

    @property
    def authorization_url(self) -> str:
        """Where to send the device (PKCE S256, ``state``, ``nonce``, ``prompt=none``)."""
        return self._request.url

    @property
    def redirect_uri(self) -> str:
        """Where the operator sends the device back."""
        return self._request.redirect_uri

    def complete(self, callback_url: str) -> Selfcare:
        """Exchange the code in ``callback_url`` (the redirect the device landed on) and
        return the signed-in client. The state, the issuer, and the ID token's signature,
        issuer, audience, nonce and expiry are checked; any mismatch raises
        :class:`~selfcare.AuthenticationError`, as does the operator's ``login_required``
        when it did not recognise the line. A login completes once."""
        from selfcare._client.oidc import session_from, verify_id_token

        if self._done:
            raise AuthenticationError("this network sign-in was already completed")
        self._done = True
        request = self._request
        try:
            code = request.code_from(callback_url)
            answer = _send(
                self.backend,
                "POST",
                request.metadata.token_endpoint,
                content=request.token_request(code),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            body = _json(answer, "token answer")
            if not answer.is_success:
                error = body.get("error") if isinstance(body, dict) else None
                raise AuthenticationError(
                    f"the operator refused the code ({str(error)[:64]}): start the sign-in again"
                )
            now = datetime.now(UTC)
            session, id_token = session_from(body, now)
            keys = _send(self.backend, "GET", request.metadata.jwks_uri)
            try:
                verify_id_token(
                    id_token,
                    _json(keys, "JWKS"),
                    request=request,
                    access_token=session.access_token,
                    now=now,
                )
            except AuthenticationError:  # do not leave a session we refuse alive
                _sign_out(self.backend, session)
                raise
        except BaseException:
            self.backend.close()
            raise
        return self._client_type(self.backend.signed_in(session))

    def close(self) -> None:
        """Give up on this sign-in and release its connections."""
        self.backend.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} issuer={self._request.metadata.issuer!r}>"
