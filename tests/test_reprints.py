"""Reprints: fingerprints, clusters built by real imports, their independence from order, and
credit lines."""

import json
import os
import random
import sqlite3
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest import ingest, reprints
from newsingest.article import Article
from newsingest.ingest import Options
from newsingest.pipeline import process
from newsingest.store import FileInfo, Processed, open_store

from .conftest import DATA, SEED_000, SEED_002
from .test_cli import run


def _paragraphs(path):
    text = path.read_text(encoding="utf-8")
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return parts[0], [p for p in parts[1:] if p != parts[0]]


def _story_folder(folder):
    """An original story, four reprints of it (each edited one way) and a different story."""
    folder.mkdir(parents=True, exist_ok=True)
    title, body = _paragraphs(SEED_000)
    versions = {
        "original": (title, body),
        "headline": ("Kemenhan Rusia Rilis Foto Baru Konvoi ISIS di Abu Kamal", body),
        "credit": (title, [f"JAKARTA (Antara) - {body[0]}", *body[1:]]),
        "dropped": (title, body[:2] + body[3:]),
        "truncated": (title, body[: max(3, len(body) * 2 // 3)]),
    }
    paths = {}
    for name, (head, paragraphs) in versions.items():
        path = folder / f"{name}.txt"
        path.write_text(head + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths[name] = path
    paths["other"] = folder / "other.txt"
    paths["other"].write_text(SEED_002.read_text(encoding="utf-8"), encoding="utf-8")
    return paths


def _add(db, paths, **options):
    store = open_store(db, write=True)
    run_id = store.start_run("add", {})
    report = ingest.add(store, [str(p) for p in paths], Options(**options), run_id)
    store.close()
    return report


def _clusters(db):
    """{file name: (file name of its canonical, similarity)}, for articles in a cluster."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT f.path, canon.path, c.similarity FROM reprint_clusters c "
            "JOIN files f ON f.article_id = c.article_id "
            "JOIN files canon ON canon.article_id = c.cluster_id"
        ).fetchall()
    name = lambda path: path.rsplit("/", 1)[-1]  # noqa: E731
    return {name(path): (name(canon), value) for path, canon, value in rows}


def test_every_kind_of_reprint_joins_one_cluster_and_another_story_stays_alone(tmp_path):
    paths = _story_folder(tmp_path / "news")
    db = tmp_path / "c.db"
    _add(db, [tmp_path / "news"])
    clusters = _clusters(db)
    names = {"original.txt", "headline.txt", "credit.txt", "dropped.txt", "truncated.txt"}
    assert set(clusters) == names
    assert len({canonical for canonical, _ in clusters.values()}) == 1
    canonical = next(iter(clusters.values()))[0]
    assert clusters[canonical] == (canonical, 1.0)
    assert all(0.5 <= value <= 1.0 for _, value in clusters.values())
    assert "other.txt" not in clusters and paths["other"].exists()


def test_clusters_do_not_depend_on_file_order_workers_or_batches(tmp_path):
    paths = _story_folder(tmp_path / "news")
    listed = sorted(paths.values())
    results = []
    for name, order, options in (
        ("a", listed, {"workers": 0}),
        ("b", list(reversed(listed)), {"workers": 2, "commit_every": 1}),
        ("c", listed[2:] + listed[:2], {"workers": 1, "commit_every": 2}),
    ):
        db = tmp_path / f"{name}.db"
        for path in order:  # one run per file: every article arrives in a different order
            _add(db, [path], **options)
        results.append(_clusters(db))
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == 5


def test_a_later_reprint_joins_the_existing_cluster(tmp_path):
    paths = _story_folder(tmp_path / "news")
    db = tmp_path / "c.db"
    _add(db, [paths["original"], paths["other"]])
    assert _clusters(db) == {}
    _add(db, [paths["headline"]])
    clusters = _clusters(db)
    assert set(clusters) == {"original.txt", "headline.txt"}
    _add(db, [paths["truncated"]])
    assert set(_clusters(db)) == {"original.txt", "headline.txt", "truncated.txt"}


def test_an_edited_reprint_leaves_its_cluster(tmp_path):
    paths = _story_folder(tmp_path / "news")
    db = tmp_path / "c.db"
    _add(db, [paths["original"], paths["headline"]])
    assert set(_clusters(db)) == {"original.txt", "headline.txt"}
    paths["headline"].write_text(SEED_002.read_text(encoding="utf-8").replace("Rusia", "Moskow"))
    _add(db, [paths["headline"]])
    assert _clusters(db) == {}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM reprint_pending").fetchone() == (0,)


def test_reprocess_rebuilds_the_clusters(tmp_path):
    _story_folder(tmp_path / "news")
    db = tmp_path / "c.db"
    _add(db, [tmp_path / "news"])
    before = _clusters(db)
    with sqlite3.connect(db) as conn:
        for table in ("reprint_clusters", "reprint_bands", "reprint_signatures"):
            conn.execute(f"DELETE FROM {table}")
    store = open_store(db, write=True)
    ingest.reprocess(store, Options())
    store.close()
    assert _clusters(db) == before


def _jsonl_story(path):
    """Three copies of one story with their own headlines and dates, and another story."""
    _, body = _paragraphs(SEED_000)
    records = [
        {"title": "Salinan kedua", "maintext": body[:-1], "date_publish": "2017-11-17"},
        {"title": "Asli", "maintext": body, "date_publish": "2017-11-15"},
        {"title": "Salinan", "maintext": body[1:], "date_publish": "2017-11-16"},
        {"title": "Lain", "maintext": [SEED_002.read_text(encoding="utf-8")], "date_publish": None},
    ]
    for record in records:
        record["maintext"] = "\n\n".join(record["maintext"])
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_canonical_is_the_earliest_published_and_the_cli_shows_clusters(tmp_path):
    _jsonl_story(tmp_path / "story.jsonl")
    run("add", tmp_path / "story.jsonl", "--workers", "0")
    exported = [json.loads(line) for line in run("export").stdout.splitlines()]
    by_title = {row["title"]: row for row in exported}
    original = by_title["Asli"]["id"]
    assert {by_title[t]["cluster_id"] for t in ("Asli", "Salinan", "Salinan kedua")} == {original}
    assert by_title["Asli"]["cluster_size"] == 3 and by_title["Lain"]["cluster_size"] == 1
    assert by_title["Lain"]["cluster_id"] == by_title["Lain"]["id"]
    assert by_title["Asli"]["cluster_similarity"] == 1.0
    assert 0.5 <= by_title["Salinan"]["cluster_similarity"] < 1.0

    canonical = [json.loads(line) for line in run("export", "--canonical-only").stdout.splitlines()]
    assert sorted(row["title"] for row in canonical) == ["Asli", "Lain"]
    found = json.loads(run("query", "Kamal", "--format", "json").stdout)
    assert {row["cluster_size"] for row in found} == {3}
    found = json.loads(run("query", "Kamal", "--canonical-only", "--format", "json").stdout)
    assert [row["id"] for row in found] == [original]

    status = run("status").stdout.splitlines()
    assert status[0] == "4 articles (2 counting each cluster of reprints once)"
    assert status[1] == "reprints: 3 articles in 1 cluster (clusters by size, 3: 1)"
    status = json.loads(run("status", "--canonical-only", "--format", "json").stdout)
    assert status["articles"] == 2 and status["reprints"]["reprints"] == 2

    shown = run("show", by_title["Salinan"]["id"]).stdout
    assert f"Reprints: cluster {original}, 3 articles" in shown
    assert f"  {original} (canonical)  2017-11-15" in shown
    assert "<- this article" in shown
    assert "Reprints:" not in run("show", by_title["Lain"]["id"]).stdout


def test_deleting_the_canonical_moves_the_cluster_to_the_next(tmp_path, isolated_db):
    _jsonl_story(tmp_path / "story.jsonl")
    run("add", tmp_path / "story.jsonl", "--workers", "0")
    store = open_store(isolated_db, write=True)
    with store.transaction():
        original = store.conn.execute("SELECT id FROM articles WHERE title = 'Asli'").fetchone()[0]
        store.conn.execute("DELETE FROM files WHERE article_id = ?", [original])
        store.delete_article(original)
    ingest.recluster(store)
    rows = store.conn.execute(
        "SELECT a.title, c.cluster_id = a.id FROM reprint_clusters c "
        "JOIN articles a ON a.id = c.article_id ORDER BY a.title"
    ).fetchall()
    store.close()
    assert rows == [("Salinan", 1), ("Salinan kedua", 0)]


# ----------------------------------------------------------------------------------------------
# Fingerprints


def test_short_bodies_have_no_fingerprint():
    assert reprints.fingerprint("Banjir di Jakarta.") is None
    assert reprints.fingerprint("") is None


def test_fingerprint_ignores_case_and_punctuation_but_not_words():
    body = SEED_000.read_text(encoding="utf-8")
    same = reprints.fingerprint(body.upper().replace(",", " ,"))
    assert same == reprints.fingerprint(body)
    assert reprints.fingerprint(body.replace("Rusia", "Moskow")) != reprints.fingerprint(body)


def test_estimate_is_close_to_the_exact_similarity():
    _, body = _paragraphs(SEED_000)
    full, cut = "\n\n".join(body), "\n\n".join(body[: len(body) // 2])
    exact = reprints.similarity(reprints.shingles(full), reprints.shingles(cut))
    a, b = reprints.fingerprint(full), reprints.fingerprint(cut)
    estimated = reprints.estimate((a.shingles, a.signature), [(b.shingles, b.signature)])[0]
    assert abs(estimated - exact) < 0.15


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
vocabulary = "banjir di jakarta kota hujan deras warga rumah".split()
words = st.lists(st.sampled_from(vocabulary), max_size=80)


@settings(max_examples=60, deadline=None)
@given(texts)
def test_fingerprint_never_raises_and_is_stable(text):
    first = reprints.fingerprint(text)
    assert first == reprints.fingerprint(text)
    if first is not None:
        assert len(first.signature) == 4 * reprints.DEFAULT.num_perm
        own = (first.shingles, first.signature)
        assert reprints.estimate(own, [own])[0] == 1.0


@settings(max_examples=60, deadline=None)
@given(words, words)
def test_similarity_is_symmetric_and_bounded(a, b):
    left, right = reprints.shingles(" ".join(a)), reprints.shingles(" ".join(b))
    value = reprints.similarity(left, right)
    assert value == reprints.similarity(right, left)
    assert 0.0 <= value <= 1.0
    if len(left):
        assert reprints.similarity(left, left) == 1.0


def test_groups_join_transitively_whatever_the_order():
    pairs = [(5, 9), (1, 3), (9, 3), (7, 8)]
    for order in (pairs, list(reversed(pairs))):
        groups = reprints.Groups()
        for a, b in order:
            groups.union(a, b)
        groups.union(4, 4)
        assert groups.groups() == [[1, 3, 5, 9], [7, 8]]


def test_canonical_key_prefers_published_then_first_seen_day_then_hash():
    early = reprints.Member(9, "2017-11-15", "2026-01-02T10:00:00Z", "ff")
    late = reprints.Member(1, "2017-11-16", "2026-01-01T10:00:00Z", "00")
    undated = reprints.Member(2, None, "2025-01-01T00:00:00Z", "00")
    same_day = reprints.Member(3, "2017-11-15", "2026-01-02T23:59:00Z", "aa")
    ordered = sorted([late, undated, early, same_day], key=reprints.canonical_key)
    assert [m.article_id for m in ordered] == [3, 9, 1, 2]


# ----------------------------------------------------------------------------------------------
# Credit lines


def _credit(resources, text):
    return process(Article(raw=text), resources).credit


def test_credit_lines(resources):
    _, body = _paragraphs(SEED_000)
    story = "\n\n".join(body[:3])
    assert _credit(resources, f"Judul\n\nJAKARTA (Antara) - {story}") == "Antara"
    assert _credit(resources, f"Judul\n\n{story}\n\nReuters\n") == "Reuters"
    assert _credit(resources, f"Judul\n\n{story} seperti dikutip Sputnik.\n") == "Sputnik"
    assert _credit(resources, f"Judul\n\n{story}\n\n(AFP/Reuters)\n") == "AFP"
    assert _credit(resources, f"Judul\n\n{story}\n") is None
    # one agency, one name: the Reuters-21578 sign-off "Reuter" is Reuters
    assert _credit(resources, f"Judul\n\n{story} dilansir dari Reuter.\n") == "Reuters"


def test_credit_of_a_seed_footer(resources):
    text = SEED_002.read_text(encoding="utf-8")
    assert _credit(resources, text) in ("Reuters", "Russia Beyond")
    only_footer = text.replace("\nReuters\n", "\n")
    if only_footer != text:
        assert _credit(resources, only_footer) == "Russia Beyond"


def test_word_that_is_an_agency_name_inside_prose_is_no_credit(resources):
    _, body = _paragraphs(SEED_000)
    text = "Judul\n\n" + "\n\n".join(body[:3]) + " Kantor berita Reuters juga memberitakannya.\n"
    assert _credit(resources, text) is None


def test_estimate_of_nothing_is_empty():
    assert reprints.estimate((10, b"\0" * 240), []).shape == (0,)
    assert isinstance(reprints.shingles("a b c d"), np.ndarray)


def test_a_corpus_from_before_reprints_is_upgraded_and_reprocess_clusters_it(tmp_path):
    _story_folder(tmp_path / "news")
    db = tmp_path / "c.db"
    _add(db, [tmp_path / "news"])
    expected = _clusters(db)
    with sqlite3.connect(db) as conn:  # the schema as the previous version left it
        for table in ("reprint_clusters", "reprint_bands", "reprint_signatures", "reprint_pending"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE articles DROP COLUMN credit")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_reprint_clusters'")
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    store = open_store(db, write=True)
    assert store.article_count() == articles
    assert store.cluster_counts()["clusters"] == 0
    ingest.reprocess(store, Options())
    store.close()
    assert _clusters(db) == expected


# ----------------------------------------------------------------------------------------------
# The fingerprint computed by hand equals datasketch's, and is the same in every process


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=300))
def test_signature_equals_datasketch_minhash(values):
    from datasketch import MinHash

    minhash = MinHash(num_perm=60, seed=1, hashfunc=int, scheme="affine32")
    minhash.update_batch(values)
    ours = reprints.signature(np.array(values, dtype=np.uint32))
    assert ours.tolist() == minhash.hashvalues.tolist()


@settings(max_examples=60, deadline=None)
@given(texts)
def test_shingles_are_the_distinct_hashes_sorted(text):
    found = reprints.shingles(text)
    assert found.tolist() == sorted(set(found.tolist()))
    if reprints.words(text):
        assert len(found) >= 1


def test_words_are_split_at_punctuation_and_spaces_beyond_ascii():
    plain = reprints.words("Kata Rusia: konvoi ISIS - di Abu Kamal")
    assert reprints.words("kata «Rusia» “konvoi” ISIS—di Abu Kamal") == plain
    assert reprints.words("Straße ÉTÉ") == [b"strasse", "été".encode()]


def test_fingerprint_is_the_same_in_another_process():
    body = SEED_000.read_text(encoding="utf-8")
    code = (
        "import sys; from newsingest import reprints; "
        "f = reprints.fingerprint(sys.stdin.read()); "
        "print(f.shingles, f.signature.hex(), *f.bands)"
    )
    here = reprints.fingerprint(body)
    expected = f"{here.shingles} {here.signature.hex()} {' '.join(map(str, here.bands))}"
    for seed in ("0", "1234"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            input=body,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        assert done.stdout.strip() == expected


# ----------------------------------------------------------------------------------------------
# Clustering adds to clusters: the same rows as a rebuild, whatever the order and batches


def _stories():
    """(key, body, published): copies of three stories, and one article that holds two of them
    whole (it joins their clusters into one)."""
    bodies = [
        "\n\n".join(_paragraphs(SEED_000)[1]),
        "\n\n".join(_paragraphs(SEED_002)[1]),
        (DATA / "language" / "ms_malaya_ms_0001_0015ce3b5f58c7a5.txt").read_text(encoding="utf-8"),
    ]
    articles = []
    for story, body in enumerate(bodies):
        paragraphs = body.split("\n\n")
        copies = {
            "original": body,
            "credit": "JAKARTA (Antara) - " + body,
            "cut": body[: len(body) * 2 // 3],
            "dropped": "\n\n".join(paragraphs[:1] + paragraphs[2:]),
        }
        for number, (name, text) in enumerate(copies.items()):
            # the copies of story 1 are older than its original: the canonical moves
            day = f"2020-0{1 + story}-{10 + number if story != 1 else 20 - number:02d}"
            articles.append((f"{story}-{name}", text, day))
    articles.append(("bridge", bodies[0] + "\n\n" + bodies[1], "2019-12-31"))
    return articles


def _write(store, articles):
    run_id = store.start_run("add", {})
    with store.transaction():
        for key, body, published in articles:
            article = Article(raw=body, source="s", title=key, body=body, published=published)
            item = Processed(article, fingerprint=reprints.fingerprint(body))
            store.store_file(FileInfo(path=key, abs_path="/" + key), [item], run_id, "test")


def _rows(store):
    """{key: (key of its canonical, similarity)} of every clustered article."""
    return {
        path: (canonical, value)
        for path, canonical, value in store.conn.execute(
            "SELECT f.path, canon.path, c.similarity FROM reprint_clusters c "
            "JOIN files f ON f.article_id = c.article_id "
            "JOIN files canon ON canon.article_id = c.cluster_id"
        )
    }


def test_growing_clusters_give_the_rows_of_a_rebuild_whatever_the_order(tmp_path):
    articles = _stories()
    found = []
    for attempt in range(4):
        order = random.Random(attempt).sample(articles, len(articles))
        store = open_store(tmp_path / f"{attempt}.db", write=True)
        step = 1 + attempt  # articles written (and clustered) at a time
        for start in range(0, len(order), step):
            _write(store, order[start : start + step])
            ingest.recluster(store, batch=1 + attempt % 3)
        found.append(_rows(store))
        with store.transaction():
            store.requeue_all_reprints()
        ingest.recluster(store)
        assert _rows(store) == found[-1]
        store.close()
    assert found[0] == found[1] == found[2] == found[3]
    canonicals = {canonical for canonical, _ in found[0].values()}
    assert canonicals == {"bridge", "2-original"}  # stories 0 and 1 joined by the bridge
    assert len(found[0]) == len(articles)


def test_reading_candidates_a_few_articles_at_a_time_gives_the_same_clusters(tmp_path, monkeypatch):
    articles = _stories()
    found = []
    for chunk in (1, 2, 50):
        monkeypatch.setattr(ingest, "_CANDIDATE_CHUNK", chunk)
        store = open_store(tmp_path / f"{chunk}.db", write=True)
        _write(store, articles)
        ingest.recluster(store)
        found.append(_rows(store))
        store.close()
    assert found[0] == found[1] == found[2]
    assert len(found[0]) == len(articles)


def test_a_new_copy_of_a_big_cluster_writes_its_own_row_only(tmp_path):
    _, paragraphs = _paragraphs(SEED_000)
    body = "\n\n".join(paragraphs)
    copies = [(f"copy{i}", f"{body}\n\nSalinan nomor {i}.", "2020-01-01") for i in range(40)]
    store = open_store(tmp_path / "c.db", write=True)
    _write(store, copies)
    ingest.recluster(store)
    canonicals = {canonical for canonical, _ in _rows(store).values()}
    assert len(_rows(store)) == 40 and len(canonicals) == 1
    canonical = canonicals.pop()
    _write(store, [("late", body + "\n\nSalinan terakhir.", "2020-01-02")])
    before = store.conn.total_changes
    ingest.recluster(store)
    # one row added, one queue entry gone: the forty members' rows stay as they were
    assert store.conn.total_changes - before == 2
    rows = _rows(store)
    assert len(rows) == 41 and rows["late"][0] == canonical
    # an earlier copy becomes the canonical: then every member points to it
    _write(store, [("first", body + "\n\nSalinan pertama.", "2019-06-01")])
    ingest.recluster(store)
    assert {canonical for canonical, _ in _rows(store).values()} == {"first"}
    store.close()


def test_the_migration_takes_apart_a_cluster_left_with_a_queued_article(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    _write(store, _stories()[:3])
    ingest.recluster(store)
    clustered = sorted(_rows(store))
    store.close()
    with sqlite3.connect(tmp_path / "c.db") as conn:  # a run stopped before clustering
        conn.execute("INSERT INTO reprint_pending SELECT min(article_id) FROM reprint_clusters")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_reprint_speed'")
    store = open_store(tmp_path / "c.db", write=True)
    assert _rows(store) == {}
    assert store.cluster_counts()["pending"] == len(clustered)
    ingest.recluster(store)
    assert sorted(_rows(store)) == clustered
    store.close()
