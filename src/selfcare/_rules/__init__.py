"""Domain rules: what a contact, a list, a message or a piece of text may be.

Pure checks shared by the operations (validated when built) and the fake operator (which
enforces the same rules as a real one). Nothing here does I/O.
"""
