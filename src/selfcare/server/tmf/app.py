"""The TMF face's app: one generic endpoint per row of :data:`TMF_ROUTES`.

Authenticate the bearer token to a backend, translate the TMF request into selfcare
operations (the API's module), run them, and render the results with the same pure mapping
functions :class:`~selfcare.tmf.TmfProtocol` reads them with. Collections are paged by the
query engine; errors leave as TMF ``Error`` documents. Each API is mounted under its
official ``basePath`` in the version the profile gives it (``/tmf-api/usageManagement/v4``,
``/tmf-api/customerBillManagement/v5``…); the translations pass that version to the
mapping, which is where v4 and v5 differ.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from selfcare._errors import NotFound, SelfcareError, ValidationError
from selfcare._secret import Secret
from selfcare.backends.fake import TmfDocuments
from selfcare.model import Account, PhoneNumber
from selfcare.server._app import RequestIds, Resolver, _read_body, _token
from selfcare.server._limits import RequestLimits, contained
from selfcare.server._webhooks import delivering
from selfcare.server.tmf import lines
from selfcare.server.tmf.call import TmfCall, TmfRoute
from selfcare.server.tmf.documents import (
    JSON_PATCH,
    MAX_DOCUMENT_BYTES,
    checked_body,
    held,
    kept_size,
    merge_from_json_patch,
    overlaid,
)
from selfcare.server.tmf.errors import error_response
from selfcare.server.tmf.errors import http_error as _http_error
from selfcare.server.tmf.errors import selfcare_error as _selfcare_error
from selfcare.server.tmf.errors import unexpected as _unexpected
from selfcare.server.tmf.hub import TmfHubs, hub_routes
from selfcare.server.tmf.query import json_response, linked, page, paging, selected
from selfcare.server.tmf.routes import TMF_ROUTES
from selfcare.tmf._profile import DEFAULT_PROFILE, TmfProfile, standard_root
from selfcare.tmf._wire import decode_json

__all__ = ["create_tmf_app"]


Documents = Callable[[Secret, PhoneNumber | None, Account, bool], TmfDocuments]
"""The documents kept for the line a request acts on: from its token and the line it
names, or the line's account; the last argument says whether the request may change them."""


def _documents(resolve: Resolver) -> Documents:
    """Where the documents the face creates are kept: the resolver's
    ``tmf_documents(token, line, writing=)`` (the fake operator keeps them with each line),
    or, for a resolver without a store (a backend over the network has no place for them),
    a store per line in this process."""
    kept_by: Callable[..., TmfDocuments] | None = getattr(resolve, "tmf_documents", None)
    if kept_by is not None:
        return lambda token, line, account, writing: kept_by(token, line, writing=writing)
    local: dict[tuple[str, str], TmfDocuments] = {}

    def per_line(
        token: Secret, line: PhoneNumber | None, account: Account, writing: bool
    ) -> TmfDocuments:
        return local.setdefault((account.personal_account, account.number.e164), TmfDocuments())

    return per_line


def _endpoint(
    route: TmfRoute, resolve: Resolver, profile: TmfProfile, documents: Documents, limit: int
) -> Callable[[Request], Awaitable[Response]]:
    version = profile.version(route.api)
    root = standard_root(route.api, version)

    async def endpoint(request: Request) -> Response:
        try:
            return await serve(request)
        except SelfcareError as exc:
            return error_response(exc, route.method)

    async def serve(request: Request) -> Response:
        token = _token(request)
        backend = resolve(token)
        if inspect.isawaitable(backend):
            backend = await backend
        raw = await _read_body(request) if route.method in ("POST", "PATCH") else b""
        if route.method == "PATCH" and len(raw) > limit:
            raise ValidationError(
                f"the PATCH body is over {limit} bytes, the most a resource may be", field="body"
            )
        try:
            body = decode_json(raw, "the request") if raw else None
        except SelfcareError:
            raise ValidationError("the request body is not valid JSON", field="body") from None
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if route.method == "PATCH" and media == JSON_PATCH:
            if version == 4:
                raise ValidationError(
                    f"TMF v4 takes a merge patch, not {JSON_PATCH}", field="Content-Type"
                )
            body = merge_from_json_patch(body)
        query = dict(request.query_params)
        login = backend
        backend, line = lines.scoped(backend, query)  # the line the request names, if any
        call = TmfCall(
            profile,
            backend,
            dict(request.path_params),
            query,
            body,
            request.headers.get("idempotency-key"),
            str(request.base_url).rstrip("/") + root,
            route.api,
            version,
            line=line,
            login=login,
            keep_limit=limit,
        )
        if line is not None:  # a line the login may not see: 404 before anything else
            await call.account()
        if route.method in ("POST", "PATCH"):
            checked_body(route, body, version)
        elif route.method == "GET" and "{" not in route.path:
            paging(call.query, "offset", 0)  # before the listing is read
            paging(call.query, "limit", 0)
        writing = route.method != "GET"
        call.documents = documents(token, line, await call.account(), writing)
        collection = call.documents.collection(route.api + route.collection)
        kept_docs = collection.kept
        item = call.path.get("id")
        if item in collection.deleted:
            raise NotFound(f"no {route.collection.strip('/')} {item!r}: it was deleted")
        if item is not None and item in kept_docs:
            served = held(route, call, kept_docs, item, limit)
        else:
            served = await route.translate(call)
        if served.deleted is not None:
            collection.deleted.add(served.deleted)
        if served.body is None:
            return Response(status_code=served.status)
        prefix = call.href(route.collection + "/")
        if isinstance(served.body, list) and served.total is not None:  # paged already
            chosen = [selected(call.query, linked(d, prefix)) for d in served.body]
            headers = {"X-Total-Count": str(served.total), "X-Result-Count": str(len(chosen))}
            return json_response(chosen, 200, headers)
        if isinstance(served.body, list):
            shown = [d for d in served.body if d.get("id") not in collection.deleted]
            if collection.overlays:
                shown = overlaid(shown, collection.overlays)
            return page(call.query, [*shown, *(kept.doc for kept in kept_docs.values())], prefix)
        doc = served.body
        if served.overlay and served.basis is not None:
            collection.overlays[str(doc["id"])] = (served.basis, served.overlay)
        elif collection.overlays:
            doc = overlaid([doc], collection.overlays)[0]
        if served.keep:
            doc.pop("href", None)
            kept_size(doc, limit)
            collection.keep(doc, served.done)
        return json_response(selected(call.query, linked(doc, prefix)), served.status)

    endpoint.__name__ = (
        f"{route.api}_{route.method.lower()}_{route.path.strip('/').replace('/', '_')}"
    )
    return endpoint


def create_tmf_app(
    resolve: Resolver,
    profile: TmfProfile = DEFAULT_PROFILE,
    limits: RequestLimits | None = None,
    *,
    max_document_bytes: int = MAX_DOCUMENT_BYTES,
    hubs: TmfHubs | None = None,
) -> Starlette:
    """A Starlette app serving :data:`TMF_ROUTES` for the backends ``resolve`` gives, each API
    under its official ``basePath`` in the version ``profile`` gives it (v4 unless
    ``profile.with_version(5)`` or its ``versions`` say v5) and named as it says (``limits``:
    as ``create_app``'s). The documents it creates are kept by
    ``resolve.tmf_documents(token, line, writing=)`` where the resolver has one (the fake's
    does: each line's are the operator's), else in this process. A kept resource may
    be at most ``max_document_bytes`` of JSON, after any ``PATCH`` (a larger one, or a
    larger ``PATCH`` body, is a 400 naming the limit).

    Every API also has its notification hub (``POST /hub``, ``DELETE /hub/{id}``): the hubs
    are kept by the resolver's fake operator (``resolve.operator``), beside its webhook
    endpoints, so an app made again over the same operator still has them, and delivered by
    ``hubs`` (a :class:`~selfcare.server.tmf.hub.TmfHubs`, made when ``None``;
    ``app.state.tmf_hubs``), whose loop the app's lifespan runs while the app is served. A
    resolver without a fake operator answers ``POST /hub`` with 405, saying why."""
    documents = _documents(resolve)
    if hubs is None:
        hubs = TmfHubs(profile)
    hubs.bind(resolve)

    routes = [
        StarletteRoute(
            standard_root(route.api, profile.version(route.api)) + route.path,
            _endpoint(route, resolve, profile, documents, max_document_bytes),
            methods=[route.method],
        )
        for route in TMF_ROUTES
        if profile.version(route.api) in route.versions
    ]
    routes += hub_routes(resolve, profile, hubs)
    app = Starlette(
        routes=routes,
        lifespan=delivering(hubs),
        middleware=[
            Middleware(RequestIds, render=error_response),
            contained(lambda: error_response(SelfcareError("the server failed unexpectedly"))),
        ],
        exception_handlers={
            SelfcareError: _selfcare_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.state.limits = limits or RequestLimits()
    app.state.tmf_hubs = hubs
    app.router.redirect_slashes = False  # a stray slash is a 404 error, not a 307
    return app
