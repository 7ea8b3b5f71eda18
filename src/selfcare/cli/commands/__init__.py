"""The ``selfcare`` commands, one module per area; each exposes ``COMMANDS``."""
