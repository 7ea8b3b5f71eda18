"""Client plumbing: request context, pages and cursors, summaries, phone-book files, reading
files within limits, lazy names and deprecations.

Used by the sync and async clients and the CLI; nothing here knows a wire protocol.
"""
