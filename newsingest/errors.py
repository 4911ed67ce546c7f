"""Errors shown to the user: library code raises these, the CLI turns them into messages."""


class NewsIngestError(Exception):
    """An expected problem, reported to the user in one line without a traceback."""


class ReadError(NewsIngestError):
    """A file could not be read as an article; the message says why."""


class UnsupportedFileError(ReadError):
    """The file's type is not one newsingest reads (counted as skipped, not failed)."""


class EmptyFileError(ReadError):
    """The file holds no text: empty, or whitespace only."""


class BinaryFileError(ReadError):
    """The file is binary (an image, an archive, NUL bytes), not text."""


class DecodeError(ReadError):
    """The bytes fit no text encoding."""


class TooLongError(ReadError):
    """The text is beyond the limits of one article (a giant line or article)."""


class InvalidRecordError(ReadError):
    """A JSON/JSONL file that holds no usable article record."""
