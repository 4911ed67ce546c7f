"""Search that finds what a reader means: stemming, query language, expansion, guards, and the
store's search code under them (real SQLite databases in tmp_path)."""

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest import render, search
from newsingest.article import Article
from newsingest.errors import QueryError
from newsingest.render import highlight_spans
from newsingest.store import FileInfo, Filters, MatchCount, Processed, open_store

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
# Letters, accents and punctuation of the languages stemmed (FTS5 keeps some rarer letters,
# such as the long s, unfolded).
LATIN = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-'\"()_/\n\t"
    "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝßœŒ"
)
ARTICLES = {
    "a.txt": ("Pasukan menyerang markas", "Pasukan itu menyerang markas musuh pada malam hari."),
    "b.txt": ("Serangan udara di kota", "Serangan udara menghancurkan jembatan utama."),
    "c.txt": ("Polisi diserang", "Dua polisi diserang orang tak dikenal di pasar."),
    "d.txt": ("Warga serang pos", "Warga serang pos jaga setelah rapat desa."),
    "e.txt": ("Pendapat warga", "Pendapat warga soal jalan baru berbeda-beda."),
    "f.txt": ("Bisa dapat bantuan", "Warga dapat bantuan beras dan mendapatkan uang."),
    "g.txt": ("Penghargaan untuk guru", "Guru itu menerima penghargaan dari menteri."),
    "h.txt": ("Harga beras naik", "Harga beras naik lagi di pasar induk."),
}


def _store(tmp_path, articles=ARTICLES, language="id", published=None):
    store = open_store(tmp_path / "c.db", write=True)
    for name, (title, body) in articles.items():
        article = Article(
            raw=f"{title}\n\n{body}",
            title=title,
            body=body,
            source="test",
            language=language,
            published=published.get(name) if published else None,
        )
        _put(store, name, article)
    return store


def _put(store, name, article):
    info = FileInfo(path=name, abs_path=f"/x/{name}", size=1, mtime_ns=1, sha256="0" * 64)
    with store.transaction():
        store.store_file(info, [Processed(article)], store.start_run("add", {}), "1")


def _find(store, words, exact=False, language=None, filters=None):
    plan = search.plan_query(store, words, language, exact)
    rows = store.search(plan.match, filters or Filters(), 50, ("[", "]"), plan.exact)
    return [row["title"] for row in rows], plan


def test_a_root_finds_its_affixed_forms_and_exact_forms_rank_first(tmp_path):
    store = _store(tmp_path)
    titles, plan = _find(store, ["serang"])
    assert set(titles) == {
        "Pasukan menyerang markas",
        "Serangan udara di kota",
        "Polisi diserang",
        "Warga serang pos",
    }
    assert titles[0] == "Warga serang pos"
    assert {"menyerang", "serangan", "diserang"} <= set(plan.forms["serang"])


def test_an_inflected_verb_finds_the_whole_family(tmp_path):
    titles, _ = _find(_store(tmp_path), ["menyerang"])
    assert len(titles) == 4 and titles[0] == "Pasukan menyerang markas"


def test_exact_turns_expansion_off(tmp_path):
    titles, plan = _find(_store(tmp_path), ["serang"], exact=True)
    assert titles == ["Warga serang pos"]
    assert plan.exact is None


def test_a_derived_word_does_not_explode_to_its_root(tmp_path):
    titles, plan = _find(_store(tmp_path), ["pendapat"])
    assert titles == ["Pendapat warga"]
    assert plan.notes


def test_known_bad_conflations_are_left_out(tmp_path):
    titles, _ = _find(_store(tmp_path), ["harga"])
    assert titles == ["Harga beras naik"]


def test_a_dominant_derived_word_is_not_a_form_of_its_root():
    counts = {"perintah": 3, "memerintahkan": 2, "pemerintah": 40}
    plan = search.plan(
        search.parse(["perintah"]),
        ["id"],
        lambda family, root: sorted(counts),
        lambda words: {w: counts[w] for w in words if w in counts},
    )
    assert plan.forms["perintah"] == ["perintah", "memerintahkan"]


def test_lexeme_prefixes():
    assert search.lexeme_prefix("pendapat", "dapat")
    assert search.lexeme_prefix("pemerintah", "perintah")
    assert search.lexeme_prefix("kerajaan", "raja")
    assert not search.lexeme_prefix("menyerang", "serang")
    assert not search.lexeme_prefix("serangan", "serang")
    assert not search.lexeme_prefix("diserang", "serang")


def test_english_uses_snowball_and_its_exclusions(tmp_path):
    store = _store(
        tmp_path,
        {
            "a.txt": ("Rebels attacked", "Rebels attacked the town."),
            "b.txt": ("An attack", "The attack came at night."),
            "c.txt": ("Imports rise", "Imports of steel rose."),
            "d.txt": ("Important news", "An important vote."),
        },
        language="en",
    )
    titles, _ = _find(store, ["attack"], language="en")
    assert set(titles) == {"Rebels attacked", "An attack"}
    titles, _ = _find(store, ["important"], language="en")
    assert titles == ["Important news"]


def test_english_widens_through_inflection_not_derivation(tmp_path):
    # Snowball gives position, positions, positive and positives one stem (posit).
    store = _store(
        tmp_path,
        {
            "a.txt": ("A new position", "The party changed its position on tax."),
            "b.txt": ("Positions held", "Both positions were held by the army."),
            "c.txt": ("A positive test", "The test came back positive."),
            "d.txt": ("False positives", "Screening gives false positives."),
            "e.txt": ("Rebels attacked", "Rebels attacked the town; the attackers fled."),
            "f.txt": ("Denis scores", "Denis Hickie scored the try."),
            "g.txt": ("Talks denied", "The minister denied the talks took place."),
            "h.txt": ("An attack", "The attack came at night."),
        },
        language="en",
    )
    titles, plan = _find(store, ["position"], language="en")
    assert set(titles) == {"A new position", "Positions held"}
    assert plan.forms["position"] == ["position", "positions"]
    titles, _ = _find(store, ["positive"], language="en")
    assert set(titles) == {"A positive test", "False positives"}
    titles, plan = _find(store, ["attack"], language="en")
    assert set(titles) == {"An attack", "Rebels attacked"}
    assert {"attacked", "attackers"} <= set(plan.forms["attack"])
    # denied and the name Denis share Snowball's stem (deni): one is no form of the other.
    titles, _ = _find(store, ["denied"], language="en")
    assert titles == ["Talks denied"]


@pytest.mark.parametrize(
    ("word", "related", "unrelated"),
    [
        ("attack", ["attacks", "attacked", "attacking", "attacker", "attackers"], ["attackable"]),
        ("state", ["states", "stated", "stating"], ["statement", "statements"]),
        ("big", ["bigger", "biggest"], ["bigot"]),
        ("carry", ["carries", "carried", "carrier"], ["career"]),
        ("stop", ["stops", "stopped", "stopping"], ["stopgap"]),
        ("use", ["uses", "used", "using"], ["useful", "usage"]),
        ("box", ["boxes"], ["boxing day"]),
        ("position", ["positions"], ["positive", "positives", "positioning day"]),
        ("general", ["generals"], ["generate", "generated", "generation"]),
        ("important", [], ["import", "imports"]),
    ],
)
def test_english_bases_join_inflections_only(word, related, unrelated):
    for form in related:
        assert search.english_bases(form) & search.english_bases(word), form
    for form in unrelated:
        assert not search.english_bases(form) & search.english_bases(word), form


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="bcdfgklmnprtvw", min_size=1, max_size=3), st.sampled_from("aeiou"),
       st.text(alphabet="bcdfgklmnprtvw", min_size=1, max_size=2))
def test_any_regular_inflection_shares_a_base_with_its_word(head, vowel, tail):
    word = head + vowel + tail
    for suffix in ("s", "ed", "ing", "er", "est"):
        assert search.english_bases(word + suffix) & search.english_bases(word), suffix
    assert word in search.english_bases(word)


def _function_word_corpus(tmp_path, holding: int):
    """Forty articles: ``holding`` of them use selama 'during'; twelve the root lama 'long',
    and two its verb and superlative forms. The root is frequent enough that selama is not
    held by twice the articles of the rest of its family."""
    articles = {
        f"s{index:02}.txt": (
            f"Berita kota nomor {index}",
            f"Warga berkumpul selama {index + 2} jam di alun-alun kota.",
        )
        for index in range(holding)
    }
    articles |= {
        f"l{index:02}.txt": (f"Jalan lama nomor {index}", "Jalan lama di desa itu rusak berat.")
        for index in range(12)
    }
    articles |= {
        "p1.txt": ("Rapat diperlama", "Rapat dewan diperlama sampai malam."),
        "p2.txt": ("Antrean terlama", "Antrean terlama terjadi di kantor pajak."),
    }
    articles |= {
        f"o{index:02}.txt": (f"Kabar desa nomor {index}", "Panen padi berjalan baik tahun ini.")
        for index in range(40 - len(articles))
    }
    return _store(tmp_path, articles)


def test_a_frequent_se_or_ter_form_is_a_function_word_not_a_form_of_its_root(tmp_path):
    store = _function_word_corpus(tmp_path, holding=22)
    titles, plan = _find(store, ["lama"])
    assert len(titles) == 14 and {"Rapat diperlama", "Antrean terlama"} <= set(titles)
    assert "selama" not in plan.forms["lama"]
    assert {"diperlama", "terlama"} <= set(plan.forms["lama"])
    assert any("not widened to selama" in note and "function word" in note for note in plan.notes)
    # The function word itself is still found as written.
    titles, _ = _find(store, ["selama"])
    assert len(titles) == 22


def test_a_se_or_ter_form_in_few_articles_is_still_widened_to(tmp_path):
    store = _function_word_corpus(tmp_path, holding=search.FUNCTION_WORD_MIN_ARTICLES - 1)
    titles, plan = _find(store, ["lama"])
    assert "selama" in plan.forms["lama"]
    assert len(titles) == 14 + search.FUNCTION_WORD_MIN_ARTICLES - 1


def test_explain_and_json_say_which_function_words_were_left_out(tmp_path):
    from click.testing import CliRunner

    from newsingest.cli import cli

    store = _function_word_corpus(tmp_path, holding=22)
    store.close()
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(
        cli, ["query", "lama", "--db", db, "--explain", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "not widened to selama" in result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 14
    assert all("selama" not in row["searched"]["lama"] for row in rows)


@settings(max_examples=200, deadline=None)
@given(
    root=st.text("abcdegiklmnoprstu", min_size=4, max_size=8),
    prefix=st.sampled_from(["se", "ter"]),
    holding=st.integers(0, 400),
    articles=st.integers(1, 2000),
)
def test_a_se_or_ter_form_is_left_out_only_when_frequent_enough(root, prefix, holding, articles):
    form = prefix + root
    share = min(1.0, holding / articles)
    # The rest of the family is frequent: the rule of dominant derived words never decides.
    counts = {root: 500, "di" + root: 300, form: holding}

    def plan_for(word):
        return search.plan(
            search.parse([word]),
            ["id"],
            lambda family, stem: sorted(counts) if stem == root else [],
            lambda words: {w: counts[w] for w in words if w in counts},
            stored_stem=lambda family, word: root if word in counts else None,
            language_shares=lambda word: {"id": share} if word == form else {},
        )

    plan = plan_for(root)
    frequent = holding >= search.FUNCTION_WORD_MIN_ARTICLES and share >= search.FUNCTION_WORD_SHARE
    assert (form not in plan.forms[root]) == frequent
    assert {root, "di" + root} <= set(plan.forms[root])
    # The function word asked for itself keeps its own form.
    assert plan_for(form).forms[form][0] == form


def test_language_shares_see_languages_imported_one_after_the_other(tmp_path):
    store = open_store(tmp_path / "c.db", write=True)
    texts = [(f"Kabar {i}", f"Berita {i} selama musim hujan.", "id" if i < 10 else "ms")
             for i in range(20)]
    for index, (title, body, language) in enumerate([*texts, ("Lain", "Teks lain.", "ms")]):
        article = Article(
            raw=f"{title}\n\n{body}", title=title, body=body, source="test", language=language
        )
        _put(store, f"{index}.txt", article)
    # A sample of 4 of its 20 articles: 2 of the first imported (id), 2 of the last (ms).
    shares = store.language_shares("selama", sample=4)
    assert shares == {"id": 1.0, "ms": pytest.approx(10 / 11)}
    assert store.language_shares("tidakada") == {}


def test_function_word_prefixes():
    assert search.function_word_prefix("selama", "lama")
    assert search.function_word_prefix("termasuk", "masuk")
    assert search.function_word_prefix("terasa", "rasa")
    assert not search.function_word_prefix("menyerang", "serang")
    assert not search.function_word_prefix("serangan", "serang")


def test_particle_forms_are_not_widened_to(tmp_path):
    store = _store(
        tmp_path,
        {
            "a.txt": ("Gedung baru dibuka", "Gedung baru itu dibuka hari ini."),
            "b.txt": ("Model terbaru", "Ponsel terbaru dijual bulan depan."),
            "c.txt": ("Barulah ia pulang", "Setelah rapat selesai, barulah ia pulang."),
            "d.txt": ("Abdul menang", "Abdul menang dalam lomba lari."),
            "e.txt": ("Abdullah bicara", "Abdullah bicara di depan warga."),
        },
    )
    titles, plan = _find(store, ["baru"])
    assert set(titles) == {"Gedung baru dibuka", "Model terbaru"}
    assert "barulah" not in plan.forms["baru"]
    assert any("barulah" in note and "particle" in note for note in plan.notes)
    titles, _ = _find(store, ["abdul"])
    assert titles == ["Abdul menang"]
    # Written with its particle, the word is found as written.
    titles, _ = _find(store, ["barulah"])
    assert titles[0] == "Barulah ia pulang"


def test_widening_over_a_corpus_of_the_test_articles(tmp_path):
    """The seeds and the language fixtures, added with the console's own code: a root finds
    its verb and derived forms, and --explain names them."""
    from click.testing import CliRunner

    from newsingest.cli import cli

    folder = tmp_path / "in"
    folder.mkdir()
    for path in [*SEEDS.glob("*.txt"), *(DATA / "language").glob("*.txt")]:
        (folder / path.name).write_bytes(path.read_bytes())
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["add", "--db", db, "--workers", "0", str(folder)])
    assert result.exit_code == 0, result.output
    exact = runner.invoke(cli, ["query", "ada", "--db", db, "--exact", "--format", "json"])
    widened = runner.invoke(cli, ["query", "ada", "--db", db, "--explain", "--format", "json"])
    assert widened.exit_code == 0, widened.output
    assert "ada: ada adanya berada mengadakan" in widened.stderr
    assert len(json.loads(widened.stdout)) > len(json.loads(exact.stdout)) > 0
    # adalah ('is') is a dictionary word of its own, never a form of ada.
    assert all(r["searched"]["ada"] == ["ada", "adanya", "berada", "mengadakan"]
               for r in json.loads(widened.stdout))


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["serang", "OR", "harga"], 5),
        (["serang", "-polisi"], 3),
        (["serang", "NOT", "polisi"], 3),
        (['"serangan udara"'], 1),
        (["Serangan udara"], 1),
        (["seran*"], 2),
        (["serang AND pos"], 1),
    ],
)
def test_the_query_language(tmp_path, words, expected):
    titles, _ = _find(_store(tmp_path), words)
    assert len(titles) == expected, titles


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ([], "nothing to search for"),
        (["   "], "nothing to search for"),
        (["OR"], "OR needs"),
        (["serang", "OR"], "OR needs"),
        (["-polisi"], "needs a word to find"),
        (["serang", "NOT"], "NOT needs"),
        (['""'], "nothing to search for"),
    ],
)
def test_queries_that_cannot_mean_anything_say_why(words, message):
    with pytest.raises(QueryError, match=message):
        search.parse(words)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4))
def test_any_words_parse_to_a_valid_fts5_expression_or_a_query_error(words):
    try:
        query = search.parse(words)
    except QueryError:
        return
    plan = search.plan(query, ["id", "english"], lambda f, s: [], lambda w: {})
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("SELECT * FROM t WHERE t MATCH ?", [plan.match]).fetchall()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LATIN, max_size=80))
def test_index_terms_are_the_words_fts5_indexes(text):
    # Latin letters with the accents of the languages stemmed (FTS5 keeps some rarer ones).
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    conn.execute("INSERT INTO t (x) VALUES (?)", [text])
    indexed = {row[0] for row in conn.execute("SELECT term FROM v")}
    assert search.index_terms(text) == indexed


def test_terms_are_kept_current_when_an_article_changes(tmp_path):
    store = _store(tmp_path, {"a.txt": ("Judul", "Kami membeli roti.")})
    assert "membeli" in store.related_terms("id", "beli")
    article = Article(
        raw="x", title="Judul", body="Pembelian roti naik.", source="test", language="id"
    )
    _put(store, "a.txt", article)
    assert "pembelian" in store.related_terms("id", "beli")
    titles, _ = _find(store, ["beli"])
    assert titles == ["Judul"]


def test_the_migration_fills_the_terms_of_articles_stored_before_it(tmp_path):
    store = _store(tmp_path, {"a.txt": ("Judul", "Pasukan menyerang kota.")})
    store.conn.execute("DELETE FROM search_terms")
    store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_search_terms'")
    store.conn.execute("DROP TABLE search_terms")
    store.conn.execute("DROP TABLE articles_fts_vocab")
    store.close()
    store = open_store(tmp_path / "c.db", write=True)
    assert store.related_terms("id", "serang") == ["menyerang"]


def test_until_a_year_or_month_keeps_the_days_inside_it(tmp_path):
    dates = {"a.txt": "2017-05-02", "b.txt": "2017-12-31", "c.txt": "2018-01-01", "d.txt": "2017"}
    store = _store(tmp_path, dict(list(ARTICLES.items())[:4]), published=dates)

    def count(**bounds):
        match = '"pasukan" OR "serangan" OR "polisi" OR "warga"'
        return store.count_matches(match, Filters(**bounds)).value

    assert count(since="2017", until="2017") == 3
    assert count(until="2017-12") == 3
    assert count(until="2017-05") == 2  # 2017-05-02, and the year-precise 2017 overlaps May
    assert count(since="2017-12-31", until="2017-12-31") == 2
    assert count(since="2018") == 1


def test_filters_alone_list_articles_and_facets_count_them(tmp_path):
    store = _store(tmp_path, published={"a.txt": "2017-05-02", "b.txt": "2017-06-01"})
    rows = store.search(None, Filters(language="id"), 3)
    assert len(rows) == 3 and rows[0]["snippet"]
    assert store.count_matches(None, Filters(language="id")).value == len(ARTICLES)
    facets = store.facets('"serangan" OR "menyerang"', Filters())
    assert facets["source"] == [("test", 2)]
    assert facets["month"] == [("2017-05", 1), ("2017-06", 1)]
    assert facets["language"] == [("id", 2)]


def test_count_matches_reads_the_full_text_index_first(tmp_path):
    store = _store(tmp_path)
    source, params = store._matching('"serang"', Filters(language="id", source="test"))
    plan = " ".join(
        row[-1] for row in store.conn.execute(f"EXPLAIN QUERY PLAN SELECT 1 FROM {source}", params)
    )
    assert plan.index("articles_fts") < plan.index("articles a") if "articles a" in plan else True
    assert plan.startswith("SCAN articles_fts")


def test_highlighting_marks_only_the_matched_words():
    assert highlight_spans("a **b** c **d** e") == [
        ("a ", ""), ("b", "bold reverse"), (" c ", ""), ("d", "bold reverse"), (" e", ""),
    ]
    assert highlight_spans("no match") == [("no match", "")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="*"), max_size=8), max_size=5))
def test_highlighted_text_is_the_snippet_without_marks(words):
    snippet = " ".join(f"**{w}**" if i % 2 else w for i, w in enumerate(words))
    spans = highlight_spans(snippet)
    assert "".join(text for text, _ in spans) == snippet.replace("**", "")
    assert {text for text, style in spans if style} <= {w for w in words if w}


def test_a_query_over_indexed_words_loads_no_dictionary_stemmer(tmp_path):
    # PySastrawi costs ~50 ms to load: words the corpus holds have their stem stored.
    _store(tmp_path).close()
    code = (
        "import sys\n"
        "from newsingest.store import open_store\n"
        "from newsingest import search\n"
        f"store = open_store({str(tmp_path / 'c.db')!r})\n"
        "plan = search.plan_query(store, ['serang', 'menyerang'])\n"
        "assert 'diserang' in plan.forms['serang'], plan\n"
        "print('Sastrawi.Stemmer' in sys.modules, 'numpy' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_stored_and_computed_stems_give_the_same_plan(tmp_path):
    store = _store(tmp_path)
    for words in (["serang"], ["penyerangan"], ["pendapat"], ["harga"], ["menyerangi"]):
        stored = search.plan_query(store, words)
        computed = search.plan(
            search.parse(words),
            sorted(set(search.FAMILIES.values())),
            store.related_terms,
            store.document_counts,
        )
        assert stored.match == computed.match, words


ROW = {
    "id": 7,
    "published": "2017-05-02",
    "language": "id",
    "source": "a_source_name_longer_than_the_column",
    "title": "Serangan udara",
    "snippet": "…Pasukan **menyerang** markas (**Serang**) pada malam hari…",
}


def test_the_results_table_keeps_marks_off_a_terminal_and_fits_its_width():
    text = render.query_table([ROW], width=80)
    lines = text.splitlines()
    assert lines[0].split() == ["id", "published", "lang", "source", "title", "/", "snippet"]
    assert all(len(line) <= 80 for line in lines)
    assert "a_source_name_longer_th…  Serangan" in lines[1]
    flowing = " ".join(line[lines[0].index("title"):].strip() for line in lines[1:])
    assert flowing == "Serangan udara " + ROW["snippet"]


def test_the_results_table_on_a_terminal_shows_matches_in_reverse_video_only():
    text = render.query_table([ROW], width=200, terminal=True)
    assert "\x1b[1;7mmenyerang\x1b[0m markas (\x1b[1;7mSerang\x1b[0m)" in text
    assert "**" not in text and "\x1b[1;7mmarkas" not in text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=LATIN + "*", max_size=200), st.integers(min_value=40, max_value=120))
def test_the_results_table_loses_no_word(snippet, width):
    row = {**ROW, "snippet": snippet}
    narrow = render.query_table([row], width=width).split()
    wide = render.query_table([row], width=1000).split()
    # Long words are cut to the column; joined back, the text is the same.
    assert "".join(narrow) == "".join(wide)
    lines = render.query_table([row], width).splitlines()
    # 48 characters of fixed columns, and never fewer than 20 for the text.
    assert all(len(line) <= max(width, 68) for line in lines)


def test_words_the_corpus_has_stems_for_are_not_stemmed_again(tmp_path):
    from newsingest.store import KnownTerms

    _store(tmp_path).close()
    known = KnownTerms(tmp_path / "c.db")
    assert known("id", ["menyerang", "serangan", "belumpernahada"]) == {"menyerang", "serangan"}
    rows = search.term_rows("id", ["Pasukan menyerang kemarin"], known)
    assert rows == [("id", "kemarin", "kemarin")]
    # What travels from a worker is the same set of rows, less those already stored.
    article = Article(raw="x", title="Serangan subuh", body="Pasukan menyerang kemarin.",
                      source="t", language="id")
    packed = Processed.packed(article, (), 0, None, known)
    assert {row[1] for row in packed.terms} == {"subuh", "kemarin"}
    assert KnownTerms(tmp_path / "missing.db")("id", ["serangan"]) == set()


def test_an_import_in_two_runs_stores_the_terms_of_one_run(tmp_path):
    from click.testing import CliRunner

    from newsingest.cli import cli

    folders = [tmp_path / "one", tmp_path / "two"]
    for folder, names in zip(folders, (["a.txt", "b.txt", "c.txt", "d.txt"],
                                       ["e.txt", "f.txt", "g.txt", "h.txt"]), strict=True):
        folder.mkdir()
        for name in names:
            title, body = ARTICLES[name]
            (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    runner = CliRunner()
    for db, runs in ((tmp_path / "split.db", [[folders[0]], [folders[1]]]),
                     (tmp_path / "whole.db", [folders])):
        for paths in runs:
            result = runner.invoke(cli, ["add", "--db", str(db), "--workers", "0",
                                         *map(str, paths)], catch_exceptions=False)
            assert result.exit_code == 0, result.output
    terms = [
        sorted(sqlite3.connect(db).execute("SELECT family, term, stem FROM search_terms"))
        for db in (tmp_path / "split.db", tmp_path / "whole.db")
    ]
    assert terms[0] == terms[1] and ("id", "menyerang", "serang") in terms[0]


def _corpus(tmp_path, articles=ARTICLES) -> str:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (title, body) in articles.items():
        (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    db = str(tmp_path / "cli.db")
    from click.testing import CliRunner

    from newsingest.cli import cli

    result = CliRunner().invoke(cli, ["add", "--db", db, "--workers", "0", str(folder)])
    assert result.exit_code == 0, result.output
    return db


def test_export_match_finds_what_query_finds(tmp_path):
    from click.testing import CliRunner

    from newsingest.cli import cli

    db = _corpus(tmp_path)
    runner = CliRunner()

    def ids(command, *words):
        result = runner.invoke(cli, [command, "--db", db, *words, "--format", "jsonl"])
        assert result.exit_code == 0, result.output
        return sorted(json.loads(line)["id"] for line in result.stdout.splitlines())

    for words in (["serang"], ["menyerang"], ["serang", "-polisi"], ["serang", "OR", "harga"]):
        exported = ids("export", *[a for w in words for a in ("--match", w)])
        assert exported == ids("query", *words) and len(exported) >= 3, words
    # --exact and --raw keep the words as written.
    assert len(ids("export", "--match", "serang", "--exact")) == 1
    assert len(ids("export", "--match", "serang", "--raw")) == 1
    # pendapat stays a word of its own, as in query.
    assert len(ids("export", "--match", "pendapat")) == 1


@pytest.mark.parametrize("command", ["export", "stats"])
@pytest.mark.parametrize(
    ("words", "message"),
    [([""], "nothing to search for"), (["OR"], "OR needs"), (["-polisi"], "a word to find")],
)
def test_a_match_that_cannot_mean_anything_is_a_usage_error(tmp_path, command, words, message):
    db = _corpus(tmp_path, {"a.txt": ARTICLES["a.txt"]})
    arguments = [a for w in words for a in ("--match", w)]
    result = subprocess.run(
        [sys.executable, "-m", "newsingest", command, "--db", db, *arguments],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1




# ----------------------------------------------------------------------------------------------
# Query execution: the narrow filter rows and the snippet reads give what the plain ones gave


@pytest.fixture(scope="module")
def sample_corpus(tmp_path_factory):
    """The repository's sample articles and language fixtures, imported by `newsingest add`."""
    from pathlib import Path

    from click.testing import CliRunner

    from newsingest.cli import cli

    root = Path(__file__).resolve().parents[1]
    folder = tmp_path_factory.mktemp("samples")
    for path in [*(root / "samples").rglob("*.txt"), *(root / "tests/data/language").glob("*.txt")]:
        target = folder / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
    db = folder / "corpus.db"
    result = CliRunner().invoke(cli, ["add", "--db", str(db), "-q", str(folder)])
    assert result.exit_code == 0, result.output
    return db


def _queries(store) -> list[list[str]]:
    """Words picked mechanically: the most, middling and least common indexed words of four
    letters or more, alone, widened, with OR, NOT, a phrase and a prefix."""
    words = [
        term
        for term, in store.conn.execute(
            "SELECT term FROM articles_fts_vocab WHERE length(term) >= 4 "
            "AND term NOT GLOB '*[0-9]*' ORDER BY doc DESC, term"
        )
    ]
    picked = [*words[:6], *words[len(words) // 50 :][:4], *words[len(words) // 5 :][:3], words[-1]]
    return [
        *([word] for word in picked),
        [picked[0], "OR", picked[7]],
        [picked[1], "-" + picked[8]],
        [f'"{picked[2]} {picked[3]}"'],
        [picked[9][:4] + "*"],
    ]


def _results(store, queries, filters):
    found = []
    for words in queries:
        plan = search.plan_query(store, words, filters.language)
        found.append(
            (
                store.search(plan.match, filters, 20, ("[", "]"), plan.exact),
                store.count_matches(plan.match, filters),
                store.facets(plan.match, filters),
            )
        )
    return found


@pytest.mark.parametrize("window", [None, 3])
def test_filter_rows_and_snippet_reads_agree_with_the_article_rows(
    sample_corpus, monkeypatch, window
):
    import itertools

    from newsingest import places
    from newsingest import store as store_module

    if window:
        # Small rank windows: the windows widen, and the ranked rows come from both tiers.
        monkeypatch.setattr(store_module, "RANK_WINDOW", window)
        monkeypatch.setattr(store_module, "WIDENED_RANK_WINDOW", 1)
    store = open_store(sample_corpus)
    queries = _queries(store)
    values = store.conn.execute(
        "SELECT group_concat(DISTINCT language), group_concat(DISTINCT source), "
        "min(published), max(published) FROM articles"
    ).fetchone()
    languages = [None, *sorted(values[0].split(","))[:2]]
    sources = [None, *sorted(values[1].split(","))[:2]]
    first, last = values[2], values[3]
    bounds = [(None, None), (first[:4], None), (None, last[:7]), (first, first)]
    place_ids, place_names = places.place_keys("Malaysia", places.load_gazetteer())
    place_filters = [{}, {"place": "Malaysia", "place_ids": place_ids, "place_names": place_names}]
    combinations = list(itertools.product(languages, sources, bounds, place_filters, [False, True]))
    scan_max = store_module.SNIPPET_SCAN_MAX
    matched = 0
    for language, source, (since, until), place, canonical in combinations:
        filters = Filters(language, since, until, source, canonical_only=canonical, **place)
        new = _results(store, queries, filters)
        # As before: candidates tested in the article rows, snippets looked up one by one.
        store.filter_table = "articles"
        monkeypatch.setattr(store_module, "SNIPPET_SCAN_MAX", 0)
        old = _results(store, queries, filters)
        store.filter_table = "search_filters"
        monkeypatch.setattr(store_module, "SNIPPET_SCAN_MAX", scan_max)
        assert new == old, (filters, queries)
        matched += sum(1 for rows, _, _ in new if rows)
    # Not a comparison of empty lists: queries find something under most combinations.
    assert matched > len(combinations)


def test_the_match_count_is_the_number_of_matches_up_to_its_cap(sample_corpus, monkeypatch):
    from newsingest import store as store_module

    store = open_store(sample_corpus)
    for words in _queries(store):
        plan = search.plan_query(store, words, exact=True)
        everything = store.search(plan.match, Filters(), 10_000)
        assert store.count_matches(plan.match, Filters()) == MatchCount(len(everything)), words
        monkeypatch.setattr(store_module, "COUNT_MAX", 1)
        capped = store.count_matches(plan.match, Filters())
        assert (capped.value, capped.more) == (min(len(everything), 1), bool(everything))
        monkeypatch.setattr(store_module, "COUNT_MAX", 20_000)
    assert store.count_matches('"yang"', Filters()).value > 1


def _reference_count(store, match, filters) -> int:
    """Every match of the words tested against the filters, in the article rows."""
    where, params = store._filter_sql(filters)
    sql = "SELECT count(*) FROM articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid "
    sql += " AND ".join(["WHERE articles_fts MATCH ?", *where])
    return store.conn.execute(sql, [match, *params]).fetchone()[0]


def _filter_combinations(store):
    import itertools

    from newsingest import places

    values = store.conn.execute(
        "SELECT group_concat(DISTINCT language), group_concat(DISTINCT source), "
        "min(published), max(published) FROM articles"
    ).fetchone()
    languages = [None, *sorted(values[0].split(","))[:2]]
    sources = [None, *sorted(values[1].split(","))[:2]]
    bounds = [(None, None), (values[2][:4], None), (None, values[3][:7])]
    place_ids, place_names = places.place_keys("Malaysia", places.load_gazetteer())
    place = {"place": "Malaysia", "place_ids": place_ids, "place_names": place_names}
    for language, source, (since, until), where in itertools.product(
        languages, sources, bounds, [{}, place]
    ):
        yield Filters(language, since, until, source, **where)


def test_a_count_with_filters_is_exact_up_to_the_sample_and_agrees_with_every_match_tested(
    sample_corpus,
):
    store = open_store(sample_corpus)
    queries = _queries(store)
    compared = 0
    for filters in _filter_combinations(store):
        for words in queries:
            plan = search.plan_query(store, words, filters.language)
            count = store.count_matches(plan.match, filters)
            # The sample corpus has fewer matches than COUNT_SAMPLE: every count is exact.
            assert count == MatchCount(_reference_count(store, plan.match, filters)), words
            compared += count.value > 0
    assert compared > 50


def test_a_count_beyond_the_sample_is_an_estimate_from_an_even_sample(tmp_path, monkeypatch):
    from newsingest import store as store_module

    store = open_store(tmp_path / "c.db", write=True)
    for number in range(240):
        # One article in four is Malay; only the first 16 name a warga.
        body = f"Pasukan berjaga di pos {number}." + (" Warga melapor." if number < 16 else "")
        language = "ms" if number % 4 == 0 else "id"
        article = Article(
            raw=body, title=f"Berita {number}", body=body, source="test", language=language
        )
        _put(store, f"{number}.txt", article)
    monkeypatch.setattr(store_module, "COUNT_MAX", 200)
    monkeypatch.setattr(store_module, "COUNT_SAMPLE", 20)
    assert store.count_matches('"pasukan"', Filters()) == MatchCount(200, more=True)
    # A filter every match passes scales the sample by one: the words' own count.
    assert store.count_matches('"pasukan"', Filters(source="test")) == MatchCount(
        200, exact=False, more=True
    )
    malay = store.count_matches('"pasukan"', Filters(language="ms"))
    indonesian = store.count_matches('"pasukan"', Filters(language="id"))
    assert not malay.exact and malay.more and not indonesian.exact
    # Of the 200 counted, 50 are Malay: an even sample of about 20 says so roughly.
    assert 20 <= malay.value <= 90 and 110 <= indonesian.value <= 180, (malay, indonesian)
    # Fewer matches than the cap: the sample is taken again to be about COUNT_SAMPLE strong.
    monkeypatch.setattr(store_module, "COUNT_MAX", 1000)
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    malay = store.count_matches('"pasukan"', Filters(language="ms"))
    store.conn.set_trace_callback(None)
    assert not malay.exact and not malay.more and 20 <= malay.value <= 90, malay
    assert sum("% 12 = 0" in sql for sql in traced) == 1, traced
    monkeypatch.setattr(store_module, "COUNT_MAX", 200)
    # No more matches than the sample: every one tested, the count exact.
    assert store.count_matches('"warga"', Filters(language="ms")) == MatchCount(4)
    assert store.count_matches('"warga"', Filters(language="id")) == MatchCount(12)


def test_a_filter_few_of_the_sample_pass_is_counted_exactly_not_estimated(
    tmp_path, monkeypatch
):
    from newsingest import store as store_module

    store = open_store(tmp_path / "c.db", write=True)
    for number in range(240):
        # Three Malay articles among 240: an even sample may hold none of them.
        body = f"Pasukan berjaga di pos {number}."
        language = "ms" if number in (1, 2, 100) else "id"
        article = Article(
            raw=body, title=f"Berita {number}", body=body, source="test", language=language
        )
        _put(store, f"{number}.txt", article)
    monkeypatch.setattr(store_module, "COUNT_SAMPLE", 100)
    assert store.count_matches('"pasukan"', Filters(language="ms")) == MatchCount(3)
    # More matches than are counted: the exact count of those counted is a floor.
    monkeypatch.setattr(store_module, "COUNT_MAX", 50)
    assert store.count_matches('"pasukan"', Filters(language="ms")) == MatchCount(2, more=True)
    # A filter most of the sample passes is still estimated.
    monkeypatch.setattr(store_module, "COUNT_MAX", 10_000)
    indonesian = store.count_matches('"pasukan"', Filters(language="id"))
    assert not indonesian.exact and 200 <= indonesian.value <= 260, indonesian


def test_ranking_every_match_finds_what_a_window_wide_enough_finds(sample_corpus, monkeypatch):
    from newsingest import store as store_module

    store = open_store(sample_corpus)
    queries = _queries(store)
    for filters in [Filters(), *list(_filter_combinations(store))[::7]]:
        for words in queries:
            plan = search.plan_query(store, words, filters.language)
            monkeypatch.setattr(store_module, "RANK_WINDOW", 1)
            monkeypatch.setattr(store_module, "WIDENED_RANK_WINDOW", 1)
            every = store.search(plan.match, filters, 10, ("[", "]"), plan.exact, rank_all=True)
            monkeypatch.setattr(store_module, "RANK_WINDOW", 10**9)
            monkeypatch.setattr(store_module, "WIDENED_RANK_WINDOW", 10**9)
            wide = store.search(plan.match, filters, 10, ("[", "]"), plan.exact)
            assert every == wide, (words, filters)


def test_match_counts_read_as_exact_capped_or_estimated():
    assert render.match_count(MatchCount(1234)) == "1,234"
    assert render.match_count(MatchCount(20_000, more=True)) == "20,000+"
    assert render.match_count(MatchCount(4600, exact=False)) == "about 4,600"
    assert render.match_count(MatchCount(12_000, exact=False, more=True)) == "about 12,000+"


def test_date_bounds_on_the_filter_rows_select_what_the_article_rows_select(tmp_path):
    store = _store(tmp_path, dict(list(ARTICLES.items())[:1]), published={"a.txt": "2017"})
    shape = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
    published = st.one_of(
        st.none(),
        st.from_regex(shape, fullmatch=True),
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:+]{0,14}", fullmatch=True),
        st.text(alphabet="0123456789-T: x", max_size=12),
    )
    bound = st.one_of(st.none(), st.from_regex(shape, fullmatch=True))

    @settings(max_examples=400, deadline=None)
    @given(published, bound, bound)
    def agree(value, since, until):
        # The update trigger keeps the filter row in step with the article.
        store.conn.execute("UPDATE articles SET published = ?", [value])
        filters = Filters(since=since, until=until)
        narrow = store.count_matches('"pasukan" OR "markas"', filters)
        store.filter_table = "articles"
        wide = store.count_matches('"pasukan" OR "markas"', filters)
        store.filter_table = "search_filters"
        assert narrow == wide, (value, since, until)

    agree()
    store.conn.execute("UPDATE articles SET published = '2017-05-02T10:00:00+00:00'")
    assert store.count_matches('"pasukan"', Filters(since="2017-05-02", until="2017-05")).value == 1
    assert store.count_matches('"pasukan"', Filters(until="2017-05-01")).value == 0


def test_the_migration_fills_the_filter_rows_of_articles_stored_before_it(tmp_path):
    dates = {"a.txt": "2017-05-02", "b.txt": "2016-12", "c.txt": "2018"}
    store = _store(tmp_path, dict(list(ARTICLES.items())[:4]), published=dates)
    expected = store.conn.execute("SELECT * FROM search_filters ORDER BY id").fetchall()
    store.conn.executescript(
        """
        DROP TABLE search_filters;
        DROP TRIGGER search_filters_ai;
        DROP TRIGGER search_filters_ad;
        DROP TRIGGER search_filters_au;
        DELETE FROM _sqlite_migrations WHERE name = 'm007_search_speed';
        """
    )
    store.close()
    store = open_store(tmp_path / "c.db")  # a reader upgrades an older schema too
    assert store.conn.execute("SELECT * FROM search_filters ORDER BY id").fetchall() == expected
    assert [row[4:] for row in expected] == [
        ("2017-05-02", "2017-05-02"), ("2016-12-00", "2016-12-99"), ("2018-00-00", "2018-99-99"),
        (None, None),
    ]
    assert store.count_matches('"pasukan" OR "serangan"', Filters(since="2017")).value == 1


def test_filter_rows_follow_their_articles_through_deletion(tmp_path):
    store = _store(tmp_path, dict(list(ARTICLES.items())[:2]))
    first = store.conn.execute("SELECT min(id) FROM articles").fetchone()[0]
    with store.transaction():
        store.delete_article(first)
    assert [r[0] for r in store.conn.execute("SELECT id FROM search_filters")] == [
        r[0] for r in store.conn.execute("SELECT id FROM articles")
    ]


def test_the_query_footer_says_when_its_count_is_capped_or_estimated(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from newsingest import store as store_module
    from newsingest.cli import cli

    store = open_store(tmp_path / "c.db", write=True)
    for number in range(60):
        body = f"Pasukan berjaga di pos {number}."
        language = "ms" if number % 3 == 0 else "id"
        article = Article(
            raw=body, title=f"Berita {number}", body=body, source="test", language=language
        )
        _put(store, f"{number}.txt", article)
    store.close()
    runner = CliRunner()
    db = ["--db", str(tmp_path / "c.db")]
    exact = runner.invoke(cli, ["query", "pasukan", "--limit", "3", *db])
    assert "3 shown of 60 matching" in exact.stderr
    monkeypatch.setattr(store_module, "COUNT_MAX", 40)
    monkeypatch.setattr(store_module, "COUNT_SAMPLE", 10)
    capped = runner.invoke(cli, ["query", "pasukan", "--limit", "3", *db])
    assert "3 shown of 40+ matching" in capped.stderr
    estimated = runner.invoke(cli, ["query", "pasukan", "--lang", "ms", "--limit", "3", *db])
    assert "3 shown of about " in estimated.stderr and "+ matching" in estimated.stderr


def test_rank_all_ranks_beyond_the_window_of_the_newest_matches(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from newsingest import store as store_module
    from newsingest.cli import cli

    # The oldest article says it most: only ranking every match finds it first.
    articles = {"0.txt": ("Banjir banjir banjir", "Banjir besar, banjir lagi, banjir terus.")}
    for number in range(1, 12):
        articles[f"{number}.txt"] = (f"Berita {number}", f"Warga melihat banjir di pos {number}.")
    _store(tmp_path, articles).close()
    monkeypatch.setattr(store_module, "RANK_WINDOW", 5)
    command = ["query", "banjir", "--exact", "--limit", "1", "--format", "csv"]
    command += ["--db", str(tmp_path / "c.db")]
    windowed = CliRunner().invoke(cli, command)
    everything = CliRunner().invoke(cli, [*command, "--rank-all"])
    assert "Banjir banjir banjir" in everything.stdout
    assert "Banjir banjir banjir" not in windowed.stdout and "Berita" in windowed.stdout


def test_the_help_of_rank_all_names_the_window():
    from click.testing import CliRunner

    from newsingest import store as store_module
    from newsingest.cli import cli

    text = " ".join(CliRunner().invoke(cli, ["query", "--help"]).stdout.split())
    assert f"not only the newest {store_module.RANK_WINDOW:,}" in text


def test_a_reading_connection_keeps_a_page_cache_larger_than_sqlites_default(tmp_path):
    from newsingest import store as store_module

    _store(tmp_path).close()
    store = open_store(tmp_path / "c.db")
    # SQLite's default is -2000 (2 MB): a query's statements re-read what it evicts.
    cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    assert cache == -store_module.READ_CACHE_MB * 1024


# ----------------------------------------------------------------------------------------------
# Derivational layers and the stemmer's other reading

LAYERED = {
    "a.txt": ("Jalan tol lanjut", "Pembangunan jalan tol lanjut tahun depan."),
    "b.txt": ("Proyek dilanjutkan", "Proyek itu dilanjutkan oleh gubernur baru."),
    "c.txt": ("Kelanjutan sidang", "Kelanjutan sidang ditunda sampai Senin."),
    "d.txt": ("Energi berkelanjutan", "Kota itu memakai energi berkelanjutan dari matahari."),
    "e.txt": ("Soal keberlanjutan", "Keberlanjutan hutan dibahas di forum itu."),
    "f.txt": ("Tanah yang luas", "Tanah itu luas sekali."),
    "g.txt": ("Jalan diperluas", "Jalan desa diperluas tahun ini."),
}


def test_a_form_with_two_derivational_prefixes_is_not_widened_to(tmp_path):
    store = _store(tmp_path, LAYERED)
    titles, plan = _find(store, ["lanjut"])
    assert set(titles) == {"Jalan tol lanjut", "Proyek dilanjutkan", "Kelanjutan sidang"}
    assert not {"berkelanjutan", "keberlanjutan"} & set(plan.forms["lanjut"])
    assert any(
        "berkelanjutan, keberlanjutan" in note and "two derivational prefixes" in note
        for note in plan.notes
    )
    # One layer stays: the causative per- under di- (diperluas) is luas's form.
    titles, _ = _find(store, ["luas"])
    assert set(titles) == {"Tanah yang luas", "Jalan diperluas"}
    # Asked for, the layered form is found as written.
    titles, _ = _find(store, ["berkelanjutan"])
    assert titles == ["Energi berkelanjutan"]


def test_explain_and_json_name_the_layered_forms_left_out(tmp_path):
    from click.testing import CliRunner

    from newsingest.cli import cli

    db = _corpus(tmp_path, LAYERED)
    result = CliRunner().invoke(
        cli, ["query", "lanjut", "--db", db, "--explain", "--format", "json", "--lang", "id"]
    )
    assert result.exit_code == 0, result.output
    assert "berkelanjutan" in result.stderr and "two derivational prefixes" in result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    assert all("berkelanjutan" not in row["searched"]["lanjut"] for row in rows)


# Letters no prefix spelling uses: the root is found where the prefixes end.
_ROOT_LETTERS = "acfhjouvwz"
_SPELLINGS = {"ber": True, "ke": True, "se": True, "per": True, "peng": True,
              "di": False, "ter": False, "meng": False}


@settings(max_examples=300, deadline=None)
@given(
    root=st.text(_ROOT_LETTERS, min_size=3, max_size=8),
    prefixes=st.lists(st.sampled_from(sorted(_SPELLINGS)), max_size=3),
    suffix=st.sampled_from(["", "an", "kan", "i", "nya", "annya"]),
)
def test_derivational_layers_count_the_derivational_prefixes(root, prefixes, suffix):
    word = "".join(prefixes) + root + suffix
    assert search.derivational_layers(word, root) == sum(_SPELLINGS[p] for p in prefixes)


@settings(max_examples=200, deadline=None)
@given(root=st.text("abdegiklmnoprstu", min_size=4, max_size=8))
def test_a_two_layer_member_is_left_out_and_a_one_layer_member_kept(root):
    layered, single = "berke" + root + "an", "ke" + root + "an"
    counts = {root: 50, "di" + root: 30, single: 10, layered: 10}
    plan = search.plan(
        search.parse([root]),
        ["id"],
        lambda family, stem: sorted(counts) if stem == root else [],
        lambda words: {w: counts[w] for w in words if w in counts},
        stored_stem=lambda family, word: root if word in counts else None,
    )
    assert layered not in plan.forms[root]
    assert {root, "di" + root, single} <= set(plan.forms[root])


READINGS = {
    "a.txt": ("Stok beras kurang", "Stok beras di pasar kurang."),
    "b.txt": ("Hujan berkurang", "Hujan berkurang sejak pekan lalu."),
    "c.txt": ("Warga kekurangan air", "Warga kekurangan air bersih."),
    "d.txt": ("Subsidi dikurangi", "Subsidi listrik dikurangi pemerintah."),
    "e.txt": ("Rang undang-undang", "Rang undang-undang itu dibahas parlimen."),
}


def test_a_word_the_stemmer_reads_two_ways_goes_with_the_family_the_corpus_uses(tmp_path):
    store = _store(tmp_path, READINGS)
    # Stored under rang (the ECS's confix order), dikurangi is read as kurang: the corpus holds
    # kurang's forms in more articles.
    assert store.stored_stem("id", "dikurangi") == "rang"
    titles, plan = _find(store, ["rang"])
    assert titles == ["Rang undang-undang"]
    assert any("dikurangi (a form of kurang)" in note for note in plan.notes)
    titles, plan = _find(store, ["dikurangi"])
    assert set(titles) == {
        "Stok beras kurang", "Hujan berkurang", "Warga kekurangan air", "Subsidi dikurangi"
    }
    assert any("read as a form of kurang" in note for note in plan.notes)


def test_a_word_read_two_ways_stays_with_its_stem_when_that_family_is_the_larger(tmp_path):
    articles = {
        f"r{index}.txt": (f"Rang undang-undang {index}", "Rang undang-undang dibahas.")
        for index in range(6)
    }
    articles["d.txt"] = READINGS["d.txt"]
    articles["a.txt"] = READINGS["a.txt"]
    store = _store(tmp_path, articles)
    titles, plan = _find(store, ["rang"])
    assert "Subsidi dikurangi" in titles and "dikurangi" in plan.forms["rang"]


def test_a_shorter_other_reading_never_takes_the_word_however_frequent(tmp_path):
    # memakai: pakai by the confix order, maka 'then' by the ordinary one; maka is in every
    # article, but a shorter root is the ordinary order stripping too much.
    articles = {
        f"m{index}.txt": (f"Kabar {index}", "Hujan turun, maka jalan licin.") for index in range(5)
    }
    articles["p.txt"] = ("Warga memakai masker", "Warga memakai masker, maka aman.")
    articles["q.txt"] = ("Pakai helm", "Pakai helm saat berkendara.")
    store = _store(tmp_path, articles)
    assert store.stored_stem("id", "memakai") == "pakai"
    titles, plan = _find(store, ["pakai"])
    assert set(titles) == {"Warga memakai masker", "Pakai helm"}
    assert not any("other reading" in note for note in plan.notes)


# ----------------------------------------------------------------------------------------------
# The guards' document counts: stored per word, equal to what FTS5's vocabulary counts


def _stored_and_indexed_counts(store) -> tuple[dict, dict]:
    stored = dict(store.conn.execute("SELECT term, documents FROM term_documents"))
    indexed = dict(store.conn.execute("SELECT term, doc FROM articles_fts_vocab"))
    return stored, indexed


def test_a_file_whose_article_row_is_gone_is_written_without_counting_words(tmp_path):
    # An article deleted while a file row still names it (found by the stats property test):
    # writing the file again updates no row, so no word may be counted in or out.
    store = open_store(tmp_path / "c.db", write=True)
    first = Article(raw="x", title="Judul", body="Pasukan menyerang kota.", source="t")
    _put(store, "a.txt", first)
    with store.transaction():
        store.delete_article(store.conn.execute("SELECT id FROM articles").fetchone()[0])
    second = Article(raw="y", title="Judul", body="Warga bertahan di desa.", source="t")
    _put(store, "a.txt", second)
    assert _stored_and_indexed_counts(store) == ({}, {})
    store.close()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.text(min_size=1, max_size=30), st.text(max_size=80)),
        min_size=1,
        max_size=5,
    )
)
def test_word_counts_follow_every_write_of_an_articles_text(tmp_path_factory, writes):
    # Any text, Arabic and accents included: the counts are FTS5's own words, not a tokenizer
    # of our own. A file written again with a new text updates or replaces its article.
    store = open_store(tmp_path_factory.mktemp("counts") / "c.db", write=True)
    for name, title, body in writes:
        article = Article(raw=title + body, title=title, body=body, source="t", language="id")
        _put(store, f"{name}.txt", article)
        stored, indexed = _stored_and_indexed_counts(store)
        assert stored == indexed
    with store.transaction():
        for (article_id,) in store.conn.execute("SELECT id FROM articles").fetchall():
            store.delete_article(article_id)
    assert _stored_and_indexed_counts(store) == ({}, {})
    store.close()


def test_word_counts_are_rolled_back_with_the_article(tmp_path):
    _store(tmp_path, {"a.txt": ("Judul", "Pasukan menyerang kota.")}).close()
    # A new connection: its first write, rolled back, takes the probe index made for it.
    store = open_store(tmp_path / "c.db", write=True)
    before = _stored_and_indexed_counts(store)
    article = Article(raw="x", title="Lain", body="Warga bertahan.", source="t", language="id")
    info = FileInfo(path="b.txt", abs_path="/x/b.txt", size=1, mtime_ns=1, sha256="1" * 64)
    with pytest.raises(RuntimeError), store.transaction():
        store.store_file(info, [Processed(article)], store.start_run("add", {}), "1")
        raise RuntimeError("interrupted")
    assert _stored_and_indexed_counts(store) == before
    assert before[0]["pasukan"] == 1
    _put(store, "b.txt", article)  # the next write counts its words as ever
    stored, indexed = _stored_and_indexed_counts(store)
    assert stored == indexed and stored["bertahan"] == 1


def test_word_counts_are_right_counted_in_small_batches_and_outside_a_transaction(
    tmp_path, monkeypatch
):
    from newsingest import store as store_module

    monkeypatch.setattr(store_module, "TERM_COUNT_BATCH", 2)  # flushed inside the transaction
    store = _store(tmp_path)
    stored, indexed = _stored_and_indexed_counts(store)
    assert stored == indexed and stored["warga"] == 3
    first = store.conn.execute("SELECT min(id) FROM articles").fetchone()[0]
    store.delete_article(first)  # no transaction open: counted at once
    stored, indexed = _stored_and_indexed_counts(store)
    assert stored == indexed and "menyerang" not in stored


def test_word_counts_follow_add_and_reprocess_runs(tmp_path):
    from click.testing import CliRunner

    from newsingest.cli import cli

    db = _corpus(tmp_path)  # `add`: a new article per file
    folder = tmp_path / "in"
    (folder / "a.txt").write_text("Pasukan mundur\n\nPasukan itu mundur dari kota.\n")
    (folder / "b.txt").write_text("Harga beras naik\n\nHarga beras naik lagi di pasar induk.\n")
    for command in (["add", str(folder)], ["reprocess"]):  # changed, merged, unchanged
        result = CliRunner().invoke(cli, [*command, "--db", db, "--workers", "0", "-q"])
        assert result.exit_code == 0, result.output
        store = open_store(db)
        stored, indexed = _stored_and_indexed_counts(store)
        assert stored == indexed and "mundur" in stored and "menyerang" not in stored
        store.close()


def test_the_migration_counts_the_words_of_articles_stored_before_it(tmp_path):
    store = _store(tmp_path)
    store.conn.executescript(
        """
        DROP TABLE term_documents;
        DELETE FROM _sqlite_migrations WHERE name = 'm009_term_documents';
        """
    )
    store.close()
    store = open_store(tmp_path / "c.db")  # a reader upgrades an older schema too
    stored, indexed = _stored_and_indexed_counts(store)
    assert stored == indexed and stored["serangan"] == 1 and stored["warga"] == 3


def test_plans_from_stored_counts_are_the_plans_from_fts5s_vocabulary(sample_corpus):
    # The guards decide on document counts: read from the stored table they must decide as
    # FTS5's vocabulary (which walks each word's list of articles) did, for every word.
    store = open_store(sample_corpus)
    stored, indexed = _stored_and_indexed_counts(store)
    assert stored == indexed
    reference = open_store(sample_corpus)

    consulted = []

    def vocabulary_counts(terms):
        counts = {}
        consulted.extend(terms)
        for term in terms:
            row = reference.conn.execute(
                "SELECT doc FROM articles_fts_vocab WHERE term = ?", [term]
            ).fetchone()
            if row:
                counts[term] = row[0]
        return counts

    reference.document_counts = vocabulary_counts
    # The roots with a form the guards weigh by its count (peN-, per-, ber-, ke-, se-, ter-).
    roots = store.conn.execute(
        "SELECT DISTINCT stem FROM search_terms WHERE family = 'id' AND term != stem AND ("
        + " OR ".join(f"term LIKE '{prefix}%'" for prefix in ("pe", "ber", "ke", "se", "ter"))
        + ") ORDER BY stem"
    ).fetchall()
    queries = _queries(store) + [[root] for (root,) in roots]
    for language in (None, "id", "ms", "en"):
        for words in queries:
            plan = search.plan_query(store, words, language)
            assert plan == search.plan_query(reference, words, language), words
    # Not only words no guard looks at.
    assert len(set(consulted)) > 100


def test_a_query_copied_from_a_web_page_finds_the_article_its_words_are_in(tmp_path):
    # The stored text is NFC without soft hyphens or zero-width spaces; a query copied from a
    # page or typed on a keyboard that decomposes accents holds them and found nothing.
    from click.testing import CliRunner

    from newsingest.cli import cli

    db = _corpus(tmp_path, {
        "a.txt": ("Kafe baru di Kemang", "Sebuah café baru dibuka di Abu Kamal pada Senin."),
        "b.txt": ("Harga beras naik", "Harga beras naik lagi di pasar induk."),
    })

    def titles(*words):
        result = CliRunner().invoke(cli, ["query", "--db", db, *words, "--format", "jsonl"])
        assert result.exit_code == 0, result.output
        return [json.loads(line)["title"] for line in result.stdout.splitlines()]

    for written in ("caf\u00ade", "caf\u200bé", "cafe\u0301", "\ufeffcafé", "ca\u2060fé"):
        assert titles(written) == ["Kafe baru di Kemang"], ascii(written)
        assert titles("--raw", written) == ["Kafe baru di Kemang"], ascii(written)
    # a no-break space copied between two words is a space: the phrase is found
    assert titles("Abu\u00a0Kamal") == ["Kafe baru di Kemang"]
    assert titles("be\u00adras", "-caf\u200bé") == ["Harga beras naik"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet=LATIN.replace('"', ""), min_size=1, max_size=12), min_size=1,
             max_size=3),
    st.data(),
)
def test_invisible_characters_inside_query_words_change_nothing(words, data):
    def invisible(word):
        cuts = data.draw(st.lists(st.integers(0, len(word)), max_size=3))
        for cut in sorted(cuts, reverse=True):
            word = word[:cut] + data.draw(st.sampled_from("\u00ad\u200b\u2060\ufeff")) + word[cut:]
        return word

    try:
        expected = search.parse(words)
    except QueryError as error:
        with pytest.raises(QueryError, match=re.escape(str(error))):
            search.parse([invisible(w) for w in words])
        return
    assert search.parse([invisible(w) for w in words]) == expected
