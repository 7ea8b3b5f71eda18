# Generated from selfcare/_async/__init__.py by scripts/unasync.py. Do not edit.
"""The async client: the source the sync client in ``selfcare._sync`` is generated from."""
