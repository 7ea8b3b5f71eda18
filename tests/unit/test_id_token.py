"""The ID token of a network sign-in is checked (signature, issuer, audience, nonce, expiry,
``at_hash``): each test tampers with one and expects ``AuthenticationError`` naming it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from authlib.oidc.core.util import create_half_hash
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey

from selfcare import AuthenticationError
from selfcare._client.oidc import AuthorizationRequest, Metadata, verify_id_token
from selfcare._secret import Secret

ISSUER = "https://operator.example"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ACCESS = Secret("sa_0123_access-token-value")
KEY = ECKey.generate_key("P-256", parameters={"kid": "k1"})
JWKS = KeySet([KEY]).as_dict(private=False)
META = Metadata(
    issuer=ISSUER,
    authorization_endpoint=f"{ISSUER}/oauth/authorize",
    token_endpoint=f"{ISSUER}/oauth/token",
    jwks_uri=f"{ISSUER}/oauth/jwks",
    algorithms=("ES256",),
)
REQUEST = AuthorizationRequest.new(
    META, client_id="selfcare", redirect_uri="http://127.0.0.1/cb", scope="openid"
)


def _claims(**changes: Any) -> dict[str, Any]:
    at = int(NOW.timestamp())
    claims = {
        "iss": ISSUER,
        "sub": "s-1",
        "aud": "selfcare",
        "iat": at,
        "exp": at + 600,
        "nonce": REQUEST.nonce.reveal(),
        "at_hash": create_half_hash(ACCESS.reveal(), "ES256").decode(),
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _token(key: Any = KEY, alg: str = "ES256", **changes: Any) -> str:
    return jwt.encode({"alg": alg, "kid": "k1"}, _claims(**changes), key)


def _verify(token: str, jwks: Any = JWKS) -> dict[str, Any]:
    return verify_id_token(token, jwks, request=REQUEST, access_token=ACCESS, now=NOW)


def test_a_good_token_passes() -> None:
    assert _verify(_token())["sub"] == "s-1"


def test_a_tampered_payload_breaks_the_signature() -> None:
    header, payload, signature = _token().split(".")
    other = _token(sub="someone-else").split(".")[1]
    with pytest.raises(AuthenticationError, match="signature"):
        _verify(f"{header}.{other}.{signature}")
    assert payload != other


def test_a_token_signed_by_another_key_is_refused() -> None:
    with pytest.raises(AuthenticationError, match="signature"):
        _verify(_token(key=ECKey.generate_key("P-256", parameters={"kid": "k1"})))


def test_an_algorithm_the_operator_does_not_use_is_refused() -> None:
    rsa = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    jwks = KeySet([KEY, rsa]).as_dict(private=False)
    with pytest.raises(AuthenticationError, match="signature"):
        _verify(_token(key=rsa, alg="RS256"), jwks)  # the discovery offered ES256 only


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"iss": "https://evil.example"}, "iss"),
        ({"iss": None}, "iss"),
        ({"aud": "another-client"}, "aud"),
        ({"aud": None}, "aud"),
        ({"nonce": "replayed-nonce"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"exp": int((NOW - timedelta(minutes=5)).timestamp())}, "expired"),
        ({"at_hash": create_half_hash("another-token", "ES256").decode()}, "at_hash"),
    ],
)
def test_each_claim_is_checked(changes: dict[str, Any], named: str) -> None:
    with pytest.raises(AuthenticationError, match=named) as caught:
        _verify(_token(**changes))
    for secret in (REQUEST.nonce, ACCESS, REQUEST.verifier, REQUEST.state):
        assert secret.reveal() not in str(caught.value)


def test_not_a_token_at_all() -> None:
    with pytest.raises(AuthenticationError, match="no ID token"):
        _verify("")
    with pytest.raises(AuthenticationError, match="signature"):
        _verify("not.a.jwt")
