"""selfcare over an operator's TM Forum Open APIs (TMF635, 666, 678, 676, 654, 621, 681,
620, 637 and 622), v4, and v5 for the six that have one (``TmfProfile.with_version(5)``).

``Selfcare.tmf(base_url=..., token=..., profile=...)`` is the usual entry; the pieces are
:class:`TmfProtocol` (the flows), :class:`TmfProfile` (one BSS's names and API roots) and
the pure mapping functions in ``selfcare.tmf._mapping``. :func:`parse_event` reads the body a
TMF hub POSTed to a listener into the same :class:`~selfcare.Event` the event log has.
"""

from selfcare.tmf._events import HUB_EVENTS, UNMAPPED, TmfEventKind, parse_event
from selfcare.tmf._hubs import TmfHub, hub_queries
from selfcare.tmf._profile import (
    API_NAMES,
    DEFAULT_PROFILE,
    EXAMPLE_PROFILE_UPPER,
    MESSAGE_CHARACTERISTICS,
    SERVICE_CHARACTERISTICS,
    STANDARD_ROOTS,
    V5_APIS,
    V5_ROOTS,
    TmfProfile,
    standard_root,
)
from selfcare.tmf._protocol import UNSUPPORTED, TmfProtocol

__all__ = [
    "API_NAMES",
    "DEFAULT_PROFILE",
    "EXAMPLE_PROFILE_UPPER",
    "HUB_EVENTS",
    "MESSAGE_CHARACTERISTICS",
    "SERVICE_CHARACTERISTICS",
    "STANDARD_ROOTS",
    "UNMAPPED",
    "UNSUPPORTED",
    "V5_APIS",
    "V5_ROOTS",
    "TmfEventKind",
    "TmfHub",
    "TmfProfile",
    "TmfProtocol",
    "hub_queries",
    "parse_event",
    "standard_root",
]
