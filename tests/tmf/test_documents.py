"""Where the TMF face's documents are kept: with the fake operator's subscriber, or, behind a
resolver without a store, in the face's process."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from selfcare._secret import Secret
from selfcare.backends.fake import AsyncFakeBackend, FakeOperator, TmfDocuments
from selfcare.backends.fake._documents import KEPT_PER_COLLECTION
from selfcare.server import create_tmf_app
from selfcare.tmf import STANDARD_ROOTS


def test_a_collection_keeps_the_newest_documents_up_to_its_cap() -> None:
    documents = TmfDocuments()
    collection = documents.collection("usage/usage")
    for index in range(KEPT_PER_COLLECTION + 2):
        collection.keep({"id": f"u{index}"}, done=False)
    ids = [doc["id"] for doc in documents.docs("usage/usage")]
    assert len(ids) == KEPT_PER_COLLECTION
    assert ids[0] == "u2"
    assert ids[-1] == f"u{KEPT_PER_COLLECTION + 1}"
    assert documents.docs("usage/other") == []


def test_behind_a_resolver_without_a_store_the_face_keeps_documents_per_account() -> None:
    operator = FakeOperator()
    backend = AsyncFakeBackend(operator)

    def resolve(token: Secret) -> AsyncFakeBackend:
        return backend

    app = create_tmf_app(resolve)
    root = STANDARD_ROOTS["usage"]
    body = {"usageType": "sms", "description": "submitted"}

    async def exchange() -> list[Any]:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": "Bearer anything"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://face", headers=headers
        ) as client:
            created = await client.post(f"{root}/usage", json=body)
            fetched = await client.get(f"{root}/usage/{created.json()['id']}")
            return [created, fetched]

    created, fetched = asyncio.run(exchange())
    assert created.status_code == 201, created.text
    assert fetched.json()["id"] == created.json()["id"]
    assert operator.subscriber().tmf_documents.docs("usage/usage") == []
