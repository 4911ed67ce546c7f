"""Walk -> read -> process (in worker processes) -> store, and the Report of what happened.

The main process walks the folders (streamed, sorted, so the order is the same on every run),
skips files whose size and mtime are unchanged without opening them, and hands the rest to a
pool of worker processes that read, decode and run the pipeline. Results come back in walk order
and one writer commits them in batches, so article ids do not depend on which worker was
faster, and a killed run leaves only whole committed batches behind. At most a bounded window of
files is in flight, so memory stays flat however many files there are.

After the import, each source whose articles changed relearns its boilerplate, and the articles
holding a line that became (or stopped being) boilerplate are processed again: the end result
depends only on the set of articles, never on the order they came in.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import multiprocessing
import os
import signal
import stat
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from . import readers, sidecars
from .article import Article, Metadata
from .errors import EXIT_FILES_FAILED, EXIT_OK, ReadError
from .store import (
    FileInfo,
    KnownFile,
    KnownTerms,
    Processed,
    Store,
    key_hash,
    metadata_json,
)

if TYPE_CHECKING:
    from . import pipeline, reprints

# The pipeline (numpy, the date scanner's patterns, the stages: ~0.3 s of CPU) is imported by
# the functions that run it, so a run that finds every file unchanged never pays for it.

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
OUTCOMES = ("added", "updated", "unchanged", "duplicate", "failed", "skipped", "missing")
REPROCESS_OUTCOMES = ("updated", "unchanged", "merged", "failed")


@dataclass(frozen=True)
class Options:
    """How an import runs."""

    source: str | None = None  # label for every article; default: the file's folder name
    metadata: str | None = None  # a metadata sidecar for every file (see sidecars.py)
    workers: int = 0  # worker processes; 0 runs the pipeline in this process
    max_bytes: int = DEFAULT_MAX_BYTES
    force: bool = False  # re-read files even when size and mtime are unchanged
    # Articles per transaction, or seconds, whichever comes first. Each commit flushes FTS5's
    # pending terms into a new index segment: at 100,000 articles, commits of 2,000 cost a
    # third less per article than commits of 500.
    commit_every: int = 2000
    commit_seconds: float = 5.0


@dataclass
class Report:
    """What a run did: counts per outcome, and the problems met (reported as they happen)."""

    names: tuple[str, ...] = OUTCOMES  # the outcomes always shown in the summary
    counts: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when everything was stored, 1 when some files failed (now or in an earlier run)."""
        failing = self.counts["failed"] or self.counts["still_failing"]
        return EXIT_FILES_FAILED if failing else EXIT_OK

    def summary(self) -> str:
        """The one-line summary printed at the end of a run (zero extras left out)."""
        shown = [n for n in self.names if n != "missing" or self.counts[n]]
        shown += [n for n in sorted(self.counts) if n not in self.names and self.counts[n]]
        text = ", ".join(f"{self.counts[n]} {n.replace('_', ' ')}" for n in shown)
        return f"{text} in {self.seconds:.1f}s"

    def as_dict(self) -> dict:
        """Counts and timing for --summary-json."""
        return {
            **{name: self.counts[name] for name in self.names},
            **{name: n for name, n in sorted(self.counts.items()) if name not in self.names},
            "seconds": round(self.seconds, 3),
            "exit_code": self.exit_code,
        }


def display_path(path: str) -> str:
    """A path as text that can be printed and stored (undecodable bytes shown as \\xNN)."""
    try:
        path.encode("utf-8")
        return path  # the common case: nothing undecodable in it
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# ----------------------------------------------------------------------------------------------
# Walking


@dataclass(frozen=True)
class Candidate:
    """A file found by the walk."""

    path: str  # as given (joined under the argument the user gave)
    abs_path: str
    source: str
    size: int | None = None
    mtime_ns: int | None = None
    problem: str | None = None  # why it cannot be read at all
    given: Metadata | None = None  # what a metadata sidecar says about it
    labelled: bool = False  # its source was given on the command line: nothing overrides it

    @cached_property
    def info(self) -> FileInfo:
        """The FileInfo to store for this file."""
        return FileInfo(
            path=display_path(self.path),
            abs_path=display_path(self.abs_path),
            size=self.size,
            mtime_ns=self.mtime_ns,
        )


def plan_roots(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """The paths to walk, without one given twice or lying inside another; and notes on those."""
    kept: list[tuple[str, str]] = []
    notes: list[str] = []
    for path in paths:
        real = os.path.realpath(path)
        duplicate = next(
            (
                given
                for given, other in kept
                if real == other or real.startswith(other.rstrip(os.sep) + os.sep)
            ),
            None,
        )
        if duplicate is not None:
            notes.append(f"{display_path(path)}: already covered by {display_path(duplicate)}")
            continue
        # A later folder that contains an earlier one replaces it.
        inner = [given for given, other in kept if other.startswith(real.rstrip(os.sep) + os.sep)]
        for given in inner:
            notes.append(f"{display_path(given)}: already covered by {display_path(path)}")
        kept = [(g, o) for g, o in kept if g not in inner]
        kept.append((path, real))
    return [given for given, _ in kept], notes


@dataclass
class SidecarUse:
    """The rows of each sidecar that met a file in the walk.

    Only a sidecar found in a folder the walk goes through whole is checked for rows that
    name no file: one beside a single file named on the command line, or named by
    ``--metadata``, may list files of other folders and runs.
    """

    rows: dict[str, set[str]] = field(default_factory=dict)
    whole: list[sidecars.Sidecar] = field(default_factory=list)
    met: dict[str, sidecars.Sidecar] = field(default_factory=dict)  # by path, as first met

    def used(self, sidecar: sidecars.Sidecar, row: str) -> None:
        self.rows.setdefault(sidecar.path, set()).add(row)
        self.met.setdefault(sidecar.path, sidecar)

    def unused_dates(self, now: datetime) -> Iterator[tuple[str, str]]:
        """(sidecar path, reason) for each sidecar whose rows that met a file give a date their
        article does not get (unreadable, or not possible at ``now``): the article is then dated
        from its text, or not at all."""
        for path, sidecar in self.met.items():
            unused = [
                (row, *found)
                for row in sorted(self.rows[path])
                if (found := sidecar.unused_date(row, now)) is not None
            ]
            if unused:
                shown = "; ".join(f"{row}: {written!r}, {why}" for row, written, why in unused[:3])
                yield path, (
                    f"{len(unused)} of the {len(self.rows[path])} rows naming a file give a date "
                    f"that is not used ({shown}{'; ...' if len(unused) > 3 else ''}); their "
                    "articles are dated from their text"
                )

    def unmatched(self) -> Iterator[tuple[str, str]]:
        """(sidecar path, reason) for each sidecar with rows that named no file there is."""
        for sidecar in self.whole:
            rows = sidecar.unmatched(self.rows.get(sidecar.path, set()))
            if rows:
                shown = ", ".join(rows[:3]) + (", ..." if len(rows) > 3 else "")
                yield sidecar.path, (
                    f"{len(rows)} of {len(sidecar)} rows name no file there is ({shown}); "
                    "their metadata reaches no article"
                )


def walk(
    roots: Sequence[str],
    source: str | None = None,
    metadata: str | None = None,
    exclude: frozenset[str] = frozenset(),
    use: SidecarUse | None = None,
) -> Iterator[Candidate]:
    """Every file under the roots, in sorted order; broken links and loops come as problems.

    Each file gets the metadata that the sidecar named by ``metadata`` gives it, else the one
    of its folder (or of the nearest folder above it, within the walk). Files whose real path
    is in ``exclude`` (the database's own files) are left out. ``use`` collects the rows of
    each sidecar that met a file.
    """
    use = use if use is not None else SidecarUse()
    explicit: list[sidecars.Sidecar] = []
    skip = set()
    if metadata is not None:
        skip.add(os.path.abspath(metadata))
        try:
            explicit.append(sidecars.load(metadata))
        except sidecars.SidecarError as exc:
            yield Candidate(metadata, os.path.abspath(metadata), "-", problem=_short(exc))
    for root in roots:
        if os.path.isdir(root):
            top = os.stat(root)
            yield from _walk_folder(
                root,
                os.path.abspath(root),
                _Context(source, explicit, skip, exclude, use),
                ancestors={(top.st_dev, top.st_ino)},
            )
        elif os.path.realpath(root) not in exclude:
            abs_path = os.path.abspath(root)
            context = _Context(source, explicit, skip, exclude, use)
            found = sidecars.find(os.path.dirname(abs_path))
            if found is not None and os.path.abspath(found) != abs_path:
                context, problem = context.entering(found, whole=False)
                if problem is not None:
                    yield problem
            elif found is not None:
                continue  # a sidecar named on its own is no article
            yield context.labelled(
                _candidate(root, abs_path, _label(os.path.dirname(abs_path), source))
            )


@dataclass(frozen=True)
class _Context:
    """What the walk carries into a folder: the source flag and the sidecars in force."""

    source: str | None
    explicit: list  # the sidecar named on the command line, if any
    skip: set  # absolute paths of sidecars: never imported as articles
    exclude: frozenset = frozenset()  # real paths of the database's own files
    use: SidecarUse = field(default_factory=SidecarUse)  # shared by the whole walk
    inherited: tuple = ()  # the sidecars of this folder and the folders above it, nearest last

    def entering(self, sidecar_path: str, whole: bool = True) -> tuple[_Context, Candidate | None]:
        """The context inside a folder holding a sidecar, and a problem if it is unreadable."""
        self.skip.add(os.path.abspath(sidecar_path))
        try:
            loaded = sidecars.load(sidecar_path)
        except sidecars.SidecarError as exc:
            problem = Candidate(sidecar_path, os.path.abspath(sidecar_path), "-")
            return self, replace(problem, problem=_short(exc))
        if whole:
            self.use.whole.append(loaded)
        return replace(self, inherited=(*self.inherited, loaded)), None

    def labelled(self, candidate: Candidate) -> Candidate:
        """The candidate with the metadata its sidecar gives it."""
        if candidate.problem:
            return candidate
        given = None
        for sidecar in (*self.explicit, *reversed(self.inherited)):
            row = sidecar.row(candidate.abs_path)
            if row is not None:
                self.use.used(sidecar, row)
                given = sidecar.by_path[row]
                break
        if given is None:
            return replace(candidate, labelled=self.source is not None)
        source = self.source or (display_path(given.source) if given.source else candidate.source)
        return replace(
            candidate, source=source, given=given.as_metadata(), labelled=self.source is not None
        )


def _short(exc: Exception) -> str:
    """The reason of a sidecar error without the path it starts with (printed beside it)."""
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


def _walk_folder(
    folder: str, abs_folder: str, context: _Context, ancestors: set
) -> Iterator[Candidate]:
    label = _label(abs_folder, context.source)  # once per folder: its files share it
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Candidate(folder, abs_folder, label, problem=_reason(exc))
        return
    # The database may live in a folder being imported: its -wal, -shm and .lock files change
    # under the run and are no articles. Compared by real path, once per folder.
    exclude = context.exclude
    real_folder = os.path.realpath(folder) if exclude else ""
    found = sidecars.find(folder)
    if found is not None and os.path.abspath(found) not in context.skip:
        context, problem = context.entering(found)
        if problem is not None:
            yield problem
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue  # hidden files and folders (.git, .DS_Store) are not articles
        if exclude and os.path.join(real_folder, name) in exclude:
            continue
        path = os.path.join(folder, name)
        abs_path = os.path.join(abs_folder, name)
        if abs_path in context.skip or os.path.abspath(path) in context.skip:
            continue  # a metadata sidecar
        try:
            info = entry.stat()  # follows symbolic links
        except OSError as exc:
            yield Candidate(path, abs_path, label, problem=_reason(exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                yield Candidate(
                    path, abs_path, _label(abs_path, context.source), problem="symbolic link loop"
                )
                continue
            yield from _walk_folder(path, abs_path, context, ancestors | {key})
        else:
            yield context.labelled(_candidate(path, abs_path, label, info))


def _candidate(
    path: str, abs_path: str, label: str, info: os.stat_result | None = None
) -> Candidate:
    if info is None:
        try:
            info = os.stat(path)
        except OSError as exc:
            return Candidate(path, abs_path, label, problem=_reason(exc))
    if not stat.S_ISREG(info.st_mode):
        return Candidate(path, abs_path, label, problem="not a regular file")
    return Candidate(path, abs_path, label, info.st_size, info.st_mtime_ns)


def _label(abs_folder: str, source: str | None) -> str:
    """The source of the files in a folder: the given one, else the folder's name."""
    return source or display_path(os.path.basename(abs_folder)) or "-"


def _reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(exc.filename or "") else "file vanished"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


# ----------------------------------------------------------------------------------------------
# Work done in a worker process


@dataclass(frozen=True)
class FileTask:
    """One file to read and process."""

    candidate: Candidate
    known_sha256: str | None  # the bytes stored last time: same bytes, nothing to redo
    max_bytes: int

    def run(self, resources: pipeline.Resources) -> FileResult:
        """Read the file (bounded), decode it and run the pipeline on every article in it."""
        candidate = self.candidate
        info = candidate.info
        try:
            data, info = _read_bounded(candidate.path, info, self.max_bytes)
        except _Unreadable as problem:
            return FileResult(info, problem.status, problem.reason)
        except OSError as exc:
            return FileResult(info, "unreadable", _reason(exc))
        info = replace(info, sha256=hashlib.sha256(data).hexdigest())
        if self.known_sha256 == info.sha256:
            return FileResult(info, "same-bytes")
        try:
            read = readers.read_bytes(
                data,
                readers.file_suffix(candidate.path),
                candidate.source,
                max_unpacked=self.max_bytes,
            )
        except readers.UnsupportedFileError as exc:
            return FileResult(info, "skipped", str(exc))
        except ReadError as exc:
            return FileResult(info, "failed", str(exc))
        except Exception as exc:  # a reader bug must not end the run: record it and go on
            return FileResult(info, "failed", f"internal error: {exc!r}", traceback.format_exc())
        info = replace(info, encoding=read.encoding, repairs=", ".join(read.repairs) or None)
        articles, log = [], ""
        for article in _with_candidate_metadata(read.articles, candidate):
            try:
                articles.append(process_article(article, resources))
            except Exception as exc:  # the same for one article of the file
                articles.append(f"internal error: {exc!r}")
                log += traceback.format_exc()
        return FileResult(info, "ok", "", log, tuple(articles), read.skipped)


def _with_candidate_metadata(
    articles: tuple[Article, ...], candidate: Candidate
) -> tuple[Article, ...]:
    """The file's articles with the sidecar's metadata (one article per file only: a sidecar
    row describes one article) and the source given on the command line."""
    if candidate.given is not None and len(articles) == 1:
        articles = (replace(articles[0], given=candidate.given),)
    if candidate.labelled:
        articles = tuple(replace(a, source=candidate.source) for a in articles)
    return articles


@dataclass(frozen=True)
class FileResult:
    """What reading and processing one file gave."""

    info: FileInfo
    status: str = "ok"  # "ok", "same-bytes", "failed", "unreadable" or "skipped"
    reason: str = ""
    log: str = ""  # an unexpected error's traceback, for the log file
    articles: tuple[Processed | str, ...] = ()  # a str says why that record gave no article
    skipped: tuple[str, ...] = ()  # records of a JSON file the reader left out, with why


@dataclass(frozen=True)
class StoredTask:
    """One stored article to run through the pipeline again, from its raw text."""

    article_id: int
    raw: str
    format: str
    source: str
    given: Metadata | None = None

    def run(self, resources: pipeline.Resources) -> StoredResult:
        """Process the stored raw text again."""
        article = Article(raw=self.raw, format=self.format, source=self.source, given=self.given)
        try:
            return StoredResult(self.article_id, process_article(article, resources))
        except Exception as exc:  # keep the stored version; report the bug
            return StoredResult(self.article_id, f"internal error: {exc!r}", traceback.format_exc())


@dataclass(frozen=True)
class StoredResult:
    """A stored article processed again (a str says why it gave no article)."""

    article_id: int
    processed: Processed | str
    log: str = ""


def process_article(article: Article, resources: pipeline.Resources) -> Processed | str:
    """Run the pipeline on one article; a str says why it gave no article."""
    from . import cleaning, pipeline, reprints

    article = pipeline.process(article, resources)
    if not article.title.strip() and not article.body.strip():
        return "no article text"
    keys, signature = cleaning.boilerplate_evidence(article)
    observations = tuple(sorted((key_hash(key), key) for key in keys))
    return Processed.packed(
        article,
        observations,
        signature,
        reprints.fingerprint(article.body),
        resources.known_terms,
    )


class _Unreadable(Exception):
    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def _read_bounded(path: str, info: FileInfo, max_bytes: int) -> tuple[bytes, FileInfo]:
    # O_NONBLOCK: a file replaced by a FIFO since the walk must not hang the run.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise _Unreadable("failed", "not a regular file")
        info = replace(info, size=before.st_size, mtime_ns=before.st_mtime_ns)
        if before.st_size > max_bytes:
            raise _Unreadable(
                "failed", f"file is {before.st_size} bytes, over --max-bytes {max_bytes}"
            )
        chunks, remaining = [], max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _Unreadable("failed", f"file grew over --max-bytes {max_bytes} while it was read")
    unchanged = (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    if not unchanged or len(data) != before.st_size:
        raise _Unreadable("unreadable", "file changed while it was read")
    return data, info


_worker_resources: pipeline.Resources | None = None


def _init_worker(learned: dict[str, frozenset[str]] | None) -> None:
    global _worker_resources
    from . import pipeline

    # Ctrl-C reaches the whole process group: the main process alone handles it (and stops
    # the workers), so no worker prints a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(os.getppid())
    if learned is not None:  # started afresh (spawn): build what a forked worker inherits
        _worker_resources = pipeline.load_resources(learned_boilerplate=learned)


def _watch_parent(parent: int) -> None:
    """Exit when the parent dies (kill -9 of an import must not leave workers behind)."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _in_background(load: Callable[[], object]):
    """``load()`` run in a daemon thread; the wait for it ends at once on Ctrl-C."""
    import threading

    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = load()
        except BaseException as exc:  # handed to the waiting thread below
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="newsingest-load", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@contextmanager
def _sigint_ignored():
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handlers
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _load_for_workers() -> None:
    """What the stages load on their first article, loaded before the workers fork.

    Each forked worker would otherwise load its own copy: the shipped stem table and the
    dictionary stemmer.
    """
    from .search import stem

    stem("id", "menyerang")  # the shipped stem table
    stem("id", "menyerangkannyalah")  # a word outside it: PySastrawi and Snowball


def _run_chunk(tasks: list) -> list:
    return [task.run(_worker_resources) for task in tasks]


class _Runner:
    """Runs tasks in worker processes (or here), results in task order, a bounded window.

    Nothing is loaded and no worker started until the first task comes: a run over unchanged
    files never pays for the models.
    """

    def __init__(
        self,
        workers: int,
        resources: pipeline.Resources | None = None,
        learned=None,
        known_terms: KnownTerms | None = None,
    ):
        self.workers = workers
        self.learned = learned or {}
        self.known_terms = known_terms
        self.resources = resources
        self.pool = None
        self.window = workers * 4

    def _start(self) -> None:
        global _worker_resources
        forking = self.workers > 0 and "fork" in multiprocessing.get_all_start_methods()
        # Loading takes seconds and cannot be interrupted inside its C calls: it runs in a
        # daemon thread, so Ctrl-C stops the wait at once and the process does not wait for it.
        self.resources = _in_background(lambda: self._load(forking))
        if self.workers > 0:
            if forking:
                # Built once here and inherited: the workers share the models' pages instead of
                # each loading (and holding) a copy.
                _worker_resources = self.resources
                context, initargs = multiprocessing.get_context("fork"), (None,)
                # The models hold many Python objects, and a worker's garbage collector writes
                # into the header of every object it walks: each page it touches would be
                # copied into the worker. Frozen, the collector leaves them (and their pages)
                # shared.
                gc.freeze()
            else:
                context, initargs = multiprocessing.get_context("spawn"), (self.learned,)
            # Workers forked while SIGINT is ignored ignore it from their first instruction on.
            with _sigint_ignored():
                self.pool = context.Pool(
                    self.workers, initializer=_init_worker, initargs=initargs
                )

    def _load(self, forking: bool) -> pipeline.Resources:
        from . import language, pipeline

        resources = self.resources
        with ThreadPoolExecutor(1) as pool:
            # loaded alongside the models, and shared by the forked workers (see load_reference)
            reference = pool.submit(language.load_reference) if forking else None
            shared = pool.submit(_load_for_workers) if forking else None
            if resources is None:
                resources = pipeline.load_resources(learned_boilerplate=self.learned)
            elif self.learned != resources.learned_boilerplate:
                resources = replace(resources, learned_boilerplate=self.learned)
            if self.known_terms is not None:
                resources = replace(resources, known_terms=self.known_terms)
            if reference is not None:
                reference.result()
                shared.result()
        return resources

    def map(self, tasks: Iterable, chunk: int = 32) -> Iterator:
        """The result of every task, in the order given."""
        tasks = iter(tasks)
        first = next(tasks, None)
        if first is None:
            return
        self._start()
        tasks = itertools.chain([first], tasks)
        if self.pool is None:
            for task in tasks:
                yield task.run(self.resources)
            return
        pending: deque = deque()
        batch: list = []
        for task in tasks:
            batch.append(task)
            if len(batch) >= chunk:
                pending.append(self.pool.apply_async(_run_chunk, (batch,)))
                batch = []
                while len(pending) >= self.window:
                    yield from pending.popleft().get()
        if batch:
            pending.append(self.pool.apply_async(_run_chunk, (batch,)))
        while pending:
            yield from pending.popleft().get()

    def close(self) -> None:
        """Stop the worker processes and close this process's look-ups of known words."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            gc.unfreeze()  # what the run held may be collected again
        if self.known_terms is not None:
            self.known_terms.close()


class _Batches:
    """Commits in batches of whole files, so a killed run leaves no half-stored file."""

    def __init__(self, store: Store, options: Options):
        self.store, self.options = store, options
        self.pending, self.opened, self.open = 0, 0.0, False

    def begin(self) -> None:
        if not self.open:
            self.store.begin()
            self.open, self.opened = True, time.monotonic()

    def wrote(self, weight: int = 1) -> None:
        self.pending += weight
        if (
            self.pending >= self.options.commit_every
            or time.monotonic() - self.opened >= self.options.commit_seconds
        ):
            self.commit()

    def commit(self) -> None:
        if self.open:
            self.store.commit()
            self.open = False
            self.store.reset_wal()
        self.pending = 0

    def rollback(self) -> None:
        if self.open:
            self.store.rollback()
        self.open = False


# ----------------------------------------------------------------------------------------------
# The two jobs


@dataclass
class Callbacks:
    """How a job tells the caller what happens while it runs."""

    problem: Callable[[str, str, str], None] = lambda path, status, reason: None
    progress: Callable[[int], None] = lambda n: None
    log: Callable[[str], None] = lambda text: None


def add(
    store: Store,
    paths: Sequence[str],
    options: Options,
    run_id: int,
    callbacks: Callbacks | None = None,
    resources: pipeline.Resources | None = None,
) -> Report:
    """Import every file under ``paths`` into the store; returns the Report."""
    callbacks = callbacks or Callbacks()
    report = Report()
    report.counts["still_failing"] = 0  # always in --summary-json, for monitoring
    store.tune_for_writing()
    roots, report.notes = plan_roots(paths)
    batches = _Batches(store, options)
    runner = _Runner(
        options.workers, resources, store.learned_boilerplate(), KnownTerms(store.path)
    )
    try:
        use = SidecarUse()
        candidates = walk(roots, options.source, options.metadata, store.own_files(), use)
        tasks = _file_tasks(store, candidates, options, run_id, report, batches, callbacks)
        for result in runner.map(tasks):
            batches.begin()
            _store_file_result(store, result, run_id, report, callbacks)
            callbacks.progress(1)
            batches.wrote(max(1, len(result.articles)))
        for path, reason in use.unmatched():
            callbacks.problem(display_path(path), "unmatched", reason)
        now = resources.now if resources is not None else datetime.now(UTC)
        for path, reason in use.unused_dates(now):
            callbacks.problem(display_path(path), "date not used", reason)
        batches.begin()
        folders = [display_path(os.path.abspath(r)) for r in roots if os.path.isdir(r)]
        for path in store.mark_missing(folders, run_id):
            report.counts["missing"] += 1
            callbacks.problem(path, "missing", "file no longer exists (its article is kept)")
        batches.commit()
    except BaseException:
        batches.rollback()
        raise
    finally:
        runner.close()
    _relearn(store, options, report, callbacks, resources)
    recluster(store)
    report.seconds = time.monotonic() - report.started
    return report


def reprocess(
    store: Store,
    options: Options,
    callbacks: Callbacks | None = None,
    resources: pipeline.Resources | None = None,
) -> Report:
    """Run the pipeline again over every stored article's raw text and update what it derives."""
    callbacks = callbacks or Callbacks()
    report = Report(names=REPROCESS_OUTCOMES)
    store.tune_for_writing()
    with store.transaction():
        store.requeue_all_reprints()
    _process_stored(store, None, options, report, callbacks, resources)
    _relearn(store, options, report, callbacks, resources)
    recluster(store)
    report.seconds = time.monotonic() - report.started
    return report


def _file_tasks(
    store: Store,
    candidates: Iterator[Candidate],
    options: Options,
    run_id: int,
    report: Report,
    batches: _Batches,
    callbacks: Callbacks,
) -> Iterator[FileTask]:
    """The files that need reading; unchanged ones are marked seen on the way, in batches."""
    batch: list[Candidate] = []

    def flush() -> Iterator[FileTask]:
        known = {} if options.force else store.known_files([c.info.abs_path for c in batch])
        unchanged, still_failing = [], []
        for candidate in batch:
            info = candidate.info
            if candidate.problem:
                batches.begin()
                store.record_file_problem(info, "unreadable", candidate.problem, run_id)
                report.counts["failed"] += 1
                callbacks.problem(info.path, "unreadable", candidate.problem)
                callbacks.progress(1)
                continue
            previous = known.get(info.abs_path)
            if previous is None:
                yield FileTask(candidate, None, options.max_bytes)
            elif _sidecar_changed(candidate, previous):
                yield FileTask(candidate, None, options.max_bytes)  # same bytes, new metadata
            elif previous.settled and (previous.size, previous.mtime_ns) == (
                candidate.size,
                candidate.mtime_ns,
            ):
                unchanged.append(info.abs_path)
                if previous.failure is not None:
                    still_failing.append((info.path, previous.failure))
            else:
                yield FileTask(candidate, previous.sha256, options.max_bytes)
        if unchanged:
            batches.begin()
            store.touch_files(unchanged, run_id)
            # A file that failed stays failed while it is unchanged: said on every run, and
            # counted apart from the files that failed in this one.
            report.counts["unchanged"] += len(unchanged) - len(still_failing)
            report.counts["still_failing"] += len(still_failing)
            for path, failure in still_failing:
                callbacks.problem(path, "failed", f"{failure} (unchanged since it failed)")
            callbacks.progress(len(unchanged))
            batches.wrote(len(unchanged) // 50 + 1)
        batch.clear()

    for candidate in candidates:
        batch.append(candidate)
        if len(batch) >= 500:
            yield from flush()
    if batch:
        yield from flush()


def _sidecar_changed(candidate: Candidate, previous: KnownFile) -> bool:
    """Whether a stored file's sidecar values were added, changed or removed since."""
    return previous.has_article and metadata_json(candidate.given) != previous.metadata


def _store_file_result(
    store: Store, result: FileResult, run_id: int, report: Report, callbacks: Callbacks
) -> None:
    info = result.info
    if result.log:
        callbacks.log(f"{info.path}:\n{result.log}")
    if result.status == "same-bytes":
        store.update_file_stat(info, run_id)  # touched, same bytes: nothing to redo
        report.counts["unchanged"] += 1
        return
    if result.status != "ok":
        store.record_file_problem(info, result.status, result.reason, run_id)
        report.counts["skipped" if result.status == "skipped" else "failed"] += 1
        callbacks.problem(info.path, result.status, result.reason)
        return
    articles = result.articles or ("no articles in file",)
    from .pipeline import PIPELINE_VERSION

    # The records the reader left out are stored as failed records after the articles, so that
    # `status` lists them and later runs name them again while the file stays unchanged.
    items = (*articles, *result.skipped)
    outcomes = store.store_file(info, items, run_id, PIPELINE_VERSION)
    now = datetime.now(UTC)
    for record, outcome in enumerate(outcomes):
        report.counts[outcome] += 1
        if outcome == "failed":
            named = len(outcomes) == 1 or record >= len(articles)  # "line 7: ..." names itself
            where = info.path if named else f"{info.path} (record {record + 1})"
            callbacks.problem(where, "failed", items[record])
        elif outcome in ("added", "updated"):
            where = info.path if len(articles) == 1 else f"{info.path} (record {record + 1})"
            if _title_only(items[record]):
                callbacks.problem(where, "title only", TITLE_ONLY)
            if (unused := _unused_date(items[record], now)) is not None:
                callbacks.problem(where, "date not used", unused)


# Said of an article stored with a title and no body: not a failure (the title is searchable),
# but a file that was meant to hold an article and holds a line is worth a look.
TITLE_ONLY = "no body text after cleaning; stored with its title alone (0 words)"


def _title_only(item: Processed | str) -> bool:
    return isinstance(item, Processed) and item.word_count == 0


def _unused_date(item: Processed | str, now: datetime) -> str | None:
    """Why the publication date a file's record gives is not its article's (unreadable, or no
    publication date can be it); None when it is, or when it gives none. A sidecar's dates are
    named per sidecar (SidecarUse.unused_dates)."""
    if not isinstance(item, Processed):
        return None
    article, meta = item.article, item.article.meta
    if meta.published_method == sidecars.PUBLISHED_METHOD:
        return None
    if meta.published_unread is not None:
        where, written = meta.published_unread
        why = sidecars.unread_reason(written)
    elif meta.published and article.published_method != meta.published_method:
        from .dates.publication import refused_meta  # with the pipeline, when it is needed

        where, written = meta.published_method, meta.published
        why = refused_meta(written, now)
        if why is None:
            return None
    else:
        return None
    dated = f"dated {article.published} from its text" if article.published else "not dated"
    return f"{written!r} ({where}): {why}; the article is {dated}"


def _process_stored(
    store: Store,
    ids: Sequence[int] | None,
    options: Options,
    report: Report,
    callbacks: Callbacks,
    resources: pipeline.Resources | None,
) -> None:
    from .pipeline import PIPELINE_VERSION

    batches = _Batches(store, options)
    runner = _Runner(
        options.workers, resources, store.learned_boilerplate(), KnownTerms(store.path)
    )
    tasks = (StoredTask(*row) for row in store.articles_for_processing(ids))
    try:
        for result in runner.map(tasks):
            if result.log:
                callbacks.log(f"article {result.article_id}:\n{result.log}")
            if isinstance(result.processed, str):
                report.counts["failed"] += 1
                callbacks.problem(f"article {result.article_id}", "failed", result.processed)
                batches.begin()
                store.dequeue_reclean(result.article_id)
            else:
                batches.begin()
                outcome = store.replace_article(
                    result.article_id, result.processed, PIPELINE_VERSION
                )
                report.counts[outcome] += 1
                batches.wrote()
            callbacks.progress(1)
        batches.commit()
    except BaseException:
        batches.rollback()
        raise
    finally:
        runner.close()


def _relearn(
    store: Store,
    options: Options,
    report: Report,
    callbacks: Callbacks,
    resources: pipeline.Resources | None,
) -> None:
    """Relearn the boilerplate of changed sources; process the articles it touches again.

    The articles to clean again are queued in the same transaction as the new learned lines
    and leave the queue with their update, so a run killed half-way leaves the rest queued
    for the next run.
    """
    with store.transaction():
        for source in store.pending_sources():
            from . import cleaning

            stories, counts = store.boilerplate_counts(source)
            lines = cleaning.select_learned(counts, stories)
            store.set_learned_boilerplate(source, {line: counts[line] for line in lines})
    queued = store.reclean_queue()
    if queued:
        _process_stored(store, queued, options, Report(), callbacks, resources)
        report.counts["recleaned"] += len(queued)


def recluster(store: Store, settings: reprints.Settings | None = None, batch: int = 500):
    """Work out the near-duplicates and clusters of every queued article, a batch at a time.

    Each batch is one transaction: the articles' verified edges, the clusters they touch and
    their leaving the queue are committed together, so a killed run leaves the rest queued.
    """
    while True:
        with store.transaction():
            queued = store.reprint_queue(batch)
            if not queued:
                return
            from . import reprints

            _recluster_batch(store, queued, settings or reprints.DEFAULT)
            store.dequeue_reprints(queued)


def _recluster_batch(store: Store, queued: Sequence[int], settings: reprints.Settings) -> None:
    from . import reprints

    # No queued article sits in a cluster built from its old text (store.py takes such clusters
    # apart when the text changes or goes), so every cluster found here stands and only grows.
    known = store.fingerprints(queued)
    queued = [i for i in queued if i in known]  # the rest are too short to cluster, or deleted
    clusters: dict[int, int] = {}
    passed: set[tuple[int, int]] = set()
    # Each queued article's comparisons depend only on the clusters as they stood before the
    # batch, so they run a few articles at a time: a batch of copies of a story copied N times
    # then holds _CANDIDATE_CHUNK x N candidate ids, not batch x N.
    for start in range(0, len(queued), _CANDIDATE_CHUNK):
        chunk = queued[start : start + _CANDIDATE_CHUNK]
        candidates = store.reprint_candidates(chunk)
        found = store.cluster_ids({*chunk, *(o for c in candidates.values() for o in c)})
        clusters.update(found)
        passed |= _passing_pairs(store, chunk, candidates, found, known, settings)
    groups = reprints.Groups()
    for article_id, unit in passed:
        groups.union(clusters.get(article_id, article_id), unit)
    store.set_clusters(_cluster_rows(store, groups.groups(), clusters, known), [])


def _passing_pairs(store: Store, queued, candidates, clusters, known, settings) -> set:
    """(article, cluster or article) pairs of these queued articles that pass the threshold."""
    from . import reprints

    def node(article_id: int) -> int:  # an article in a cluster stands for its whole cluster
        return clusters.get(article_id, article_id)

    # A candidate cluster is joined when any of its members passes, so a queued article is
    # compared with a few members of each, those sharing the most band keys first, and with
    # the rest only when those few fail: a story copied a thousand times costs a few
    # comparisons per new copy, not a thousand. (Every compared pair that passes is an edge;
    # the clusters are the connected components of the edges, whichever pairs were compared.)
    rounds: dict[tuple[int, int], list[int]] = {}
    for article_id in queued:
        ranked = sorted(candidates[article_id].items(), key=lambda item: (-item[1], item[0]))
        for other, _ in ranked:
            if node(other) != node(article_id):
                rounds.setdefault((article_id, node(other)), []).append(other)
    passed: set[tuple[int, int]] = set()
    tried = 0
    while rounds:
        pairs = [(key, o) for key, others in rounds.items() for o in others[tried:][:_PER_ROUND]]
        known.update(store.fingerprints({o for _, o in pairs} - known.keys()))
        values = reprints.estimate_pairs(
            [known[article_id] for (article_id, _), _ in pairs], [known[o] for _, o in pairs]
        )
        threshold = settings.threshold
        passed |= {key for (key, _), v in zip(pairs, values, strict=True) if v >= threshold}
        tried += _PER_ROUND
        rounds = {k: rest for k, rest in rounds.items() if k not in passed and len(rest) > tried}
    return passed


def _cluster_rows(store: Store, groups, clusters: dict[int, int], known: dict) -> list:
    """(article, cluster id, similarity) rows of the clusters that grew or merged."""
    from . import reprints

    # A node of a group is an existing cluster (by its canonical's id) or an article in none.
    existing = set(clusters.values())
    facts = {
        row[0]: reprints.Member(*row)
        for row in store.cluster_facts([n for group in groups for n in group])
    }
    plans = []
    for group in groups:
        canonical = reprints.canonical(facts[n] for n in group)
        new = [n for n in group if n not in existing]
        # the cluster whose canonical stays keeps its rows; the others are written anew
        moved = [n for n in group if n in existing and n != canonical]
        plans.append((canonical, new, moved))
    members = store.cluster_members(c for _, _, moved in plans for c in moved)
    rows = []
    for canonical, new, moved in plans:
        group = {*new, *(m for c in moved for m in members[c])}
        known.update(store.fingerprints({canonical, *group} - known.keys()))
        rows += [
            row
            for row in reprints.similarity_rows(canonical, group | {canonical}, known)
            if row[0] != canonical or canonical not in existing  # a kept canonical has its row
        ]
    return rows


# how many members of one candidate cluster a queued article is compared with at a time
_PER_ROUND = 4
# how many queued articles have their candidates in memory at once
_CANDIDATE_CHUNK = 50
