"""Tariff plan and options: what can be had, what is connected, and changing both."""

from __future__ import annotations

from selfcare._async._area import AsyncArea
from selfcare.model import Account, ConnectedService, Service, ServiceKind
from selfcare.model._enums import coerce_enum
from selfcare.operations import (
    ChangeTariff,
    ConnectService,
    DisconnectService,
    GetServiceCatalog,
    ListConnectedServices,
)

__all__ = ["AsyncServices"]


class AsyncServices(AsyncArea):
    """``sc.services``: the catalogue, the connected services, the tariff plan."""

    async def catalog(self, kind: ServiceKind | str | None = None) -> list[Service]:
        """Every tariff plan and option on offer; ``kind`` (``"tariff"``/``"option"``) filters."""
        wanted = None if kind is None else coerce_enum(ServiceKind, kind, "kind")
        services = await self._client._execute(GetServiceCatalog(kind=wanted))
        return list(services)

    async def connected(self) -> list[ConnectedService]:
        """The tariff plan (first) and the connected options."""
        connected = await self._client._execute(ListConnectedServices())
        return list(connected)

    async def connect(self, code: str, *, idempotency_key: str | None = None) -> ConnectedService:
        """Connect the option ``code``; its one-off fee and first period's fee are charged.

        Raises :class:`~selfcare.Conflict` naming both services when it clashes with one
        already connected (or with the tariff plan), and when the fees cannot be paid.
        """
        return await self._client._execute(ConnectService(code, idempotency_key=idempotency_key))

    async def disconnect(
        self, code: str, *, idempotency_key: str | None = None
    ) -> list[ConnectedService]:
        """Switch the option ``code`` off; returns what stays connected.

        Basic services (voicemail, caller ID) cannot be switched off: :class:`~selfcare.Conflict`.
        """
        remaining = await self._client._execute(
            DisconnectService(code, idempotency_key=idempotency_key)
        )
        return list(remaining)

    async def change_tariff(self, code: str, *, idempotency_key: str | None = None) -> Account:
        """Move the line to the tariff plan ``code``; returns the account with its new tariff."""
        return await self._client._execute(ChangeTariff(code, idempotency_key=idempotency_key))
