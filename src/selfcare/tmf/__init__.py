"""selfcare over an operator's TM Forum Open APIs (TMF635, 666, 678, 676, 654, 621, 681,
620, 637 and 622).

``Selfcare.tmf(base_url=..., token=..., profile=...)`` is the usual entry; the pieces are
:class:`TmfProtocol` (the flows), :class:`TmfProfile` (one BSS's names and API roots) and
the pure mapping functions in ``selfcare.tmf._mapping``.
"""

from selfcare.tmf._profile import (
    API_NAMES,
    DEFAULT_PROFILE,
    EXAMPLE_PROFILE_UPPER,
    MESSAGE_CHARACTERISTICS,
    SERVICE_CHARACTERISTICS,
    STANDARD_ROOTS,
    TmfProfile,
)
from selfcare.tmf._protocol import UNSUPPORTED, TmfProtocol

__all__ = [
    "API_NAMES",
    "DEFAULT_PROFILE",
    "EXAMPLE_PROFILE_UPPER",
    "MESSAGE_CHARACTERISTICS",
    "SERVICE_CHARACTERISTICS",
    "STANDARD_ROOTS",
    "UNSUPPORTED",
    "TmfProfile",
    "TmfProtocol",
]
