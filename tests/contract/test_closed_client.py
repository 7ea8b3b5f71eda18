"""A closed client says so, on every backend: ClientClosed, never httpx's RuntimeError."""

import pytest

from selfcare import ClientClosed, Selfcare, SelfcareError


def _close(sc) -> None:
    close = sc.close if isinstance(sc, Selfcare) else sc.aclose
    close()


def test_a_closed_client_raises_client_closed(sc) -> None:
    sc.account.get()
    _close(sc)
    with pytest.raises(ClientClosed, match="the client is closed") as caught:
        sc.account.get()
    assert isinstance(caught.value, SelfcareError) and isinstance(caught.value, RuntimeError)
    with pytest.raises(ClientClosed):
        sc.with_options(max_retries=0).account.get()
    _close(sc)  # closing twice is harmless


def test_leaving_the_with_block_closes_the_fake_too(operator) -> None:
    with Selfcare.fake(operator=operator) as sc:
        sc.account.get()
    with pytest.raises(ClientClosed):
        sc.account.get()
    with Selfcare.fake(operator=operator) as again:  # the operator itself lives on
        assert again.account.get().number == operator.subscriber().account.number
