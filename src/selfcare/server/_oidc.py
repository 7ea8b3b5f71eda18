"""The operator's authorization server: network sign-in (OIDC) and CAMARA Number Verification.

A device on mobile data opens ``/oauth/authorize`` (authorization code with PKCE S256,
``prompt=none``); the server recognises the line **only** from the address the request
arrives from, as the operator's gateway assigned it (:class:`MobileNetwork`), and redirects
back with a one-time code; the client exchanges it at ``/oauth/token`` for the same session
a password or SMS code opens (method ``network``) plus a signed ID token (ES256, keys at
``/oauth/jwks``, discovery at ``/.well-known/openid-configuration``).

Headers a client can set (``X-Forwarded-For``, ``X-MSISDN``) are read only when the request
comes from a proxy named in ``trusted_proxies`` (the operator's header-enrichment proxy):
from anyone else they are ignored.

CAMARA Number Verification v2 (``/number-verification/v2/verify`` and
``/device-phone-number``) answers only to access tokens of a network sign-in; a password or
SMS-code token gets 403 ``NUMBER_VERIFICATION.USER_NOT_AUTHENTICATED_BY_MOBILE_NETWORK``.

The OAuth parts that are standard arithmetic come from Authlib (the S256 challenge, the
``at_hash``) and joserfc, Authlib's JOSE library (keys, signing); the endpoints are written
here because Authlib's server framework has no Starlette integration.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import ipaddress
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

import attrs
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core.util import create_half_hash
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route as StarletteRoute

from selfcare._errors import (
    AuthenticationError,
    InvalidPhoneNumber,
    NotFound,
    RateLimited,
    SelfcareError,
    ValidationError,
)
from selfcare._secret import Secret
from selfcare.model import LoginMethod, PhoneNumber, SignedIn
from selfcare.operations import RefreshSession
from selfcare.server._limits import read_body

__all__ = [
    "CODE_TTL",
    "DEFAULT_CLIENT",
    "ID_TOKEN_TTL",
    "NV_SCOPES",
    "AuthorizationServer",
    "MobileNetwork",
    "OAuthClient",
]

CODE_TTL: Final = timedelta(seconds=60)
ID_TOKEN_TTL: Final = timedelta(minutes=10)
MAX_PENDING: Final = 10_000
"""Codes kept at once; beyond that the expired and used ones are dropped, then the oldest."""
MAX_STATE: Final = 512
DEFAULT_CLIENT: Final = "selfcare"
NV_VERIFY: Final = "number-verification:verify"
NV_READ: Final = "number-verification:device-phone-number:read"
NV_SCOPES: Final = frozenset({NV_VERIFY, NV_READ})
SCOPES: Final = frozenset({"openid", "phone", *NV_SCOPES})
_VERIFIER: Final = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
_CHALLENGE: Final = re.compile(r"[A-Za-z0-9\-_]{43}")
_E164: Final = re.compile(r"\+[1-9][0-9]{4,14}")
_HASHED: Final = re.compile(r"[0-9a-fA-F]{64}")
_NOT_BY_NETWORK: Final = "NUMBER_VERIFICATION.USER_NOT_AUTHENTICATED_BY_MOBILE_NETWORK"


def _address(text: str, what: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise ValueError(f"{what}: {text[:64]!r} is not an IP address") from None


@attrs.frozen
class MobileNetwork:
    """Which source addresses the operator's gateway assigned to which lines.

    ``lines`` maps an address (``"127.0.0.2"``) to the line it belongs to. Requests from a
    ``trusted_proxies`` address may name the device in headers: ``X-MSISDN`` (the line,
    as header enrichment sets it) or else the last address of ``X-Forwarded-For``. From any
    other address those headers are ignored, whatever they say.
    """

    lines: Mapping[str, PhoneNumber] = attrs.field(factory=dict)
    trusted_proxies: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, mappings: Iterable[str], trusted_proxies: Iterable[str] = ()) -> MobileNetwork:
        """From ``ADDR=NUMBER`` texts (``127.0.0.2=+79165550123``) and proxy addresses;
        ``ValueError`` naming the text that is wrong."""
        lines: dict[str, PhoneNumber] = {}
        for text in mappings:
            address, sep, number = text.partition("=")
            if not sep:
                raise ValueError(f"--mobile-network {text[:64]!r}: write ADDRESS=NUMBER")
            key = _address(address, "--mobile-network")
            try:
                lines[key] = PhoneNumber.parse(number.strip(), "RU", field="mobile-network")
            except InvalidPhoneNumber:
                raise ValueError(
                    f"--mobile-network {text[:64]!r}: {number.strip()[:32]!r} is not a phone number"
                ) from None
        proxies = frozenset(_address(p, "--trusted-proxy") for p in trusted_proxies)
        return cls(lines, proxies)

    def line_of(self, peer: str | None, headers: Mapping[str, str]) -> PhoneNumber | None:
        """The line a request comes from (``peer`` is the address of the connection)."""
        if peer is None:
            return None
        try:
            address = str(ipaddress.ip_address(peer))
        except ValueError:
            return None
        if address in self.trusted_proxies:
            msisdn = headers.get("x-msisdn")
            if msisdn:
                try:
                    return PhoneNumber.parse(msisdn.strip()[:32], "RU", field="x-msisdn")
                except InvalidPhoneNumber:
                    return None
            forwarded = headers.get("x-forwarded-for")
            if forwarded:
                try:
                    address = str(ipaddress.ip_address(forwarded.split(",")[-1].strip()))
                except ValueError:
                    return None
        return self.lines.get(address)


@attrs.frozen
class OAuthClient:
    """A registered client: public (no secret), PKCE required. Its ``redirect_uris`` match
    exactly; with ``loopback`` any ``http://127.0.0.1`` / ``[::1]`` / ``localhost`` URI on
    any port is allowed too (RFC 8252 §7.3, native apps)."""

    client_id: str
    redirect_uris: frozenset[str] = frozenset()
    loopback: bool = True

    def allows(self, uri: str) -> bool:
        if uri in self.redirect_uris:
            return True
        if not self.loopback:
            return False
        try:
            parts = urlsplit(uri)
            host = parts.hostname
            parts.port  # noqa: B018  (a malformed port raises here)
        except ValueError:
            return False
        return (
            parts.scheme == "http"
            and host in {"127.0.0.1", "::1", "localhost"}
            and (not parts.fragment)
        )


@attrs.define
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    scopes: frozenset[str]
    number: PhoneNumber
    client: str | None
    expires_at: datetime
    used: bool = False
    issued: Secret | None = attrs.field(default=None, repr=False)
    """The access token given for this code (revoked if the code comes back)."""


class _OAuthError(Exception):
    def __init__(
        self, error: str, description: str, status: int = 400, retry_after: float | None = None
    ) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status
        self.retry_after = retry_after

    def response(self) -> Response:
        body = {"error": self.error, "error_description": self.description}
        headers = {"Cache-Control": "no-store"}
        if self.retry_after is not None:
            headers["Retry-After"] = str(max(1, round(self.retry_after)))
        if self.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="selfcare"'
        return JSONResponse(body, status_code=self.status, headers=headers)


class _CamaraError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> Response:
        body = {"status": self.status, "code": self.code, "message": self.message}
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(body, status_code=self.status, headers=headers)


class AuthorizationServer:
    """OIDC discovery, JWKS, ``/oauth/authorize``, ``/oauth/token`` and Number Verification
    for a resolver that can open network sessions (the fake's :class:`FakeResolver`).

    ``issuer`` is the server's public root (default: the root each request was sent to).
    ``clients`` are the registered OAuth clients (default: ``selfcare``, loopback redirect
    URIs plus ``redirect_uris``). A fresh ES256 key signs ID tokens for the process's life.
    """

    def __init__(
        self,
        resolver: Any,
        network: MobileNetwork | None = None,
        *,
        issuer: str | None = None,
        clients: Iterable[OAuthClient] | None = None,
        redirect_uris: Iterable[str] = (),
    ) -> None:
        for needed in ("network_sign_in", "session_of", "revoke"):
            if not callable(getattr(resolver, needed, None)):
                raise TypeError(f"network sign-in needs a resolver with {needed}()")
        self._resolver = resolver
        self.network = network or MobileNetwork()
        self._issuer = issuer.rstrip("/") if issuer else None
        default = OAuthClient(DEFAULT_CLIENT, frozenset(redirect_uris))
        self._clients = {c.client_id: c for c in (clients or [default])}
        self._key = ECKey.generate_key("P-256", parameters={"use": "sig", "alg": "ES256"})
        self._key_set = KeySet([self._key])
        self._kid = self._key.thumbprint()
        self._grants: dict[str, _Grant] = {}

    def __repr__(self) -> str:
        return f"AuthorizationServer(issuer={self._issuer!r}, clients={sorted(self._clients)})"

    # -- plumbing ------------------------------------------------------------------------

    def routes(self) -> list[StarletteRoute]:
        """The Starlette routes to add to an app."""
        return [
            StarletteRoute("/.well-known/openid-configuration", self.discovery, methods=["GET"]),
            StarletteRoute("/oauth/jwks", self.jwks, methods=["GET"]),
            StarletteRoute("/oauth/authorize", self.authorize, methods=["GET"]),
            StarletteRoute("/oauth/token", self.token, methods=["POST"]),
            StarletteRoute("/number-verification/v2/verify", self.verify, methods=["POST"]),
            StarletteRoute(
                "/number-verification/v2/device-phone-number",
                self.device_phone_number,
                methods=["GET"],
            ),
        ]

    def _now(self) -> datetime:
        now = getattr(self._resolver, "now", None)
        return now() if callable(now) else datetime.now(UTC)

    def issuer(self, request: Request) -> str:
        return self._issuer or str(request.base_url).rstrip("/")

    async def _call(self, name: str, *args: Any) -> Any:
        result = getattr(self._resolver, name)(*args)
        return await result if inspect.isawaitable(result) else result

    # -- discovery -----------------------------------------------------------------------

    async def discovery(self, request: Request) -> Response:
        root = self.issuer(request)
        return JSONResponse(
            {
                "issuer": root,
                "authorization_endpoint": f"{root}/oauth/authorize",
                "token_endpoint": f"{root}/oauth/token",
                "jwks_uri": f"{root}/oauth/jwks",
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["ES256"],
                "scopes_supported": sorted(SCOPES),
                "claims_supported": [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "auth_time",
                    "nonce",
                    "amr",
                    "phone_number",
                    "phone_number_verified",
                ],
                "token_endpoint_auth_methods_supported": ["none"],
                "code_challenge_methods_supported": ["S256"],
                "prompt_values_supported": ["none"],
                "authorization_response_iss_parameter_supported": True,
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(self._key_set.as_dict(private=False))

    # -- authorize -----------------------------------------------------------------------

    async def authorize(self, request: Request) -> Response:
        try:
            self._public(request)
        except _OAuthError as exc:
            return exc.response()
        query = request.query_params
        for name in query:
            if len(query.getlist(name)) > 1:
                return _OAuthError("invalid_request", f"{name[:32]} is given twice").response()
        client = self._clients.get(query.get("client_id", ""))
        if client is None:  # never redirect to a URI nobody registered
            return _OAuthError("invalid_request", "unknown or missing client_id").response()
        redirect_uri = query.get("redirect_uri", "")
        if not client.allows(redirect_uri):
            return _OAuthError(
                "invalid_request", "redirect_uri is not registered for this client"
            ).response()
        state = query.get("state")
        if state is not None and len(state) > MAX_STATE:  # it is sent back: keep it bounded
            return _OAuthError(
                "invalid_request", f"state: at most {MAX_STATE} characters"
            ).response()

        def back(**params: str) -> Response:
            if state is not None:
                params["state"] = state
            params["iss"] = self.issuer(request)
            sep = "&" if urlsplit(redirect_uri).query else "?"
            return RedirectResponse(redirect_uri + sep + urlencode(params), status_code=302)

        if query.get("response_type") != "code":
            return back(error="unsupported_response_type", error_description="use code")
        scopes = frozenset(query.get("scope", "").split())
        if "openid" not in scopes or not scopes <= SCOPES:
            return back(error="invalid_scope", error_description="openid and known scopes only")
        challenge = query.get("code_challenge", "")
        if query.get("code_challenge_method") != "S256" or not _CHALLENGE.fullmatch(challenge):
            return back(error="invalid_request", error_description="PKCE S256 is required")
        nonce = query.get("nonce")
        if nonce is not None and not 0 < len(nonce) <= 256:
            return back(error="invalid_request", error_description="nonce: 1 to 256 characters")
        peer = request.client.host if request.client else None
        number = self.network.line_of(peer, request.headers)
        if number is None:
            return back(
                error="login_required",
                error_description="the mobile network did not recognise this connection",
            )
        now = self._now()
        code = secrets.token_urlsafe(32)
        self._keep(
            _digest(code),
            _Grant(
                client.client_id,
                redirect_uri,
                challenge,
                nonce,
                scopes,
                number,
                peer,
                now + CODE_TTL,
            ),
            now,
        )
        return back(code=code)

    def _keep(self, key: str, grant: _Grant, now: datetime) -> None:
        if len(self._grants) >= MAX_PENDING:
            for old in [k for k, g in self._grants.items() if g.used or g.expires_at <= now]:
                del self._grants[old]
            while len(self._grants) >= MAX_PENDING:
                del self._grants[next(iter(self._grants))]
        self._grants[key] = grant

    # -- token ---------------------------------------------------------------------------

    async def token(self, request: Request) -> Response:
        try:
            return await self._token(request)
        except _OAuthError as exc:
            return exc.response()

    async def _token(self, request: Request) -> Response:
        public = self._public(request)
        form = await _form(request)
        grant_type = form.get("grant_type")
        if grant_type not in ("authorization_code", "refresh_token"):
            raise _OAuthError("unsupported_grant_type", "use authorization_code or refresh_token")
        client = self._clients.get(form.get("client_id", ""))
        if client is None:
            raise _OAuthError("invalid_client", "unknown or missing client_id", 401)
        if grant_type == "refresh_token":
            return await self._refresh(public, form)
        code, verifier = form.get("code", ""), form.get("code_verifier", "")
        if not code:
            raise _OAuthError("invalid_request", "code is required")
        if not _VERIFIER.fullmatch(verifier):
            raise _OAuthError("invalid_request", "code_verifier: 43 to 128 unreserved characters")
        now = self._now()
        grant = self._grants.get(_digest(code))
        if grant is None or grant.client_id != client.client_id:
            raise _OAuthError("invalid_grant", "the code is not valid")
        if grant.used:  # RFC 6749 §4.1.2: a code used twice revokes what it gave
            if grant.issued is not None:
                await self._call("revoke", grant.issued)
                grant.issued = None
            raise _OAuthError("invalid_grant", "the code was already used")
        if now >= grant.expires_at:
            raise _OAuthError("invalid_grant", "the code expired")
        if form.get("redirect_uri") != grant.redirect_uri:
            raise _OAuthError("invalid_grant", "redirect_uri differs from the authorization's")
        expected = create_s256_code_challenge(verifier)
        if not hmac.compare_digest(expected.encode(), grant.challenge.encode()):
            raise _OAuthError("invalid_grant", "code_verifier does not match the challenge")
        grant.used = True
        try:
            session: SignedIn = await self._call(
                "network_sign_in", grant.number, grant.client, grant.scopes
            )
        except NotFound:
            raise _OAuthError("invalid_grant", "the network's line is no subscriber's") from None
        grant.issued = session.access_token
        access = session.access_token.reveal()
        id_token = self._id_token(request, grant, access)
        body = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": max(0, int((session.access_expires_at - now).total_seconds())),
            "refresh_token": session.refresh_token.reveal(),
            "id_token": id_token,
            "scope": " ".join(sorted(grant.scopes)),
            "access_expires_at": session.access_expires_at.isoformat(),
            "refresh_expires_at": session.refresh_expires_at.isoformat(),
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _public(self, request: Request) -> Any:
        """The backend of public routes for the caller's address: the sign-in throttle per
        address applies here as on ``/v1/auth/*`` (``RateLimited`` becomes a 429)."""
        public = getattr(self._resolver, "public", None)
        if public is None:
            return None
        try:
            return public(request.client.host if request.client else None)
        except RateLimited as exc:
            wait = exc.retry_after.total_seconds() if exc.retry_after else 60
            raise _OAuthError("slow_down", str(exc), 429, retry_after=wait) from None

    async def _refresh(self, public: Any, form: Mapping[str, str]) -> Response:
        """``grant_type=refresh_token``: the same refresh as ``POST /v1/auth/refresh``."""
        token = form.get("refresh_token", "")
        if not token or public is None:
            raise _OAuthError("invalid_request", "refresh_token is required")
        try:
            result = public.execute(RefreshSession(refresh_token=Secret(token)))
            session: SignedIn = await result if inspect.isawaitable(result) else result
        except RateLimited as exc:
            wait = exc.retry_after.total_seconds() if exc.retry_after else 60
            raise _OAuthError("slow_down", "refreshing too often", 429, retry_after=wait) from None
        except (AuthenticationError, ValidationError):
            raise _OAuthError("invalid_grant", "the refresh token is not valid") from None
        now = self._now()
        body = {
            "access_token": session.access_token.reveal(),
            "token_type": "Bearer",
            "expires_in": max(0, int((session.access_expires_at - now).total_seconds())),
            "refresh_token": session.refresh_token.reveal(),
            "access_expires_at": session.access_expires_at.isoformat(),
            "refresh_expires_at": session.refresh_expires_at.isoformat(),
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _id_token(self, request: Request, grant: _Grant, access: str) -> str:
        # Wall-clock time, not the fake operator's: a JWT's times are checked by clients
        # against their own clocks (codes and sessions follow the operator's clock).
        now = datetime.now(UTC)
        claims: dict[str, Any] = {
            "iss": self.issuer(request),
            "sub": self._subject(grant.number, grant.client_id),
            "aud": grant.client_id,
            "iat": int(now.timestamp()),
            "exp": int((now + ID_TOKEN_TTL).timestamp()),
            "auth_time": int(now.timestamp()),
            "amr": ["network"],
            "at_hash": create_half_hash(access, "ES256").decode(),
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        if "phone" in grant.scopes:
            claims["phone_number"] = grant.number.e164
            claims["phone_number_verified"] = True
        header = {"alg": "ES256", "kid": self._kid, "typ": "JWT"}
        return jwt.encode(header, claims, self._key)

    def _subject(self, number: PhoneNumber, client_id: str) -> str:
        """A pairwise subject: stable per line and client, telling neither the number."""
        seed = f"{self._kid}:{client_id}:{number.e164}".encode()
        return hashlib.sha256(seed).hexdigest()[:32]

    # -- Number Verification -------------------------------------------------------------

    async def verify(self, request: Request) -> Response:
        try:
            number = await self._network_line(request, NV_VERIFY)
            try:
                body = json.loads(await read_body(request) or b"null")
            except (ValueError, SelfcareError):
                raise _CamaraError(400, "INVALID_ARGUMENT", "the body is not JSON") from None
            if not isinstance(body, dict) or len(body) != 1:
                raise _CamaraError(
                    400, "INVALID_ARGUMENT", "give exactly one of phoneNumber, hashedPhoneNumber"
                )
            if "phoneNumber" in body:
                claimed = body["phoneNumber"]
                if not isinstance(claimed, str) or not _E164.fullmatch(claimed):
                    raise _CamaraError(400, "INVALID_ARGUMENT", "phoneNumber: +E.164 digits")
                verified = claimed == number.e164
            elif "hashedPhoneNumber" in body:
                hashed = body["hashedPhoneNumber"]
                if not isinstance(hashed, str) or not _HASHED.fullmatch(hashed):
                    raise _CamaraError(
                        400, "INVALID_ARGUMENT", "hashedPhoneNumber: 64 hex digits (SHA-256)"
                    )
                ours = hashlib.sha256(number.e164.encode()).hexdigest()
                verified = hmac.compare_digest(ours, hashed.lower())
            else:
                raise _CamaraError(
                    400, "INVALID_ARGUMENT", "give exactly one of phoneNumber, hashedPhoneNumber"
                )
        except _CamaraError as exc:
            return exc.response()
        return JSONResponse({"devicePhoneNumberVerified": verified})

    async def device_phone_number(self, request: Request) -> Response:
        try:
            number = await self._network_line(request, NV_READ)
        except _CamaraError as exc:
            return exc.response()
        return JSONResponse({"devicePhoneNumber": number.e164})

    async def _network_line(self, request: Request, scope: str) -> PhoneNumber:
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise _CamaraError(401, "UNAUTHENTICATED", "send a token: Authorization: Bearer")
        try:
            found = await self._call("session_of", Secret(credentials.strip()))
        except AuthenticationError:
            raise _CamaraError(
                401, "UNAUTHENTICATED", "the access token is not valid or has expired"
            ) from None
        if found is None or found[1] is not LoginMethod.NETWORK:
            raise _CamaraError(
                403,
                _NOT_BY_NETWORK,
                "the token is not from a sign-in by the mobile network (a password, a code or "
                "an API token): sign in over mobile data",
            )
        number, _, scopes = found
        if scope not in scopes:
            raise _CamaraError(403, "PERMISSION_DENIED", f"the token lacks the scope {scope}")
        assert isinstance(number, PhoneNumber)
        return number


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def _form(request: Request) -> dict[str, str]:
    """The token request's form fields (each once, within the body limits)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != (
        "application/x-www-form-urlencoded"
    ):
        raise _OAuthError("invalid_request", "send application/x-www-form-urlencoded")
    try:
        raw = await read_body(request)
    except SelfcareError:
        raise _OAuthError("invalid_request", "the body is too large") from None
    try:
        pairs = parse_qsl(raw.decode("ascii"), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise _OAuthError("invalid_request", "the body is not a form") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise _OAuthError("invalid_request", f"{name[:32]} is given twice")
        form[name] = value
    return form
