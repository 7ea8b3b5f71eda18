"""Network sign-in, the sans-IO part: the OIDC authorization request and the checks on what
comes back, shared by the sync and async clients (``_async/_network.py`` does the I/O).

Authlib builds and parses the OAuth messages (PKCE S256, the authorization URL, the
callback's state check, the token request) and validates the ID token's claims
(``CodeIDToken``: issuer, audience, nonce, expiry, ``at_hash``); joserfc, Authlib's JOSE
library, checks its signature against the operator's JWKS. Nothing here is hand-rolled
crypto; nothing here puts a code, token, verifier or nonce into a message or a repr.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

import attrs
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import (
    parse_authorization_code_response,
    prepare_grant_uri,
    prepare_token_request,
)
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from selfcare._errors import APIError, AuthenticationError, ValidationError
from selfcare._secret import Secret
from selfcare.model import SignedIn

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_REDIRECT_URI",
    "DISCOVERY_PATH",
    "AuthorizationRequest",
    "Metadata",
    "session_from",
    "verify_id_token",
]

DISCOVERY_PATH: Final = "/.well-known/openid-configuration"
DEFAULT_CLIENT_ID: Final = "selfcare"
DEFAULT_REDIRECT_URI: Final = "http://127.0.0.1/callback"
"""Where ``network_login`` asks to be sent back: a loopback URI (RFC 8252) that is never
opened: the device reads the code from the redirect itself."""
LEEWAY: Final = 60
"""Seconds of clock difference tolerated on ``exp``/``iat``."""
ALGORITHMS: Final = ("ES256", "RS256")


@attrs.frozen
class Metadata:
    """What the operator's discovery document says (the parts the client uses)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]

    @classmethod
    def parse(cls, document: object, base_url: str) -> Metadata:
        """Checked: the issuer must be the URL it was fetched from (OIDC Discovery §4.3)."""
        if not isinstance(document, Mapping):
            raise APIError("the operator's OpenID configuration is not a JSON object")
        fields = {}
        for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
            value = document.get(name)
            if not isinstance(value, str) or not value:
                raise APIError(f"the operator's OpenID configuration has no {name}")
            fields[name] = value
        if fields["issuer"].rstrip("/") != base_url.rstrip("/"):
            raise AuthenticationError(
                f"the OpenID configuration at {base_url} names another issuer "
                f"({fields['issuer'][:100]!r}): refusing it"
            )
        offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = (
            tuple(a for a in offered if a in ALGORITHMS) if isinstance(offered, list) else ()
        )
        if "S256" not in (document.get("code_challenge_methods_supported") or ["S256"]):
            raise APIError("the operator does not offer PKCE S256")
        return cls(**fields, algorithms=algorithms or ("RS256",))


@attrs.frozen
class AuthorizationRequest:
    """One authorization request: its URL and the secrets the callback is checked with."""

    metadata: Metadata
    client_id: str
    redirect_uri: str
    scope: str
    url: str = attrs.field(repr=False)
    state: Secret = attrs.field(repr=False)
    nonce: Secret = attrs.field(repr=False)
    verifier: Secret = attrs.field(repr=False)

    @classmethod
    def new(
        cls, metadata: Metadata, *, client_id: str, redirect_uri: str, scope: str
    ) -> AuthorizationRequest:
        """Fresh state, nonce and PKCE verifier (Authlib's ``generate_token``: ``secrets``)."""
        if not isinstance(redirect_uri, str) or urlsplit(redirect_uri).scheme == "":
            raise ValidationError("redirect_uri must be an absolute URI", field="redirect_uri")
        if "openid" not in scope.split():
            raise ValidationError("scope must include openid", field="scope")
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        url = prepare_grant_uri(
            metadata.authorization_endpoint,
            client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=scope,
            state=state,
            nonce=nonce,
            prompt="none",
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
        )
        return cls(
            metadata,
            client_id,
            redirect_uri,
            scope,
            url,
            Secret(state),
            Secret(nonce),
            Secret(verifier),
        )

    def code_from(self, callback_url: str) -> Secret:
        """The code in the redirect back, after checking it is ours (same redirect URI,
        same state, same issuer); the operator's refusal becomes ``AuthenticationError``."""
        if not isinstance(callback_url, str):
            raise ValidationError(
                "callback_url must be the URL redirected to", field="callback_url"
            )
        got, want = urlsplit(callback_url), urlsplit(self.redirect_uri)
        if (got.scheme, got.netloc, got.path) != (want.scheme, want.netloc, want.path):
            raise AuthenticationError(
                "the callback is not for this sign-in's redirect_uri", field="callback_url"
            )
        params = dict(parse_qsl(got.query))
        if params.get("state") != self.state.reveal():
            raise AuthenticationError(
                "the callback's state does not match this sign-in (a forged or stale callback)",
                field="callback_url",
            )
        issuer = params.get("iss")
        if issuer is not None and issuer.rstrip("/") != self.metadata.issuer.rstrip("/"):
            raise AuthenticationError(
                "the callback comes from another issuer", field="callback_url"
            )
        error = params.get("error")
        if error is not None:
            raise AuthenticationError(_refusal(error[:64], params.get("error_description")))
        try:
            found = parse_authorization_code_response(callback_url, self.state.reveal())
        except Exception:  # Authlib's MissingCode/MismatchingState
            raise AuthenticationError(
                "the callback carries no authorization code", field="callback_url"
            ) from None
        return Secret(found["code"])

    def token_request(self, code: Secret) -> str:
        """The form body of the code exchange (with the PKCE verifier)."""
        body: str = prepare_token_request(
            "authorization_code",
            code=code.reveal(),
            redirect_uri=self.redirect_uri,
            client_id=self.client_id,
            code_verifier=self.verifier.reveal(),
        )
        return body


def _refusal(error: str, description: str | None) -> str:
    if error == "login_required":
        return (
            "the mobile network did not recognise this device's line (login_required): "
            "connect over the operator's mobile data, or sign in with a password or a code"
        )
    said = f": {description[:200]}" if description else ""
    return f"the operator refused the network sign-in ({error}{said})"


def verify_id_token(
    id_token: object,
    jwks: object,
    *,
    request: AuthorizationRequest,
    access_token: Secret,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The ID token's claims after checking its signature (against ``jwks``), issuer,
    audience, nonce, expiry and ``at_hash``; ``AuthenticationError`` naming what failed."""
    if not isinstance(id_token, str) or not id_token:
        raise AuthenticationError("the operator sent no ID token")
    try:
        keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        raise APIError("the operator's JWKS is not a key set") from None
    registry = JWSRegistry(algorithms=list(request.metadata.algorithms))
    try:
        token = jwt.decode(id_token, keys, registry=registry)
    except (JoseError, ValueError):
        raise AuthenticationError(
            "the ID token's signature is not valid (not signed by the operator's keys)"
        ) from None
    options = {
        "iss": {"essential": True, "value": request.metadata.issuer},
        "aud": {"essential": True, "value": request.client_id},
    }
    params = {
        "nonce": request.nonce.reveal(),
        "client_id": request.client_id,
        "access_token": access_token.reveal(),
    }
    claims = CodeIDToken(token.claims, token.header, options, params)
    at = int((now or datetime.now(UTC)).timestamp())
    try:
        claims.validate(now=at, leeway=LEEWAY)
    except JoseError as exc:
        claim = str(getattr(exc, "claim", None) or "claim")
        raise AuthenticationError(
            f"the ID token is not valid: {_claim_problem(exc, claim)}"
        ) from None
    return dict(claims)


def _claim_problem(exc: JoseError, claim: str) -> str:
    name = type(exc).__name__
    if name == "ExpiredTokenError":
        return "it has expired (exp)"
    if name == "MissingClaimError":
        return f"the claim {claim} is missing"
    return f"the claim {claim} is wrong"


def session_from(answer: object, now: datetime) -> tuple[SignedIn, str]:
    """The session and ID token in the token endpoint's answer."""
    if not isinstance(answer, Mapping):
        raise APIError("the token endpoint's answer is not a JSON object")
    if str(answer.get("token_type", "")).lower() != "bearer":
        raise APIError("the token endpoint did not give a bearer token")
    access, refresh = answer.get("access_token"), answer.get("refresh_token")
    if not isinstance(access, str) or not access or not isinstance(refresh, str) or not refresh:
        raise APIError("the token endpoint's answer lacks access_token or refresh_token")
    expires_in = answer.get("expires_in")
    access_at = _instant(answer.get("access_expires_at")) or now + timedelta(
        seconds=expires_in if isinstance(expires_in, int) and expires_in > 0 else 900
    )
    refresh_at = _instant(answer.get("refresh_expires_at")) or now + timedelta(days=30)
    session = SignedIn(
        access_token=Secret(access),
        access_expires_at=access_at,
        refresh_token=Secret(refresh),
        refresh_expires_at=refresh_at,
    )
    return session, str(answer.get("id_token") or "")


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
