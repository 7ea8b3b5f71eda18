"""The reference server (the ``server`` extra): any backend over the selfcare protocol.

``create_app(FakeResolver(FakeOperator()))`` is what ``selfcare serve`` runs under uvicorn.
"""

from selfcare.server._app import MAX_BODY_BYTES, BodyTooLarge, Resolver, create_app
from selfcare.server._fake import FakeResolver

__all__ = ["MAX_BODY_BYTES", "BodyTooLarge", "FakeResolver", "Resolver", "create_app"]
