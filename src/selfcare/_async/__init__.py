"""The async client: the source the sync client in ``selfcare._sync`` is generated from."""
