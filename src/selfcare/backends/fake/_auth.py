"""Fake handlers for signing in, refreshing and signing out (the rules are in ``_signin``)."""

from __future__ import annotations

from selfcare.backends.fake._handlers import Front, Session, handles, handles_public
from selfcare.model import CodeSent, SignedIn
from selfcare.operations import (
    RefreshSession,
    RequestCode,
    SignInWithCode,
    SignInWithPassword,
    SignOut,
)


@handles_public(SignInWithPassword)
def sign_in_with_password(f: Front, op: SignInWithPassword) -> SignedIn:
    return f.operator.sign_in.with_password(op.number, op.password, f.now, f.channel, f.client)


@handles_public(RequestCode)
def request_code(f: Front, op: RequestCode) -> CodeSent:
    return f.operator.sign_in.send_code(op.number, f.now, f.client)


@handles_public(SignInWithCode)
def sign_in_with_code(f: Front, op: SignInWithCode) -> SignedIn:
    return f.operator.sign_in.with_code(op.number, op.code, f.now, f.channel, f.client)


@handles_public(RefreshSession)
def refresh_session(f: Front, op: RefreshSession) -> SignedIn:
    return f.operator.sign_in.refresh(op.refresh_token, f.now, f.channel, f.client)


@handles(SignOut)
def sign_out(s: Session, op: SignOut) -> None:
    s.operator.sign_in.sign_out(s.credential)
