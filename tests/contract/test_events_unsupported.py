"""A backend without events (TMF, in selfcare's mapping) refuses them plainly."""

import pytest

from selfcare import NotSupported
from selfcare.operations import Capability


@pytest.mark.lacks(Capability.EVENTS)
def test_a_backend_without_events_says_so(sc) -> None:
    assert Capability.ALERTS not in sc.capabilities
    with pytest.raises(NotSupported):
        next(iter(sc.events.stream(after="evt_0000000001")))
    with pytest.raises(NotSupported):
        sc.events.list().first(1)
    with pytest.raises(NotSupported):
        sc.alerts.get()
