"""Query latency at scale: `newsingest query` with its word forms, match count and filters.

Builds a large database cheaply from a corpus database made by `newsingest add` (copies of its
rows, with the FTS index rebuilt once after the load, and the places of every copy so that
`--place` has as much to test as in a real corpus), then times what `query` does for one
query in one process: read the query, widen each word to its forms, rank, snippet, and count
the matches -- p50 and p95 over a varied query set, with and without filters (`--lang`,
`--source`, `--since`/`--until`, `--place`).

Copies repeat the same texts, so every word is found in the same share of articles as in the
corpus (a word in 1 % of 2,460 articles is in 1 % of a million): the latency wall of common
words is there. The copies leave out the raw text, which queries never read.

    newsingest add ../shared/corpus --db corpus.db
    python benchmarks/bench_search.py corpus.db --size 1000000 --out big.db
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsingest import search  # noqa: E402
from newsingest.store import _FILTER_FILL, _TERM_DOCUMENTS_FILL, Filters, open_store  # noqa: E402

COLUMNS = (
    "source, language, language_probability, published, published_precision, published_method, "
    "format, url, site_name, author, word_count, story_signature, first_seen, last_seen, "
    "pipeline_version, title, body"
)
PLACE_COLUMNS = (
    "field, start, text, name, country_code, latitude, longitude, geonameid, kind"
)

# Indonesian roots and derived forms, Malay and English words, from rare to very common;
# each run with several filters.
QUERIES = [
    ["serang"], ["menyerang"], ["tangkap"], ["ditangkap"], ["beli"], ["bangun"], ["hukum"],
    ["korban"], ["banjir"], ["pemerintah"], ["kerajaan"], ["harga"], ["polisi"], ["presiden"],
    ["jalan"], ["kata"], ["attack"], ["market"], ["oil", "prices"], ["government"],
    ['"perdana menteri"'], ["serang", "OR", "tembak"], ["banjir", "-jakarta"], ["vaksin*"],
    ["warga", "desa"], ["hoax"], ["isu"], ["ekonomi"], ["tahun"], ["yang"],
]
FILTERS = [
    ("none", {}),
    ("--lang id", {"language": "id"}),
    ("--lang en", {"language": "en"}),
    ("--source id_detik_2025", {"source": "id_detik_2025"}),
    ("--since 2017 --until 2017", {"since": "2017", "until": "2017"}),
    ("--place Jakarta", {"place": "Jakarta"}),
]


def build(corpus: Path, out: Path, size: int) -> None:
    """Copy the corpus database and fill it with copies of its rows up to ``size`` articles."""
    shutil.copyfile(corpus, out)
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    base = conn.execute("SELECT count(*), max(id) FROM articles").fetchone()
    count, top = base
    copy = 0
    started = time.perf_counter()
    while count < size:
        copy += 1
        take = min(base[0], size - count)
        conn.execute("BEGIN")
        conn.execute(
            f"INSERT INTO articles (id, {COLUMNS}, content_hash, raw) "
            f"SELECT id + ?, {COLUMNS}, content_hash || '-' || ?, '' FROM articles "
            "WHERE id <= ? ORDER BY id LIMIT ?",
            [copy * top, copy, top, take],
        )
        conn.execute(
            f"INSERT INTO places (article_id, {PLACE_COLUMNS}) "
            f"SELECT article_id + ?, {PLACE_COLUMNS} FROM places WHERE article_id <= ? "
            "AND article_id IN (SELECT id FROM articles WHERE id <= ? ORDER BY id LIMIT ?)",
            [copy * top, top, top, take],
        )
        conn.execute("COMMIT")
        count += take
    print(f"rows: {count:,} in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_filters'").fetchone():
        # Its triggers were dropped with the others for the load.
        conn.execute(_FILTER_FILL)
    started = time.perf_counter()
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    print(f"FTS rebuilt in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'term_documents'").fetchone():
        # Kept by the writes this load bypassed: counted afresh from the rebuilt index.
        conn.execute("DELETE FROM term_documents")
        conn.execute(_TERM_DOCUMENTS_FILL)
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("ANALYZE")
    conn.close()


def compare_designs(corpus: Path, folder: Path) -> None:
    """Term table (query-time widening) against a stemmed shadow FTS5 index: the write cost per
    article (CPU, stems cached per word as both would be) and the space each adds."""
    from newsingest.store import _TERM_INSERT

    rows = sqlite3.connect(corpus).execute("SELECT language, title, body FROM articles").fetchall()
    results = {}
    for design in ("term table", "shadow index"):
        path = folder / f"design-{design.replace(' ', '-')}.db"
        shutil.copyfile(corpus, path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("DELETE FROM search_terms")
        conn.execute("VACUUM")
        before = path.stat().st_size
        search.stem.cache_clear()
        search._stemmer.cache_clear()  # PySastrawi keeps a cache of its own
        if design == "shadow index":
            conn.execute(
                "CREATE VIRTUAL TABLE shadow USING fts5(title, body, "
                "tokenize='unicode61 remove_diacritics 2')"
            )
        started = time.process_time()
        conn.execute("BEGIN")
        for language, title, body in rows:
            if design == "term table":
                conn.executemany(_TERM_INSERT, search.term_rows(language, (title, body)))
            else:
                name = search.family(language)
                stemmed = [
                    " ".join(
                        search.stem(name, w) if name else w
                        for w in search._TOKEN.findall(text.lower())
                    )
                    for text in (title, body)
                ]
                conn.execute("INSERT INTO shadow (title, body) VALUES (?, ?)", stemmed)
        conn.execute("COMMIT")
        cpu = (time.process_time() - started) / len(rows)
        conn.execute("VACUUM")
        results[design] = (cpu, path.stat().st_size - before)
        conn.close()
        path.unlink()
    print(f"{'design':<14} {'CPU ms/article':>15} {'space added':>12}")
    for design, (cpu, size) in results.items():
        print(f"{design:<14} {cpu * 1000:>15.2f} {size / 1e6:>10.1f} MB")


def previous_execution(store) -> None:
    """Run queries as the version before `search_filters` did: every candidate's filter
    columns read in its article row (dates cut as strings), every snippet looked up alone. (To
    time the previous release itself, run its own copy of this script on the same database.)"""
    import newsingest.store

    store.filter_table = "articles"
    newsingest.store.SNIPPET_SCAN_MAX = 0


def time_query(store, words, filters: Filters, exact: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds for one query as `newsingest query` runs it."""
    started, cpu = time.perf_counter(), time.process_time()
    plan = search.plan_query(store, words, filters.language, exact)
    store.search(plan.match, filters, 20, ("**", "**"), plan.exact)
    store.count_matches(plan.match, filters)
    return time.perf_counter() - started, time.process_time() - cpu


def overlap(store, windows: list[int], depth: int = 10) -> None:
    """What a rank window changes: the top ``depth`` of each query ranked among the newest
    matches only, against the top ``depth`` of every match ranked (overlap@depth), without a
    filter and with --lang id. Copies of one text count as one text in the second figure
    (their content hash is the original's with the copy number appended)."""
    import newsingest.store

    def texts(ids) -> set[str]:
        marks = ", ".join("?" * len(ids))
        rows = store.conn.execute(
            f"SELECT content_hash FROM articles WHERE id IN ({marks})", list(ids)
        )
        return {row[0].split("-")[0] for row in rows}

    print(f"{'window':>8} {'filter':<10} overlap@{depth}: {'articles':>8} {'texts':>6}  queries")
    full: dict = {}
    for window in windows:
        for label, values in FILTERS[:2]:
            filters = Filters(**values)
            by_id, by_text = [], []
            for words in QUERIES:
                plan = search.plan_query(store, words, filters.language)
                key = (label, tuple(words))
                if key not in full:
                    full[key] = store.search(
                        plan.match, filters, depth, ("", ""), plan.exact, rank_all=True
                    )
                best = [row["id"] for row in full[key]]
                if not best:
                    continue
                newsingest.store.RANK_WINDOW = window
                newsingest.store.WIDENED_RANK_WINDOW = max(1, window // 10)
                rows = store.search(plan.match, filters, depth, ("", ""), plan.exact)
                ids = [row["id"] for row in rows]
                by_id.append(len(set(ids) & set(best)) / len(best))
                wanted = texts(best)
                by_text.append(len(texts(ids) & wanted) / len(wanted))
            print(
                f"{window:>8,} {label:<10} {'':>10}{statistics.mean(by_id):>8.3f} "
                f"{statistics.mean(by_text):>6.3f}  {len(by_id)}"
            )


def processes(database: Path, roots: list[Path], runs: int) -> None:
    """CPU of one `newsingest query` process per query (start-up included: a cold SQLite
    cache, as a person running the command gets), with the package of each source tree in
    turns, for a few words from rare to very common, alone, with --lang id and --place."""
    import os
    import resource
    import subprocess

    words = [["serang"], ["banjir"], ["harga"], ["presiden"], ["kata"], ["yang"], ["oil", "prices"]]
    options = [[], ["--lang", "id"], ["--place", "Jakarta"]]

    def cpu(command: list[str], root: Path | None = None) -> float:
        env = dict(os.environ, PYTHONPATH=str(root.resolve())) if root else None
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, env=env, cwd=root, capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

    times: dict[Path, list[float]] = {root: [] for root in roots}
    for query in words:
        for option in options:
            for root in roots:
                command = [sys.executable, "-m", "newsingest", "query", *query, *option]
                command += ["--db", str(database.resolve())]
                cpu(command, root)  # the operating system's cache
                times[root].append(statistics.median(cpu(command, root) for _ in range(runs)))
    bare = statistics.median(cpu([sys.executable, "-c", "pass"]) for _ in range(5))
    print(f"CPU ms per `newsingest query` process ({len(words) * len(options)} queries; "
          f"`python -c pass`: {bare * 1000:.0f} ms)")
    for root, found in times.items():
        found.sort()
        p50, p95 = statistics.median(found), found[min(len(found) - 1, int(0.95 * len(found)))]
        print(f"{str(root):<40} p50 {p50 * 1000:6.0f}  p95 {p95 * 1000:6.0f}")


def count_error(store) -> None:
    """How far the estimated match counts are from every counted match tested: over the
    benchmark's queries and filters, for the counts that are estimates."""
    import newsingest.store

    errors, estimated = [], 0
    for _, values in FILTERS:
        if "place" in values:
            values = place_filters(values["place"])
        filters = Filters(**values)
        where, params = store._filter_sql(filters)
        for words in QUERIES:
            plan = search.plan_query(store, words, filters.language)
            count = store.count_matches(plan.match, filters)
            if count.exact:
                continue
            estimated += 1
            # The same matches the estimate stands for (the first COUNT_MAX), each one tested.
            tested = store.conn.execute(
                "SELECT count(*) FROM (SELECT rowid AS id FROM articles_fts WHERE articles_fts "
                "MATCH ? LIMIT ?) m JOIN articles a ON a.id = m.id"
                + "".join(f" AND {w}" for w in where),
                [plan.match, newsingest.store.COUNT_MAX, *params],
            ).fetchone()[0]
            errors.append(abs(count.value - tested) / tested if tested else float(count.value > 0))
    errors.sort()
    print(
        f"{estimated} of {len(FILTERS) * len(QUERIES)} counts estimated; relative error: median "
        f"{statistics.median(errors):.3f}, 90th percentile {errors[int(0.9 * len(errors))]:.3f}, "
        f"largest {errors[-1]:.3f}"
    )


def statements(store) -> None:
    """CPU time of each kind of SQL statement a query runs, summed over the queries of each
    filter (one timed run after a warm one): where a query's time goes."""
    import collections

    kinds = (
        ("bm25(", "ranking"), ("OFFSET", "rank window bound"), ("snippet(", "snippets"),
        ("UNION", "guards' language shares"), ("stats_articles", "guards' language shares"),
        ("articles_fts_vocab", "guards' document counts"),
        ("term_documents", "guards' document counts"), ("search_terms", "word forms"),
        ("reprint_clusters", "cluster sizes"), ("count(*)", "match count"),
        ("ifnull(sum(", "match count"),
    )
    spent: collections.Counter = collections.Counter()

    class Timed:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, params=()):
            started = time.process_time()
            cursor = self.conn.execute(sql, params)
            rows = _Rows(cursor.fetchall())
            kind = next((name for key, name in kinds if key in sql), "shown rows")
            spent[kind] += time.process_time() - started
            rows.description = cursor.description
            return rows

        def __getattr__(self, name):
            return getattr(self.conn, name)

    class _Rows(list):
        description = None

        def fetchone(self):
            return self[0] if self else None

        def fetchall(self):
            return list(self)

    store.conn = Timed(store.conn)
    print("CPU ms per kind of statement, summed over the 30 queries of each filter")
    for label, values in FILTERS:
        if "place" in values:
            values = place_filters(values["place"])
        filters = Filters(**values)
        for words in QUERIES:
            time_query(store, words, filters)
        spent.clear()
        for words in QUERIES:
            time_query(store, words, filters)
        print(f"{label:<28} " + ", ".join(f"{k} {v * 1000:.0f}" for k, v in spent.most_common()))


def write_cost(corpus: Path, folder: Path, runs: int) -> None:
    """What keeping term_documents costs a writer: CPU per article to count the words of every
    corpus article's text, in batches as `add` does and one article at a time, on a copy of the
    corpus database (each pass rolled back)."""
    import newsingest.store

    path = folder / "write-cost.db"
    shutil.copyfile(corpus, path)
    store = open_store(path, write=True)
    texts = store.conn.execute("SELECT title, body FROM articles").fetchall()
    batch = newsingest.store.TERM_COUNT_BATCH
    for size in (batch, 1):
        newsingest.store.TERM_COUNT_BATCH = size
        spent = []
        for _ in range(runs):
            store.conn.execute("BEGIN")
            started = time.process_time()
            for pair in texts:
                store._count_terms(pair, +1)
            store.flush_term_counts()
            spent.append((time.process_time() - started) / len(texts))
            store.conn.execute("ROLLBACK")
        print(f"batches of {size:>4}: {statistics.median(spent) * 1000:.3f} ms of CPU per article "
              f"(median of {runs} passes over {len(texts):,} articles)")
    newsingest.store.TERM_COUNT_BATCH = batch
    store.close()
    path.unlink()


def place_filters(name: str) -> dict:
    from newsingest import places

    ids, names = places.place_keys(name, places.load_gazetteer())
    return {"place": name, "place_ids": ids, "place_names": names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_db", type=Path, help="a database made by `newsingest add`")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, help="the large database (built when missing)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each query")
    parser.add_argument(
        "--exact", action="store_true", help="time the queries with widening off (as before)"
    )
    parser.add_argument(
        "--designs", action="store_true", help="compare the term table with a shadow index"
    )
    parser.add_argument(
        "--previous", action="store_true", help="time the previous execution (see its function)"
    )
    parser.add_argument(
        "--overlap",
        help="compare the top 10 ranked within these rank windows (e.g. 500,2000) with the top "
        "10 of every match ranked, instead of timing",
    )
    parser.add_argument(
        "--processes",
        nargs="+",
        type=Path,
        metavar="ROOT",
        help="time one `newsingest query` process per query with the package of each of these "
        "source trees (this one, a previous release), in turns, instead",
    )
    parser.add_argument(
        "--count-error",
        action="store_true",
        help="compare the estimated match counts with every counted match tested, instead",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="sum the CPU time of each kind of SQL statement per filter, instead",
    )
    parser.add_argument(
        "--write-cost",
        action="store_true",
        help="time what counting each written article's words costs the writer, instead",
    )
    args = parser.parse_args()
    if args.write_cost:
        write_cost(args.corpus_db, args.corpus_db.parent, args.runs)
        return
    if args.designs:
        compare_designs(args.corpus_db, args.corpus_db.parent)
        return
    database = args.corpus_db
    if args.out:
        if not args.out.exists():
            build(args.corpus_db, args.out, args.size)
        database = args.out
    # A database built before this version gains its schema upgrades here (a write, once).
    started = time.perf_counter(), time.process_time()
    open_store(database, write=True).close()
    upgrade = time.perf_counter() - started[0], time.process_time() - started[1]
    if upgrade[0] > 1:
        print(f"schema upgraded in {upgrade[0]:.1f} s ({upgrade[1]:.1f} s CPU)")
    store = open_store(database)
    if args.previous:
        previous_execution(store)
    if args.processes:
        processes(database, args.processes, args.runs)
        return
    if args.count_error:
        count_error(store)
        return
    if args.statements:
        statements(store)
        return
    if args.overlap:
        overlap(store, [int(w) for w in args.overlap.split(",")])
        return
    articles = store.article_count()
    print(f"{articles:,} articles in {database.name}")
    print("milliseconds per query (median of the runs of each query): wall time / CPU time")
    print(f"{'filter':<28} {'p50':>13} {'p95':>13} {'max':>13}  queries")
    every: list[tuple[float, float]] = []
    for label, values in FILTERS:
        if "place" in values:
            values = place_filters(values["place"])
        filters = Filters(**values)
        times = []
        for words in QUERIES:
            time_query(store, words, filters, args.exact)  # warm: the page cache, the stemmers
            runs = [time_query(store, words, filters, args.exact) for _ in range(args.runs)]
            times.append(
                (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
            )
        every += times
        print(f"{label:<28} {_figures(times)}  {len(times)}")
    print(f"{'all':<28} {_figures(every)}  {len(every)}")


def _figures(times: list[tuple[float, float]]) -> str:
    cells = []
    for pick in (0.5, 0.95, 1.0):
        pair = []
        for column in (0, 1):
            ordered = sorted(t[column] for t in times)
            pair.append(ordered[min(len(ordered) - 1, int(pick * len(ordered)))] * 1000)
        cells.append(f"{pair[0]:>6.1f}/{pair[1]:<6.1f}")
    return " ".join(cells)


if __name__ == "__main__":
    main()
