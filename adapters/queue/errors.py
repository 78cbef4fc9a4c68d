"""The scale-out mode's one error of its own, in a module light enough for the command line to import."""


class RedisUnavailable(Exception):
    """Redis cannot be reached; the message is one line for the operator (no password in it)."""
