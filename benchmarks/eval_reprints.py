"""Near-duplicate clusters: recall on reprint pairs, false merges between different stories, cost.

Pairs, built from the shared corpus:

- reprints: every article long enough to cluster is edited five ways (a new headline; a credit
  line added; one paragraph replaced by a paragraph of another story of the same source; one
  paragraph dropped; the text cut to two thirds). Each (original, edit) pair must end in one
  cluster. Flattened bodies (one paragraph) are edited sentence by sentence.
- different stories that must not merge: every pair of articles of one source published the
  same day (or, for sources without dates, of the same category), and Fake.br's true and fake
  texts about the same event (``extra.pair_id``).
- credit lines: how many articles of each source credit an agency, and which; every
  Reuters-21578 article is a Reuters wire story, so there the share credited to Reuters is a
  recall.
- id_pratiwi2017_hoax: its metadata names no pairs (only each record's CSV row), so the clusters
  found among its records are counted and printed for reading, not scored.

Every original and edit goes through the real write path and ``ingest.recluster`` into a fresh
SQLite database, so LSH misses, transitive merges and the canonical choice all count. Then the
same pairs are scored one by one, bypassing the index, for the threshold trade-off: the MinHash
estimate that runs, the exact shingle similarity, and trafilatura's SimHash for comparison.
Last, the cost: CPU per article of the fingerprint and of the clustering, and of clustering one
more copy of a story already copied ``--copies`` times (each copy one line different).

    python benchmarks/eval_reprints.py [--corpus ../shared/corpus] [--runs 3] [--show 10]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsingest import cleaning, ingest, pipeline, readers, reprints  # noqa: E402
from newsingest.article import Article  # noqa: E402
from newsingest.store import FileInfo, Processed, open_store  # noqa: E402

EDITS = ("headline", "credit", "changed", "dropped", "truncated")
THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")
CREDITS = ("JAKARTA (Antara) - {}", "{}\n\nReuters", "{} (dikutip Sputnik)", "(AFP) - {}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "../shared/corpus")
    parser.add_argument("--runs", type=int, default=3, help="runs of the timing (median shown)")
    parser.add_argument("--show", type=int, default=10, help="hoax-set clusters printed")
    parser.add_argument(
        "--copies", type=int, default=2000, help="copies of one story for the big-cluster cost"
    )
    args = parser.parse_args()
    settings = reprints.DEFAULT

    originals = load_corpus(args.corpus)
    report_credits(originals)
    usable = [a for a in originals if reprints.fingerprint(a["body"], settings)]
    articles = list(originals)
    positives = []  # (original key, edit key, kind, source)
    rng = random.Random(13)
    by_source = defaultdict(list)
    for article in usable:
        by_source[article["source"]].append(article)
    for article in usable:
        for kind in EDITS:
            edited = edit(article, kind, by_source[article["source"]], rng)
            if edited is None:
                continue
            key = f"{article['key']}~{kind}"
            articles.append({**article, "key": key, **edited})
            positives.append((article["key"], key, kind, article["source"]))
    negatives = negative_pairs(usable)
    print(
        f"{len(originals)} corpus articles, {len(usable)} long enough to cluster "
        f"(at least {settings.min_shingles} shingles); {len(positives)} reprint pairs, "
        f"{len(negatives)} pairs of different stories"
    )

    cluster_of, seconds = build_clusters(articles)
    report_clusters(positives, negatives, cluster_of, originals, args.show)
    report_pairs(articles, positives, negatives, settings)
    report_cost(articles, seconds, args.runs, settings)
    report_big_cluster(usable, args.copies, args.runs)


def load_corpus(corpus: Path) -> list[dict]:
    """Every corpus article, cleaned by the product's reader and cleaning stages."""
    resources = pipeline.load_resources()
    found = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        meta = {}
        meta_path = folder / "meta.jsonl"
        if meta_path.exists():
            for line in meta_path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                meta[row["file"]] = row
        for path in sorted(folder.glob("*.txt")):
            for article in readers.read_bytes(path.read_bytes(), ".txt", folder.name).articles:
                article = cleaning.clean(readers.parse(article, resources), resources)
                row = meta.get(path.name, {})
                found.append(
                    {
                        "key": f"{folder.name}/{path.name}",
                        "source": folder.name,
                        "title": article.title,
                        "body": article.body,
                        "day": (row.get("published_iso") or "")[:10] or None,
                        "category": row.get("category"),
                        "pair": (row.get("extra") or {}).get("pair_id"),
                        "credit": reprints.find_credit(article),
                    }
                )
    return found


def report_credits(articles: list[dict]) -> None:
    """Which agencies the credit stage names, source by source."""
    print("Credit lines found (articles of each source, most frequent credits):")
    by_source = defaultdict(Counter)
    for article in articles:
        by_source[article["source"]][article["credit"]] += 1
    for source, counts in sorted(by_source.items()):
        found = sum(n for credit, n in counts.items() if credit)
        top = ", ".join(f"{c} {n}" for c, n in counts.most_common() if c)[:70]
        print(f"  {source:<22} {found:>3} of {sum(counts.values()):>3}  {top}")
    reuters = by_source.get("en_reuters21578", Counter())
    if reuters:
        print(
            f"  Reuters-21578 credited to Reuters: "
            f"{_pct(reuters['Reuters'], sum(reuters.values()))}\n"
        )


def _blocks(body: str) -> tuple[list[str], str]:
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    if len(paragraphs) >= 3:
        return paragraphs, "\n\n"
    return [s for s in SENTENCE.split(body) if s.strip()], " "


def edit(article: dict, kind: str, same_source: list[dict], rng: random.Random) -> dict | None:
    """One edited copy of an article: the kind of edit a reprinting site makes."""
    body = article["body"]
    if kind == "headline":
        return {"title": "Breaking: " + " ".join(reversed(article["title"].split())) or "New"}
    if kind == "credit":
        return {"body": CREDITS[rng.randrange(len(CREDITS))].format(body)}
    if kind == "truncated":
        words = body.split(" ")
        return {"body": " ".join(words[: len(words) * 2 // 3])}
    blocks, joiner = _blocks(body)
    if len(blocks) < 3:
        return None
    index = rng.randrange(1, len(blocks))
    if kind == "dropped":
        return {"body": joiner.join(blocks[:index] + blocks[index + 1 :])}
    donor = rng.choice([a for a in same_source if a is not article] or [article])
    donor_blocks, _ = _blocks(donor["body"])
    replacement = rng.choice(donor_blocks)
    return {"body": joiner.join(blocks[:index] + [replacement] + blocks[index + 1 :])}


def negative_pairs(articles: list[dict]) -> list[tuple[str, str, str]]:
    """Pairs of different stories that must not merge: same source and day (or category)."""
    groups = defaultdict(list)
    pairs = set()
    for article in articles:
        if article["day"]:
            groups[(article["source"], "day", article["day"])].append(article["key"])
        elif article["category"]:
            groups[(article["source"], "category", article["category"])].append(article["key"])
        if article["pair"] is not None:
            groups[(article["source"], "pair", article["pair"])].append(article["key"])
    for (source, how, _), keys in groups.items():
        if source == "id_pratiwi2017_hoax":
            continue  # holds real reprints: not a set of different stories
        for a, b in itertools.combinations(sorted(keys), 2):
            pairs.add((a, b, f"{source} same {how}"))
    return sorted(pairs)


def build_clusters(articles: list[dict]) -> tuple[dict[str, tuple[int, float]], float]:
    """Store every article through the product's write path and cluster them; returns
    ({key: (cluster id, similarity)}, CPU seconds of ``ingest.recluster``)."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "eval.db", write=True)
        store.tune_for_writing()
        run_id = store.start_run("add", {})
        ids = {}
        with store.transaction():
            for number, article in enumerate(articles):
                record = Article(
                    raw=article["body"],
                    source=article["source"],
                    title=article["title"],
                    body=article["body"],
                )
                item = Processed(record, fingerprint=reprints.fingerprint(record.body))
                info = FileInfo(path=article["key"], abs_path=f"/{number}")
                outcome = store.store_file(info, [item], run_id, pipeline.PIPELINE_VERSION)
                row = store.conn.execute(
                    "SELECT article_id FROM files WHERE abs_path = ?", [info.abs_path]
                ).fetchone()
                ids[article["key"]] = row[0]
                assert outcome[0] in ("added", "duplicate"), outcome
        started = time.process_time()
        ingest.recluster(store)
        seconds = time.process_time() - started
        clusters = store.cluster_sizes(list(set(ids.values())))
        sizes = {"reprint tables": _table_bytes(store)}
        store.close()
    print(
        f"database: reprint tables {sizes['reprint tables'] / len(ids):.0f} bytes per article "
        f"({sizes['reprint tables'] / len(ids) * 1e6 / 1e9:.2f} GB at 1,000,000 articles)"
    )
    return {key: clusters[i][::2] for key, i in ids.items()}, seconds


def _table_bytes(store) -> int:
    try:
        return store.conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE '%reprint%'"
        ).fetchone()[0]
    except Exception:  # dbstat is optional in SQLite builds
        return 0


def report_clusters(positives, negatives, cluster_of, originals, show: int) -> None:
    """Recall, false merges and precision of the clusters the product built."""
    print("\nClusters built by the product (LSH candidates, threshold, transitive merges):")
    found = Counter()
    total = Counter()
    per_source = defaultdict(Counter)
    for original, edited, kind, source in positives:
        same = cluster_of[original][0] == cluster_of[edited][0]
        found[kind] += same
        total[kind] += 1
        per_source[source]["found"] += same
        per_source[source]["total"] += 1
    for kind in EDITS:
        print(f"  recall, {kind:<9}: {_pct(found[kind], total[kind])} of {total[kind]}")
    recall_found, recall_total = sum(found.values()), sum(total.values())
    print(f"  recall, all      : {_pct(recall_found, recall_total)} of {recall_total}")
    merged = Counter()
    kinds = Counter()
    examples = []
    for a, b, how in negatives:
        kinds[how] += 1
        if cluster_of[a][0] == cluster_of[b][0]:
            merged[how] += 1
            examples.append((a, b))
    false_merges = sum(merged.values())
    print(f"  false merges     : {false_merges} of {len(negatives)} pairs of different stories")
    for how in sorted(kinds):
        if merged[how]:
            print(f"    {how}: {merged[how]} of {kinds[how]}")
    for a, b in examples[:5]:
        print(f"    e.g. {a} + {b}")
    precision = recall_found / (recall_found + false_merges) if recall_found else 0.0
    print(f"  precision        : {precision * 100:.2f} % (reprint pairs found / all merged pairs)")
    print("  recall by source (leave-one-source-out view: no rule was written for any of them):")
    for source in sorted(per_source):
        counts = per_source[source]
        print(f"    {source:<22} {_pct(counts['found'], counts['total'])} of {counts['total']}")
    hoax = defaultdict(list)
    for article in originals:
        if article["source"] == "id_pratiwi2017_hoax":
            hoax[cluster_of[article["key"]][0]].append(article)
    groups = sorted((g for g in hoax.values() if len(g) > 1), key=len, reverse=True)
    in_groups = sum(len(g) for g in groups)
    print(
        f"\nid_pratiwi2017_hoax: {len(hoax)} clusters for {sum(len(g) for g in hoax.values())} "
        f"records; {len(groups)} clusters of 2 or more hold {in_groups} records (unlabelled)"
    )
    for group in groups[:show]:
        print("  " + " | ".join(g["body"][:60].replace("\n", " ") for g in group[:3]))


def report_pairs(articles, positives, negatives, settings) -> None:
    """Pair by pair, bypassing the index: the threshold trade-off of three measures."""
    from trafilatura.deduplication import Simhash

    bodies = {a["key"]: a["body"] for a in articles}
    keys = {k for pair in positives for k in pair[:2]} | {k for pair in negatives for k in pair[:2]}
    fingerprints = {k: reprints.fingerprint(bodies[k], settings) for k in keys}
    shingle_sets = {k: reprints.shingles(bodies[k], settings) for k in keys}
    simhashes = {k: Simhash(bodies[k]) for k in keys}

    def scores(pairs):
        estimated, exact, simhash = [], [], []
        for a, b in pairs:
            fa, fb = fingerprints[a], fingerprints[b]
            if fa is None or fb is None:
                estimated.append(0.0)
            else:
                pair = (fa.shingles, fa.signature), [(fb.shingles, fb.signature)]
                estimated.append(float(reprints.estimate(*pair)[0]))
            exact.append(reprints.similarity(shingle_sets[a], shingle_sets[b]))
            simhash.append(simhashes[a].similarity(simhashes[b]))
        return estimated, exact, simhash

    good = scores([(a, b) for a, b, _, _ in positives])
    bad = scores([(a, b) for a, b, _ in negatives])
    print("\nPair by pair (no index): recall of reprint pairs / false merges of different stories")
    names = ("MinHash estimate (runs)", "exact shingle similarity", "SimHash (trafilatura)")
    for name, pos, neg in zip(names, good, bad, strict=True):
        print(f"  {name}:")
        cuts = THRESHOLDS if "SimHash" not in name else (0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
        for cut in cuts:
            found = sum(v >= cut for v in pos)
            merged = sum(v >= cut for v in neg)
            precision = found / (found + merged) if found else 0.0
            marker = "  <- threshold" if "runs" in name and cut == settings.threshold else ""
            print(
                f"    >= {cut:.2f}: recall {_pct(found, len(pos))}, false merges {merged}, "
                f"precision {precision * 100:.2f} %{marker}"
            )
        print(f"    different stories: highest {max(neg):.3f}; reprints: lowest {min(pos):.3f}")


def report_cost(articles, recluster_seconds: float, runs: int, settings) -> None:
    """CPU per article: the fingerprint (in the workers) and the clustering (in the writer)."""
    from trafilatura.deduplication import Simhash

    bodies = [a["body"] for a in articles]
    fingerprint_ms, simhash_ms = [], []
    for _ in range(runs):
        started = time.process_time()
        for body in bodies:
            reprints.fingerprint(body, settings)
        fingerprint_ms.append((time.process_time() - started) / len(bodies) * 1000)
        started = time.process_time()
        for body in bodies[:2000]:
            Simhash(body)
        simhash_ms.append((time.process_time() - started) / min(len(bodies), 2000) * 1000)
    fingerprint = statistics.median(fingerprint_ms)
    recluster = recluster_seconds / len(bodies) * 1000
    print(f"\nCost per article (CPU, median of {runs} runs; {len(bodies)} articles):")
    print(f"  fingerprint (shingles, MinHash, band keys; in the workers): {fingerprint:.3f} ms")
    print(f"  clustering (candidates, estimates, clusters; in the writer): {recluster:.3f} ms")
    print(f"  total: {fingerprint + recluster:.3f} ms")
    simhash = statistics.median(simhash_ms)
    print(f"  trafilatura SimHash, for comparison (no index): {simhash:.3f} ms")


def report_big_cluster(usable: list[dict], copies: int, runs: int) -> None:
    """CPU of clustering one more copy of a story already copied ``copies`` times."""
    body = max(usable, key=lambda a: len(a["body"]))["body"]
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "big.db", write=True)
        store.tune_for_writing()
        run_id = store.start_run("add", {})

        def add(number: int) -> None:
            text = f"{body}\n\nCopy {number}."  # one changed line: another article each time
            article = Article(raw=text, source="s", title="t", body=text)
            item = Processed(article, fingerprint=reprints.fingerprint(text))
            store.store_file(FileInfo(path=str(number), abs_path=f"/{number}"), [item], run_id, "")

        with store.transaction():
            for number in range(copies):
                add(number)
        ingest.recluster(store)
        for number in range(copies, copies + 20 * runs):
            with store.transaction():
                add(number)
            started = time.process_time()
            ingest.recluster(store)
            timings.append((time.process_time() - started) * 1000)
        size = store.cluster_counts()["clustered_articles"]
        store.close()
    print(
        f"  one more copy of a story in a cluster of {size - 1}: clustering "
        f"{statistics.median(timings):.2f} ms (median of {len(timings)})"
    )


def _pct(part: int, whole: int) -> str:
    return f"{part / whole * 100:.2f} %" if whole else "-"


if __name__ == "__main__":
    main()
