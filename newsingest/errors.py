"""Errors shown to the user: library code raises these, the CLI turns them into messages.

Exit statuses live here too, so the policy is written down in one place.
"""

import errno

EXIT_OK = 0  # every file stored (or unchanged)
EXIT_FILES_FAILED = 1  # some files failed; all the others were stored
EXIT_USAGE = 2  # bad usage or configuration (missing path, unusable --db, bad query)
EXIT_BUSY = 3  # another run holds the database and --wait ran out
EXIT_WRITE_FAILED = 4  # disk full (or an I/O error) while writing; earlier batches are kept
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, what shells report); earlier batches are kept


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


class WriteFailedError(NewsIngestError):
    """The disk is full (or failing) while writing the database, the summary or the log."""

    exit_code = EXIT_WRITE_FAILED


# What a failed write's errno means to the user.
_WRITE_FAILURES = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file size limit reached",
    errno.EIO: "disk I/O error",
}


def write_failure(target: str, exc: OSError) -> WriteFailedError:
    """The one-line error for a failed write of ``target`` (a summary, a log)."""
    reason = _WRITE_FAILURES.get(exc.errno or 0) or exc.strerror or str(exc)
    return WriteFailedError(f"{reason} while writing {target}")


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
