"""Errors shown to the user: library code raises these, the CLI turns them into messages."""


class NewsIngestError(Exception):
    """An expected problem, reported to the user in one line without a traceback."""


class ReadError(NewsIngestError):
    """A file could not be read as an article; the message says why."""
