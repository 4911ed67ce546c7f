"""Command-line interface: parse options, call the library, print (data on stdout, the rest on
stderr). The only module that imports click."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from contextlib import contextmanager

import click

from .errors import NewsIngestError

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
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _date_bound(ctx, param, value):
    if value is not None and not DATE_BOUND.match(value):
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


class _CliError(click.ClickException):
    def __init__(self, error: NewsIngestError):
        super().__init__(str(error))
        self.exit_code = error.exit_code


@contextmanager
def _errors():
    """Expected problems become one-line messages with their exit status."""
    try:
        yield
    except NewsIngestError as error:
        raise _CliError(error) from None


def _open(db_path: str, write: bool = False):
    from .store import open_store

    with _errors():
        return open_store(db_path, write=write)


def _filters(language, since, until, place, source):
    from .store import Filters

    place_ids: tuple[int, ...] = ()
    place_names: tuple[str, ...] = ()
    if place:
        from . import places

        place_ids, place_names = places.place_keys(place, places.load_gazetteer())
    return Filters(language, since, until, source, place, place_ids, place_names)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsingest")
def cli():
    """Turn folders of raw news articles into a clean, searchable SQLite corpus."""


# ----------------------------------------------------------------------------------------------
# add / reprocess


class _Reporter:
    """Where a long job's messages go: stderr (one line per problem), a log file, a progress bar."""

    def __init__(self, quiet: bool, log_file: str | None):
        self.quiet = quiet
        try:
            self.log = open(log_file, "a", encoding="utf-8") if log_file else None
        except OSError as exc:
            raise click.BadParameter(
                f"{log_file}: {exc.strerror}", param_hint="--log-file"
            ) from None
        self.progress = None
        self.task = None

    def write_log(self, text: str) -> None:
        if self.log:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            self.log.write(f"{stamp} {text}\n")
            self.log.flush()

    def problem(self, path: str, status: str, reason: str) -> None:
        message = f"{path}: {status}: {reason}"
        self.write_log(message)
        if status == "skipped" and self.quiet:
            return  # not an error: --quiet leaves it to the log and the summary
        if self.progress is not None:
            self.progress.console.print(message, markup=False, highlight=False)
        else:
            click.echo(message, err=True)

    def note(self, message: str) -> None:
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
            self.log.close()


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
        click.option(
            "--wait",
            type=click.FloatRange(min=0),
            default=0,
            show_default=True,
            help="Seconds to wait when another run is writing to the database.",
        ),
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


def _run_job(command, db_path, arguments, wait, quiet, log_file, summary_json, job):
    """Shared frame of add and reprocess: open, lock, record the run, report, exit status."""
    if summary_json and not os.access(os.path.dirname(summary_json) or ".", os.W_OK):
        raise click.BadParameter(
            f"{summary_json}: folder not writable", param_hint="--summary-json"
        )
    reporter = _Reporter(quiet, log_file)
    store = _open(db_path, write=True)
    with _errors():
        lock = store.lock(wait)
    run_id = store.start_run(command, arguments)
    reporter.write_log(f"run {run_id}: {command} {json.dumps(arguments, ensure_ascii=False)}")
    started = time.monotonic()
    try:
        report = job(store, run_id, reporter)
    except KeyboardInterrupt:
        store.finish_run(run_id, {}, 130, time.monotonic() - started)
        reporter.note("interrupted: every batch committed before this point is kept")
        sys.exit(130)
    finally:
        lock.release()
    for note in report.notes:
        reporter.note(note)
    store.finish_run(run_id, report.counts, report.exit_code, report.seconds)
    summary = f"{command}: {report.summary()}"
    click.echo(summary, err=True)
    reporter.write_log(summary)
    reporter.close()
    if summary_json:
        with open(summary_json, "w", encoding="utf-8") as handle:
            json.dump({"run": run_id, "command": command, **report.as_dict()}, handle, indent=2)
            handle.write("\n")
    store.close()
    sys.exit(report.exit_code)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--source", help="Label for every article [default: the file's folder name].")
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
    whose cleaned text is the same become one article linked to all of them.
    """
    from . import ingest

    options = ingest.Options(
        source=source,
        workers=_workers(workers),
        commit_every=commit_every,
        max_bytes=max_bytes,
        force=force,
    )
    arguments = {
        "paths": list(paths),
        "source": source,
        "force": force,
        "max_bytes": max_bytes,
        "workers": options.workers,
    }

    def job(store, run_id, reporter):
        total = None
        if not quiet and sys.stderr.isatty():
            roots, _ = ingest.plan_roots(paths)
            total = sum(1 for _ in ingest.walk(roots, source))
        callbacks = ingest.Callbacks(reporter.problem, reporter.advance, reporter.write_log)
        with reporter.showing("add", total):
            return ingest.add(store, paths, options, run_id, callbacks)

    _run_job("add", db_path, arguments, wait, quiet, log_file, summary_json, job)


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
        callbacks = ingest.Callbacks(reporter.problem, reporter.advance, reporter.write_log)
        with reporter.showing("reprocess", store.article_count()):
            return ingest.reprocess(store, options, callbacks)

    _run_job(
        "reprocess", db_path, {"workers": options.workers}, wait, quiet, log_file, summary_json, job
    )


# ----------------------------------------------------------------------------------------------
# query / show / export / status


def _match_expression(terms, raw: bool) -> str:
    from .store import quote_terms

    return " ".join(terms) if raw else quote_terms(terms)


@cli.command()
@click.argument("terms", nargs=-1, required=True)
@_filter_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "jsonl", "csv"]),
    default="table",
    show_default=True,
)
@click.option("--raw", is_flag=True, help="Pass TERMS to SQLite FTS5 as a query expression.")
@_db_option
def query(terms, language, since, until, place, source, limit, output, raw, db_path):
    """Search the corpus: best matches first, with a highlighted snippet.

    Each argument is searched as written (quote several words to search a phrase); all must
    occur. With --raw, TERMS are FTS5 syntax: OR, NOT, NEAR(), prefix*, column filters.
    """
    from . import render

    store = _open(db_path)
    filters = _filters(language, since, until, place, source)
    match = _match_expression(terms, raw)
    highlight = render.HIGHLIGHT
    with _errors():
        rows = store.search(match, filters, limit, highlight)
    columns = render.QUERY_COLUMNS
    if output == "table":
        from rich.console import Console

        if rows:
            console = Console(highlight=False)
            console.print(render.query_table(rows, marks=not console.is_terminal))
        total = store.count_matches(match, filters)
        more = "+" if total >= 100_000 else ""
        click.echo(f"{len(rows)} shown of {total:,}{more} matching", err=True)
    elif output == "json":
        click.echo("".join(render.json_array([{c: r[c] for c in columns} for r in rows])), nl=False)
    elif output == "jsonl":
        click.echo("".join(render.json_lines([{c: r[c] for c in columns} for r in rows])), nl=False)
    else:
        click.echo("".join(render.csv_rows(rows, columns)), nl=False)


@cli.command()
@click.argument("article_id", type=int)
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_db_option
def show(article_id, output, db_path):
    """Everything stored for one article, with the text cleaning removed and why."""
    from . import render

    article = _open(db_path).get_article(article_id)
    if article is None:
        raise click.ClickException(f"no article with id {article_id}")
    if output == "json":
        click.echo(json.dumps(article, ensure_ascii=False, indent=2))
    else:
        click.echo(render.article_text(article), nl=False)


@cli.command()
@_filter_options
@click.option("--match", "terms", multiple=True, help="Only articles matching these words.")
@click.option("--raw", is_flag=True, help="Treat --match as an FTS5 query expression.")
@click.option(
    "--format", "output", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@_db_option
def export(language, since, until, place, source, terms, raw, output, db_path):
    """Write every article (or those filtered like `query`) to stdout, one per line or row."""
    from . import render

    store = _open(db_path)
    filters = _filters(language, since, until, place, source)
    match = _match_expression(terms, raw) if terms else None
    rows = store.export(filters, match)
    chunks = (
        render.json_lines(rows)
        if output == "jsonl"
        else render.csv_rows(rows, render.EXPORT_SCALARS + render.EXPORT_LISTS)
    )
    with _errors():
        for chunk in chunks:
            click.echo(chunk, nl=False)


@cli.command()
@click.option("--runs", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--failed", type=click.IntRange(min=0), default=20, show_default=True)
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_db_option
def status(runs, failed, output, db_path):
    """Corpus totals, the latest runs and the files that failed."""
    from . import render

    store = _open(db_path)
    counts, recent, failures = store.counts(), store.recent_runs(runs), store.failed_files(failed)
    if output == "json":
        click.echo(
            json.dumps(
                {**counts, "runs": recent, "failed_files": failures}, ensure_ascii=False, indent=2
            )
        )
    else:
        click.echo(render.status_text(counts, recent, failures), nl=False)


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
def stats(language, since, until, place, source, terms, raw, top, output, html_path, db_path):
    """The corpus at a glance: articles by month, source and language, places, domains, what
    cleaning removed and what failed (filtered like `query`)."""
    from .stats import corpus_stats

    store = _open(db_path)
    filters = _filters(language, since, until, place, source)
    match = _match_expression(terms, raw) if terms else None
    with _errors():
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


@cli.command("datasette-metadata")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@_db_option
def datasette_metadata(output, db_path):
    """Metadata for `datasette DB --metadata FILE`: descriptions, sort, facets, search, queries."""
    from .datasette import metadata

    _open(db_path).close()
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
