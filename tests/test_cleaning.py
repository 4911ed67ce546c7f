"""Cleaning: title, repeats, built-in and learned boilerplate, normalisation, invariants."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources as package_resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsingest import cleaning
from newsingest.article import Article, Metadata
from newsingest.pipeline import Resources

SEEDS = Path(__file__).parent / "data" / "seeds"
RULES = cleaning.load_rules()


def resources(learned=None) -> Resources:
    return Resources(
        now=datetime(2026, 1, 1, tzinfo=UTC),
        boilerplate=RULES,
        language=None,
        gazetteer=None,
        learned_boilerplate=learned or {},
    )


RES = resources()


def clean_text(text: str, res: Resources = RES, **fields) -> Article:
    return cleaning.clean(Article(raw=text, text=text, **fields), res)


def assert_offsets(article: Article) -> None:
    for removal in article.removed:
        if removal.start is not None:
            assert article.text[removal.start : removal.start + len(removal.text)] == removal.text


def norm(s: str) -> str:
    return " ".join(s.split())


# --- golden seeds ---------------------------------------------------------------------------


def test_seed_000_title_repeated_once():
    article = clean_text((SEEDS / "000_711718d73377f876.txt").read_text(encoding="utf-8"))
    assert article.title == "Rusia Ganti Foto-Foto Bukti Dukungan Amerika ke ISIS"
    assert article.title not in article.body
    assert article.body.startswith("Setelah sempat menghapus foto-foto")
    assert article.body.endswith("video game serta video lama di Irak.")
    assert [r.reason for r in article.removed] == ["repeated-title"]
    assert "Rabu 15 November 2017.  Rusia kembali" in article.body  # inner spacing kept
    assert_offsets(article)


def test_seed_002_caption_once_credit_and_footer_gone():
    article = clean_text((SEEDS / "002_48cacc80b9f457c0.txt").read_text(encoding="utf-8"))
    caption = "Kepulan asap setelah serangan udara, selama pertempuran melawan militan ISIS"
    assert article.title.startswith("Tak Sama, Kemenhan Rusia")
    assert article.body.count(caption) == 1
    assert "Reuters" not in article.body.split("\n")
    assert "Ketika mengambil atau mengutip" not in article.body
    reasons = {r.reason for r in article.removed}
    assert reasons == {
        "duplicate",
        "boilerplate:signoff-wire",
        "boilerplate:footer-quote-notice",
    }
    assert_offsets(article)


# --- built-in rules: every example in the data file -----------------------------------------

SPECS = json.loads(
    package_resources.files("newsingest").joinpath("data", "boilerplate.json").read_text("utf-8")
)["rules"]
FRAME = (
    "Judul berita yang biasa saja\n\n"
    "Paragraf pembuka yang cukup panjang, berisi kabar utama hari ini.\n\n"
    "{}\n\n"
    "Paragraf penutup yang juga cukup panjang untuk isi berita."
)


@pytest.mark.parametrize(
    ("name", "example", "removes"),
    [
        (spec["name"], example, spec.get("removes", [example])[i] if "removes" in spec else example)
        for spec in SPECS
        for i, example in enumerate(spec["examples"])
    ],
)
def test_rule_examples_are_removed(name, example, removes):
    article = clean_text(FRAME.format(example))
    assert norm(removes) not in norm(article.body)
    assert any(r.reason.startswith("boilerplate:") for r in article.removed), name
    assert "Paragraf pembuka yang cukup panjang" in article.body
    assert "Paragraf penutup yang juga cukup panjang" in article.body
    assert_offsets(article)


@pytest.mark.parametrize(
    "keep", [keep for spec in SPECS for keep in spec.get("keeps", [])]
)
def test_rule_keeps_survive(keep):
    assert norm(keep) in norm(clean_text(FRAME.format(keep)).body)


def test_every_rule_has_examples():
    for spec in SPECS:
        assert spec["examples"], spec["name"]
        assert spec["scope"] in ("line", "inline")


@pytest.mark.parametrize(
    "dateline",
    [
        "JAKARTA, KOMPAS.com - Presiden meresmikan jalan tol baru pada Senin pagi.",
        "    LONDON, April 1 - A total of 15 mln stg of assistance was given.",
        "KUCHING 17 Julai - Kerajaan negeri akan membina lebih banyak sekolah.",
        "Wien – Der ÖVP-Koalitionsvorschlag wurde am Montag vorgestellt.",
        "عين اليوم – سان فرانسيسكو",
        "Suara.com - Polisi menangkap dua pelaku pencurian di pasar.",
    ],
)
def test_datelines_stay(dateline):
    article = clean_text(FRAME.format(dateline))
    assert dateline.strip() in article.body


# --- title ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Harga beras naik lagi\n\nHarga beras naik di pasar induk.", "Harga beras naik lagi"),
        ("STOLTENBERG SEES NO \"ITALIAN PROBLEM\"\n\n    ROME, March 1 - Norway said.", None),
        # title directly followed by a capitalised standfirst (Fake.br)
        ("Lula parece não perceber\nSegundo o pré-candidato, fala\n\nO texto.", None),
        # flattened text: one long line
        ("Plebiscito tem 95% de SIM. " * 20, ""),
        # hard-wrapped paragraph: the next line continues the sentence
        ("Konsulat Jenderal Republik Indonesia mengklarifikasi isu telah\nmembakar reog.", ""),
        # a text that starts with a blank line or a space has no title line
        ("\n\nBeredar kabar\n\nIsi berita.", ""),
        (" Ketua DPD PKS Pekanbaru mengunjungi Hatta di\nRSUD AA di Pekanbaru.", ""),
        ("Kabar ini sudah dibantah.\n\nIsi berita lain.", ""),
    ],
)
def test_title_detection(text, title):
    expected = text.split("\n")[0] if title is None else title
    assert clean_text(text).title == expected


def test_meta_title_is_used_and_its_repeat_removed():
    text = "Council approves budget\nThe council approved the budget on Tuesday."
    article = clean_text(text, meta=Metadata(title="Council  approves budget"))
    assert article.title == "Council approves budget"
    assert article.body == "The council approved the budget on Tuesday."


@pytest.mark.parametrize(
    "text",
    [
        "Yuawi prepara canción para el Mundial\n\nYuawi prepara canción para el Mundial\nCuerpo.",
        "Yuawi prepara canción para el Mundial\n\nYuawi prepara canción para el Mundial Cuerpo.",
        "'Ada GST ke tidak, harga naik'\n\nNow Playing 'Ada GST ke tidak, harga naik'\n\nCuerpo.",
        "MALTA IZINKAN KAPAL MASUK\n\nBagikan :\n\nMalta izinkan kapal masuk\n\nCuerpo.",
    ],
)
def test_repeated_title_is_removed(text):
    article = clean_text(text)
    assert article.body == "Cuerpo."
    assert any(r.reason == "repeated-title" for r in article.removed)


def test_repeated_paragraph_and_sentence_kept_once():
    text = (
        "Judul\n\n"
        "Surpreende que tanto alvoroço esteja sendo criado em torno de um fato.\n\n"
        "Muito barulho nas redes. Outra frase aqui no mesmo parágrafo.\n\n"
        "Surpreende que tanto alvoroço esteja sendo criado em torno de um fato.\n\n"
        "Outra frase aqui no mesmo parágrafo.\n\n"
        "Fim."
    )
    article = clean_text(text)
    assert article.body.count("Surpreende que tanto") == 1
    assert article.body.count("Outra frase aqui") == 1
    assert [r.reason for r in article.removed] == ["duplicate", "duplicate"]
    assert_offsets(article)


def test_short_repeated_lines_are_kept():
    text = "TABLE\n\n    Shr 12 cts vs 10 cts\n    Net 1.2 mln\n    Shr 12 cts vs 10 cts\n"
    assert clean_text(text).body.count("Shr 12 cts vs 10 cts") == 2


# --- normalisation and offsets --------------------------------------------------------------


def test_normalisation_and_offsets_into_original_text():
    text = (
        "Judul\u00a0berita\r\n\r\nPara\u00adgraf satu\u200b berisi kabar.\r\n"
        "SCROLL TO CONTINUE WITH CONTENT\r\nParagraf\u00a0dua.\r\n"
    )
    article = clean_text(text)
    assert article.title == "Judul berita"
    assert article.body == "Paragraf satu berisi kabar.\nParagraf dua."
    (removal,) = article.removed
    assert removal.reason == "boilerplate:ad-marker"
    assert removal.start == text.index("SCROLL")
    assert_offsets(article)


def test_nfc():
    article = clean_text("Cafe\u0301 ditutup\n\nKafe\u0301 itu ditutup kemarin.")
    assert article.title == "Café ditutup"
    assert "Kafé" in article.body


def test_indented_lines_start_paragraphs():
    text = "TITLE HERE\n\n    LONDON - First paragraph\nwrapped line.\n    Second paragraph.\n"
    assert clean_text(text).body == "LONDON - First paragraph\nwrapped line.\n\nSecond paragraph."


# --- learned boilerplate --------------------------------------------------------------------

SYLLABLES = "ba ka la ma na pa ra sa ta da ga ja be ke le me ne pe re se te di gi ju ko".split()
_RNG = random.Random(0)
WORDS = sorted({"".join(_RNG.choice(SYLLABLES) for _ in range(3)) for _ in range(3000)})
FOOTER = "Artikel ini telah tayang di laman Warta Contoh edisi daring."


def story(seed: int, footer: bool = True, source: str = "contoh") -> Article:
    rng = random.Random(seed)
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(25)).capitalize() + "." for _ in range(4)
    ]
    lines = [f"Judul berita nomor {seed}", "", "JAKARTA -", *paragraphs]
    if footer:
        lines.append(FOOTER)
    text = "\n".join(lines)
    return cleaning.clean(Article(raw=text, text=text, source=source), RES)


def test_footer_recurring_across_stories_is_learned_and_removed():
    articles = [story(i) for i in range(40)]
    learned = cleaning.learn_boilerplate(articles)
    assert cleaning.unit_key(FOOTER) in learned["contoh"]
    assert "jakarta" not in " ".join(learned["contoh"])  # datelines are never learned
    cleaned = cleaning.clean(articles[0], resources(learned))
    assert FOOTER not in cleaned.body
    assert "JAKARTA -" in cleaned.body
    assert any(r.reason == "learned" and r.text == FOOTER for r in cleaned.removed)
    assert_offsets(cleaned)
    other = cleaning.clean(replace(articles[0], source="lain"), resources(learned))
    assert FOOTER in other.body  # learned rules are per source


def story_ending(seed: int, last: str, source: str = "contoh", glued: bool = False) -> Article:
    """A cleaned story closed by ``last``: a line of its own, or glued to the last paragraph
    (a flattened page)."""
    article = story(seed, footer=False, source=source)
    text = article.text + (" " if glued else "\n") + last
    return cleaning.clean(Article(raw=text, text=text, source=source), RES)


def test_a_recurring_opening_is_learned_and_removes_lines_whatever_follows():
    promos = [f"Dengarkan siniar kami {WORDS[i]} {WORDS[i + 1]} di sini:" for i in range(40)]
    articles = [story_ending(i, promos[i]) for i in range(40)]
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert "^dengarkan siniar kami" in learned
    fresh = story_ending(99, "Dengarkan siniar kami yang belum pernah tayang di sini:")
    cleaned = cleaning.clean(fresh, resources({"contoh": learned}))
    assert "Dengarkan siniar" not in cleaned.body
    assert [r.reason for r in cleaned.removed] == ["learned-opening"]
    assert_offsets(cleaned)


@pytest.mark.parametrize(
    "last",
    [
        "Shr {} cts vs 10 cts",  # a table row: digits
        "Menurut dia, {} harus segera selesai.",  # a sentence
        "    Menurut dia {} harus segera selesai",  # indented: a paragraph
    ],
)
def test_openings_of_tables_sentences_and_paragraphs_are_not_learned(last):
    articles = [story_ending(i, last.format(WORDS[i])) for i in range(40)]
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert not [key for key in learned if key.startswith(cleaning.PREFIX_MARK)]


def test_a_recurring_ending_is_learned_and_cut_from_the_last_line():
    tails = [f"Kata kunci {WORDS[i]} {WORDS[i + 7]} {WORDS[i + 9]}" for i in range(40)]
    articles = [story_ending(i, tails[i], glued=True) for i in range(40)]
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert {"$kata", "$kata kunci"} <= learned
    fresh = story_ending(99, "Kata kunci banjir hujan Jakarta", glued=True)
    cleaned = cleaning.clean(fresh, resources({"contoh": learned}))
    assert "Kata kunci" not in cleaned.body
    assert cleaned.body.endswith(".")  # the story's own last sentence stays
    assert [(r.reason, r.text) for r in cleaned.removed] == [
        ("learned-ending", "Kata kunci banjir hujan Jakarta")
    ]
    assert_offsets(cleaned)
    # Only the end of a story is looked at: the same words inside it are its text.
    inside = clean_text(
        "Judul\n\nKata kunci banjir hujan Jakarta\n\nIa pergi ke pasar kemarin sore.",
        resources({"contoh": learned}),
        source="contoh",
    )
    assert "Kata kunci banjir hujan Jakarta" in inside.body


@pytest.mark.parametrize(
    "tail",
    [
        "Referensi: https://contoh.id/berita/{}",  # links closing a story are its references
        "Menurut dia, {} harus segera selesai.",  # a sentence
        "Net {} 12.4 mln vs 10.1 mln",  # a table row: a figure after the label
    ],
)
def test_references_sentences_and_figures_are_not_learned_as_endings(tail):
    articles = [story_ending(i, tail.format(WORDS[i]), glued=True) for i in range(40)]
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert not [key for key in learned if key.startswith(cleaning.ENDING_MARK)]


def test_a_recurring_separator_is_learned_and_cut_wherever_it_stands():
    articles = []
    for i in range(40):
        base = story(i, footer=False)
        text = base.text.replace(".\n", ". " + "◆" * (5 + i % 7) + "\n", 1)
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), RES))
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert "§◆" in learned
    text = "Judul\n\nIa datang.◆◆◆◆◆ Ia pergi.\n\n◆◆◆◆◆◆◆◆\n\nSkor 1-0 dan a ◆◆ b tetap."
    cleaned = clean_text(text, resources({"contoh": learned}), source="contoh")
    assert "◆◆◆" not in cleaned.body
    assert "Ia datang. Ia pergi." in cleaned.body
    assert "a ◆◆ b" in cleaned.body  # shorter runs are text
    assert {r.reason for r in cleaned.removed} == {"learned-separator"}
    assert_offsets(cleaned)
    # A source whose stories do not share the run keeps it.
    assert "◆◆◆◆◆" in clean_text(text, RES, source="lain").body


def test_a_learned_sign_off_is_removed_from_the_last_line_after_a_table():
    rows = "\n".join(f"    Shr {i} cts vs {i + 1} cts" for i in range(3))
    text = f"Hasil\n\nLaba naik.\n{rows}\n REUTER"
    cleaned = clean_text(text, resources({"contoh": frozenset({"reuter"})}), source="contoh")
    assert "REUTER" not in cleaned.body
    assert "Shr 2 cts vs 3 cts" in cleaned.body


def test_a_recurring_credit_bracket_is_learned_and_cut_after_sentences():
    # Learning alone: the string rules know agency sign-offs of their own.
    bare = replace(RES, boilerplate=cleaning.compile_rules([], ()))
    articles = []
    for i in range(40):
        base = story(i, footer=False)
        text = base.text.replace(".\n", f". (Agensi, {i % 28 + 1}.3.2016)\n", 1)
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), bare))
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert "(agensi" in learned
    text = (
        "Judul\n\nIa datang ke kota. (Agensi, Reuters, 2.8.2015)\n\n"
        "Laporan dari Agensi (Agensi, kantor pusat) dibaca.\n\nIa pergi. (Lain, 2.8.2015)"
    )
    with_learned = replace(bare, learned_boilerplate={"contoh": learned})
    cleaned = clean_text(text, with_learned, source="contoh")
    assert [(r.reason, r.text) for r in cleaned.removed] == [
        ("learned-credit", "(Agensi, Reuters, 2.8.2015)"),
        # another word opens it: no learned credit, but the learned shape "(a,9.9.9)"
        ("learned-shape", "(Lain, 2.8.2015)"),
    ]
    assert "(Agensi, kantor pusat)" in cleaned.body  # not after a sentence: text
    assert_offsets(cleaned)


@pytest.mark.parametrize(
    "bracket", ["(1) lihat tautan {}", "(Sumber: https://contoh.id/{})", "(foto {})"]
)
def test_numbered_items_links_and_bare_words_are_not_learned_as_credits(bracket):
    articles = []
    for i in range(40):
        base = story(i, footer=False)
        text = base.text.replace(".\n", ". " + bracket.format(WORDS[i]) + "\n", 1)
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), RES))
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert not [key for key in learned if key.startswith(cleaning.CREDIT_MARK)]


def test_ending_key_shape():
    assert cleaning.ending_keys("سمات احتجاز اغتصاب امرأة") == ("$سمات", "$سمات احتجاز")
    assert cleaning.ending_keys("Sumber: Warta Contoh") == ("$sumber:",)
    assert cleaning.ending_keys("- UTUSAN ONLINE") == ("$utusan", "$utusan online")
    assert cleaning.ending_keys("(APA, 30.9.2015)") == ()  # a figure
    assert cleaning.ending_keys("REFERENSI:") == ()  # a label introducing a list
    assert cleaning.ending_keys("Ia pergi ke pasar.") == ()


def story_with_widget(seed: int, widget: list[str]) -> Article:
    article = story(seed, footer=False)
    lines = article.text.split("\n")
    text = "\n".join(lines[:4] + widget + lines[4:])
    return cleaning.clean(Article(raw=text, text=text, source="contoh"), RES)


def test_a_widget_after_a_short_label_line_and_a_glued_dash_widget_are_learned():
    widget = ["SPONSOR", "GULIR UNTUK MELANJUTKAN MEMBACA", "", "T+ T-", ""]
    articles = [story_with_widget(i, widget) for i in range(40)]
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert {"sponsor", "gulir untuk melanjutkan membaca", "t+ t"} <= learned
    cleaned = cleaning.clean(story_with_widget(99, widget), resources({"contoh": learned}))
    assert "GULIR" not in cleaned.body and "T+ T-" not in cleaned.body
    assert_offsets(cleaned)


def test_rows_after_a_short_row_with_figures_are_not_learned():
    table = ["Shr 12 cts vs 10 cts", "Nine mths", "Shr 40 cts vs 31 cts"]
    articles = [story_with_widget(i, table) for i in range(40)]
    learned = cleaning.learn_boilerplate(articles)["contoh"]
    assert "nine mths" not in learned


def test_opening_key_shape():
    assert cleaning.opening_key("Editor : Kistin S") == "^editor :"
    assert cleaning.opening_key("Baca juga: Judul Lain Sekali") == "^baca juga:"
    assert cleaning.opening_key("Editor: Kistin") is None  # nothing left to vary
    assert cleaning.opening_key("Ia pergi ke pasar.") is None


def test_near_duplicate_copies_do_not_make_boilerplate():
    base = story(7, footer=False)
    copies = []
    for i in range(30):
        text = base.text.replace("JAKARTA -", f"JAKARTA - (salinan {i})") + "\nBagikan :"
        copies.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), RES))
    assert len({cleaning.story_signature(a) for a in copies}) == 1
    assert cleaning.learn_boilerplate(copies)["contoh"] == frozenset()


def test_learning_ignores_order():
    articles = [story(i) for i in range(12)] + [story(i, footer=False) for i in range(12, 30)]
    shuffled = articles[:]
    random.Random(3).shuffle(shuffled)
    assert cleaning.learn_boilerplate(articles) == cleaning.learn_boilerplate(shuffled)


def test_select_learned_thresholds():
    counts = {"footer": 40, "rare": 4, "borderline": 5}
    assert cleaning.select_learned(counts, 100) == frozenset({"footer", "borderline"})
    assert cleaning.select_learned(counts, 1000) == frozenset({"footer"})  # 2 % of 1000 = 20
    # Openings need five stories whatever the size; endings and lines need the share too.
    labels = {"^baca juga:": 5, "$tonton": 5, "^lihat:": 4}
    assert cleaning.select_learned(labels, 1000) == frozenset({"^baca juga:"})


def test_signature_distinguishes_stories_and_fits_64_bits():
    signatures = {cleaning.story_signature(story(i)) for i in range(50)}
    assert len(signatures) == 50
    assert all(-(2**63) <= s < 2**63 for s in signatures)
    assert isinstance(cleaning.story_signature(Article(raw="", text="")), int)


def test_observations_are_keys_of_lines_and_short_sentences():
    article = story(1)
    keys = cleaning.boilerplate_observations(article)
    assert cleaning.unit_key(FOOTER) in keys
    assert cleaning.unit_key(article.title) not in keys


# --- properties -----------------------------------------------------------------------------

LINES = st.sampled_from(
    [
        "",
        " ",
        "Judul berita",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Baca juga: Sesuatu",
        "(Foto: dok)",
        "Reuter",
        "A+ A-",
        "======",
        "Isi berita yang cukup panjang di sini.",
        "Isi berita yang cukup panjang di sini. Kalimat kedua.",
        "Kalimat kedua.",
        "katanya. - Bernama",
        "    LONDON, April 1 - text",
        "Judul berita Isi berita",
        "Por Ana Silva e João Souza",
        '"Por Ana Silva e João Souza"',
        "COMMENT",
        "ULASAN | Isi berita yang cukup panjang.",
        "Tribun Lampung/Beni Yulianto",
        "Ia selesai. (stro, APA)",
        "أ ب",
        "Sumber: https://example.org/a",
        "kata dia. + Judul lain yang panjang di sini Ia pergi ke pasar.",
        "Rencana ini tidak semestinya mencerminkan pendirian redaksi.",
        "Editor : Kistin S",
        "Teks Foto : Kompas/Ani Lestari",
        "Ia datang. (تصوير: أحمد علي)",
        "Tanya: Apakah Bapak maju?",
        "Jawab: Tentu",
        "Ia selesai. (abd/wdi)”.",
        "[rhm]",
        "Andreza Matais, Talita Fernandes e Fábio Serapião",
        "Harga Cabai Naik Jelang Lebaran",
        "Ia datang.◆◆◆◆ Ia pergi. ====",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=12).map("\n".join),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_clean_never_raises_and_offsets_hold(text):
    article = clean_text(text)
    assert isinstance(article.title, str) and isinstance(article.body, str)
    assert "\n" not in article.title
    assert_offsets(article)
    cleaning.boilerplate_observations(article)
    cleaning.story_signature(article)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_clean_is_idempotent(text):
    first = clean_text(text)
    again = clean_text(first.title + "\n\n" + first.body)
    assert (again.title, again.body) == (first.title, first.body)


def test_a_story_closing_with_more_edge_lines_than_shape_passes_is_cleaned_at_once():
    # Each pass brings the next source line to the story's end: a fixed number of passes
    # left the first for a second cleaning (found by the property test above).
    text = "Banjir melanda kota.\n" + "Sumber: http://contoh.id/a\n" * 8 + "(ant/red)"
    first = clean_text(text)
    assert first.body == "Banjir melanda kota."
    again = clean_text(first.title + "\n\n" + first.body)
    assert (again.title, again.body) == (first.title, first.body)


LEARNED_RES = resources({"contoh": frozenset({"$kata", "$kata kunci", "§◆", "§=", "reuter"})})
LEARNED_LINES = st.sampled_from(
    ["Kata kunci banjir hujan", "Ia datang.◆◆◆◆ Ia pergi.", "====", " REUTER", "Ia pergi."]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(LEARNED_LINES, LINES, st.text(max_size=30)), max_size=10))
def test_learned_endings_and_separators_never_raise_and_offsets_hold(lines):
    article = clean_text("\n".join(lines), LEARNED_RES, source="contoh")
    assert_offsets(article)
    assert "◆◆◆" not in article.body


def test_title_after_byline_stamp_and_repeated_standfirst():
    text = (
        "Kerap diterpa isu, 3 keluarga artis ini harmonis\n\n"
        "Eko Putra 03 November 2017 16:34 Kerap diterpa isu, 3 keluarga artis ini harmonis "
        "Isu selingkuh tak selamanya membuat rumah tangga goyah.\n\n"
        "Isu selingkuh tak selamanya membuat rumah tangga goyah.\n\n"
        "Berikut kisah mereka."
    )
    article = clean_text(text)
    assert article.title == "Kerap diterpa isu, 3 keluarga artis ini harmonis"
    assert article.title not in article.body
    assert article.body.count("Isu selingkuh tak selamanya") == 1
    assert article.body.startswith("Eko Putra 03 November 2017 16:34 Isu selingkuh")


def test_title_inside_a_sentence_is_kept():
    text = "Orang yang hatinya sakit\n\nDan bagi orang yang hatinya sakit itu, kata dia.\n"
    assert "orang yang hatinya sakit itu" in clean_text(text).body


RELATED = (
    "Judul\n\n"
    "Kominfo tidak pernah menyatakan akan memblokir Facebook pada 24 April nanti.\n"
    "DPR Buka Opsi Minta Kominfo Blokir Facebook\n"
    "3 Sosok Penting di Balik Kebocoran 50 Juta Data Pengguna Facebook\n"
    "Semuel berkata Kemkominfo akan mengambil langkah tegas.\n"
    "Facebook Diberi Waktu hingga 26 April\n"
    "Facebook saat ini memang sedang dilanda masalah.\n"
    "    May         4.5 PB     May          3 PB\n"
    "    June        4.7 PB     June         3 PB\n"
)


def test_related_headline_block_removed_subheadings_and_tables_kept():
    article = clean_text(RELATED)
    assert "DPR Buka Opsi" not in article.body
    assert "3 Sosok Penting" not in article.body
    assert "Facebook Diberi Waktu hingga 26 April" in article.body
    assert "May         4.5 PB" in article.body
    assert [r.reason for r in article.removed] == ["boilerplate:related-headlines"] * 2


# --- shapes: boilerplate found by shape and position -----------------------------------------

LEAD = "Paragraf pembuka yang cukup panjang, berisi kabar utama hari ini dari ibu kota."
MIDDLE = [f"Paragraf isi ke-{i} yang menjelaskan duduk perkara dengan panjang." for i in range(6)]
END = "Paragraf penutup yang juga cukup panjang untuk isi berita ini, kata dia."


def story_with(first: list[str] = (), last: list[str] = (), middle: list[str] = ()) -> str:
    """A headline and a body of prose, with lines put at its start, middle and end."""
    body = [*first, LEAD, *MIDDLE[:3], *middle, *MIDDLE[3:], END, *last]
    return "Judul berita yang biasa saja\n\n" + "\n\n".join(body)


# The detectors alone, without the string rules of data/boilerplate.json.
SHAPES_ONLY = replace(RES, boilerplate=cleaning.compile_rules([]))


def removed_as(article: Article, name: str) -> list[str]:
    return [norm(r.text) for r in article.removed if r.reason == "boilerplate:" + name]


def clean_shapes(text: str) -> Article:
    article = clean_text(text, SHAPES_ONLY)
    assert_offsets(article)
    return article


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("Por Andreza Matais, Talita Fernandes e Fábio Serapião", "first"),
        ("By Sin Chew Daily", "first"),
        ("Oleh: Ahmad Fauzi dan Siti Rahmawati", "last"),
        ("Von Anna Schmidt und Peter Huber", "last"),
        ("بقلم محمد", "first"),
    ],
)
def test_byline_near_the_edges_is_removed(line, where):
    text = story_with(first=[line]) if where == "first" else story_with(last=[line])
    article = clean_shapes(text)
    assert removed_as(article, "byline") == [norm(line)]
    assert LEAD in article.body and END in article.body
    assert_offsets(article)


@pytest.mark.parametrize(
    "text",
    [
        # a quotation that looks like a byline
        story_with(first=['"Por Ana Silva e João Souza"']),
        # a byline-shaped line in the middle of the story: a sentence about people
        story_with(middle=["Por Ana Silva e João Souza"]),
        # a list of names (signatories, a team sheet) at the end
        story_with(last=["Por Ana Silva e João Souza", "Por Rui Costa e Maria Lopes"]),
    ],
)
def test_content_that_looks_like_a_byline_stays(text):
    article = clean_shapes(text)
    assert removed_as(article, "byline") == []
    assert "Ana Silva e João Souza" in article.body


def test_flattened_opening_byline_is_cut_and_the_story_stays():
    text = (
        " * Por Carlos Lordelo, do Estadão.edu O austríaco Bernhard Niesner, de 34 anos, "
        "sempre gostou de idiomas. Enquanto crescia, em Viena, aprendeu inglês e espanhol."
    )
    article = clean_shapes(text)
    assert removed_as(article, "byline") == ["* Por Carlos Lordelo, do Estadão.edu"]
    assert article.body.startswith("O austríaco Bernhard Niesner")
    assert_offsets(article)


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Tribun Lampung/Beni Yulianto", "Tribun Lampung/Beni Yulianto"),
        ("Photo : VIVA/Ridho Permana", "Photo : VIVA/Ridho Permana"),
        ("أ ب", "أ ب"),
        ("Das Ende ist nah. (stro, APA)", "(stro, APA)"),
        ("Das Ende ist nah. (red, 13.02.16)", "(red, 13.02.16)"),
        ("Sie gewann. (APA, 11.10.2015) Ergebnisse: 1. Anna Muster", "(APA, 11.10.2015)"),
        ("kata dia, Sabtu (30/6/2018). (ben)", "(ben)"),
        ("Presiden (Liputan6.com/Herman Zakharia) tiba.", "(Liputan6.com/Herman Zakharia)"),
    ],
)
def test_photo_and_agency_credits_are_removed(line, credit):
    article = clean_shapes(story_with(middle=[line]))
    assert removed_as(article, "credit") == [norm(credit)]
    assert norm(credit) not in norm(article.body)
    assert_offsets(article)


@pytest.mark.parametrize(
    "line",
    [
        "Komisi Pemberantasan Korupsi (KPK) memeriksa saksi. (KPK) Ketua tiba pukul 10.",
        "DIE FRAU: Stimmt. Da könnten wir uns was abschneiden. (Vorhang)",
        "Jakarta/Bogor",
        "Hasil laga: Persija 2, Persib 1 (babak pertama 1, 0).",
    ],
)
def test_brackets_and_slashes_of_content_stay(line):
    article = clean_shapes(story_with(middle=[line]))
    assert removed_as(article, "credit") == []
    assert norm(line) in norm(article.body)


def test_source_line_at_the_end_only():
    link = "Sumber: https://www.facebook.com/groups/x/permalink/8123/"
    article = clean_shapes(story_with(last=[link]))
    assert removed_as(article, "source-line") == [link]
    kept = clean_shapes(story_with(middle=[link]))
    assert link in kept.body  # the source of a quoted claim, inside the story
    refs = "REFERENSI: https://example.org/a https://example.org/b"
    assert refs in clean_shapes(story_with(last=[refs])).body  # references are content


def test_related_headline_lists_are_cut_out_of_the_text():
    text = (
        'O PT será nosso adversário", declarou. OUTRAS DO BLOG: + O registro do pacto entre '
        "Lula e Emílio + ANÁLISE: STF vota, Lula ganha tempo, e brasileiro não entende nada "
        "O governador chegou atrasado para a cerimônia. Segundo sua assessoria, ele estava bem."
    )
    article = clean_shapes(text)
    assert removed_as(article, "related-headlines") == [
        "OUTRAS DO BLOG:",
        "+ O registro do pacto entre Lula e Emílio",
        "+ ANÁLISE: STF vota, Lula ganha tempo, e brasileiro não entende nada",
    ]
    assert "declarou. O governador chegou atrasado" in norm(article.body)
    assert_offsets(article)


@pytest.mark.parametrize(
    "line",
    [
        "Hasilnya 2 + 2 sama dengan empat, kata guru itu. + 3 poin untuk tim tamu.",
        "- Usulan via aplikasi: 627 ribu usulan baru + 36 ribu sanggahan",
        "19 Februari 2019, 17:22 GMT + 7 Diperbarui pada 20 Februari 2019, 09:35 GMT + 7 China",
        "Kami datang bertiga + Ayah Ibu menyusul kemudian, kata dia.",
    ],
)
def test_plus_signs_of_content_stay(line):
    assert norm(line) in norm(clean_shapes(story_with(middle=[line])).body)


def test_a_name_in_a_glued_headline_is_not_split():
    text = (
        "A denúncia seguiu, anotou Moro. + Conselho superior do MPF prorroga mais 1 ano "
        "força-tarefa da Lava Jato em Curitiba O juiz da Lava Jato destacou que nada mudou."
    )
    article = clean_shapes(text)
    assert removed_as(article, "related-headlines") == [
        "+ Conselho superior do MPF prorroga mais 1 ano força-tarefa da Lava Jato em Curitiba"
    ]
    assert "anotou Moro. O juiz da Lava Jato destacou" in norm(article.body)


def test_section_kickers_are_removed():
    article = clean_shapes(story_with(first=["COMMENT"]))
    assert removed_as(article, "kicker") == ["COMMENT"]
    text = "Judul ulasan\n\nULASAN | Absurd dalam bahasa Inggeris ialah bodoh.\n\n" + END
    article = clean_shapes(text)
    assert removed_as(article, "kicker") == ["ULASAN |"]
    assert article.body.startswith("Absurd dalam bahasa Inggeris")
    tail = "Ia akan dibina tahun depan, katanya. – UTUSAN ONLINE"
    article = clean_shapes(story_with(middle=[tail]))
    assert removed_as(article, "kicker") == ["– UTUSAN ONLINE"]
    assert "Ia akan dibina tahun depan, katanya." in article.body


def test_capitalised_subheading_inside_the_story_stays():
    article = clean_shapes(story_with(middle=["PENJELASAN"]))
    assert "PENJELASAN" in article.body


@pytest.mark.parametrize(
    "line",
    [
        "Rencana ini adalah pandangan peribadi penulis dan tidak semestinya mencerminkan "
        "pendirian rasmi Malaysiakini.",
        "* The views expressed are those of the authors and do not necessarily reflect those "
        "of FMT.",
        "Die Meinung des Autors gibt nicht die Haltung der Redaktion wieder.",
    ],
)
def test_opinion_disclaimer_at_the_end_is_removed(line):
    article = clean_shapes(story_with(last=[line]))
    assert removed_as(article, "disclaimer") == [norm(line)]


def test_a_sentence_about_views_inside_the_story_stays():
    line = "Menurut penulis, angka itu tidak mencerminkan pandangan warga desa."
    assert line in clean_shapes(story_with(middle=[line])).body


def test_detectors_can_be_switched_off():
    rules = cleaning.compile_rules(cleaning.rule_specs(), detectors=())
    res = replace(RES, boilerplate=rules)
    article = clean_text(story_with(first=["By Sin Chew Daily"]), res)
    assert "By Sin Chew Daily" in article.body


def test_every_rule_and_detector_names_the_sources_it_was_written_from():
    sources = {"seeds"} | {
        "ar_saudinewsnet_2015", "de_10kgnad", "en_bbc_2005", "en_reuters21578", "es_fakedes",
        "id_detik_2025", "id_pratiwi2017_hoax", "id_turnbackhoax", "ms_malaya_news_2018",
        "pt_fakebr",
    }
    for spec in SPECS:
        assert set(spec["written_for"]) <= sources, spec["name"]
    assert set(cleaning.shapes.WRITTEN_FOR) == set(cleaning.shapes.DETECTORS)


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        (["Reporter : Ahmad Fauzi", "Editor : Siti R"], "last"),
        (["Penulis: Banu Santoso"], "last"),
        (["Redacción: Ana Gómez Ruiz"], "first"),
        (["Redaktion: Anna Schmidt"], "last"),
    ],
)
def test_staff_lines_at_the_edges_are_removed_in_any_language(lines, where):
    text = story_with(first=lines) if where == "first" else story_with(last=lines)
    article = clean_shapes(text)
    assert removed_as(article, "staff-line") == lines
    assert LEAD in article.body and END in article.body


@pytest.mark.parametrize(
    "text",
    [
        story_with(middle=["Ketua: Ahmad Fauzi"]),  # a list item inside the story
        story_with(last=["Jokowi: saya tidak pernah berjanji"]),  # a quotation
        story_with(last=["Harga: Rp 12.000"]),  # a figure
        story_with(last=["Tanya: Apakah Bapak akan maju lagi?", "Jawab: Tentu"]),  # a dialogue
        story_with(last=["Penanya: Budi", "Penanya: Ani"]),  # one label repeated: a list
    ],
)
def test_content_shaped_like_a_staff_line_stays(text):
    article = clean_shapes(text)
    assert removed_as(article, "staff-line") == []


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        (["Teks Foto : Kompas/Ani Lestari"], "first"),  # two label words, outlet/name
        (["Fotos: Pedro Alves e Rui Lima"], "last"),
        (["Bearbeitung: Jörg Müller-Wend"], "last"),
        (["Penyunting: Widiastuti"], "last"),  # one name word
    ],
)
def test_label_credit_lines_at_the_edges_are_removed_whatever_the_label(lines, where):
    text = story_with(first=lines) if where == "first" else story_with(last=lines)
    article = clean_text(text, replace(RES, boilerplate=cleaning.compile_rules(
        [], detectors=[cleaning.shapes.LABEL_CREDIT])))
    assert_offsets(article)
    assert removed_as(article, "label-credit") == lines
    assert LEAD in article.body and END in article.body


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Warga antre di depan kantor pos. (Foto: dok. Pribadi)", "(Foto: dok. Pribadi)"),
        ("Le maire a parlé. (Photo : agence/Jean Dupont)", "(Photo : agence/Jean Dupont)"),
        ("(تصوير: أحمد علي)", "(تصوير: أحمد علي)"),
        ("(Foto: istimewa)", "(Foto: istimewa)"),
    ],
)
def test_bracketed_label_credits_closing_a_line_are_removed_in_any_script(line, credit):
    article = clean_shapes(story_with(middle=[line]))
    assert removed_as(article, "label-credit") == [credit]
    rest = line.replace(credit, "").strip()
    assert rest in article.body


@pytest.mark.parametrize(
    "text",
    [
        story_with(middle=["Rasanya pahit (Jawa: sangit) dan baunya tajam."]),  # a gloss
        story_with(middle=["Baunya tajam sekali, orang menyebutnya (Jawa: sangit)"]),
        story_with(last=["Skor: 3,14"]),  # a figure
        story_with(last=["Tanya: Apakah Bapak akan maju lagi?", "Jawab: Tentu"]),  # a dialogue
        story_with(last=["Ketua: Budi", "Ketua: Ani"]),  # a list of one label
        # a list whose next item has a longer label and more than names
        story_with(first=["Ketua Umum : Budi Santoso", "Wakil Ketua Umum : Dr. Ani, S.H."]),
        story_with(last=["Replacements: Gotting, McKenzie, Lock, Hart, Biljon, Brooks."]),
        story_with(first=["Fauci: Me pondría cualquier vacuna disponible"]),  # a quotation
        story_with(middle=["Editor: Yuniarti Santoso"]),  # not at an edge
        story_with(last=["Interviewer: Thank you for your time."]),
    ],
)
def test_content_shaped_like_a_label_credit_stays(text):
    article = clean_shapes(text)
    assert removed_as(article, "label-credit") == []
    assert norm(article.body) == norm(text.split("\n\n", 1)[1])


@pytest.mark.parametrize(
    ("line", "initials"),
    [
        ("Polisi masih menyelidiki kasus itu. (abd/wdi)", "(abd/wdi)"),
        ("Polisi masih menyelidiki kasus itu. [rhm]", "[rhm]"),
        ("Die Polizei ermittelt. (nim, krud, mika)", "(nim, krud, mika)"),
        ("“Kami akan hadir,” katanya. (vit/up)”.", "(vit/up)"),
    ],
)
def test_initials_closing_a_paragraph_are_removed(line, initials):
    article = clean_shapes(story_with(middle=[line]))
    # "(stro, APA)"-like groups may go as agency credits first: either way they go.
    assert removed_as(article, "initials") + removed_as(article, "credit") == [initials]
    assert line.split(" (")[0].split(" [")[0] in article.body


@pytest.mark.parametrize(
    "line",
    [
        "Ia memilih (dan/atau) menolak usul itu di rapat.",  # inside a sentence
        "Ia menulis rumus (x/y) di papan.",  # one letter each: a formula
        "Nilai (a/b) naik. Harga turun.",  # not at the end of the paragraph
    ],
)
def test_brackets_that_are_not_initials_stay(line):
    article = clean_shapes(story_with(middle=[line]))
    assert removed_as(article, "initials") == []
    assert line in article.body


def test_names_only_byline_at_the_edges_is_removed_but_not_a_list_or_a_middle_line():
    byline = "Andreza Matais, Talita Fernandes e Fábio Serapião"
    article = clean_shapes(story_with(first=[byline]))
    assert removed_as(article, "name-byline") == [byline]
    middle = clean_shapes(story_with(middle=[byline]))
    assert byline in middle.body
    listed = clean_shapes(story_with(last=[byline, "Rui Costa Lima e Maria Lopes Dias"]))
    assert byline in listed.body


def test_headlines_of_other_stories_closing_the_story_are_removed():
    more = ["Harga Cabai Naik Jelang Lebaran", "Banjir Rendam Ribuan Rumah Warga Bekasi"]
    article = clean_shapes(story_with(last=more))
    assert removed_as(article, "headline-tail") == more
    assert END in article.body
    one = clean_shapes(story_with(last=more[:1]))  # a single line may be a closing subheading
    assert more[0] in one.body


# --- learned shapes ---------------------------------------------------------------------------


BARE = replace(RES, boilerplate=cleaning.compile_rules([], ()))  # learning alone


def shaped_stories(make, count: int = 40) -> list[Article]:
    """Stories of one source, each given a piece built by ``make(i)`` after its first paragraph."""
    articles = []
    for i in range(count):
        text = story(i, footer=False).text.replace(".\n", ". " + make(i) + "\n", 1)
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), BARE))
    return articles


def learned_from(articles: list[Article]) -> frozenset[str]:
    return cleaning.learn_boilerplate(articles)["contoh"]


def test_shape_key_abstracts_words_and_figures_in_any_script():
    assert cleaning.shape_key("(abd/wdi)") == cleaning.shape_key("(Bb / nn)") == "(a/a)"
    assert cleaning.shape_key("(Antonio Fian, 21.2.2016)") == "(a,9.9.9)"
    assert cleaning.shape_key("(تصوير: سامي الغامدي)") == "(a:a)"
    assert cleaning.shape_key("Editor : Widisandika", cased=True) == "W:W"
    assert cleaning.shape_key("NARASI: INFO", cased=True) == "C:C"
    assert cleaning.shape_key("Penulis: red", cased=True) == "W:w"


def test_a_recurring_bracket_shape_is_learned_whatever_words_fill_it():
    desks = [f"({WORDS[i][:3]}/{WORDS[i + 1][:3]})" for i in range(40)]
    learned = learned_from(shaped_stories(lambda i: desks[i]))
    assert "%B(a/a)" in learned
    text = (
        "Judul\n\nIa datang ke kota. (xyz/qrs)\n\n"
        "Aparat (TNI/Polri) berjaga di sana.\n\nIa pergi pada (2015).\n\n"
        "Ia tiba (Tim/Kota) ke rumah.\n\nIa pulang. (tuv/abc)”."
    )
    cleaned = clean_text(text, replace(BARE, learned_boilerplate={"contoh": learned}),
                         source="contoh")
    assert [(r.reason, r.text) for r in cleaned.removed] == [
        ("learned-shape", "(xyz/qrs)"), ("learned-shape", "(tuv/abc)")
    ]
    for kept in ("(TNI/Polri) berjaga", "(2015)", "(Tim/Kota) ke rumah", "Ia pulang. ”."):
        assert kept in cleaned.body  # not after a sentence, no letters, or followed by text
    assert_offsets(cleaned)


def test_a_bracket_closing_the_story_counts_after_any_word():
    stamps = [f"({WORDS[i]}, {i % 28 + 1}.{i % 12 + 1}.2016)" for i in range(40)]
    articles = []
    for i in range(40):
        text = story(i, footer=False).text + " Judul rujukan tanpa titik " + stamps[i]
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), BARE))
    learned = learned_from(articles)
    assert "%B(a,9.9.9)" in learned
    text = "Judul\n\nIa datang. Rujukan tanpa titik (red, 16.6.2015)"
    cleaned = clean_text(text, replace(BARE, learned_boilerplate={"contoh": learned}),
                         source="contoh")
    assert "(red, 16.6.2015)" not in cleaned.body
    assert cleaned.body.endswith("Rujukan tanpa titik")
    assert [r.reason for r in cleaned.removed] == ["learned-shape"]


def test_a_bracket_of_one_part_is_never_a_learned_shape():
    articles = shaped_stories(lambda i: f"({WORDS[i]} {WORDS[i + 1]})")
    assert not [key for key in learned_from(articles) if key.startswith("%B")]
    learned = frozenset({"%B(a)", "%B[a]"})
    text = "Judul\n\nJalan ditutup. (SP) Semua jalan macet.\n\nIa pulang. (Senin)"
    cleaned = clean_text(text, replace(BARE, learned_boilerplate={"contoh": learned}),
                         source="contoh")
    assert cleaned.removed == ()


def test_numbered_references_in_brackets_are_not_learned_as_shapes():
    articles = shaped_stories(lambda i: f"(Catatan {i}.{i % 3}.)")
    assert not [key for key in learned_from(articles) if key.startswith("%B")]
    learned = frozenset({"%B(a9.9.)", "%B(a9)"})
    text = "Judul\n\nIa datang. (Pasal 5)\n\nIa pergi. (Catatan 3.1.)"
    cleaned = clean_text(text, replace(BARE, learned_boilerplate={"contoh": learned}),
                         source="contoh")
    assert "(Pasal 5)" in cleaned.body and "(Catatan 3.1.)" in cleaned.body


def test_a_recurring_staff_line_shape_is_learned_and_label_lines_stay():
    names = [f"{WORDS[i].capitalize()} {WORDS[i + 1].capitalize()}" for i in range(40)]
    articles = []
    for i in range(40):
        text = story(i, footer=False).text + f"\nEditor : {names[i]}\n"
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), BARE))
    learned = learned_from(articles)
    assert "%LW:W" in learned
    text = (
        "Judul\n\nIa datang.\n\nNARASI: INFO LOWONGAN\n\nKesimpulan: hoaks beredar lagi\n\n"
        "Redaktur: Ana Maria"
    )
    cleaned = clean_text(text, replace(BARE, learned_boilerplate={"contoh": learned}),
                         source="contoh")
    removed = [(r.reason, r.text) for r in cleaned.removed]
    assert removed == [("learned-shape", "Redaktur: Ana Maria")]
    assert "NARASI: INFO LOWONGAN" in cleaned.body and "Kesimpulan: hoaks" in cleaned.body


@pytest.mark.parametrize(
    "line",
    [
        "Kesimpulan: {} ramai dibicarakan warga kota, kata sumber kami kemarin di Jakarta.",
        "JAKARTA, {}:",  # a label introducing what follows
        "Sumber: https://contoh.id/{}",  # links are references
        "{} dan kawan-kawan",  # no colon, slash, bar, @ or ©
    ],
)
def test_long_lines_labels_links_and_plain_lines_give_no_line_shape(line):
    articles = []
    for i in range(40):
        text = story(i, footer=False).text + "\n" + line.format(WORDS[i].capitalize()) + "\n"
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), BARE))
    assert not [key for key in learned_from(articles) if key.startswith("%L")]


def test_a_shape_in_too_few_stories_is_not_learned():
    desks = [f"({WORDS[i][:3]}/{WORDS[i + 1][:3]})" for i in range(40)]
    articles = shaped_stories(lambda i: desks[i] if i < 4 else "", 40)
    assert "%B(a/a)" not in learned_from(articles)


SHAPE_RES = replace(BARE, learned_boilerplate={"contoh": frozenset({"%B(a/a)", "%LW:W", "%B(a)"})})
PROSE = st.lists(
    st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=20).map(str.strip).filter(bool),
    min_size=1,
    max_size=6,
).map(lambda words: " ".join(words) + ".")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PROSE, min_size=1, max_size=8), st.lists(st.one_of(LINES, st.text(max_size=40))))
def test_learned_shapes_remove_only_brackets_and_short_marked_lines(sentences, noise):
    """Prose without a bracket or a colon, slash, bar, @ or © is cleaned as if nothing were
    learned; elsewhere a learned shape removes only a short bracket or a short marked line."""
    text = "Judul\n\n" + "\n\n".join(sentences)
    assert clean_text(text, SHAPE_RES, source="contoh") == clean_text(text, BARE, source="contoh")
    noisy = clean_text("\n".join([*noise, text]), SHAPE_RES, source="contoh")
    assert_offsets(noisy)
    for removal in noisy.removed:
        if removal.reason == "learned-shape":
            piece = removal.text.strip()
            bracket = piece[:1] in "([" and len(piece) <= cleaning.SHAPE_BRACKET_MAX_CHARS + 2
            line = len(piece) <= cleaning.SHAPE_LINE_MAX_CHARS and any(c in piece for c in ":/|@©")
            assert bracket or line


def test_a_learned_bracket_on_the_line_after_a_sentence_is_removed():
    learned = frozenset({"%B(a/a)"})
    text = "Judul\n\nIa datang ke kota.\n(xyz/qrs)”. ======\n\nDaftar harga\n(beras/gula) naik."
    cleaned = clean_text(text, replace(BARE, learned_boilerplate={"contoh": learned}),
                         source="contoh")
    assert [(r.reason, r.text) for r in cleaned.removed] == [("learned-shape", "(xyz/qrs)")]
    assert "(beras/gula) naik." in cleaned.body  # after a heading, before lower case: text


def test_lists_quotations_and_rows_with_figures_keep_their_marked_lines():
    names = [f"{WORDS[i].capitalize()} {WORDS[i + 1].capitalize()}" for i in range(40)]
    committee = [
        "\n".join(f"{role}: {names[(i + k) % 40]}" for k, role in enumerate(("Ketua", "Wakil")))
        for i in range(40)
    ]
    articles = []
    for i in range(40):
        text = story(i, footer=False).text.replace(".\n", ".\n\n" + committee[i] + "\n\n", 1)
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), BARE))
    assert "%LW:W" not in learned_from(articles)  # a list inside every story is not learned
    learned = frozenset({"%LW:W", "%LW:9w", "%L“W:W”", "%L-W:W"})  # the guards decide
    text = (
        "Judul\n\nIa datang.\n\nKetua: Budi Santoso\nSekretaris: Ani Wijaya\n\n"
        "Ia pergi.\n\n“Kami: Siap Bekerja”\n\n- Bendahara: Rina Sari\n\nJakarta: 5 kasus"
    )
    cleaned = clean_text(text, replace(BARE, learned_boilerplate={"contoh": learned}),
                         source="contoh")
    assert cleaned.removed == ()


def test_a_staff_box_closing_the_story_is_learned_by_its_shape():
    names = [f"{WORDS[i].capitalize()} {WORDS[i + 1].capitalize()}" for i in range(41)]
    articles = []
    for i in range(40):
        box = f"Penulis: {names[i]}\nEditor: {names[i + 1]}"
        text = story(i, footer=False).text + "\n\n" + box + "\n"
        articles.append(cleaning.clean(Article(raw=text, text=text, source="contoh"), BARE))
    learned = learned_from(articles)
    assert "%LW:W" in learned
    text = "Judul\n\nIa datang.\n\nKetua: Budi Santoso\nWakil: Ani Wijaya\n\nIa pergi.\n\n" + (
        "Reporter: Dewi Lestari\nEditor: Joko Susilo"
    )
    cleaned = clean_text(text, replace(BARE, learned_boilerplate={"contoh": learned}),
                         source="contoh")
    assert [r.text for r in cleaned.removed] == ["Reporter: Dewi Lestari", "Editor: Joko Susilo"]
    assert "Ketua: Budi Santoso\nWakil: Ani Wijaya" in cleaned.body


LABEL_ONLY = replace(
    RES, boilerplate=cleaning.compile_rules([], detectors=[cleaning.shapes.LABEL_CREDIT])
)
LABEL_CREDITS = st.builds(
    "{}{}: {}".format,
    st.sampled_from(["Editor", "Foto", "Penulis", "Texto", "Redaktur", "Fotos", "Bild"]),
    st.sampled_from(["", " "]),
    st.lists(st.sampled_from(["Ani", "Budi", "Jörg", "Ruiz", "O’Neil", "Kompas/Ani"]),
             min_size=1, max_size=4).map(" ".join),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PROSE, min_size=2, max_size=8, unique=True), LABEL_CREDITS, st.booleans())
def test_label_credits_go_and_every_sentence_of_the_story_stays(sentences, credit, first):
    """Around prose, a label credit at an edge is the only thing label-credit removes."""
    body = [credit, *sentences] if first else [*sentences, credit]
    article = clean_text("Judul\n\n" + "\n\n".join(body), LABEL_ONLY)
    assert_offsets(article)
    assert [r.text for r in article.removed if r.reason == "boilerplate:label-credit"] == [credit]
    for sentence in sentences:
        assert norm(sentence) in norm(article.body)
    again = clean_text(article.title + "\n\n" + article.body, LABEL_ONLY)
    assert (again.title, again.body) == (article.title, article.body)
