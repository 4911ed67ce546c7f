"""Speed and memory of `newsingest add` and `newsingest query` on realistic corpora.

Builds varied copies of the real articles in the corpus folder (10,000 and 100,000 by default:
every copy swaps about a quarter of its words for other words of the same source, so no
sentence repeats while language, dates, places and boilerplate stay realistic), then measures,
as medians over several runs:

- `add` end to end with every stage on, with 1 and 2 workers: articles/s and peak memory
  (the sum of the proportional set sizes of the newsingest process and its workers, sampled
  every 0.5 s: pages the forked workers share with it count once);
- `add` again over the same, unchanged files: files/s;
- `query`: p50 and p95 latency over 50 varied queries (rare and common words, phrases, with and
  without filters) at 100,000 articles and at 1,000,000 articles (the latter built by copying
  the rows of the 100,000 database, with the FTS index rebuilt after the load);
- the size of the database relative to the raw text.

    python benchmarks/bench_ingest.py                      # the full table (about an hour)
    python benchmarks/bench_ingest.py --sizes 10000 --runs 3 --query-sizes 100000

``--speed`` measures instead the figures of the speed targets, for this version and, with
``--previous SRC`` (the ``newsingest`` source folder of another version, e.g. from
``git archive``), for that one too, the two taken in turns so that a change in the machine's
load falls on both: pipeline CPU per article in one process (by stage), model loading in a
cold process, `add` with 2 workers against a standard-library floor (read + SHA-256 + SQLite
insert, FTS5 index built after the load), peak memory, and an unchanged re-add of 100 files:

    python benchmarks/bench_ingest.py --speed --sizes 10000 --runs 3 --previous /tmp/prev
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[^\W\d_]{4,}")


# ----------------------------------------------------------------------------------------------
# Inputs


def build_inputs(corpus: Path, target: Path, count: int) -> Path:
    """``count`` varied copies of the corpus articles under ``target`` (cached between runs)."""
    done = target / ".complete"
    if done.exists() and done.read_text() == str(count):
        return target
    if target.exists():
        shutil.rmtree(target)
    sources = sorted(p for p in corpus.iterdir() if p.is_dir())
    texts = {
        s.name: [f.read_text(encoding="utf-8-sig") for f in sorted(s.glob("*.txt"))]
        for s in sources
    }
    vocab = {name: sorted({w for t in ts for w in WORD.findall(t)}) for name, ts in texts.items()}
    originals = [(name, index) for name in sorted(texts) for index in range(len(texts[name]))]
    for number in range(count):
        name, index = originals[number % len(originals)]
        copy = number // len(originals)
        text = texts[name][index]
        if copy:
            text = _vary(text, vocab[name], random.Random(number))
        folder = target / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number:07d}.txt").write_text(text, encoding="utf-8")
    done.write_text(str(count))
    return target


def _vary(text: str, vocab: list[str], rng: random.Random) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        if rng.random() >= 0.25:
            return word
        other = vocab[rng.randrange(len(vocab))]
        if word.isupper():
            return other.upper()
        if word[0].isupper():
            return other[:1].upper() + other[1:]
        return other.lower()

    return WORD.sub(swap, text)


def raw_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.txt"))


# ----------------------------------------------------------------------------------------------
# Running and measuring add


def _tree_pss_kb(root_pid: int) -> int:
    """Memory of a process and all its descendants, in KB: the sum of their proportional set
    sizes (a page shared by the forked workers counts once, split between them)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


def run_add(
    folder: Path, db: Path, workers: int, extra: list[str] | None = None, cwd: Path | None = None
) -> dict:
    """One `newsingest add`; returns its summary, wall time and peak memory."""
    summary = db.with_suffix(".summary.json")
    command = [
        sys.executable,
        "-m",
        "newsingest",
        "add",
        str(folder),
        "--db",
        str(db),
        "--workers",
        str(workers),
        "--quiet",
        "--summary-json",
        str(summary),
        *(extra or []),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd
    )
    peak = 0
    while True:
        peak = max(peak, _tree_pss_kb(process.pid))
        # Reading PSS walks every page of every process: sampled often, it would steal the
        # very CPU being measured. Waiting (not sleeping) notices the exit at once.
        try:
            process.wait(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            continue
    seconds = time.perf_counter() - started
    errors = process.stderr.read().decode()
    if process.returncode not in (0, 1):
        raise SystemExit(f"add failed ({process.returncode}): {errors[-2000:]}")
    return {**json.loads(summary.read_text()), "wall": seconds, "peak_mb": peak / 1024}


# ----------------------------------------------------------------------------------------------
# Queries


def make_queries(db: Path, count: int = 50) -> list[dict]:
    """50 varied queries chosen from the corpus vocabulary by how many articles hold each word."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, row)")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    rows = conn.execute(
        "SELECT term, doc FROM temp.vocab WHERE length(term) >= 4 AND term GLOB '[a-z]*' "
        "ORDER BY term"
    ).fetchall()
    bands = {
        "rare": [t for t, d in rows if 0.0001 * total <= d <= 0.001 * total],
        "medium": [t for t, d in rows if 0.001 * total < d <= 0.05 * total],
        "common": [t for t, d in rows if d > 0.3 * total],
    }
    rng = random.Random(7)
    languages = [
        r[0]
        for r in conn.execute(
            "SELECT language FROM articles WHERE language IS NOT NULL GROUP BY language "
            "ORDER BY count(*) DESC LIMIT 3"
        )
    ]
    sources = [r[0] for r in conn.execute("SELECT DISTINCT source FROM articles ORDER BY 1")]
    places = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM places WHERE name IS NOT NULL GROUP BY name ORDER BY count(*) DESC "
            "LIMIT 5"
        )
    ]
    queries: list[dict] = []

    def pick(band, n, **filters):
        for term in rng.sample(bands[band], min(n, len(bands[band]))):
            queries.append({"terms": [term], "band": band, **filters})

    pick("rare", 12)
    pick("medium", 10)
    pick("common", 6)
    for _ in range(8):  # two words, each of medium frequency
        a, b = rng.sample(bands["medium"], 2)
        queries.append({"terms": [a, b], "band": "two words"})
    for _ in range(4):  # a common word with a rare one
        queries.append(
            {
                "terms": [rng.choice(bands["common"]), rng.choice(bands["rare"])],
                "band": "common+rare",
            }
        )
    pick("medium", 3, language=languages[0] if languages else None)
    pick("common", 2, source=rng.choice(sources))
    pick("medium", 2, since="2015-01-01")
    if places:
        pick("medium", 3, place=rng.choice(places))
    conn.close()
    return queries[:count]


def time_queries(db: Path, queries: list[dict], repeats: int = 3) -> list[float]:
    """Median milliseconds of each query (search + its snippet), in a warm process."""
    sys.path.insert(0, str(ROOT))
    from newsingest import places as places_module
    from newsingest.store import Filters, open_store, quote_terms

    store = open_store(db)
    gazetteer = None
    times = []
    for query in queries:
        place_ids: tuple = ()
        place_names: tuple = ()
        if query.get("place"):
            if gazetteer is None:
                gazetteer = places_module.load_gazetteer()
            place_ids, place_names = places_module.place_keys(query["place"], gazetteer)
        filters = Filters(
            language=query.get("language"),
            since=query.get("since"),
            source=query.get("source"),
            place=query.get("place"),
            place_ids=place_ids,
            place_names=place_names,
        )
        expression = quote_terms(query["terms"])
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            store.search(expression, filters, limit=20)
            samples.append((time.perf_counter() - started) * 1000)
        times.append(statistics.median(samples))
    store.close()
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def build_million(source_db: Path, target: Path, factor: int) -> Path:
    """A corpus ``factor`` times larger made by copying every row (FTS rebuilt after the load)."""
    if target.exists():
        return target
    partial = target.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    from newsingest.store import open_store

    open_store(partial, write=True).close()
    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("ATTACH ? AS src", [str(source_db)])
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
    ).fetchall()
    conn.execute("BEGIN")
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)") if r[1] != "id"]
    offset = conn.execute("SELECT max(id) FROM src.articles").fetchone()[0]
    for copy in range(factor):
        shift = copy * offset
        conn.execute(
            f"INSERT INTO articles (id, {', '.join(columns)}) SELECT id + {shift}, "
            + ", ".join(
                "content_hash || '-' || " + str(copy) if c == "content_hash" else c for c in columns
            )
            + " FROM src.articles"
        )
        for table in ("places", "dates"):
            cols = [
                r[1]
                for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in ("id", "article_id")
            ]
            conn.execute(
                f"INSERT INTO {table} (article_id, {', '.join(cols)}) "
                f"SELECT article_id + {shift}, {', '.join(cols)} FROM src.{table}"
            )
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('rebuild')")
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("DETACH src")
    conn.close()
    partial.rename(target)
    return target


# ----------------------------------------------------------------------------------------------
# The speed targets: each figure measured in a fresh process of the version under test


PIPELINE_PROBE = """
import json, sys, time
from pathlib import Path
from newsingest import ingest, pipeline, readers
files = sorted(Path(sys.argv[1]).rglob("*.txt"))
step = max(1, len(files) // int(sys.argv[2]))
# the articles after every step-th one warm the process up (first-use imports), untimed
warm_up = files[1::step][:10]
files = files[::step][: int(sys.argv[2])]
resources = pipeline.load_resources()
spent = {stage.__module__ + "." + stage.__name__: 0.0 for stage in pipeline.STAGES}
def timed(stage, name):
    def run(article, resources):
        started = time.process_time()
        try:
            return stage(article, resources)
        finally:
            spent[name] += time.process_time() - started
    return run
pipeline.STAGES = tuple(timed(s, s.__module__ + "." + s.__name__) for s in pipeline.STAGES)
articles = [
    a for f in files for a in readers.read_bytes(f.read_bytes(), f.suffix, f.parent.name).articles
]
for f in warm_up:
    for article in readers.read_bytes(f.read_bytes(), f.suffix, f.parent.name).articles:
        ingest.process_article(article, resources)
spent = dict.fromkeys(spent, 0.0)
started = time.process_time()
for article in articles:
    ingest.process_article(article, resources)
total = time.process_time() - started
print(json.dumps({"articles": len(articles), "total": total, "stages": spent}))
"""

MODEL_PROBE = """
import json, time
wall, cpu = time.perf_counter(), time.process_time()
from newsingest import language, pipeline
imported = time.process_time() - cpu
pipeline.load_resources()
language.load_reference()
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "imports": imported}))
"""


def _env(source: Path | None) -> dict:
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


def _cwd(source: Path | None) -> Path | None:
    # `python -c` and `-m` put the working folder first on the path: for another version,
    # work from its own folder's parent so that no other newsingest shadows it
    return source.parent if source is not None else None


def _probe(code: str, source: Path | None, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=_env(source),
        check=False,
        cwd=_cwd(source),
    )
    if result.returncode:
        raise SystemExit(f"probe failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def floor_import(folder: Path, db: Path) -> float:
    """Seconds for the standard-library floor: read, SHA-256, insert, FTS5 built after."""
    import hashlib

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, path TEXT, sha256 TEXT, body TEXT)")
    conn.execute("BEGIN")
    for path in sorted(folder.rglob("*.txt")):
        data = path.read_bytes()
        conn.execute(
            "INSERT INTO docs (path, sha256, body) VALUES (?, ?, ?)",
            (str(path), hashlib.sha256(data).hexdigest(), data.decode("utf-8", "replace")),
        )
    conn.execute(
        "CREATE VIRTUAL TABLE docs_fts USING fts5(body, content='docs', content_rowid='id')"
    )
    conn.execute("INSERT INTO docs_fts(docs_fts) VALUES('rebuild')")
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def _add_with(source: Path | None, folder: Path, db: Path, workers: int, fresh=True) -> dict:
    if fresh:
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    saved = dict(os.environ)
    os.environ.update(_env(source))
    try:
        return run_add(folder, db, workers, cwd=_cwd(source))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def speed(args, sizes: list[int]) -> None:
    """The speed targets' figures for this version and, if given, the previous one."""
    versions = {"this": None}
    if args.previous:
        versions["previous"] = args.previous
    figures: dict[str, dict[str, list[float]]] = {v: {} for v in versions}

    def note(version: str, name: str, value: float) -> None:
        figures[version].setdefault(name, []).append(value)

    small = build_inputs(args.corpus, args.work / "inputs-100", 100)
    for run in range(args.runs):
        for version, source in versions.items():
            probe = _probe(PIPELINE_PROBE, source, str(args.corpus), str(args.pipeline_articles))
            note(version, "pipeline ms/article", 1000 * probe["total"] / probe["articles"])
            for stage, seconds in probe["stages"].items():
                note(version, f"  {stage} ms", 1000 * seconds / probe["articles"])
            models = _probe(MODEL_PROBE, source)
            note(version, "model loading CPU s", models["cpu"] - models["imports"])
            note(version, "imports + models CPU s", models["cpu"])
            note(version, "imports + models wall s", models["wall"])
            db = args.work / f"speed-{version}-100.db"
            _add_with(source, small, db, 2)
            again = [_add_with(source, small, db, 2, fresh=False)["wall"] for _ in range(3)]
            note(version, "unchanged re-add of 100 files, wall s", statistics.median(again))
            for size in sizes if run < (args.add_runs or args.runs) else ():
                folder = build_inputs(args.corpus, args.work / f"inputs-{size}", size)
                floor = floor_import(folder, args.work / "floor.db")
                first = _add_with(source, folder, args.work / f"speed-{version}-{size}.db", 2)
                rate = first["added"] / first["wall"]
                note(version, f"add {size:,} with 2 workers: articles/s", rate)
                note(version, f"add {size:,}: share of the floor", floor / first["wall"])
                note(version, f"add {size:,}: peak memory MB", first["peak_mb"])
                note(version, f"floor {size:,}: articles/s", size / floor)
            print(f"run {run + 1}, {version}: done", flush=True)
    names = list(figures["this"])
    print()
    print("| figure (median over the runs) | " + " | ".join(versions) + " |")
    print("|---|" + "---:|" * len(versions))
    for name in names:
        cells = [f"{statistics.median(figures[v][name]):.3g}" for v in versions]
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=ROOT.parent / "shared" / "corpus",
        help="folder of real articles, one subfolder per source",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "bench-work",
        help="where inputs and databases are built (kept between runs)",
    )
    parser.add_argument("--sizes", default="10000,100000", help="article counts for `add`")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--query-sizes",
        default="100000,1000000",
        help="corpus sizes for query latency (above the largest --sizes, made by copying rows)",
    )
    parser.add_argument("--speed", action="store_true", help="the speed targets' figures")
    parser.add_argument(
        "--previous", type=Path, help="with --speed: the source folder of a version to compare"
    )
    parser.add_argument(
        "--add-runs", type=int, help="with --speed: runs of the long `add` (default: --runs)"
    )
    parser.add_argument(
        "--pipeline-articles",
        type=int,
        default=800,
        help="with --speed: articles timed in one process (spread over every source)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.speed:
        args.work.mkdir(parents=True, exist_ok=True)
        speed(args, sizes)
        return
    workers = [int(w) for w in args.workers.split(",") if w]
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    databases: dict[int, Path] = {}
    for size in sizes:
        folder = build_inputs(args.corpus, args.work / f"inputs-{size}", size)
        text_bytes = raw_bytes(folder)
        for count in workers:
            runs = []
            for run in range(args.runs):
                db = args.work / f"add-{size}-{count}-{run}.db"
                for suffix in ("", "-wal", "-shm", ".lock"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                first = run_add(folder, db, count)
                again = run_add(folder, db, count)
                runs.append((first, again))
                print(
                    f"  {size} articles, {count} workers, run {run + 1}: "
                    f"{first['added']} added in {first['wall']:.1f}s, "
                    f"peak {first['peak_mb']:.0f} MB; re-add {again['wall']:.2f}s",
                    flush=True,
                )
            keep = args.work / f"corpus-{size}.db"
            if count == workers[-1]:
                shutil.copy(args.work / f"add-{size}-{count}-0.db", keep)
                databases[size] = keep
            for run in range(args.runs):
                for suffix in ("", "-wal", "-shm", ".lock", ".summary.json"):
                    Path(f"{args.work / f'add-{size}-{count}-{run}.db'}{suffix}").unlink(
                        missing_ok=True
                    )
            results.append(
                {
                    "size": size,
                    "workers": count,
                    "add_per_s": statistics.median(r[0]["added"] / r[0]["wall"] for r in runs),
                    "peak_mb": statistics.median(r[0]["peak_mb"] for r in runs),
                    "readd_per_s": statistics.median(
                        (r[1]["unchanged"]) / r[1]["wall"] for r in runs
                    ),
                    "db_ratio": keep.stat().st_size / text_bytes if count == workers[-1] else None,
                }
            )
    print()
    print(
        "| articles | workers | add articles/s | peak memory MB | re-add files/s "
        "| db size / raw text |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        ratio = f"{r['db_ratio']:.2f}" if r["db_ratio"] else ""
        print(
            f"| {r['size']:,} | {r['workers']} | {r['add_per_s']:.0f} | {r['peak_mb']:.0f} "
            f"| {r['readd_per_s']:,.0f} | {ratio} |"
        )
    if not databases:
        return
    base_size = max(databases)
    query_rows = []
    for size in [int(s) for s in args.query_sizes.split(",") if s]:
        if size in databases:
            db = databases[size]
        else:
            factor = max(1, round(size / base_size))
            db = build_million(databases[base_size], args.work / f"corpus-{size}.db", factor)
        queries = make_queries(databases[base_size])
        times = time_queries(db, queries)
        query_rows.append(
            (
                size,
                percentile(times, 0.5),
                percentile(times, 0.95),
                max(times),
                db.stat().st_size / 1e9,
            )
        )
        slow = sorted(zip(times, queries, strict=True), key=lambda x: -x[0])[:3]
        for ms, query in slow:
            print(f"  slowest at {size:,}: {ms:.1f} ms {query}")
    print()
    print("| articles | query p50 ms | query p95 ms | max ms | database GB |")
    print("|---:|---:|---:|---:|---:|")
    for size, p50, p95, worst, gb in query_rows:
        print(f"| {size:,} | {p50:.1f} | {p95:.1f} | {worst:.1f} | {gb:.2f} |")


if __name__ == "__main__":
    main()
