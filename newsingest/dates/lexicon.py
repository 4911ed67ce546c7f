"""Word tables for date extraction: month and weekday names, relative words, number words.

Indonesian and Malay come first (they share most words, and the language detector often mixes
them up, so both are always active), then English and the other corpus languages (German,
Spanish, Portuguese, Arabic) and a few neighbours whose month names cost nothing (French,
Italian, Dutch). Every key is lower-case. The tables are plain immutable module constants.
"""

from __future__ import annotations

from types import MappingProxyType

# The tables are packed by hand: one entry per line would triple their length.
# fmt: off


def _months(*rows: tuple[int, str]) -> dict[str, int]:
    table: dict[str, int] = {}
    for month, words in rows:
        for word in words.split():
            table[word.replace("_", " ")] = month
    return table


# Full month names: safe on their own next to a day or a year.
_FULL = _months(
    # Indonesian / Malay (with the old spellings still seen: Pebruari, Nopember, Djuli)
    (1, "januari"),
    (2, "februari pebruari febuari"),
    (3, "maret mac"),
    (4, "april"),
    (5, "mei"),
    (6, "juni jun"),
    (7, "juli julai"),
    (8, "agustus ogos"),
    (9, "september"),
    (10, "oktober"),
    (11, "november nopember"),
    (12, "desember disember"),
    # English
    (1, "january"),
    (2, "february"),
    (3, "march"),
    (5, "may"),
    (6, "june"),
    (7, "july"),
    (8, "august"),
    (10, "october"),
    (12, "december"),
    # German
    (1, "januar jänner"),
    (2, "februar feber"),
    (3, "märz maerz"),
    (5, "mai"),
    (8, "august"),
    (12, "dezember"),
    # Spanish
    (1, "enero"),
    (2, "febrero"),
    (3, "marzo"),
    (4, "abril"),
    (5, "mayo"),
    (6, "junio"),
    (7, "julio"),
    (8, "agosto"),
    (9, "septiembre setiembre"),
    (10, "octubre"),
    (11, "noviembre"),
    (12, "diciembre"),
    # Portuguese
    (1, "janeiro"),
    (2, "fevereiro"),
    (3, "março"),
    (5, "maio"),
    (6, "junho"),
    (7, "julho"),
    (9, "setembro"),
    (10, "outubro"),
    (11, "novembro"),
    (12, "dezembro"),
    # French, Italian, Dutch
    (1, "janvier gennaio januari"),
    (2, "février fevrier febbraio februari"),
    (3, "mars maart"),
    (4, "avril aprile"),
    (5, "maggio"),
    (6, "juin giugno"),
    (7, "juillet luglio"),
    (8, "août aout"),
    (9, "septembre settembre"),
    (10, "octobre ottobre"),
    (11, "novembre"),
    (12, "décembre decembre dicembre"),
    # Arabic: the Egyptian/Gulf transliterations and the Levantine names
    (1, "يناير كانون_الثاني"),
    (2, "فبراير شباط"),
    (3, "مارس آذار اذار"),
    (4, "أبريل ابريل إبريل نيسان"),
    (5, "مايو أيار ايار"),
    (6, "يونيو يونيه حزيران"),
    (7, "يوليو يوليه تموز"),
    (8, "أغسطس اغسطس آب"),
    (9, "سبتمبر أيلول ايلول"),
    (10, "أكتوبر اكتوبر تشرين_الأول تشرين_الاول"),
    (11, "نوفمبر تشرين_الثاني"),
    (12, "ديسمبر كانون_الأول كانون_الاول"),
)

# Abbreviations: many are ordinary words somewhere ("set", "out", "ago", "dis", "mar"), so they
# are taken only inside a full day-month-year date, or when written with a capital.
_ABBREVIATED = _months(
    (1, "jan jän janv ene gen"),
    (2, "feb febr fev fév févr peb pebr"),
    (3, "mar mär mrt"),
    (4, "apr abr avr"),
    (5, "mag"),
    (6, "jun juin giu"),
    (7, "jul juil lug"),
    (8, "agu agt ags aug ago ogo ogs"),
    (9, "sep sept set"),
    (10, "okt oct out ott"),
    (11, "nov nop"),
    (12, "des dec dez dic déc dis"),
)

MONTHS = MappingProxyType({**_ABBREVIATED, **_FULL})
# Abbreviations that are common words ("set", "out", "des" in French, "dis", "ago", "mar"):
# even next to a day they need a capital or a year.
RISKY_ABBREVIATIONS = frozenset({"set", "out", "ago", "dis", "des", "mar", "gen", "mag", "ene"})
FULL_MONTHS = frozenset(_FULL)
# Full names that are also common words ("may", "mar" = sea): a capital, or a day and a year.
CAPITAL_ONLY_MONTHS = frozenset({"may", "mac", "mar", "mai"})

# Weekdays, Monday = 0. Full names only: abbreviations ("sen", "min", "sab") are common words.
_WEEKDAY_ROWS = (
    (
        0,
        "senin isnin monday montag lunes segunda segunda-feira lundi lunedì maandag"
        " الاثنين الإثنين",
    ),
    (1, "selasa tuesday dienstag martes terça terça-feira terca mardi martedì dinsdag الثلاثاء"),
    (
        2,
        "rabu wednesday mittwoch miércoles miercoles quarta quarta-feira mercredi mercoledì"
        " woensdag الأربعاء الاربعاء",
    ),
    (
        3,
        "kamis khamis thursday donnerstag jueves quinta quinta-feira jeudi giovedì donderdag"
        " الخميس",
    ),
    (
        4,
        "jumat jum'at jumaat friday freitag viernes sexta sexta-feira vendredi venerdì vrijdag"
        " الجمعة",
    ),
    (5, "sabtu saturday samstag sonnabend sábado sabado samedi sabato zaterdag السبت"),
    (6, "minggu ahad sunday sonntag domingo dimanche domenica zondag الأحد الاحد"),
)
WEEKDAYS = MappingProxyType({word: day for day, words in _WEEKDAY_ROWS for word in words.split()})
# Short forms used only in fixed relative phrases ("sen mgg lalu") and in front of a full date.
WEEKDAY_ABBREVIATIONS = MappingProxyType(
    {
        "sen": 0, "sel": 1, "rab": 2, "kam": 3, "jum": 4, "sab": 5, "min": 6, "isn": 0, "kha": 3,
        "ahd": 6, "sl": 1, "rb": 2, "jm": 4, "sb": 5, "ah": 6, "mon": 0, "tue": 1, "tues": 1,
        "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6, "mo": 0, "di": 1,
        "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6, "lun": 0, "mar": 1, "mié": 2, "mie": 2,
        "jue": 3, "vie": 4, "sáb": 5, "dom": 6, "seg": 0, "ter": 1, "qua": 2, "qui": 3, "sex": 4,
    }
)
# Weekdays that are also ordinary words: "minggu" is Sunday and "week"; "sabato"/"domingo" are
# names too. These need a capital when they stand alone.
AMBIGUOUS_WEEKDAYS = frozenset({"minggu", "quarta", "quinta", "sexta", "segunda", "terça", "terca"})

# Relative vocabulary, per language: these are ordinary words elsewhere ("ayer" is Spanish for
# "yesterday" and a Malay place-name element, "hoy"/"heute" mean nothing in Indonesian), so a
# word counts only in its own languages when the article's language is known. Indonesian and
# Malay are one group. Per language:
#   days: word -> day offset; numbers: number words of "N <unit> ago";
#   units: unit word -> ("day", days), ("month", months) or ("second", seconds);
#   ago_before / ago_after: direction words in front of the number or after the unit: -1 ago,
#   +1 ahead, 0 the stretch of the last N units up to the reference ("7 hari terakhir");
#   periods: period word -> "week", "month", "year";
#   after / before: direction words after or in front of a weekday, month or period
#   (-1 past, +1 future, 0 current).
def _malay_numbers() -> dict[str, int]:
    """Indonesian/Malay number words up to 100, built as the grammar builds them.

    Units (satu ... sembilan), "se-" for one of a power ("sebelas" 11, "sepuluh" 10, "seratus"
    100), "N belas" for 12-19 and "N puluh [M]" for the tens ("dua puluh lima" 25).
    """
    units = {
        "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
        "delapan": 8, "lapan": 8, "sembilan": 9,
    }
    table = dict(units, sepuluh=10, sebelas=11, seratus=100)
    for word, n in units.items():
        if n > 1:
            table[f"{word} belas"] = 10 + n
            table[f"{word} puluh"] = 10 * n
    for tens in [w for w, n in table.items() if w.endswith("puluh")] + ["sepuluh"]:
        for word, n in units.items():
            if tens != "sepuluh":
                table[f"{tens} {word}"] = table[tens] + n
    return table


_RELATIVE = {
    ("id", "ms"): {
        "days": {
            "hari ini": 0, "kemarin": -1, "kemarin lusa": -2, "besok": 1, "esok": 1, "lusa": 2,
            "semalam": -1, "semlm": -1, "kelmarin": -1, "tadi malam": -1, "esok hari": 1,
            "keesokan harinya": 1,
            # chat and headline spellings, and the days two and three away
            "kemaren": -1, "kmrn": -1, "kmarin": -1, "kmren": -1, "bsk": 1, "besok lusa": 2,
            "kemarin dulu": -2, "tulat": 3,
            # a part of today: the day is known, the hour is not ("nanti malam", "pagi tadi")
            "pagi ini": 0, "siang ini": 0, "sore ini": 0, "petang ini": 0, "malam ini": 0,
            "tadi pagi": 0, "tadi siang": 0, "tadi sore": 0, "pagi tadi": 0, "siang tadi": 0,
            "sore tadi": 0, "petang tadi": 0, "nanti siang": 0, "nanti sore": 0,
            "nanti malam": 0, "nanti petang": 0,
        },
        "numbers": _malay_numbers(),
        # with dateparser's abbreviations (bln, thn, mgg, dtk, ...); Malay "saat" is a second
        "units": {
            "hari": ("day", 1), "hr": ("day", 1), "minggu": ("day", 7), "mgg": ("day", 7),
            "mgu": ("day", 7), "pekan": ("day", 7), "bulan": ("month", 1), "bln": ("month", 1),
            "tahun": ("month", 12), "thn": ("month", 12), "jam": ("second", 3600),
            "menit": ("second", 60), "mnt": ("second", 60), "minit": ("second", 60),
            "min": ("second", 60), "detik": ("second", 1), "dtk": ("second", 1),
            "saat": ("second", 1),
        },
        # "dalam 3 hari" is "in 3 days" as a whole expression, but "within 3 days" in running
        # text: read only when the text is one expression (see scanner.WHOLE_ONLY_BEFORE)
        "ago_before": {"dalam": 1, "dlm": 1},
        "ago_after": {
            "terakhir": 0,
            "lalu": -1, "yang lalu": -1, "yg lalu": -1, "silam": -1, "yang silam": -1,
            "lepas": -1, "yang lepas": -1, "sebelumnya": -1,
            # not "kemudian": "tiga tahun kemudian" counts from the story's last event
            "lagi": 1, "mendatang": 1, "yang akan datang": 1, "yg akan dtg": 1,
            "yang akan dtg": 1, "akan datang": 1, "dari sekarang": 1,
        },
        "periods": {
            "minggu": "week", "mgg": "week", "mg": "week", "mgu": "week", "mng": "week",
            "pekan": "week", "bulan": "month", "bln": "month", "tahun": "year", "thn": "year",
        },
        "after": {
            "lalu": -1, "yang lalu": -1, "yg lalu": -1, "kemarin": -1, "silam": -1, "lepas": -1,
            "depan": 1, "dpn": 1, "mendatang": 1, "hadapan": 1, "nanti": 1, "ini": 0,
            "yang akan datang": 1, "akan datang": 1,
        },
        "before": {},
    },
    ("en",): {
        "days": {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0},
        "numbers": {
            "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
        },
        "units": {
            "day": ("day", 1), "days": ("day", 1), "week": ("day", 7), "weeks": ("day", 7),
            "month": ("month", 1), "months": ("month", 1), "year": ("month", 12),
            "years": ("month", 12), "hour": ("second", 3600), "hours": ("second", 3600),
            "minute": ("second", 60), "minutes": ("second", 60), "second": ("second", 1),
            "seconds": ("second", 1),
        },
        "ago_before": {"in": 1, "last": 0, "past": 0},
        "ago_after": {"ago": -1, "earlier": -1, "later": 1, "from now": 1},
        "periods": {"week": "week", "month": "month", "year": "year"},
        "after": {},
        # "past year" is the last twelve months, not the previous calendar year
        "before": {"last": -1, "next": 1, "this": 0, "coming": 1},
    },
    ("de",): {
        "days": {"heute": 0, "gestern": -1, "vorgestern": -2, "übermorgen": 2},
        "numbers": {"einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5},
        "units": {
            "tag": ("day", 1), "tagen": ("day", 1), "woche": ("day", 7), "wochen": ("day", 7),
            "monat": ("month", 1), "monaten": ("month", 1), "jahr": ("month", 12),
            "jahren": ("month", 12), "stunde": ("second", 3600), "stunden": ("second", 3600),
            "minute": ("second", 60), "minuten": ("second", 60), "sekunde": ("second", 1),
            "sekunden": ("second", 1),
        },
        "ago_before": {"vor": -1, "letzten": 0}, "ago_after": {},
        "periods": {
            "woche": "week", "monat": "month", "monats": "month", "jahr": "year",
            "jahres": "year",
        },
        "after": {},
        "before": {
            "letzte": -1, "letzten": -1, "letztes": -1, "vergangene": -1, "vergangenen": -1,
            "vergangenes": -1, "nächste": 1, "nächsten": 1, "nächstes": 1, "diese": 0,
            "diesen": 0, "dieses": 0,
        },
    },
    ("es",): {
        "days": {"hoy": 0, "ayer": -1, "anteayer": -2},
        "numbers": {"un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5},
        "units": {
            "día": ("day", 1), "días": ("day", 1), "semana": ("day", 7), "semanas": ("day", 7),
            "mes": ("month", 1), "meses": ("month", 1), "año": ("month", 12),
            "años": ("month", 12), "hora": ("second", 3600), "horas": ("second", 3600),
            "minuto": ("second", 60), "minutos": ("second", 60), "segundo": ("second", 1),
            "segundos": ("second", 1),
        },
        "ago_before": {"hace": -1, "últimos": 0, "últimas": 0}, "ago_after": {"atrás": -1},
        "periods": {"semana": "week", "mes": "month", "año": "year"},
        "after": {"pasado": -1, "pasada": -1, "que viene": 1, "próximo": 1, "próxima": 1},
        "before": {"este": 0, "esta": 0, "próximo": 1, "próxima": 1, "pasado": -1},
    },
    ("pt",): {
        "days": {"hoje": 0, "ontem": -1, "anteontem": -2, "amanhã": 1},
        "numbers": {"um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5},
        "units": {
            "dia": ("day", 1), "dias": ("day", 1), "semana": ("day", 7), "semanas": ("day", 7),
            "mês": ("month", 1), "meses": ("month", 1), "ano": ("month", 12),
            "anos": ("month", 12), "hora": ("second", 3600), "horas": ("second", 3600),
            "minuto": ("second", 60), "minutos": ("second", 60), "segundo": ("second", 1),
            "segundos": ("second", 1),
        },
        "ago_before": {"há": -1, "últimos": 0, "últimas": 0}, "ago_after": {"atrás": -1},
        "periods": {"semana": "week", "mês": "month", "ano": "year"},
        "after": {"passado": -1, "passada": -1, "que vem": 1},
        "before": {"este": 0, "esta": 0, "neste": 0, "nesta": 0, "próximo": 1, "próxima": 1},
    },
    ("ar",): {
        "days": {"اليوم": 0, "أمس": -1, "امس": -1, "الأمس": -1, "غدا": 1, "غداً": 1},
        "numbers": {}, "units": {}, "ago_before": {}, "ago_after": {}, "periods": {}, "after": {},
        "before": {},
    },
}

LANGUAGE_GROUPS = frozenset(lang for langs in _RELATIVE for lang in langs)


def _merged(key: str) -> tuple[MappingProxyType, MappingProxyType]:
    """One table over all languages, and word -> languages it belongs to."""
    table: dict = {}
    langs: dict[str, frozenset[str]] = {}
    for group, tables in _RELATIVE.items():
        for word, value in tables[key].items():
            table.setdefault(word, value)
            langs[word] = langs.get(word, frozenset()) | frozenset(group)
    return MappingProxyType(table), MappingProxyType(langs)


RELATIVE_DAYS, RELATIVE_DAYS_LANGS = _merged("days")
NUMBER_WORDS, NUMBER_WORDS_LANGS = _merged("numbers")
UNITS, UNITS_LANGS = _merged("units")
AGO_BEFORE, AGO_BEFORE_LANGS = _merged("ago_before")
AGO_AFTER, AGO_AFTER_LANGS = _merged("ago_after")
PERIODS, PERIODS_LANGS = _merged("periods")
DIRECTION_AFTER, DIRECTION_AFTER_LANGS = _merged("after")
DIRECTION_BEFORE, DIRECTION_BEFORE_LANGS = _merged("before")

_WEEKDAY_LANGS_ROWS = {
    ("id", "ms"): "senin isnin selasa rabu kamis khamis jumat jum'at jumaat sabtu minggu ahad",
    ("en",): "monday tuesday wednesday thursday friday saturday sunday",
    ("de",): "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag",
    ("es",): "lunes martes miércoles miercoles jueves viernes sábado sabado domingo",
    ("pt",): "segunda segunda-feira terça terça-feira terca quarta quarta-feira quinta"
    " quinta-feira sexta sexta-feira sábado sabado domingo",
    ("ar",): "الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت الأحد الاحد",
}
WEEKDAY_LANGS = MappingProxyType(
    {
        word: frozenset(group)
        for group, words in _WEEKDAY_LANGS_ROWS.items()
        for word in words.split()
    }
)


def belongs(word: str, langs: MappingProxyType, language: str | None) -> bool:
    """Whether a relative word may be read in a text of ``language`` (unknown: any)."""
    if language is None or language not in LANGUAGE_GROUPS:
        return True
    return language in langs.get(word, LANGUAGE_GROUPS)


# Words for "now" (dateparser's "0 second ago"), read only when they are the whole text: in
# running text "sekarang" and "baru saja" ("has just") say little about a date.
NOW_WORDS = frozenset(
    {
        "sekarang", "skrg", "skrng", "skrang", "sekarang ini", "saat ini", "baru saja", "now",
        "just now", "right now", "jetzt", "ahora", "agora",
    }
)

# Fixed-date days named in Indonesian and Malay news ("Hari Kemerdekaan", "Natal"): a date
# without its year, placed like "17 Agustus" against the reference.
HOLIDAYS = MappingProxyType(
    {
        "tahun baru": (1, 1), "tahun baru masehi": (1, 1), "hari buruh": (5, 1),
        "hari buruh internasional": (5, 1), "hari pekerja": (5, 1),
        "hari lahir pancasila": (6, 1), "hari kemerdekaan": (8, 17),
        "hari kemerdekaan ri": (8, 17), "hari kemerdekaan indonesia": (8, 17),
        "hari proklamasi": (8, 17), "hari kesaktian pancasila": (10, 1),
        "hari sumpah pemuda": (10, 28), "hari pahlawan": (11, 10), "hari guru nasional": (11, 25),
        "hari ibu": (12, 22), "hari natal": (12, 25), "hari raya natal": (12, 25),
        "natal": (12, 25), "malam natal": (12, 24), "hari pendidikan nasional": (5, 2),
        "hardiknas": (5, 2), "hari anak nasional": (7, 23), "hari kartini": (4, 21),
        "hari merdeka": (8, 31), "hari kebangsaan": (8, 31), "hari malaysia": (9, 16),
    }
)
# Words after "tahun baru" that make it another new year (lunar, Islamic), not 1 January.
OTHER_NEW_YEARS = frozenset({"imlek", "islam", "hijriah", "hijriyah", "cina", "china", "lunar"})

# Words after which a bare four-digit number is a year ("sejak 2014", "in 2014").
YEAR_CONTEXT = frozenset(
    """
    sejak semenjak tahun thn pada hingga sampai awal akhir pertengahan medio periode sebelum
    setelah selepas usai dari era jelang menjelang selama sepanjang kuartal semester musim
    in since until till by during before after early mid late year from of around
    im seit bis vor nach jahr jahres anfang ende mitte ab
    en desde hasta año del antes después durante em até ano dos de
    عام سنة منذ العام
    """.split()
)
# Parts of a year, in months ("kuartal III 2025", "semester I", "suku tahun pertama"), and the
# ordinals that number them.
YEAR_PARTS = MappingProxyType(
    {"kuartal": 3, "triwulan": 3, "suku tahun": 3, "caturwulan": 4, "semester": 6}
)
PART_ORDINALS = MappingProxyType(
    {
        "pertama": 1, "kesatu": 1, "i": 1, "1": 1, "kedua": 2, "ii": 2, "2": 2, "ketiga": 3,
        "iii": 3, "3": 3, "keempat": 4, "iv": 4, "4": 4,
    }
)
# Words before "tahun lalu", "bulan ini" that make them a count ("puluhan tahun lalu" is
# decades ago, not last year).
COUNT_WORDS = frozenset(
    """
    puluhan ratusan ribuan beberapa berapa sekian bertahun-tahun berbulan-bulan banyak
    several many few
    """.split()
)
# Words after a four-digit number that show it is a year even without a word before it.
YEAR_AFTER = frozenset({"lalu", "silam", "lepas", "ini", "mendatang", "nanti"})
# Units and counters after a number that show it is a quantity, not a year.
QUANTITY_AFTER = frozenset(
    """
    orang unit rumah meter km kg ton ton, persen % rupiah rp jiwa ekor buah kali hektare ha
    lembar batang kursi suara set pasang kilometer liter barel dolar ringgit m mw kwh
    people persons men women units homes houses metres meters feet miles tonnes tons pct
    percent dollars shares barrels votes seats troops jobs
    menschen personen euro prozent personas pessoas reais dólares por
    """.split()
)
# Words before a number that show it is not a year ("Rp 2000", "No. 2014").
QUANTITY_BEFORE = frozenset(
    "rp us$ $ € £ no nomor nr núm num número no. nomer ke kode code pasal ayat".split()
)

# Day parts after a time (Indonesian / Malay first): how they shift the hour.
DAY_PARTS = MappingProxyType(
    {
        "pagi": "am", "pg": "am", "siang": "noon", "sore": "pm", "petang": "pm", "ptg": "pm",
        "malam": "night", "mlm": "night", "am": "am", "a.m.": "am", "a.m": "am", "pm": "pm",
        "p.m.": "pm", "p.m": "pm", "uhr": "", "wib": "", "wita": "", "wit": "",
    }
)
