"""The reference server (the ``server`` extra): any backend over the selfcare protocol.

``create_app(FakeResolver(FakeOperator()))`` is what ``selfcare serve`` runs under uvicorn
(``serve_forever(app, bind(host, port))``; ``test_hooks=True`` with ``--test-hooks``);
``create_tmf_app(...)`` serves the same backends over TM Forum v4 paths and shapes. Both
take ``limits=RequestLimits(...)``.
``create_app(..., network=MobileNetwork.parse(["127.0.0.2=+79165550123"]))`` is the
operator's authorization server for network sign-in (``selfcare serve --mobile-network``).
"""

from selfcare.server._app import TEST_HOOKS, TEST_OTP_PATH, TEST_PREFIX, Resolver, create_app
from selfcare.server._fake import FakeResolver
from selfcare.server._limits import MAX_BODY_BYTES, MAX_DEPTH, BodyTooLarge, RequestLimits
from selfcare.server._live import LiveServer, base_url, bind, serve_forever
from selfcare.server._oidc import AuthorizationServer, MobileNetwork, OAuthClient
from selfcare.server._webhooks import DeliveryStats, WebhookDispatcher
from selfcare.server.tmf import TMF_ROUTES, TmfRoute, create_tmf_app

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "TEST_HOOKS",
    "TEST_OTP_PATH",
    "TEST_PREFIX",
    "TMF_ROUTES",
    "AuthorizationServer",
    "BodyTooLarge",
    "DeliveryStats",
    "FakeResolver",
    "LiveServer",
    "MobileNetwork",
    "OAuthClient",
    "RequestLimits",
    "Resolver",
    "TmfRoute",
    "WebhookDispatcher",
    "base_url",
    "bind",
    "create_app",
    "create_tmf_app",
    "serve_forever",
]
