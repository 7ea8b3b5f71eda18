"""The lines of the fake's family and company, and the login/line pairs the operator must
refuse (each with why), shared by the isolation walks of the native and the TMF faces."""

from __future__ import annotations

OWNER, MEMBER, KID = "+79165557001", "+79165557002", "+79165557003"
ACME_LINE = "+79857000123"
REFUSED_LINES = [
    ("family-member", OWNER, "member → the owner's line (same account)"),
    ("family-member", KID, "member → another member's line (same account)"),
    ("family-member", ACME_LINE, "member → another account's line"),
    ("family", ACME_LINE, "owner → another account's line"),
    ("acme", KID, "manager → another account's line"),
    ("demo", OWNER, "single-line subscriber → another account's line"),
    ("family", "+79165559999", "owner → a number that is nobody's line"),
]
