"""Command-line interface: parse options, call the library, print (data on stdout, the rest on
stderr). The only module that imports click."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import click

from .errors import (
    EXIT_INTERRUPTED,
    EXIT_WRITE_FAILED,
    NewsIngestError,
    WriteFailedError,
    write_failure,
)
from .render import printable

DATE_BOUND = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _db_option(function):
    return click.option(
        "--db",
        "db_path",
        envvar="NEWSINGEST_DB",
        default="newsingest.db",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The corpus database (or set NEWSINGEST_DB).",
    )(function)


def _wait_option(function):
    return click.option(
        "--wait",
        type=click.FloatRange(min=0),
        default=0,
        show_default=True,
        help="Seconds to wait when another run is creating or writing to the database.",
    )(function)
_canonical_option = click.option(
    "--canonical-only",
    is_flag=True,
    help="One article per cluster of reprints (its canonical member).",
)


def _filter_options(function):
    options = [
        click.option("--lang", "language", help="Only articles in this language (ISO 639-1)."),
        click.option("--since", callback=_date_bound, help="Published on or after YYYY[-MM[-DD]]."),
        click.option(
            "--until", callback=_date_bound, help="Published on or before YYYY[-MM[-DD]]."
        ),
        click.option(
            "--place", help="Only articles naming this place (any language: Syria, Suriah)."
        ),
        click.option("--source", help="Only articles of this source."),
        _canonical_option,
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _date_bound(ctx, param, value):
    if value is not None and not DATE_BOUND.match(value):
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD")
    if value is not None and not _on_the_calendar(value):
        # "2026-13-01" compares as text like a real date and would silently match nothing.
        raise click.BadParameter(f"{value} is not a date on the calendar")
    return value


def _on_the_calendar(value: str) -> bool:
    """Whether a YYYY[-MM[-DD]] bound names a month and day that exist."""
    from datetime import date

    year, month, day = (value.split("-") + ["01", "01"])[:3]
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


class _CliError(click.ClickException):
    def __init__(self, error: NewsIngestError):
        super().__init__(printable(str(error)))
        self.exit_code = error.exit_code


@contextmanager
def _errors():
    """Expected problems become one-line messages with their exit status."""
    try:
        yield
    except NewsIngestError as error:
        raise _CliError(error) from None


def _open(db_path: str, write: bool = False, create: bool = False, wait: float = 0):
    from .store import open_store

    with _errors():
        return open_store(db_path, write=write, create=create, wait=wait)


def _filters(language, since, until, place, source, canonical_only=False):
    from .store import Filters

    if since and until and since + "-01-01"[len(since) - 4 :] > until + "-12-31"[len(until) - 4 :]:
        # every article would be left out, which an empty result would not say
        raise click.UsageError(f"--since {since} is after --until {until}")
    place_ids: tuple[int, ...] = ()
    place_names: tuple[str, ...] = ()
    if place:
        from . import places

        place_ids, place_names = places.place_keys(place, places.load_gazetteer())
    return Filters(language, since, until, source, place, place_ids, place_names, canonical_only)


class _Group(click.Group):
    """Ctrl-C in any command: one line and exit status 130 (click's default is "Aborted!", 1)."""

    def invoke(self, ctx):
        # Python's usual handler (not the one for startup, see __main__), unless the command
        # was started with SIGINT ignored; only the main thread may change it.
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsingest")
def cli():
    """Turn folders of raw news articles into a clean, searchable SQLite corpus."""


# ----------------------------------------------------------------------------------------------
# add / reprocess


class _Reporter:
    """Where a long job's messages go: stderr (one line per problem), a log file, a progress bar."""

    def __init__(self, quiet: bool, log_file: str | None):
        self.quiet = quiet
        self.log_file = log_file
        try:
            self.log = open(log_file, "a", encoding="utf-8") if log_file else None
        except OSError as exc:
            raise click.BadParameter(
                f"{log_file}: {exc.strerror}", param_hint="--log-file"
            ) from None
        self.progress = None
        self.task = None
        self.write_failed: WriteFailedError | None = None  # the log could not be written

    def write_log(self, text: str) -> None:
        if self.log:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            try:
                self.log.write(f"{stamp} {text}\n")
                self.log.flush()
            except OSError as exc:
                # The import goes on (the database is what matters); said once, and the run
                # ends with the write-failure status.
                self._drop_log()
                self.write_failed = write_failure(self.log_file, exc)
                self.echo(f"Error: {printable(str(self.write_failed))}; messages go to stderr only")

    def write_traceback(self, text: str) -> None:
        """An unexpected error's traceback, for the log (its first line names the file)."""
        head, _, rest = text.partition("\n")
        self.write_log(f"{printable(head)}\n{rest}")

    def _drop_log(self) -> None:
        log, self.log = self.log, None
        try:
            log.close()
        except OSError:
            pass  # the buffered text that failed to go out fails again: already reported

    def echo(self, message: str) -> None:
        if self.progress is not None:
            self.progress.console.print(message, markup=False, highlight=False)
        else:
            click.echo(message, err=True)

    def problem(self, path: str, status: str, reason: str) -> None:
        message = printable(f"{path}: {status}: {reason}")
        self.write_log(message)
        if status == "skipped" and self.quiet:
            return  # not an error: --quiet leaves it to the log and the summary
        self.echo(message)

    def note(self, message: str) -> None:
        message = printable(message)
        if not self.quiet:
            click.echo(message, err=True)
        self.write_log(message)

    def advance(self, n: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, n)

    @contextmanager
    def showing(self, description: str, total: int | None):
        if self.quiet or not sys.stderr.isatty():
            yield self
            return
        from .render import progress_bar

        with progress_bar() as progress:
            self.progress = progress
            self.task = progress.add_task(description, total=total)
            try:
                yield self
            finally:
                self.progress = None

    def close(self) -> None:
        if self.log:
            try:
                self.log.close()
            except OSError as exc:
                self.log = None
                self.write_failed = write_failure(self.log_file, exc)
                click.echo(f"Error: {printable(str(self.write_failed))}", err=True)


def _job_options(function):
    options = [
        _db_option,
        click.option(
            "--workers",
            type=click.IntRange(min=0),
            default=None,
            help="Worker processes for the pipeline [default: the number of cores; 0: none].",
        ),
        click.option(
            "--commit-every",
            type=click.IntRange(min=1),
            default=2000,
            show_default=True,
            help="Articles per transaction (smaller: readers see new articles sooner).",
        ),
        _wait_option,
        click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary."),
        click.option("--log-file", type=click.Path(dir_okay=False), help="Append messages here."),
        click.option(
            "--summary-json",
            type=click.Path(dir_okay=False),
            help="Write the run's counts to this file as JSON.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _workers(requested: int | None) -> int:
    return requested if requested is not None else (os.cpu_count() or 1)


def _run_job(command, db_path, arguments, wait, quiet, log_file, summary_json, job, create):
    """Shared frame of add and reprocess: open, lock, record the run, report, exit status.

    A run that stops early (Ctrl-C, a full disk) keeps every batch committed before, is
    recorded with its status and reason where the database can still be written, and says so
    in one line.
    """
    if summary_json and not os.access(os.path.dirname(summary_json) or ".", os.W_OK):
        raise click.BadParameter(
            f"{summary_json}: folder not writable", param_hint="--summary-json"
        )
    reporter = _Reporter(quiet, log_file)
    deadline = time.monotonic() + wait
    store = _open(db_path, write=True, create=create, wait=wait)
    with _errors():
        lock = store.lock(max(0.0, deadline - time.monotonic()))
    started = time.monotonic()
    try:
        with _errors(), store.write_errors():
            run_id = store.start_run(command, arguments)
        reporter.write_log(f"run {run_id}: {command} {json.dumps(arguments, ensure_ascii=False)}")
        try:
            with store.write_errors():
                outcome = _Outcome.of(command, job(store, run_id, reporter))
        except KeyboardInterrupt:
            outcome = _Outcome.stopped(command, EXIT_INTERRUPTED, "interrupted", started)
        except WriteFailedError as error:
            outcome = _Outcome.stopped(command, error.exit_code, printable(str(error)), started)
    finally:
        lock.release()
    exit_code = _finish(store, run_id, command, reporter, outcome, summary_json)
    if exit_code == EXIT_INTERRUPTED:
        # Threads still loading the models would hold a normal exit for seconds; everything
        # of this run is recorded and closed, so leave without waiting for them.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exit_code)
    sys.exit(exit_code)


@dataclass
class _Outcome:
    """How a job ended: its status, counts, last line and --summary-json content."""

    exit_code: int
    counts: dict
    seconds: float
    summary: str
    data: dict
    error: str | None = None  # why it stopped early
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, command, report):
        """A job that ran to its end."""
        line = f"{command}: {report.summary()}"
        return cls(
            report.exit_code,
            report.counts,
            report.seconds,
            line,
            report.as_dict(),
            notes=report.notes,
        )

    @classmethod
    def stopped(cls, command, exit_code, error, started):
        """A job stopped early (Ctrl-C, a failed write)."""
        seconds = time.monotonic() - started
        if exit_code == EXIT_INTERRUPTED:
            line = f"{command}: interrupted; every batch committed before is kept"
        else:
            line = f"Error: {error}; {command} stopped, every batch committed before is kept"
        data = {"seconds": round(seconds, 3), "exit_code": exit_code, "error": error}
        return cls(exit_code, {}, seconds, line, data, error)


def _finish(store, run_id, command, reporter, outcome, summary_json) -> int:
    """Record the run, print and log its last line, write the summary; the exit status."""
    exit_code = outcome.exit_code
    for note in outcome.notes:
        reporter.note(note)
    if reporter.write_failed and exit_code in (0, 1):
        exit_code = EXIT_WRITE_FAILED  # the log failed: recorded as well as returned
    try:
        store.finish_run(run_id, outcome.counts, exit_code, outcome.seconds, outcome.error)
    except WriteFailedError as failure:
        if outcome.error is None:
            exit_code = EXIT_WRITE_FAILED
        reporter.echo(f"Error: {printable(str(failure))}; run {run_id} stays unfinished")
    reporter.echo(outcome.summary)
    reporter.write_log(outcome.summary)
    reporter.close()
    if summary_json:
        data = {"run": run_id, "command": command, **outcome.data, "exit_code": exit_code}
        try:
            with open(summary_json, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2)
                handle.write("\n")
        except OSError as exc:
            reporter.write_failed = write_failure(summary_json, exc)
            click.echo(f"Error: {printable(str(reporter.write_failed))}", err=True)
            # A truncated summary would read as a broken monitor, not a failed run.
            with contextlib.suppress(OSError):
                os.unlink(summary_json)
    if reporter.write_failed and exit_code in (0, 1):
        exit_code = EXIT_WRITE_FAILED
    with contextlib.suppress(NewsIngestError):
        store.close()  # a failing checkpoint leaves the data in the -wal file: nothing lost
    return exit_code


def _existing_paths(ctx, param, paths):
    # A file the user may not read, or a broken link, is recorded as failed by the run (a cron
    # glob may name one among many); only a path that is not there at all is a usage error.
    for path in paths:
        if not os.path.lexists(path):
            raise click.BadParameter(f"Path {path!r} does not exist.", ctx, param)
    return paths


@cli.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(readable=False), callback=_existing_paths
)
@click.option("--source", help="Label for every article [default: the file's folder name].")
@click.option(
    "--metadata",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV or JSONL naming each file's title, URL, date, source [default: a meta.jsonl, "
    "metadata.jsonl, meta.csv or metadata.csv beside the files].",
)
@click.option("--force", is_flag=True, help="Read every file again, even when unchanged.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=50 * 1024 * 1024,
    show_default=True,
    help="Files larger than this are reported and not read.",
)
@_job_options
def add(
    paths,
    source,
    metadata,
    force,
    max_bytes,
    db_path,
    workers,
    commit_every,
    wait,
    quiet,
    log_file,
    summary_json,
):
    """Import article files (.txt, .html, .json, .jsonl) and folders of them, recursively.

    Unchanged files are skipped without being read; a changed file updates its article; files
    whose cleaned text is the same become one article linked to all of them. A metadata
    sidecar (meta.jsonl, metadata.jsonl, meta.csv, metadata.csv beside the files, or
    --metadata FILE) gives titles, URLs, dates and sources that win over the text.
    """
    from . import ingest

    options = ingest.Options(
        source=source,
        metadata=metadata,
        workers=_workers(workers),
        commit_every=commit_every,
        max_bytes=max_bytes,
        force=force,
    )
    arguments = {
        "paths": list(paths),
        "source": source,
        "metadata": metadata,
        "force": force,
        "max_bytes": max_bytes,
        "workers": options.workers,
    }

    def job(store, run_id, reporter):
        total = None
        if not quiet and sys.stderr.isatty():
            roots, _ = ingest.plan_roots(paths)
            total = sum(1 for _ in ingest.walk(roots, source, metadata, store.own_files()))
        callbacks = ingest.Callbacks(reporter.problem, reporter.advance, reporter.write_traceback)
        with reporter.showing("add", total):
            return ingest.add(store, paths, options, run_id, callbacks)

    _run_job("add", db_path, arguments, wait, quiet, log_file, summary_json, job, create=True)


@cli.command()
@_job_options
def reprocess(db_path, workers, commit_every, wait, quiet, log_file, summary_json):
    """Run the pipeline again over every stored article's raw text (no source files needed).

    Every derived value (title, body, language, dates, places, URLs, removed text) is
    recomputed: this is how a corpus benefits when newsingest improves.
    """
    from . import ingest

    options = ingest.Options(workers=_workers(workers), commit_every=commit_every)

    def job(store, run_id, reporter):
        callbacks = ingest.Callbacks(reporter.problem, reporter.advance, reporter.write_traceback)
        with reporter.showing("reprocess", store.article_count()):
            return ingest.reprocess(store, options, callbacks)

    arguments = {"workers": options.workers}
    # Only `add` creates a database: reprocessing a mistyped --db must not make an empty one.
    _run_job(
        "reprocess", db_path, arguments, wait, quiet, log_file, summary_json, job, create=False
    )


# ----------------------------------------------------------------------------------------------
# query / show / export / status


def _check_known(store, language, source) -> None:
    """Unknown --lang/--source values are usage errors that list the known ones."""
    for column, value, option in (("language", language, "--lang"), ("source", source, "--source")):
        if value is None:
            continue
        known = store.unknown_value(column, value)
        if known is not None:
            listed = ", ".join(known) if known else "none: the corpus is empty"
            raise click.UsageError(f"{option} {value}: no article has it (known: {listed})")


def _plan(store, terms, language, raw: bool, exact: bool):
    """The FTS5 expression to run (and what it searches), or None for filters alone."""
    from . import search

    if raw:
        expression = " ".join(search.as_stored(term) for term in terms)
        return search.Plan(expression, None)
    return search.plan_query(store, terms, language, exact)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("terms", nargs=-1)
@_filter_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "jsonl", "csv"]),
    default="table",
    show_default=True,
)
@click.option("--exact", is_flag=True, help="Search the words only as written (no other forms).")
@click.option("--explain", is_flag=True, help="Say on stderr which forms of words are searched.")
@click.option(
    "--facets", is_flag=True, help="Count the matches by source, language, month and country."
)
@click.option("--raw", is_flag=True, help="Pass TERMS to SQLite FTS5 as a query expression.")
@click.option(
    "--rank-all",
    is_flag=True,
    help="Rank every match, not only the newest 2,000 (slow for common words in a large corpus).",
)
@_db_option
@_wait_option
def query(
    terms, language, since, until, place, source, canonical_only, limit, output, exact, explain,
    facets, raw, rank_all, db_path, wait,
):
    """Search the corpus: best matches first, with a highlighted snippet.

    Each word also finds its other forms (serang: menyerang, serangan, diserang...; --exact
    turns that off). All words must occur; "quoted words" are a phrase; a OR b; -word or
    NOT word leaves articles out; word* is a prefix. Without words, the newest articles
    passing the filters. With --raw, TERMS are FTS5 syntax.
    """
    from . import render

    words = [t for t in terms if t.strip()]
    if not words and not any((language, since, until, place, source)):
        raise click.UsageError("nothing to search for: give a word, or a filter such as --place")
    store = _open(db_path, wait=wait)
    _check_known(store, language, source)
    filters = _filters(language, since, until, place, source, canonical_only)
    with _errors():
        plan = _plan(store, words, language, raw, exact) if words else None
        match = plan.match if plan else None
        if explain and plan:
            for word, forms in plan.forms.items():
                click.echo(f"{word}: {' '.join(forms)}", err=True)
            for note in plan.notes:
                click.echo(f"note: {note}", err=True)
            click.echo(f"fts5: {plan.match}", err=True)
        if facets:
            counts = store.facets(match, filters)
            _print_facets(counts, output)
            _undated_note(store, match, filters)
            return
        rows = store.search(
            match, filters, limit, render.HIGHLIGHT, plan.exact if plan else None, rank_all
        )
        # Only people read the count: programs get the rows without paying for it.
        total = store.count_matches(match, filters) if output == "table" else None
    if not rows and plan and not raw and not exact:
        hint = _zero_hint(words)
        if hint:
            click.echo(hint, err=True)
    columns = render.QUERY_COLUMNS
    searched = {"searched": plan.forms} if plan and plan.forms else {}
    if output == "table":
        if rows:
            terminal = sys.stdout.isatty()
            width = shutil.get_terminal_size().columns if terminal else 80
            click.echo(render.query_table(rows, width, terminal), nl=False)
        click.echo(f"{len(rows)} shown of {render.match_count(total)} matching", err=True)
    elif output == "json":
        shaped = [{**{c: r[c] for c in columns}, **searched} for r in rows]
        click.echo("".join(render.json_array(shaped)), nl=False)
    elif output == "jsonl":
        shaped = [{**{c: r[c] for c in columns}, **searched} for r in rows]
        click.echo("".join(render.json_lines(shaped)), nl=False)
    else:
        click.echo("".join(render.csv_rows(rows, columns)), nl=False)
    with _errors():
        _undated_note(store, match, filters)


def _undated_note(store, match, filters) -> None:
    """Say on stderr how many matching articles a --since/--until left out for having no
    publication date: no bound can hold them, and a count that drops them says nothing."""
    from dataclasses import replace

    from . import render

    if not (filters.since or filters.until):
        return
    undated = store.count_matches(match, replace(filters, since=None, until=None, undated=True))
    if undated.value:
        click.echo(
            f"note: {render.match_count(undated)} more matching articles have no publication "
            "date; --since/--until leave them out",
            err=True,
        )


def _zero_hint(words) -> str | None:
    """A one-line hint when a query a person wrote finds nothing because of how it was read."""
    lowered = [w for w in words if w.lower() in ("or", "not", "and") and w not in ("OR", "NOT")]
    if lowered:
        return f"hint: operators are upper case ({lowered[0].upper()}); {lowered[0]!r} was a word"
    if len(words) > 2:
        return "hint: every word must occur; write OR between words to find any of them"
    return None


def _print_facets(counts: dict, output: str) -> None:
    from . import render

    if output == "table":
        click.echo(render.facets_text(counts), nl=False)
    elif output in ("json", "jsonl"):
        click.echo(json.dumps({k: dict(v) for k, v in counts.items()}, ensure_ascii=False))
    else:
        rows = [
            {"facet": name, "value": value, "count": n}
            for name, pairs in counts.items()
            for value, n in pairs
        ]
        click.echo("".join(render.csv_rows(rows, ("facet", "value", "count"))), nl=False)


@cli.command()
@click.argument("article_id", type=int)
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_db_option
@_wait_option
def show(article_id, output, db_path, wait):
    """Everything stored for one article, with the text cleaning removed and why."""
    from . import render

    article = _open(db_path, wait=wait).get_article(article_id)
    if article is None:
        raise click.ClickException(f"no article with id {article_id}")
    if output == "json":
        click.echo(json.dumps(article, ensure_ascii=False, indent=2))
    else:
        click.echo(render.article_text(article), nl=False)


@cli.command()
@_filter_options
@click.option(
    "--match",
    "terms",
    multiple=True,
    help="Only articles matching these words, read as `query` reads them (with their forms).",
)
@click.option("--exact", is_flag=True, help="Match the words only as written (no other forms).")
@click.option("--raw", is_flag=True, help="Treat --match as an FTS5 query expression.")
@click.option(
    "--format", "output", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@_db_option
@_wait_option
def export(
    language, since, until, place, source, canonical_only, terms, exact, raw, output, db_path,
    wait,
):
    """Write every article (or those filtered like `query`) to stdout, one per line or row.

    --match finds the articles `query` finds for the same words (serang: menyerang,
    serangan...), all of them, in the order they were stored.
    """
    from . import render

    store = _open(db_path, wait=wait)
    filters = _filters(language, since, until, place, source, canonical_only)
    with _errors():
        match = _plan(store, terms, language, raw, exact).match if terms else None
    rows = store.export(filters, match)
    chunks = (
        render.json_lines(rows)
        if output == "jsonl"
        else render.csv_rows(
            rows, render.EXPORT_SCALARS + render.EXPORT_LISTS + render.EXPORT_CLUSTER
        )
    )
    with _errors():
        for chunk in chunks:
            click.echo(chunk, nl=False)
        _undated_note(store, match, filters)


@cli.command()
@click.option("--runs", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--failed", type=click.IntRange(min=0), default=20, show_default=True)
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_canonical_option
@_db_option
@_wait_option
def status(runs, failed, output, canonical_only, db_path, wait):
    """Corpus totals, the latest runs and the files that failed."""
    from . import render

    store = _open(db_path, wait=wait)
    counts = store.counts(canonical_only)
    recent, failures = store.recent_runs(runs), store.failed_files(failed)
    title_only = store.title_only_articles(failed)
    if output == "json":
        everything = {
            **counts, "runs": recent, "failed_files": failures, "title_only_articles": title_only
        }
        click.echo(json.dumps(everything, ensure_ascii=False, indent=2))
    else:
        click.echo(render.status_text(counts, recent, failures, title_only), nl=False)


@cli.command()
@_filter_options
@click.option("--match", "terms", multiple=True, help="Only articles matching these words.")
@click.option("--raw", is_flag=True, help="Treat --match as an FTS5 query expression.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="Places and domains listed.")
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--html", "html_path", type=click.Path(dir_okay=False), help="Also write an HTML report here."
)
@_db_option
@_wait_option
def stats(
    language, since, until, place, source, canonical_only, terms, raw, top, output, html_path,
    db_path, wait,
):
    """The corpus at a glance: articles by month, source and language, places, domains, what
    cleaning removed and what failed (filtered like `query`)."""
    from .stats import corpus_stats

    store = _open(db_path, wait=wait)
    filters = _filters(language, since, until, place, source, canonical_only)
    with _errors():
        match = _plan(store, terms, language, raw, False).match if terms else None
        report = corpus_stats(store, filters, match, top)
    if html_path:
        from .stats_report import html_report

        try:
            with open(html_path, "w", encoding="utf-8") as handle:
                handle.write(html_report(report, f"Corpus report: {os.path.basename(db_path)}"))
        except OSError as exc:
            raise click.ClickException(f"{html_path}: cannot write ({exc.strerror})") from None
        click.echo(f"wrote {html_path}", err=True)
    if output == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        from .stats_report import terminal_tables

        console = Console(highlight=False)
        for renderable in terminal_tables(report):
            console.print(renderable)
            console.print()
    with _errors():
        _undated_note(store, match, filters)


@cli.command("datasette-metadata")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@_db_option
@_wait_option
def datasette_metadata(output, db_path, wait):
    """Metadata for `datasette DB --metadata FILE`: descriptions, sort, facets, search, queries."""
    from .datasette import metadata

    _open(db_path, wait=wait).close()
    text = json.dumps(metadata(db_path), ensure_ascii=False, indent=2) + "\n"
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise click.ClickException(f"{output}: cannot write ({exc.strerror})") from None
        click.echo(f"wrote {output}; run: datasette {db_path} --metadata {output}", err=True)
    else:
        click.echo(text, nl=False)
