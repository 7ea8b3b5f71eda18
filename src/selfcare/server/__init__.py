"""The reference server (the ``server`` extra): any backend over the selfcare protocol.

``create_app(FakeResolver(FakeOperator()), test_hooks=True)`` is what ``selfcare serve`` runs
under uvicorn; ``create_tmf_app(...)`` serves the same backends over TM Forum v4 paths and shapes.
"""

from selfcare.server._app import MAX_BODY_BYTES, TEST_OTP_PATH, BodyTooLarge, Resolver, create_app
from selfcare.server._fake import FakeResolver
from selfcare.server._live import LiveServer, base_url, bind
from selfcare.server.tmf import TMF_ROUTES, TmfRoute, create_tmf_app

__all__ = [
    "MAX_BODY_BYTES",
    "TEST_OTP_PATH",
    "TMF_ROUTES",
    "BodyTooLarge",
    "FakeResolver",
    "LiveServer",
    "Resolver",
    "TmfRoute",
    "base_url",
    "bind",
    "create_app",
    "create_tmf_app",
]
