"""A TM Forum face for any backend: the fake operator over TMF v4 paths and shapes.

One module per TMF Open API, each holding that API's translations (TMF request ⇄ selfcare
operations) and its route rows: :mod:`.usage` (TMF635), :mod:`.balance` (TMF654),
:mod:`.payment` (TMF676), :mod:`.bill` (TMF678), :mod:`.message` (TMF681), :mod:`.catalog`
(TMF620), :mod:`.ticket` (TMF621), :mod:`.ordering` (TMF622), :mod:`.inventory` (TMF637),
:mod:`.account` (TMF666). Shared by all of them: :mod:`.call` (the request a translation
sees, the route row), :mod:`.query` (filters, ranges, ``fields``, paging, ``href``),
:mod:`.errors` (TMF ``Error`` bodies and statuses), :mod:`.documents` (the rules of kept
documents), :mod:`.routes` (the table) and :mod:`.app` (the generic endpoint and
:func:`create_tmf_app`).
"""

from selfcare.server.tmf.app import create_tmf_app
from selfcare.server.tmf.call import TmfRoute
from selfcare.server.tmf.documents import MAX_DOCUMENT_BYTES
from selfcare.server.tmf.routes import TMF_ROUTES

__all__ = ["MAX_DOCUMENT_BYTES", "TMF_ROUTES", "TmfRoute", "create_tmf_app"]
