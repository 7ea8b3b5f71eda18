"""Signing in: the session a sign-in opens, and the one-time code the operator sent."""

from __future__ import annotations

import attrs

from selfcare._secret import Secret
from selfcare._time import Instant
from selfcare.model._repr import compact_repr
from selfcare.model.phone import PhoneNumber

__all__ = ["CodeSent", "SignedIn"]


@attrs.frozen(repr=False)
class SignedIn:
    """A session: a short-lived access token for requests and a long-lived refresh token
    that gets new access tokens. Both are secrets; the repr shows only when they expire."""

    __repr__ = compact_repr

    access_token: Secret = attrs.field(repr=False)
    access_expires_at: Instant
    refresh_token: Secret = attrs.field(repr=False)
    refresh_expires_at: Instant


@attrs.frozen(repr=False)
class CodeSent:
    """The operator sent a one-time code by SMS to ``number``; it works until ``expires_at``."""

    __repr__ = compact_repr

    number: PhoneNumber
    expires_at: Instant
