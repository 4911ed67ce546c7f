"""Ready-to-map copies of the shipped models, kept between runs.

The shipped model files are compressed (the language tables are xz: 10 MB instead of 44), and
turning them into the arrays a run reads costs about a second of CPU: decompressing, hashing
the word lists, sorting. That is paid once: the finished arrays are written, uncompressed and
8-byte aligned, to a cache file, and every later run maps that file (no copy, no
decompression; pages are shared by the worker processes and by concurrent runs).

Where: ``NEWSINGEST_CACHE`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/newsingest``, else ``~/.cache/newsingest``. A cache file is named by the
model, by the size and modification time of the files it was built from, and by the format
and Python versions, so an upgraded package or a rebuilt model makes a new one. A cache that
cannot be written or read (read-only home, full disk, a damaged file) is never an error: the
model is then built from the shipped files as before, slower and the same.

A run that maps a cache file marks it used (its modification time). Writing a new cache file
removes the files of the same model that no run has used for ``STALE_AFTER_DAYS`` days (what
upgrades and rebuilt models leave behind, 62 MB each), and temporary files left by a run killed
while writing one.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import re
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

# Bumped whenever what a cache file holds changes shape.
FORMAT = "1"
DISABLED = "off"
# Long enough that two installed versions sharing a cache folder do not remove each other's
# files while both are in use.
STALE_AFTER_DAYS = 30
# A temporary file is written in well under a second; one this old belongs to a killed run.
ABANDONED_AFTER_SECONDS = 24 * 3600
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The folder cache files go to (None: caching is turned off)."""
    configured = os.environ.get("NEWSINGEST_CACHE")
    if configured:
        return None if configured == DISABLED else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsingest"


def cache_path(name: str, sources: Sequence[Path]) -> Path | None:
    """Where the built form of the model ``name`` made from ``sources`` is (or would be) kept."""
    folder = cache_dir()
    if folder is None:
        return None
    # marshal's format follows the Python version: a cache file serves one version only
    key = hashlib.sha256(f"{FORMAT}:{sys.version_info[0]}.{sys.version_info[1]}".encode())
    for source in sources:
        info = source.stat()
        key.update(f"{source.name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return folder / f"{name}-{key.hexdigest()[:16]}.bin"


def load(
    name: str,
    sources: Sequence[Path],
    build: Callable[[], bytes],
    parse: Callable[[bytes | mmap.mmap], T],
) -> T:
    """A model: parsed from its mapped cache file, or built (and cached for the next run)."""
    path = cache_path(name, sources)
    if path is not None:
        try:
            with open(path, "rb") as handle:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            mapped = None  # not built yet, unreadable or empty: build it
        if mapped is not None:
            _mark_used(path)
            try:
                return parse(mapped)
            except (ValueError, KeyError, TypeError, EOFError, struct.error):
                pass  # a damaged cache file: built again and replaced below
    data = build()
    if path is not None:
        _write(path, data)
    return parse(data)


def _write(path: Path, data: bytes) -> None:
    # Written under a temporary name and renamed: a concurrent run maps either no file or a
    # whole one, never a half-written one.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would keep a shared cache folder private
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return  # no cache this time: the next run builds the model again, nothing is lost
    remove_stale(path)


def _mark_used(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only shared cache: its files are never removed by this run either


def remove_stale(kept: Path, now: float | None = None) -> list[Path]:
    """Remove the other cache files of ``kept``'s model unused for ``STALE_AFTER_DAYS`` days.

    Temporary files of that model abandoned by a killed run go too. Returns what was removed;
    a file that cannot be removed (another user's, a read-only folder) is left.
    """
    now = time.time() if now is None else now
    model = re.escape(kept.name.rsplit("-", 1)[0])
    cache_file = re.compile(rf"{model}-[0-9a-f]{{16}}\.bin")
    temporary_file = re.compile(rf"\.{model}-[0-9a-f]{{16}}\.bin\..+")
    try:
        candidates = list(kept.parent.iterdir())
    except OSError:
        return []
    removed = []
    for candidate in candidates:
        if candidate.name == kept.name:
            continue
        if cache_file.fullmatch(candidate.name):
            limit = STALE_AFTER_DAYS * 86400
        elif temporary_file.fullmatch(candidate.name):
            limit = ABANDONED_AFTER_SECONDS
        else:
            continue
        try:
            if now - candidate.stat().st_mtime > limit:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed
