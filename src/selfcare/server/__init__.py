"""The reference server (the ``server`` extra): any backend over the selfcare protocol.

``create_app(FakeResolver(FakeOperator()), test_hooks=True)`` is what ``selfcare serve`` runs
under uvicorn.
"""

from selfcare.server._app import MAX_BODY_BYTES, TEST_OTP_PATH, BodyTooLarge, Resolver, create_app
from selfcare.server._fake import FakeResolver
from selfcare.server._live import LiveServer, base_url, bind

__all__ = [
    "MAX_BODY_BYTES",
    "TEST_OTP_PATH",
    "BodyTooLarge",
    "FakeResolver",
    "LiveServer",
    "Resolver",
    "base_url",
    "bind",
    "create_app",
]
