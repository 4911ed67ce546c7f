"""Tests for the places stage: seeds, case rules, cues, resolution, queries, robustness."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from importlib import resources as importlib_resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsingest import places
from newsingest.article import BODY, TITLE, Article, UrlMention
from newsingest.pipeline import process
from newsingest.places import build, context, train

SEEDS = Path(__file__).parent / "data" / "seeds"


@pytest.fixture(scope="module")
def gaz(resources):
    return resources.gazetteer


def seed(resources, prefix: str) -> Article:
    path = next(SEEDS.glob(prefix + "_*.txt"))
    return process(Article(raw=path.read_text(encoding="utf-8")), resources)


def assert_offsets(article: Article) -> None:
    for p in article.places:
        field = article.title if p.field == TITLE else article.body
        assert field[p.start: p.start + len(p.text)] == p.text


def resolved(article: Article) -> dict[str, set]:
    out: dict[str, set] = {}
    for p in article.places:
        out.setdefault(p.text, set()).add((p.name, p.country_code, p.kind))
    return out


def test_seed_000_places(resources):
    article = seed(resources, "000")
    assert_offsets(article)
    found = resolved(article)
    assert ("Syria", "SY", "country") in found["Suriah"]
    assert ("Iraq", "IQ", "country") in found["Irak"]
    assert ("Qatar", "QA", "country") in found["Qatar"]
    assert {cc for _, cc, _ in found["Abu Kamal"]} == {"SY"}
    assert found["Sungai Efrat"] == {("Euphrates", None, "feature")}
    # A wadi on the Syria-Iraq border is no town Sabha in Libya: kept, left unresolved.
    assert found["Wadi al-Sabha"] == {("Wadi al-Sabha", None, None)}
    # "Amerika" means the United States here: the article also says "pimpinan-AS".
    assert found["Amerika"] == {("United States", "US", "country")}
    texts = {p.text for p in article.places}
    for wrong in ("Ganti", "Tak", "Sama", "Juru", "Kota", "mod", "mil", "rus", "yang", "dari"):
        assert wrong not in texts


def test_seed_002_places(resources):
    article = seed(resources, "002")
    assert_offsets(article)
    found = resolved(article)
    assert ("Mosul", "IQ", "city") in found["Mosul"]
    assert {cc for _, cc, _ in found["Aleppo"]} == {"SY"}
    assert ("Iraq", "IQ", "country") in found["Irak"]
    assert ("Syria", "SY", "country") in found["Suriah"]
    # "kota Aleppo" is the city, not the governorate of the same name.
    assert found["kota Aleppo"] == {("Aleppo", "SY", "city")}
    texts = {p.text for p in article.places}
    assert not texts & {"Tak", "Sama", "Tak Sama", "Juru", "Juru Bicara", "Bicara"}


def test_urls_are_skipped(resources):
    body = "Foto dari Rusia di https://www.facebook.com/Moskva.Jakarta/photos dan Jakarta."
    start = body.index("https")
    url = body[start: body.index(" dan")]
    article = Article(raw="", title="", body=body, language="id",
                      urls=(UrlMention(BODY, start, url, url, "facebook.com"),))
    out = places.extract(article, resources)
    assert [p.text for p in out.places] == ["Rusia", "Jakarta"]
    assert all(p.start < start or p.start >= start + len(url) for p in out.places)


def find(gaz, text, language="id"):
    found = places.find_places(text, gaz, language)
    return [(p.text, p.name, p.country_code, p.kind) for p in found]


def test_admin_prefix_and_province(gaz):
    found = find(gaz, "Banjir melanda Kabupaten Bogor, Jawa Barat, pada Selasa pagi.")
    assert ("Kabupaten Bogor", "Kabupaten Bogor", "ID", "admin") in found
    assert ("Jawa Barat", "Jawa Barat", "ID", "admin") in found


def test_cue_only_mention_kept_without_coordinates(gaz):
    mentions = places.find_places("Warga Desa Sukamakmur Kidul mengungsi ke balai desa.", gaz, "id")
    assert [m.text for m in mentions] == ["Desa Sukamakmur Kidul"]
    m = mentions[0]
    assert (m.name, m.latitude, m.longitude, m.geonameid, m.kind) == (m.text, None, None, None,
                                                                      None)


def test_amerika_without_us_evidence_is_the_americas(gaz):
    found = find(gaz, "Produk ini diekspor ke Eropa dan Amerika sejak lama.")
    assert ("Amerika", "Americas", None, "feature") in found


def test_as_is_the_united_states_only_in_capitals(gaz):
    assert ("AS", "United States", "US", "country") in find(gaz, "Presiden AS berkunjung ke sana.")
    assert find(gaz, "He came as a guest of the club.", "en") == []


def test_function_and_common_words_are_not_places(gaz):
    text = "Tak ada yang tahu dari mana asal itu. Kota ini sama sekali tidak berubah."
    assert find(gaz, text) == []


def test_title_case_headline(gaz):
    found = find(gaz, "Rusia Ganti Foto Bukti Dukungan\n\nRusia merilis foto baru di Moskwa.")
    texts = [f[0] for f in found]
    assert "Ganti" not in texts and "Bukti" not in texts
    assert texts.count("Rusia") == 2


def test_organisation_names_hold_no_place(gaz):
    found = find(gaz, "Gubernur Bank Indonesia berbicara di Universitas Gadjah Mada kemarin.")
    assert [f[0] for f in found] == []


def test_english_dateline_and_abbreviation(gaz):
    found = find(gaz, "LONDON, April 1 - The U.S. and Japan agreed on trade.", "en")
    assert ("LONDON", "London", "GB", "city") in found
    assert ("U.S.", "United States", "US", "country") in found
    assert ("Japan", "Japan", "JP", "country") in found


def test_uncased_text(gaz):
    found = find(gaz, "banjir besar melanda jakarta utara dan kabupaten bekasi kemarin sore")
    texts = [f[0] for f in found]
    assert "jakarta utara" in texts
    assert all(t not in texts for t in ("dan", "kemarin", "sore", "besar"))


def test_context_prefers_the_articles_country(gaz):
    # "Georgia" is a country and a US state: the article's US places decide.
    us = find(gaz, "Atlanta, Georgia, and Texas reported storms; Georgia officials said.", "en")
    assert {cc for t, _, cc, _ in us if t == "Georgia"} == {"US"}
    ge = find(gaz, "Tbilisi is the capital of Georgia, a neighbour of Russia.", "en")
    assert {cc for t, _, cc, _ in ge if t == "Georgia"} == {"GE"}


def test_resolve_query_across_languages(gaz):
    syria = {q.geonameid for q in places.resolve_query("Syria", gaz) if q.kind == "country"}
    assert syria and syria == {q.geonameid for q in places.resolve_query("Suriah", gaz)
                               if q.kind == "country"}
    assert syria == {q.geonameid for q in places.resolve_query("sy", gaz)}
    assert places.resolve_query("", gaz) == []
    assert places.resolve_query("Xyzzyplugh", gaz) == []


def test_extract_is_deterministic_and_order_free(resources):
    a = seed(resources, "000")
    b = seed(resources, "002")
    again = places.extract(replace(a, places=()), resources)
    places.extract(b, resources)
    assert places.extract(replace(a, places=()), resources).places == again.places == a.places


def test_gazetteer_file_records_its_build(gaz):
    raw = importlib_resources.files("newsingest").joinpath("data", build.DEFAULT_OUT.name)
    header = gzip.decompress(raw.read_bytes()).split(b"\n", 2)[:2]
    assert header[0].decode() == "#" + build.FORMAT
    assert json.loads(header[1].decode().split("\t", 1)[1]) == build.PINNED
    assert gaz.built_from


def texts_of(gaz, text, language="id"):
    return [p.text for p in places.find_places(text, gaz, language)]


def test_sports_teams_named_after_towns_are_not_places(gaz):
    text = ("Wolfsburg beat Real Madrid 2-1 in the Champions League quarterfinal as the striker "
            "scored twice. Wolfsburg coach Dieter Hecking said his team deserved the win. "
            "Then Wales drew with England, and the match was played in Cardiff.")
    found = texts_of(gaz, text, "en")
    assert "Wolfsburg" not in found and "Madrid" not in found
    # National sides are countries; a town after a preposition of place stays a place.
    assert {"England", "Wales", "Cardiff"} <= set(found)
    # The same towns outside a sports text are places.
    assert "Wolfsburg" in texts_of(gaz, "Volkswagen builds cars in Wolfsburg , Germany .", "en")


def test_sports_text_needs_more_evidence_when_long(gaz):
    from newsingest.places.matcher import Words, is_sports

    assert is_sports([Words("Madrid kalah 0 - 2 di laga tandang , gol dicetak menit 17 .", False)])
    # Election news has "menang", "tim", "final" too: a long text needs more of them.
    politics = "Partai itu menang dalam pemilihan dan tim kampanye menyambut hasil final. " * 40
    assert not is_sports([Words(politics, False)])


def test_standings_rows_are_no_datelines(gaz):
    text = "NBA STANDINGS\nNEW YORK 1996-12-06\nMIAMI 14 4 .778 -\nORLANDO 8 6 .571 4\n"
    found = texts_of(gaz, text, "en")
    assert found == ["NEW YORK"]


def test_person_names_are_not_places(gaz):
    text = ("Research director Carlos Ponce said shares were cheap. Ponce added that Mr Jordan "
            "agreed, and Hilde Gerg won the race in Mexico.")
    found = texts_of(gaz, text, "en")
    assert "Ponce" not in found and "Jordan" not in found and "Hilde" not in found
    assert "Mexico" in found
    assert "Gunung Mulia" not in texts_of(gaz, "Tokoh itu adalah Mr . Todung Sutan Gunung Mulia .")


def test_places_inside_organisation_names(gaz):
    text = ("Bersama PSMS Medan dia juara, lalu diwawancarai Radio Monte-Carlo soal Kabinet "
            "Indonesia Bersatu.")
    assert texts_of(gaz, text) == []
    assert texts_of(gaz, "Xinhua news agency said on Friday . Xinhua added more .", "en") == []
    assert texts_of(gaz, "The vote was seen in Tokyo as a blow to Tokyo Newsroom staff .",
                    "en") == ["Tokyo"]


def test_adjectives_and_currencies_are_not_places(gaz):
    assert texts_of(gaz, "Daily Argentine grain fixings and Swiss franc rates .", "en") == []
    assert texts_of(gaz, "Harga naik menjadi US$ 13 dan pemberontak pro-Rusia mundur .") == []
    assert texts_of(gaz, "Barges were quoted mid-Mississippi at 150 percent .", "en") == []


def test_kota_after_wali_or_ibu_is_part_of_a_title(gaz):
    found = find(gaz, "Wali Kota Bandung Ridwan Kamil tiba di Ibu Kota Provinsi Sulsel kemarin.")
    assert [f[0] for f in found] == ["Bandung", "Provinsi Sulsel"]
    assert texts_of(gaz, "Bupati Banyuwangi Abdullah Azwar Anas hadir .") == ["Banyuwangi"]


def test_indonesian_span_conventions(gaz):
    text = ("Desa itu berbatasan dengan Kelurahan Batang Beruh dan Pamulang Timur , dekat "
            "Jalan Belitung No 8 , kota Semarang , dan Republik Indonesia .")
    found = find(gaz, text)
    texts = [f[0] for f in found]
    assert texts == ["Kelurahan Batang Beruh", "Pamulang Timur", "Jalan Belitung No 8",
                     "kota Semarang", "Republik Indonesia"]
    # A street is named after a town but is none: never resolved.
    assert found[2][1:] == ("Jalan Belitung No 8", None, None)
    assert found[4][2] == "ID"


def test_adjacent_indonesian_places_are_one_mention(gaz):
    found = find(gaz, "Turnamen digelar di Hanoi Vietnam pada Juni .")
    assert found == [("Hanoi Vietnam", "Hanoi", "VN", "city")]
    # English keeps them apart.
    assert texts_of(gaz, "Prices in Rosario Bahia Blanca rose .", "en") != ["Rosario Bahia Blanca"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.text(max_size=60), st.sampled_from(["id", "en", "ms", None]))
def test_never_raises_and_offsets_hold(resources, body, title, language):
    article = Article(raw="", title=title, body=body, language=language)
    out = places.extract(article, resources)
    assert_offsets(out)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["Jakarta", "di", "Kabupaten", "Sungai", "AS", "U.S.", "LONDON",
                                 ",", ".", "\n", "Bogor", "kota", "Desa", "yang", "New", "York",
                                 "1996-12-06", "-", "al", "Efrat", "Amerika", "Wali", "Ibu",
                                 "Bupati", "Jalan", "No", "8", "Timur", "Mr", "Carlos", "Ponce",
                                 "news", "agency", "US$", "anti", "PSMS", "Republik", "Bandar",
                                 "Udara", "Sutan", "Gunung", "Kelurahan", "gol", "laga"]),
                max_size=30))
def test_never_raises_on_cue_soup(resources, parts):
    body = " ".join(parts)
    out = places.extract(Article(raw="", body=body, title=body[:20], language="id"), resources)
    assert_offsets(out)


@given(st.text())
def test_upper_and_letter_counts_agree_with_str_methods(text):
    from newsingest.places.matcher import count_upper_alpha

    expected = (sum(map(str.isupper, text)), sum(map(str.isalpha, text)))
    assert count_upper_alpha(text) == expected
    mixed = "JAKARTA, Ⅻ Ⓐ ǅ Straße " + text
    assert count_upper_alpha(mixed) == (sum(map(str.isupper, mixed)), sum(map(str.isalpha, mixed)))


# -- the context model ------------------------------------------------------------------------
def test_context_model_is_shipped_and_loaded(gaz):
    model = gaz.context
    assert isinstance(model, context.ContextModel)
    assert model.threshold == train.THRESHOLD == 0.0
    for name in ("UNER en_ewt", "GUM", "Luthfi 2014"):
        assert name in model.trained_on
    assert model.weights["locative"] > 0 and model.weights["rule=person-name"] < 0


def test_context_drops_persons_named_like_places(gaz):
    # Clinton is a US town in the gazetteer; in a text that names the United States the rules
    # alone take it for one.
    cases = [("President Clinton told reporters in Washington that the United States would act.",
              "en", ["Washington", "United States"]),
             ("The United States said Clinton would visit Ohio next week.", "en",
              ["United States", "Ohio"]),
             ("Presiden Clinton tiba di Amerika Serikat kemarin.", "id", ["Amerika Serikat"])]
    model = gaz.context
    for text, language, expected in cases:
        try:
            gaz.context = None
            assert "Clinton" in texts_of(gaz, text, language)
        finally:
            gaz.context = model
        assert texts_of(gaz, text, language) == expected


def test_rules_give_evidence_to_the_model_and_verdicts_without_it(gaz):
    text = "Research director Carlos Ponce said shares were cheap. Ponce lives in Madrid ."
    feats = [(text[s:e], f) for s, e, f in places.context_features(text, gaz, "en")]
    assert [name for name, _ in feats] == ["Ponce", "Ponce", "Madrid"]
    # After a given name, and then as that person's surname elsewhere in the text.
    assert "rule=person-name" in feats[0][1] and "rule=surname" in feats[1][1]
    assert {"rule=none", "p1=in", "locative"} <= set(feats[2][1])
    model = gaz.context
    try:
        gaz.context = None  # the rules alone: a surname is dropped by verdict
        assert texts_of(gaz, text, "en") == ["Madrid"]
    finally:
        gaz.context = model
    assert texts_of(gaz, text, "en") == ["Madrid"]


def test_context_model_file_round_trips(tmp_path):
    model = context.ContextModel({"bias": 0.25, "p1=di": 1.5, "tiny": 0.00001}, -0.5, "toy")
    path = tmp_path / "model.json"
    path.write_text(model.to_json(), encoding="utf-8")
    loaded = context.load(path)
    assert loaded == context.ContextModel({"bias": 0.25, "p1=di": 1.5}, -0.5, "toy")
    assert loaded.keeps(["bias"]) and loaded.keeps(["bias", "unknown"])
    assert not context.ContextModel({"bias": -1.0}, 0.0).keeps(["bias"])
    assert context.sigmoid(0.0) == 0.5 and context.sigmoid(-1000) == 0.0


UNER_SAMPLE = """# sent_id = a-1
# text = I flew to Paris with Paris Hilton .
1\tI\tO\t-\t-
2\tflew\tO\t-\t-
3\tto\tO\t-\t-
4\tParis\tB-LOC\t-\t-
5\twith\tO\t-\t-
6\tParis\tB-PER\t-\t-
7\tHilton\tI-PER\t-\t-
8\t.\tO\t-\t-

1\tNew\tB-LOC\t-\t-
2\tYork\tI-LOC\t-\t-
3\tLondon\tB-LOC\t-\t-
"""

GUM_SAMPLE = """# newdoc id = GUM_news_toy
# text = People of Kabul met in Kabul
1\tPeople\tpeople\tNOUN\tNNS\t_\t0\troot\t_\tEntity=(1-person-new-x
2\tof\tof\tADP\tIN\t_\t3\tcase\t_\t_
3\tKabul\tKabul\tPROPN\tNNP\t_\t1\tnmod\t_\tEntity=(2-place-new-x)1)
3.1\tmet\tmeet\tVERB\tVBD\t_\t_\t_\t_\t_
4\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_
5\tin\tin\tADP\tIN\t_\t6\tcase\t_\t_
6\tKabul\tKabul\tPROPN\tNNP\t_\t4\tobl\t_\tEntity=(2-place-giv-x)

"""


def test_training_readers(tmp_path):
    (tmp_path / "en_toy-ud-test.iob2").write_text(UNER_SAMPLE, encoding="utf-8")
    sentences = train.read_uner(tmp_path / "en_toy-ud-test.iob2")
    assert sentences[0][1] == ["O", "O", "O", "B", "O", "O", "O", "O"]
    text, spans = train.sentence_spans(*sentences[1])
    assert text == "New York London" and spans == {(0, 8), (9, 15)}
    (tmp_path / "gold.txt").write_text(
        "Ia\tO\nke\tO\nJawa\tPlace\nTengah\tPlace \n\nAli\tPerson\n", encoding="utf-8")
    luthfi = train.read_luthfi(tmp_path / "gold.txt")
    assert luthfi == [(["Ia", "ke", "Jawa", "Tengah"], ["O", "O", "B", "I"]), (["Ali"], ["O"])]
    (tmp_path / "GUM_news_toy.conllu").write_text(GUM_SAMPLE, encoding="utf-8")
    (tmp_path / "GUM_fiction_toy.conllu").write_text(GUM_SAMPLE, encoding="utf-8")
    gum = train.read_gum(tmp_path)  # fiction is not an open-licence genre: left out
    assert gum == [[(["People", "of", "Kabul", "met", "in", "Kabul"],
                     [(2, 3, "place"), (0, 3, "person"), (5, 6, "place")])]]


def test_fit_is_deterministic_and_learns_the_evidence():
    data = [(["bias", "p1=di"], True)] * 20 + [(["bias", "p1=pak"], False)] * 20
    weights = train.fit(data)
    assert weights == train.fit(data)
    assert weights["p1=di"] > 1 and weights["p1=pak"] < -1
    # a feature seen once is left out
    assert "rare" not in train.fit([*data, (["bias", "rare"], True)])


def test_train_command_writes_and_checks_the_model(tmp_path, capsys):
    uner = tmp_path / "uner"
    uner.mkdir()
    (uner / "en_toy-ud-test.iob2").write_text(UNER_SAMPLE * 3, encoding="utf-8")
    (tmp_path / "GUM_news_toy.conllu").write_text(GUM_SAMPLE, encoding="utf-8")
    (tmp_path / "gold.txt").write_text("Ia\tO\ntinggal\tO\ndi\tO\nBandung\tPlace\n",
                                       encoding="utf-8")
    out = tmp_path / "model.json"
    argv = ["--uner", str(uner), "--gum", str(tmp_path), "--luthfi", str(tmp_path / "gold.txt"),
            "--out", str(out)]
    assert train.main(argv) == 0
    model = context.load(out)
    assert model.threshold == train.THRESHOLD and "UNER en_toy" in model.trained_on
    assert train.main([*argv, "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("0", "1"), encoding="utf-8")
    assert train.main([*argv, "--check"]) == 1
    assert "differs" in capsys.readouterr().err


def test_region_after_a_dateline_places_its_town(gaz):
    def found(text):
        return [(p.text, p.country_code, p.kind) for p in places.find_places(text, gaz, "en")]

    # "Cambridge" alone would be England's; the state's abbreviation says which one.
    assert found("CAMBRIDGE, Mass., June 19 - Shr loss 33 cts") == [
        ("CAMBRIDGE", "US", "city"), ("Mass.", "US", "admin")]
    # A town the gazetteer lacks still gets its country from the region after it.
    assert found("TETERBORO, N.J., March 16 - Aero Services said")[1] == ("N.J.", "US", "admin")
    assert found("MAUMEE, Ohio, Oct 19 - Shr 52 cts")[1] == ("Ohio", "US", "admin")
    assert found("CHONJU , South Korea 1996-12-07 Results") == [
        ("CHONJU", "KR", "city"), ("South Korea", "KR", "country")]
    # Not a region: the date after the comma.
    assert found("LONDON, April 1 - Shares rose") == [("LONDON", "GB", "city")]


def test_province_short_forms(gaz):
    found = find(gaz, "Kapolda Jatim bertemu Gubernur DKI dan Wakil Gubernur Kaltim di Surabaya.")
    assert ("Jatim", "Jawa Timur", "ID", "admin") in found
    assert ("DKI", "Jakarta Raya", "ID", "admin") in found
    assert ("Kaltim", "Kalimantan Timur", "ID", "admin") in found
    # A short form written in capitals only is no place in lower case, nor outside id/ms.
    assert not [f for f in find(gaz, "Hasil survei dki dan ntt belum keluar.") if f[0] in
                ("dki", "ntt")]
    assert not [f for f in find(gaz, "The Jabar office said.", "en") if f[0] == "Jabar"]


def test_region_short_form_must_name_a_region():
    gaz = build.Gazetteer()
    gaz.place("Jawa Barat", "ID", -6.9, 107.6, 1642672, "admin", 18_000_000)
    assert build._region(gaz, "Jawa Barat", "ID") == 0
    with pytest.raises(ValueError, match="no region 'Jawa Baru' in ID"):
        build._region(gaz, "Jawa Baru", "ID")


def test_named_buildings_are_places(gaz):
    found = find(gaz, "Rapat digelar di Gedung Sate, lalu tamu menginap di Hotel Savoy Homann.")
    assert ("Gedung Sate", "Gedung Sate", None, None) in found
    assert ("Hotel Savoy Homann", "Hotel Savoy Homann", None, None) in found
    found = find(gaz, "Pedagang di Pasar Kembang dan jemaah Masjid Raya Baiturrahman mengungsi.")
    assert [f[0] for f in found] == ["Pasar Kembang", "Masjid Raya Baiturrahman"]
    # The head in lower case is an ordinary noun: the place is the town alone.
    assert [f[0] for f in find(gaz, "Harga di pasar Bandung naik.")] == ["Bandung"]


def test_context_word_classes(gaz):
    assert context.word_class("di") == context.word_class("in") == "locative"
    assert context.word_class("dari") == context.word_class("from") == "motion"
    assert context.word_class("pak") == context.word_class("mr") == "honorific"
    assert context.word_class("bank") == context.word_class("group") == "org"
    assert context.word_class("bupati") == "office"
    assert context.word_class("menteri") == "title"
    assert context.word_class("rumah") == "-"
    feats = {text: f for text, f in (
        (t[s:e], f) for t in ["Warga pindah dari Medan ke Bandung tahun lalu."]
        for s, e, f in places.context_features(t, gaz, "id"))}
    assert {"p1class=motion", "n1class=motion", "cap-run=0/0"} <= set(feats["Medan"])
    assert "p1class+kind=motion|city" in feats["Bandung"]


def test_context_drops_an_indonesian_person_named_like_a_town(gaz):
    # Richardson is a Texan city in the gazetteer; the rules alone take the person for it.
    persons = ["Menurut Richardson, perundingan berjalan lancar.",
               "Ketika ditemukan, Richardson adalah seorang fotomodel."]
    town = "Ia lahir di Richardson, Texas, tahun 1970.\nRichardson kota yang tenang."
    model = gaz.context
    for person in persons:
        try:
            gaz.context = None
            assert texts_of(gaz, person, "id") == ["Richardson"]
        finally:
            gaz.context = model
        assert texts_of(gaz, person, "id") == []
    assert texts_of(gaz, town, "id") == ["Richardson", "Texas", "Richardson"]


def test_context_two_words_away_and_elsewhere_in_the_article(gaz):
    text = "Kata Menteri Luar Negeri Retno di Madiun kemarin.\nMadiun tenang."
    feats = {(text[s:e], s): f for s, e, f in places.context_features(text, gaz, "id")}
    first, second = (feats[k] for k in sorted(feats, key=lambda k: k[1]))
    assert {"p2=retno", "n1=kemarin", "n2=madiun", "p1class=locative"} <= set(first)
    assert not any(f.startswith("n2=") for f in second)  # the text ends after "tenang."
    # The other mention of the same name stood after a preposition of place.
    assert "elsewhere=place-cue" in second and "elsewhere=place-cue" not in first
    # A preposition one word away ("di dekat", "near") is a place's evidence too.
    near = "Pasukan tiba di dekat Abu Kamal kemarin.\nPasukan meninggalkan Abu Kamal."
    assert "elsewhere=place-cue" in places.context_features(near, gaz, "id")[-1][2]
    assert [p.text for p in places.find_places(near, gaz, "id")] == ["Abu Kamal", "Abu Kamal"]
    person = "Mr Clinton arrived on Monday.\nClinton said the talks went well."
    later = places.context_features(person, gaz, "en")[-1][2]
    assert {"elsewhere=person-cue", "elsewhere=rule"} <= set(later)


def test_discourse_evidence_is_shared_between_mentions_of_one_name():
    evidence = [("medan", frozenset({"person-cue"})), ("bandung", frozenset()),
                ("medan", frozenset({"in-run", "rule"})), ("", frozenset({"place-cue"})),
                ("bandung", frozenset())]
    assert context.discourse(evidence) == [
        ["elsewhere=in-run", "elsewhere=rule"], ["elsewhere=plain"],
        ["elsewhere=person-cue"], [], ["elsewhere=plain"]]
    assert context.discourse([]) == []


@given(st.lists(st.tuples(st.sampled_from(["", "medan", "bandung"]),
                          st.frozensets(st.sampled_from(["in-run", "person-cue", "place-cue",
                                                          "rule"]))), max_size=8))
def test_discourse_never_reads_a_mentions_own_evidence(evidence):
    feats = context.discourse(evidence)
    assert len(feats) == len(evidence)
    for k, (key, own) in enumerate(evidence):
        others = [e for x, (key2, e) in enumerate(evidence) if x != k and key and key2 == key]
        assert {f.removeprefix("elsewhere=") for f in feats[k]} - {"plain"} == (
            set().union(*others) if others else set())
        # Changing this mention's own evidence changes nothing it is told.
        changed = [*evidence[:k], (key, frozenset({"rule"}) - own), *evidence[k + 1:]]
        assert context.discourse(changed)[k] == feats[k]


def test_context_capitalised_run():
    w = places.matcher.Words("menurut keterangan resmi yang disampaikan kepada wartawan oleh "
                             "pengurus Partai Maju Medan Raya Bersatu itu, Sabtu.", False)
    medan = w.words.index("Medan")
    assert context._capitalised_run(w, medan, -1) == 2
    assert context._capitalised_run(w, medan, 1) == 2
    # the comma ends the run
    assert context._capitalised_run(w, w.words.index("itu"), 1) == 0


def test_a_sentence_full_of_titles_is_no_headline(gaz):
    # Most long words capitalised, as in a headline; but a full stop ends a sentence, where a
    # capitalised city that is also a frequent word ("Jakarta", "Moscow") is still a name.
    sentence = "Russian Foreign Minister Igor Ivanov told reporters in Moscow on Monday."
    assert [p.text for p in places.find_places(sentence, gaz, "en")] == ["Moscow"]
    assert [f[0] for f in find(gaz, "Kata Ketua Umum Anas di Jakarta.")] == ["Jakarta"]
    # Without the stop the line reads as a headline, whose capitals say nothing.
    headline = "Russian Foreign Minister Igor Ivanov Told Reporters In Moscow"
    assert places.find_places(headline, gaz, "en") == []
    words = places.matcher.Words("Kata Ketua Umum Anas di Jakarta...\nKata Ketua Umum Anas.", False)
    assert not any(words.informative[1:6]) and words.informative[7:] == [True, True, True]


def test_country_names_of_another_language(gaz):
    # "Suisse" is Switzerland in French; in English news it is part of a bank's name.
    assert places.find_places("Analysts at Credit Suisse said the shares were cheap.", gaz,
                              "en") == []
    assert [p.name for p in places.find_places("Le gouvernement de la Suisse a dit.", gaz,
                                               "fr")] == ["Switzerland"]
    # Indonesian and Malay share their names; English names hold everywhere.
    assert [f[1] for f in find(gaz, "Kerajaan Jerman dan Switzerland berunding.", "ms")] == [
        "Germany", "Switzerland"]
    sentence = "The talks were held in Berlin, not in Jerman or Deutschland."
    assert [f[1] for f in find(gaz, sentence, "en")] == ["Berlin"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZé9_ \n.,-’'\u00a0ΣİßLj東"), max_size=80) | st.text())
def test_words_are_the_word_pattern_matches_with_the_gaps_between_them(text):
    from newsingest.places.names import WORD

    w = places.matcher.Words(text, False)
    spans = [m.span() for m in WORD.finditer(text)]
    assert list(zip(w.starts, w.ends, strict=True)) == spans
    assert w.words == [text[a:b] for a, b in spans]
    for i, (a, _) in enumerate(spans):
        assert w.gap(i) == text[spans[i - 1][1] if i else 0 : a]


def test_place_inside_an_english_name_in_indonesian_text_is_no_place(gaz):
    # A label, a watchdog and a think tank named in English: the country is part of the name.
    named = ["Album itu dirilis oleh Golden Records Indonesia tahun lalu.",
             "Data itu dihimpun oleh Indonesia Budget Watch kemarin.",
             "Menurut lembaga Thailand Policy Watch , harga naik."]
    # The same shapes with a preposition, a word of the text's own language or an office: the
    # country stays.
    kept = [("Album itu dirilis di Indonesia tahun lalu.", "Indonesia"),
            ("Data itu dihimpun oleh Pemerintah Indonesia kemarin.", "Indonesia"),
            ("Menurut Presiden Thailand , harga naik.", "Thailand")]
    model = gaz.context
    for context_model in (model, None):  # with the model, and the rules alone
        try:
            gaz.context = context_model
            for text in named:
                assert texts_of(gaz, text, "id") == [], text
            for text, place in kept:
                assert texts_of(gaz, text, "id") == [place], text
        finally:
            gaz.context = model


def test_english_names_count_only_in_languages_with_their_own_word_list(gaz):
    assert gaz.foreign_words("en") == frozenset()
    foreign = gaz.foreign_words("id")
    assert {"records", "budget", "policy"} <= foreign
    assert not foreign & {"dan", "yang", "senin", "kota"}
    # In English text an English word is the text's own.
    text = "The album was released by Golden Records Indonesia last year."
    assert texts_of(gaz, text, "en") == ["Indonesia"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Ab Cd ef,.\n\u00a0Jakarta Week")), max_size=60))
def test_foreign_name_check_takes_any_text(gaz, text):
    from newsingest.places.codeswitch import in_foreign_name
    from newsingest.places.matcher import Words
    w = Words(text, False)
    n = len(w.words)
    for i in range(n):
        assert in_foreign_name(w, i, i + 1, frozenset()) is False
        assert in_foreign_name(w, i, i + 1, gaz.foreign_words("id")) in (True, False)


def test_unknown_name_after_di_with_its_larger_place_after_a_comma(gaz):
    # A name the gazetteer lacks, after "di", followed by a comma and a known place: a place in
    # that place. The same name before a comma and no known place stays out.
    assert texts_of(gaz, "Ia dibesarkan di Lorongsari , Sleman .", "id") == [
        "Lorongsari", "Sleman"]
    assert texts_of(gaz, "Ia bekerja di Lorongsari , Ketua Yayasan itu .", "id") == []


def test_a_one_word_names_ending_is_a_model_feature(gaz):
    text = "Pembicaraan berlangsung di Ivanovo dan di Papua Barat kemarin ."
    feats = {text[s:e]: f for s, e, f in places.context_features(text, gaz, "id")}
    assert "suffix=ovo" in feats["Ivanovo"]
    assert not any(f.startswith("suffix=") for f in feats.get("Papua Barat", []))
    # The shipped model has learned weights for endings seen in its training sets.
    assert any(k.startswith("suffix=") for k in gaz.context.weights)
