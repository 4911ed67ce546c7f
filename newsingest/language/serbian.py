"""Serbian in Latin script, and the words that tell Bosnian, Croatian and Serbian apart.

The n-gram tables know Serbian only in Cyrillic (lingua's Serbian corpus is Cyrillic), so Serbian
news written in Latin script, as most of it is, could only ever come out as Bosnian or Croatian.
Serbian Latin maps letter for letter onto Cyrillic (``lj``, ``nj``, ``dž`` onto one letter each),
so a Latin text can be scored by the Serbian tables through ``to_cyrillic``. That is done only
when the text shows a Serbian form (``CUES``): the Cyrillic tables alone cannot keep Latin
Bosnian or Croatian from sliding to Serbian.

``CUES`` are standard-variety differences, as any comparison of the three standards lists them:
the reflex of old *jat* (Serbian ekavian ``vreme``, ``reka``, ``pre`` against Croatian and
Bosnian ijekavian ``vrijeme``, ``rijeka``, ``prije``) and everyday doublets (``tisuća`` /
``hiljada``, ``tjedan`` / ``sedmica`` / ``nedelja``, ``povijest`` / ``historija`` /
``istorija``, Croatian month names, ``također`` / ``takođe``, ``opći`` / ``opšti``). A cue word
names the varieties that use it; words all three use are left out.
"""

from __future__ import annotations

from collections import Counter
from types import MappingProxyType

_DIGRAPHS = (("lj", "љ"), ("nj", "њ"), ("dž", "џ"))
_LETTERS = dict(zip("abcčćdđefghijklmnoprsštuvzž", "абцчћдђефгхијклмнопрсштувзж", strict=True))

# ijekavian (Croatian, Bosnian) and ekavian (Serbian) forms of the same words
_JAT = """
vrijeme vreme|prije pre|poslije posle|gdje gde|mjesto mesto|mjesta mesta|mjestu mestu
|mjesec mesec|mjeseca meseca|mjeseci meseci|djeca deca|djece dece|dijete dete|vijest vest
|vijesti vesti|svijet svet|svijeta sveta|svijetu svetu|svjetski svetski|svjetske svetske
|svjetskog svetskog|cijena cena|cijene cene|cijeni ceni|cijeli celi|cijelu celu|cijelog celog
|lijep lep|lijepo lepo|lijepa lepa|rijeka reka|rijeke reke|riječ reč|riječi reči|uvijek uvek
|nedjelja nedelja|nedjelju nedelju|nedjelje nedelje|sjever sever|sjeverni severni|pjesma pesma
|pjesme pesme|tijelo telo|tijela tela|bijeli beli|bijela bela|lijek lek|lijekova lekova
|djelo delo|djela dela|vjera vera|vjere vere|dvije dve|sjednica sednica|sjednici sednici
|sjedište sedište|smjer smer|primjer primer|primjera primera|dio deo|dijelom delom
|dijelova delova|posjet poseta|posjeta poseta|uspjeh uspeh|uspjeha uspeha|uspješno uspešno
|uspjeli uspeli|zahtjev zahtev|zahtjeva zahteva|zahtjeve zahteve|mjere mere|mjera mera|mjeru meru
|izmjene izmene|promjene promene|promjena promena|promjenu promenu|sljedeći sledeći|slijedi sledi
|svjedok svedok|svjedoka svedoka|savjet savet|savjeta saveta|savjetnik savetnik
|predsjednik predsednik|predsjednika predsednika|predsjedniku predsedniku
|predsjedništvo predsedništvo|zamjenik zamenik|djelatnost delatnost|procjena procena
|procjene procene|ocjena ocena|ocijenio ocenio|ponedjeljak ponedeljak|rješenje rešenje
|rješenja rešenja|riješiti rešiti|rješavanje rešavanje|pjevač pevač|pjevačica pevačica
|lijevo levo|cvijeće cveće|zvijezda zvezda|zvijezde zvezde|sjećanje sećanje|vjerovati verovati
|vjerujem verujem|razumijevanje razumevanje|bijeg beg|mlijeko mleko|snijeg sneg|vjetar vetar
|pjesnik pesnik|poslijeratni posleratni|vijek vek|stoljeće stoleće|stoljeća stoleća
|stijena stena|ljepota lepota
"""
_CROATIAN = """
tko tisuća tisuće tjedan tjedna tjednu glazba glazbe glazbeni kazalište kazališta sveučilište
sveučilišta zrakoplov zrakoplova vlak vlaka izvješće izvješća milijun milijuna obitelj obitelji
ravnatelj povijest povijesti povijesni siječanj siječnja veljača veljače ožujak ožujka travanj
travnja svibanj svibnja lipanj lipnja srpanj srpnja kolovoz kolovoza rujan rujna listopad
listopada studeni studenoga prosinac prosinca europski europske europskog europa europe europi
također općina općine uopće nogomet nogometni tajnik zračna zračne sigurnost sigurnosti ured
ureda priopćenje
"""
_BOSNIAN = """
hiljada hiljade sedmica sedmice sedmicu historija historije historiji historijski muzika muzike
pozorište pozorišta univerzitet univerziteta avion aviona voz izvještaj izvještaja milion miliona
porodica porodice direktor januar januara februar februara mart marta april aprila maj maja juni
juna juli jula august augusta septembar septembra oktobar oktobra novembar novembra decembar
decembra evropski evropske evropskog evropa evrope evropi također općina općine uopće fudbal
fudbalski kahva lahko hljeb sigurnost sigurnosti
"""
_SERBIAN = """
hiljada hiljade nedelja istorija istorije istoriji istorijski muzika muzike pozorište pozorišta
univerzitet univerziteta avion aviona voz izveštaj izveštaja milion miliona porodica porodice
direktor januar januara februar februara mart marta april aprila maj maja jun juna jul jula
avgust avgusta septembar septembra oktobar oktobra novembar novembra decembar decembra evropski
evropske evropskog evropa evrope evropi takođe opština opštine uopšte fudbal fudbalski bezbednost
bezbednosti saopštenje kancelarija
"""


def _cues() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for pair in _JAT.replace("\n", "").split("|"):
        ijekavian, ekavian = pair.split()
        table.setdefault(ijekavian, set()).update(("bs", "hr"))
        table.setdefault(ekavian, set()).add("sr")
    for lang, words in (("hr", _CROATIAN), ("bs", _BOSNIAN), ("sr", _SERBIAN)):
        for word in words.split():
            table.setdefault(word, set()).add(lang)
    return {w: frozenset(v) for w, v in table.items() if len(v) < 3}


CUES = MappingProxyType(_cues())


def to_cyrillic(text: str) -> str:
    """Serbian Latin (lower case) in Serbian Cyrillic; other characters are kept."""
    for latin, cyrillic in _DIGRAPHS:
        text = text.replace(latin, cyrillic)
    return "".join(_LETTERS.get(c, c) for c in text)


def cue_counts(words: list[str]) -> Counter:
    """How many cue words of each variety (``bs``, ``hr``, ``sr``) the lower-cased words hold."""
    return Counter(lang for w in words for lang in CUES.get(w, ()))
