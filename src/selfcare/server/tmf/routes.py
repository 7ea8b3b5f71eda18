"""The TMF face's route table: every API's rows (method, path, translation), in one tuple
the app is built from. An API's rows live in its module; the rest of each API answers 404."""

from __future__ import annotations

from selfcare.server.tmf import (
    account,
    balance,
    bill,
    catalog,
    inventory,
    message,
    ordering,
    payment,
    ticket,
    usage,
)
from selfcare.server.tmf.call import TmfRoute

__all__ = ["TMF_ROUTES"]

TMF_ROUTES: tuple[TmfRoute, ...] = (
    *usage.ROUTES,  # TMF635
    *account.ROUTES,  # TMF666
    *inventory.ROUTES,  # TMF637
    *bill.ROUTES,  # TMF678
    *payment.ROUTES,  # TMF676
    *balance.ROUTES,  # TMF654
    *ticket.ROUTES,  # TMF621
    *message.ROUTES,  # TMF681
    *catalog.ROUTES,  # TMF620
    *ordering.ROUTES,  # TMF622
)
"""Every TMF operation the face serves (the rest of each API answers 404)."""
