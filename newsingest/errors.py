"""Errors shown to the user: library code raises these, the CLI turns them into messages.

Exit statuses live here too, so the policy is written down in one place.
"""

EXIT_OK = 0  # every file stored (or unchanged)
EXIT_FILES_FAILED = 1  # some files failed; all the others were stored
EXIT_USAGE = 2  # bad usage or configuration (missing path, unusable --db, bad query)
EXIT_BUSY = 3  # another run holds the database and --wait ran out


class NewsIngestError(Exception):
    """An expected problem, reported to the user in one line without a traceback."""

    exit_code = EXIT_USAGE


class ReadError(NewsIngestError):
    """A file could not be read as an article; the message says why."""


class DatabaseError(NewsIngestError):
    """The database cannot be used: not SQLite, read-only, written by a newer version, ..."""


class DatabaseBusyError(NewsIngestError):
    """Another run is writing to the database."""

    exit_code = EXIT_BUSY


class QueryError(NewsIngestError):
    """A full-text query that SQLite's FTS5 cannot parse."""


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
