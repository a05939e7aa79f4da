"""Write the notebook collection (run after changing its cells; committed without outputs).

The collection ships inside the package (``osallisuus/notebooks/``; ``osallisuus init`` copies
it into a project) and this repository keeps the same files in ``notebooks/`` (a test checks
that both equal what this script builds). The region report itself is built by
``make_notebook.py``; this script writes it too, so one command refreshes everything:
``python scripts/make_notebooks.py``.

Rules for every notebook (checked by ``tests/test_notebooks.py``): one ``parameters`` cell with
typed defaults and comments; markdown that says what each step shows and how to read it; code
cells that only call the library with visible arguments (no def, class, loops or imports
beyond ``osallisuus``).
"""
from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_notebook  # noqa: E402  (the region report's generator)
from osallisuus import i18n  # noqa: E402
from osallisuus.vocab import LANGUAGES  # noqa: E402

FOLDERS = [ROOT / "osallisuus" / "notebooks", ROOT / "notebooks"]

COMMON = '''\
data_path: str = ""  # vastaukset: tiedosto tai kansio; tyhjä: osallisuus.yaml:n paths.data (suhteelliset polut projektin juuresta)
settings_file: str = ""  # projektin asetukset; tyhjä: lähin osallisuus.yaml ylöspäin
lang: str = ""  # kieli: fi, sv tai en; tyhjä: osallisuus.yaml:n language (oletus fi)
suppression_threshold: int = 0  # alle tämän kokoisia ryhmiä ja lukuja ei näytetä (vähintään 3; 0: suunnitelman tai asetusten, tavallisesti 5)'''


def params(extra: str = "") -> str:
    head = "# Parametrit: papermill lisää uudet arvot tämän solun perään.\n"
    return head + COMMON + ("\n" + extra if extra else "")


# the protection rule made once, as the reports make it (the parameter, else the plan's, else the
# settings' threshold; at least 3), and passed to every call
LOAD = ('validation = osallisuus.load_data(data_path, settings_file)\n'
        'suppression = osallisuus.suppression_rule(suppression_threshold, data_path, settings_file)\n'
        'data = osallisuus.reportable(validation.data, suppression)\n'
        'print(validation.summary())')

LOAD_MD = """## Aineisto

`osallisuus.load_data` lukee vastaukset ja tarkistaa ne. Jokainen rivi joko hyväksytään tai
siirretään karanteeniin syineen; yhteenveto kertoo, että luvut täsmäävät
(luetut = hyväksytyt + karanteeni). Muistikirja käyttää vain hyväksyttyjä rivejä, ja niistäkin
vain ne, jotka raportitkin käyttävät: alueen, vaiheen ja roolin ryhmät, joissa on alle kynnysarvon
verran vastaajia, jätetään kokonaan pois (`osallisuus.reportable`), jotta mikään yhteissumma ei
vähennettynä raportin luvusta kerro niiden kokoa."""

LOAD_SUPPRESSION_MD = LOAD_MD + """

Samalla tarkistetaan tietosuojan kynnys (`suppression`): alle 3 ei kelpaa, koska Tilastokeskus
ja THL eivät julkaise yhden tai kahden vastaajan lukuja."""


def nb_data_quality() -> list:
    return [
        new_markdown_cell("""# 01 Aineisto ja laatu

Tämä muistikirja käy läpi vastausaineiston matkan kyselyviennistä tarkistetuksi aineistoksi:
mitkä tiedostot luettiin, mitkä rivit hylättiin ja miksi, ja kuinka monta vastaajaa on kussakin
vaiheessa, roolissa ja ryhmässä. Aja solut ylhäältä alas (*Run All*)."""),
        new_code_cell(params(), metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\nlang = osallisuus.language(lang, settings_file)"),
        new_markdown_cell("""## Tiedostot ja yhteenveto

Kyselyvienti (esim. Webropol) luetaan vierellään olevan mapping-tiedoston (`*.mapping.yaml`)
kautta: se kertoo, mikä sarake on mikäkin kysymys ja miten vastaustekstit vastaavat asteikkoa.
Kanoninen tiedosto (yksi rivi vastausta kohden) luetaan sellaisenaan."""),
        new_code_cell(LOAD),
        new_code_cell("validation.file_table()"),
        new_markdown_cell("""## Karanteeni

Hylätyt rivit syineen: tiedosto, rivi (kuten taulukkolaskenta sen näyttää), sarake, arvo ja mitä
odotettiin. Korjaa lähdetiedosto ja aja muistikirja uudelleen. Karanteeni sisältää
henkilötason tietoa: sitä ei julkaista."""),
        new_code_cell("validation.messages(20)"),
        new_markdown_cell("""## Vastaajat vaiheittain ja rooleittain

Eri vastaajien määrä (vastaajatunnukset) kussakin vaiheessa ja roolissa. Alueen, vaiheen ja
roolin ryhmät, joissa on alle kynnysarvon verran vastaajia, on jo jätetty pois aineistosta (ks.
yllä), joten niitä ei lasketa näihin määriin; rivi, jonka määrä jää silti alle kynnysarvon,
näkyy merkintänä `<5` (tai projektin oman kynnysarvon mukaan)."""),
        new_code_cell('osallisuus.respondents(data, by=["phase", "role"], suppression=suppression, lang=lang)',
                      metadata={"tags": ["check-respondents"]}),
        new_markdown_cell("""## Vastausosuudet

Vastaajat suhteessa kutsuttuihin osallistujiin (`osallistujat.yaml` aineiston vieressä:
alue, vaihe, rooli ja osallistujien määrä). Ilman tiedostoa osuus jää tyhjäksi. Osuus
pyöristetään kokonaisiksi prosenteiksi."""),
        new_code_cell('osallisuus.show_table(osallisuus.response_rates(data, data_path, settings_file, by=["phase", "role"],\n'
                      '                                                suppression=suppression), lang=lang)',
                      metadata={"tags": ["check-rates"]}),
        new_markdown_cell("""## Vastaajat alueittain ja ryhmittäin

Sama alueittain ja kehittäjäryhmittäin."""),
        new_code_cell('osallisuus.respondents(data, by=["region", "phase"], suppression=suppression, lang=lang)'),
        new_code_cell('osallisuus.respondents(data, by=["group"], suppression=suppression, lang=lang)'),
    ]


def nb_explore() -> list:
    extra = '''\
region: str = ""  # alue (nimi, tunnus tai lyhenne); tyhjä: kaikki alueet
phase: str = "final"  # vaihe: baseline, interim tai final
role: str = ""  # rooli: client, professional, manager, organisation; tyhjä: kaikki
group: str = ""  # kehittäjäryhmä; tyhjä: kaikki
instrument: str = ""  # mittari (tunnus tai nimi); tyhjä: vaiheen päämittari
item: str = ""  # ristiintaulukoinnin kysymys (tunnus tai teksti); tyhjä: mittarin ensimmäinen
by: str = "role"  # ristiintaulukoinnin sarakkeet: role, region tai group
excel_file: str = "tutustu_jakaumat.xlsx"  # Excel-tiedoston nimi raporttikansiossa'''
    return [
        new_markdown_cell("""# 02 Tutustu aineistoon

Valitse alue, vaihe, rooli, ryhmä ja mittari ja katso vastausten jakaumat, ristiintaulukot ja
pistemäärät. JupyterLabissa valinnat voi tehdä alla olevilla pudotusvalikoilla; samat
valinnat ovat parametreina, joten muistikirjan voi ajaa myös papermillillä
(`papermill 02_tutustu.ipynb ulos.ipynb -p phase baseline`)."""),
        new_code_cell(params(extra), metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\nlang = osallisuus.language(lang, settings_file)"),
        new_markdown_cell(LOAD_MD),
        new_code_cell(LOAD),
        new_markdown_cell("""## Valinnat

Jos mittaria ei ole annettu, valitaan vaiheen päämittari (mittaritiedostossa tulosmittariksi
merkitty tai monikysymyksinen asteikko)."""),
        new_code_cell("instrument = osallisuus.pick_instrument(data, phase, instrument)\n"
                      "item = osallisuus.pick_item(instrument, item)\n"
                      "instrument, item"),
        new_markdown_cell("""## Pudotusvalikot (JupyterLab)

Valikot näyttävät valitun joukon jakaumataulukon ja kuvion. Ne alkavat parametrien
arvoista. Papermillillä ajettaessa alla olevat solut näyttävät parametrien valinnan."""),
        new_code_cell("osallisuus.explorer(data, region=region, phase=phase, role=role, group=group,\n"
                      "                    instrument=instrument, lang=lang, suppression=suppression)"),
        new_markdown_cell("""## Valittu joukko

`filter_answers` poimii valintoja vastaavat vastaukset; tyhjä valinta tarkoittaa kaikkia."""),
        new_code_cell("selected = osallisuus.filter_answers(data, instrument, region=region, phase=phase, "
                      "role=role, group=group)\n"
                      'osallisuus.respondents(selected, by=["role"], suppression=suppression, lang=lang)',
                      metadata={"tags": ["check-selected"]}),
        new_markdown_cell("""## Vastausjakauma (Likert-taulukko)

Jokaisen kysymyksen vastausten määrät asteikon vaihtoehdoittain, vastaajien määrä *n* sekä
keskiarvo. "En osaa sanoa" ei sisälly keskiarvoon. Alle kynnysarvon määrät näkyvät merkinnällä
"<5", ja ".." on luku, joka on piilotettu, jottei pientä määrää voisi laskea muista luvuista;
taulukon alla kerrotaan asteikko ja merkinnät. `show_likert` näyttää taulukon kuten raportti;
muuttuja `table` on sama taulukko numeroina jatkolaskentaa varten (piilotetut luvut puuttuvat
siitäkin)."""),
        new_code_cell("table = osallisuus.likert_table(selected, instrument, lang=lang, suppression=suppression)\n"
                      "osallisuus.show_likert(table, lang=lang, suppression=suppression)",
                      metadata={"tags": ["check-likert"]}),
        new_code_cell("ax = osallisuus.plot(selected, instrument, kind=\"likert\", lang=lang, "
                      "suppression=suppression)\nosallisuus.show(ax)", metadata={"tags": ["check-figure"]}),
        new_markdown_cell("""## Ristiintaulukko

Yhden kysymyksen vastaukset ryhmittäin (sarakkeet parametrista `by`). Alle kynnysarvon
ryhmät näkyvät tyhjinä."""),
        new_code_cell("osallisuus.crosstab(osallisuus.filter_answers(data, phase=phase, region=region), instrument, item, "
                      "by=by, lang=lang, suppression=suppression)"),
        new_markdown_cell("""## Pistemäärät

Mittarin pistemäärä vastaajittain (mittaritiedoston pisteytyssäännöllä) ja sen keskiarvo 95 %:n
luottamusvälein rooleittain. Päällekkäiset välit tarkoittavat, ettei aineisto erottele ryhmiä."""),
        new_code_cell('ax = osallisuus.plot(selected, instrument, kind="score", by="role", lang=lang, '
                      "suppression=suppression)\nosallisuus.show(ax)"),
        new_markdown_cell("""## Valittu joukko muihin verrattuna

Valinnan (alue, rooli, ryhmä) vastaajat verrattuna saman vaiheen muihin vastaajiin
(Mann–Whitney, rank-biserial *r*, Holm-korjattu *p*). Vertailu tehdään muihin, ei kaikkiin,
koska ryhmillä ei saa olla yhteisiä vastaajia. Jos valintaa ei ole tehty, vertailtavaa ei ole."""),
        new_code_cell("osallisuus.selection_vs_rest(osallisuus.filter_answers(data, phase=phase), instrument, "
                      "suppression=suppression,\n"
                      "                             lang=lang, region=region, role=role, group=group)",
                      metadata={"tags": ["check-selection"]}),
        new_markdown_cell("""## Taulukko Exceliin

Mikä tahansa taulukko tallentuu raporttikansioon (`paths.reports`). Kaavoilta näyttävät tekstit
(alkavat merkeillä = + - @) tallennetaan tekstinä."""),
        new_code_cell("osallisuus.to_excel(table, osallisuus.output_path(excel_file, settings_file), lang=lang)"),
    ]


def nb_regions() -> list:
    return [
        new_markdown_cell("""# 03 Alueet rinnakkain

Arviointisuunnitelman ensisijaiset tulosmittarit kaikilla alueilla: keskiarvo, vastaajien
määrä ja 95 %:n luottamusväli. Alueita ei järjestetä pelkkien keskiarvojen perusteella:
kuvio näyttää aina luottamusvälit, ja päällekkäiset välit tarkoittavat, ettei aineisto
erottele alueita. Alueet, joilla on alle kynnysarvon verran vastaajia, jätetään pois
(ei keskiarvoa, ei väliä, ei määrää)."""),
        new_code_cell(params('highlight: str = ""  # korostettava alue kuvioissa (nimi kuten taulukossa); tyhjä: ei korostusta\n'
                             'outcome: str = ""  # kuvion tulosmittari (taulukon outcome-sarake); tyhjä: ensimmäinen'),
                      metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\nlang = osallisuus.language(lang, settings_file)"),
        new_markdown_cell(LOAD_MD),
        new_code_cell(LOAD),
        new_markdown_cell("""## Arviointisuunnitelma

Suunnitelma (`arviointisuunnitelma.yaml` aineiston vieressä tai projektin juuressa) kertoo
ensisijaiset tulosmittarit. Jos suunnitelmaa ei ole, se päätellään aineistosta."""),
        new_code_cell("plan = osallisuus.evaluation_plan(data_path, settings_file)\nplan.primary"),
        new_markdown_cell("""## Tulosmittarit alueittain

Yksi rivi mittaria ja aluetta kohden. Kunkin alueen pienet ryhmät (alle kynnysarvon vaiheessa
ja roolissa) poistetaan ensin, kuten alueraporteissa."""),
        new_code_cell("outcomes = osallisuus.region_outcomes(data, plan, suppression=suppression)\n"
                      "osallisuus.show_table(outcomes, rows=100, lang=lang, suppression=suppression)",
                      metadata={"tags": ["check-regions"]}),
        new_markdown_cell("""## Kuviot

Kuvio yhdestä tulosmittarista (parametri `outcome`, yllä olevan taulukon `outcome`-sarakkeen
arvo; tyhjä: ensimmäinen): piste on keskiarvo, jana 95 %:n luottamusväli. Katkoviiva on
väestön vertailuarvo, jos mittarilla on sellainen. Muut tulosmittarit näet vaihtamalla
parametria tai kopioimalla solun ja kirjoittamalla mittarin tunnuksen `outcome or None`:n tilalle."""),
        new_code_cell("ax = osallisuus.plot_region_outcomes(outcomes, outcome or None, lang=lang, highlight=highlight or None)\n"
                      "osallisuus.show(ax)", metadata={"tags": ["check-figure"]}),
        new_code_cell('osallisuus.to_excel(outcomes, osallisuus.output_path("alueet_rinnakkain.xlsx", settings_file), lang=lang)'),
    ]


def nb_change() -> list:
    extra = '''\
instrument: str = ""  # mittari (tunnus tai nimi); tyhjä: loppuvaiheen päämittari
from_phase: str = "baseline"  # aiempi vaihe
to_phase: str = "final"  # myöhempi vaihe'''
    return [
        new_markdown_cell("""# 04 Muutos

Miten vastaukset muuttuivat vaiheesta toiseen? Samat vastaajat tunnistetaan vaiheiden välillä
vastaajatunnuksesta. Muistikirja näyttää, kuinka moni vastasi missäkin vaiheissa, parittaiset
tulokset (Wilcoxon) niille, jotka vastasivat molemmissa, ja muiden vertailun (Mann–Whitney)."""),
        new_code_cell(params(extra), metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\nlang = osallisuus.language(lang, settings_file)"),
        new_markdown_cell(LOAD_SUPPRESSION_MD),
        new_code_cell(LOAD),
        new_code_cell("instrument = osallisuus.pick_instrument(data, to_phase, instrument)\ninstrument"),
        new_markdown_cell("""## Vastaajien kulku vaiheiden läpi

Kuinka monta vastaajaa vastasi kussakin vaiheyhdistelmässä (esim. *Alkuarviointi + Loppuarviointi*:
alku- ja loppuarvioinnissa, ei väliarvioinnissa). Yhdistelmät, joissa on alle kynnysarvon
verran vastaajia, näkyvät merkintänä `<5`."""),
        new_code_cell("osallisuus.show_table(osallisuus.linkage(data, suppression=suppression), lang=lang)",
                      metadata={"tags": ["check-linkage"]}),
        new_markdown_cell("""Sama kulkuna: kuinka moni vastasi kussakin vaiheessa (pylväät) ja kuinka moni samoista
vastaajista vastasi kahdessa peräkkäisessä vaiheessa (nauhat; alku- ja loppuarvioinnin yhteiset
alla). Alle kynnysarvon olevat määrät näkyvät merkintänä `<5`, ja niin näkyy myös yhteisten
määrä, jos siitä ja vaiheen vastaajamäärästä voisi laskea alle kynnysarvon kokoisen ryhmän
(esim. vain alkuarvioinnissa vastanneet)."""),
        new_code_cell("flow = osallisuus.linked_flow(data, suppression=suppression)\nosallisuus.show_table(flow, lang=lang)",
                      metadata={"tags": ["check-flow"]}),
        new_code_cell("ax = osallisuus.flow_figure(flow, lang=lang)\nosallisuus.show(ax)", metadata={"tags": ["check-flow-figure"]}),
        new_code_cell("osallisuus.alt_text(ax)"),
        new_markdown_cell("""## Muutos vaiheiden välillä

Taulukot näyttävät muutoksen niin kuin raportti: ensimmäinen rivi on mittarin pistemäärä, muut
rivit kysymyksiä. *Samat vastaajat* (Wilcoxon) käyttää molemmissa vaiheissa vastanneita pareja;
*eri vastaajat* (Mann–Whitney) vertaa niitä, joiden vastauksia ei voitu yhdistää toisen vaiheen
vastauksiin (eri vastaajien ero, ei muutos). Efektikoko r on järjestysbiseriaalinen korrelaatio
(−1…1); *p*-arvo ei kerro muutoksen suuruutta. `..` piilottaa luvun, josta voisi laskea alle
kynnysarvon kokoisen ryhmän. Ilman `lang`-argumenttia sama taulukko tulee kaikkine tunnuslukuineen
jatkoanalyysia varten."""),
        new_code_cell("osallisuus.show_table(osallisuus.change_shown(data, instrument, from_phase, to_phase, items=False,\n"
                      "                                               suppression=suppression, lang=lang))"),
        new_markdown_cell("""Sama alueittain: kunkin alueen vastaajat yhdistetään vain saman alueen sisällä.
Yllä oleva rivi on kaikkien alueiden yhdistetty tulos."""),
        new_code_cell('osallisuus.show_table(osallisuus.change_shown(data, instrument, from_phase, to_phase, by="region", items=False,\n'
                      "                                               suppression=suppression, lang=lang), rows=100)"),
        new_markdown_cell("""Kysymyksittäin (kaikki alueet):"""),
        new_code_cell("osallisuus.show_table(osallisuus.change_shown(data, instrument, from_phase, to_phase,\n"
                      "                                               suppression=suppression, lang=lang), rows=100)"),
        new_markdown_cell("""## Kehitys rooleittain

Keskiarvot 95 %:n luottamusvälein vaiheittain, yksi viiva roolia kohden. Vaihe näkyy vain, jos
mittaria kysyttiin siinä."""),
        new_code_cell('summary = osallisuus.phase_summary(data, instrument, by="role", '
                      "suppression=suppression)\n"
                      "osallisuus.show_table(summary, lang=lang, suppression=suppression)", metadata={"tags": ["check-summary"]}),
        new_code_cell("ax = osallisuus.trajectory(summary, lang=lang, suppression=suppression)\n"
                      "osallisuus.show(ax)", metadata={"tags": ["check-figure"]}),
    ]


def nb_instruments() -> list:
    extra = 'instrument: str = ""  # mittari (tunnus tai nimi); tyhjä: loppuvaiheen päämittari\n' \
            'phase: str = "final"  # vaihe, jonka vastauksista kysymyskohtaiset tunnusluvut lasketaan\n' \
            'bib_file: str = "mittarit.bib"  # mittarien lähdetiedot BibTeX-muodossa raporttikansioon'
    return [
        new_markdown_cell("""# 05 Mittarit ja luotettavuus

Mittarin kysymykset, asteikko ja käännetyt kysymykset, sisäinen johdonmukaisuus (Cronbachin
alfa) vaiheittain, kysymyskohtaiset tunnusluvut sekä menetelmäkappale lähteineen."""),
        new_code_cell(params(extra), metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\nlang = osallisuus.language(lang, settings_file)"),
        new_markdown_cell(LOAD_SUPPRESSION_MD),
        new_code_cell(LOAD),
        new_code_cell('instrument = osallisuus.pick_instrument(data, "final", instrument)\ninstrument'),
        new_markdown_cell("""## Kysymykset

Kysymykset sanamuotoineen, käännetyt kysymykset (joissa suuri arvo tarkoittaa vähemmän
osallisuutta; ne käännetään ennen pisteytystä) ja osa-alueet."""),
        new_code_cell("osallisuus.show_table(osallisuus.instrument_items(instrument, lang=lang), rows=100)"),
        new_markdown_cell("""## Cronbachin alfa

Alfa kertoo, mittaavatko kysymykset samaa asiaa (usein ≥ 0,7 pidetään riittävänä). Se lasketaan
vain täydellisistä vastauksista (`n`) ja vain monikysymyksisille asteikoille; välin on laskenut
Feldtin menetelmä. Alle kynnysarvon ryhmille ei lasketa alfaa."""),
        new_code_cell('osallisuus.show_table(osallisuus.reliability(data, instrument, by="phase", suppression=suppression),\n'
                      "                      lang=lang, suppression=suppression)", metadata={"tags": ["check-alpha"]}),
        new_markdown_cell("""## Kysymyskohtaiset tunnusluvut

Korjattu osio–kokonaisuus-korrelaatio ja alfa, jos kysymys poistetaan: matala korrelaatio tai
selvästi noussut alfa kertoo kysymyksestä, joka ei sovi muiden joukkoon. Tunnusluvut lasketaan
yhden vaiheen vastauksista (parametri `phase`), koska samat vastaajat vastasivat useassa
vaiheessa: yhdistetyissä vaiheissa sama ihminen laskettaisiin kahdesti. Vertaa alfaa, jos
kysymys poistetaan, saman vaiheen alfaan yllä."""),
        new_code_cell("items = osallisuus.item_matrix(osallisuus.filter_answers(data, instrument, phase=phase), instrument)\n"
                      "osallisuus.show_table(osallisuus.item_statistics(items), lang=lang, instrument=instrument)",
                      metadata={"tags": ["check-items"]}),
        new_markdown_cell("""## Menetelmäkappale ja lähteet

Valmis kappale menetelmäosioon arviointisuunnitelman mittareista APA 7 -tekstiviittein, lähdeluettelo
APA 7 -muodossa ja lähdetiedosto (`.bib`), jonka voi tuoda viitteidenhallintaan (Zotero, LaTeX,
pandoc). Lähteet ovat mittaritiedostojen `references`-kentistä; kenttä, jota lähteet eivät
kerro (esim. sivunumerot), jää pois eikä sitä keksitä."""),
        new_code_cell("plan = osallisuus.evaluation_plan(data_path, settings_file)\n"
                      "print(osallisuus.methods_paragraph(plan, threshold=suppression.threshold, lang=lang))"),
        new_code_cell("osallisuus.references_section(plan, lang=lang)"),
        new_code_cell("osallisuus.write_bib(plan, osallisuus.output_path(bib_file, settings_file), lang=lang)"),
    ]


def nb_free_text() -> list:
    extra = '''\
instrument: str = ""  # mittari, jonka avoimet vastaukset luetaan; tyhjä: kaikki
item: str = ""  # kysymys (tunnus tai teksti); tyhjä: kaikki (vaatii mittarin)
phase: str = ""  # vaihe; tyhjä: kaikki
role: str = ""  # rooli; tyhjä: kaikki
codebook_file: str = ""  # koodikirja (YAML); tyhjä: projektin koodikirja.yaml tai paketin oletus
quotes_per_theme: int = 3  # lainauksia teemaa kohden'''
    return [
        new_markdown_cell("""# 06 Avoimet vastaukset

Avoimet vastaukset kysymyksittäin, rooleittain ja vaiheittain, henkilötiedot poistettuina.
Koodikirja (YAML: teemat ja niiden sanavartalot) luokittelee vastaukset teemoihin; teemojen
yleisyys näytetään pienten lukujen suojauksella (alle kynnysarvon: `<5`) ja kustakin teemasta
poimitaan lainauksia. Tämä on sisällönanalyysin lähtökohta, ei sen korvike: lue vastaukset ja
tarkenna koodikirjaa."""),
        new_code_cell(params(extra), metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\nlang = osallisuus.language(lang, settings_file)"),
        new_markdown_cell(LOAD_MD),
        new_code_cell(LOAD),
        new_markdown_cell("""## Vastaukset

Henkilötiedot (nimet, puhelinnumerot, sähköpostit, osoitteet, henkilötunnukset) on korvattu
merkinnöillä kuten [nimi]. Poisto on turvaverkko, ei tae: taivutettu nimi voi jäädä
tunnistamatta. Vastaajatunnuksia ei näytetä."""),
        new_code_cell("texts = osallisuus.free_texts(data, instrument, item, phase=phase, role=role, lang=lang)\n"
                      "osallisuus.show_table(texts, rows=20, lang=lang)"),
        new_code_cell('osallisuus.respondents(data, by=["phase", "role"], suppression=suppression, lang=lang)'),
        new_markdown_cell("""## Koodikirja ja teemat

Vastaus kuuluu teemaan, kun jokin sen sanoista alkaa teeman vartalolla (esim. `kuul` →
kuulluksi, kuultiin). Yksi vastaus voi kuulua moneen teemaan."""),
        new_code_cell("codebook = osallisuus.load_codebook(codebook_file, settings_file)\n"
                      "coded = osallisuus.code_themes(texts, codebook)"),
        new_code_cell("osallisuus.show_table(osallisuus.theme_counts(coded, codebook, lang=lang, suppression=suppression), lang=lang)",
                      metadata={"tags": ["check-themes"]}),
        new_code_cell('osallisuus.show_table(osallisuus.theme_counts(coded, codebook, by="role", lang=lang, suppression=suppression),\n'
                      '                      lang=lang)'),
        new_markdown_cell("""## Lainaukset teemoittain

Lyhimmät erilaiset vastaukset kustakin teemasta. Teemasta, jossa on alle kynnysarvon verran
vastauksia, ei näytetä lainauksia (niiden määrä paljastaisi luvun)."""),
        new_code_cell("osallisuus.show_table(osallisuus.theme_quotes(coded, codebook, per_theme=quotes_per_theme, "
                      "lang=lang,\n                                                suppression=suppression), rows=100, lang=lang)"),
        new_code_cell('osallisuus.to_excel(osallisuus.theme_counts(coded, codebook, by="role", lang=lang, '
                      'suppression=suppression),\n'
                      '                    osallisuus.output_path("teemat.xlsx", settings_file), lang=lang)'),
    ]


def nb_thesis() -> list:
    extra = '''\
region: str = "Keski-Suomi"  # alue, jonka tuloksista luku kirjoitetaan
title: str = "Tulokset"  # luvun otsikko
sections: list = ["design", "baseline", "final", "change", "roles"]  # alueraportin osiot tässä järjestyksessä
formats: list = ["html", "docx"]  # tiedostomuodot (docx vaatii Word-viejän)
reference_docx: str = ""  # Wordin mallipohja (tyylit); tyhjä: oletus
output_folder: str = "opinnayte"  # kansio raporttikansiossa'''
    return [
        new_markdown_cell("""# 07 Opinnäyte

Opinnäytteen tulosluku yhden alueen aineistosta: alueraportin valitut osiot (taulukoiden
otsikot taulukon yläpuolella muodossa *Taulukko 1.*, kuvioiden otsikot kuvion alapuolella
muodossa *Kuvio 1.*), lähteet ja kyselylomake liitteenä. Luku tallentuu HTML-muodossa ja
Word-muodossa (jos Word-viejä on asennettu); Wordin tyylit tulevat mallipohjasta, jonka voi
vaihtaa omaan (`reference_docx`)."""),
        new_code_cell(params(extra), metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\nlang = osallisuus.language(lang, settings_file)"),
        new_markdown_cell("""## Alueen raportti

Kaikki luvut tulevat alueraportista: se lukee aineiston, soveltaa arviointisuunnitelmaa ja
pienten ryhmien suojausta ja numeroi taulukot ja kuviot."""),
        new_code_cell("report = osallisuus.RegionReport(region, data_path or None, lang=lang,\n"
                      "                                 suppression_threshold=suppression_threshold or None,\n"
                      "                                 settings=osallisuus.load_settings(settings_file or None))"),
        new_markdown_cell("""## Menetelmät

Kappale menetelmäosioon (mittarit, pisteytys, luotettavuus, suojaus) APA 7 -tekstiviittein
mittarien lähteisiin; lähdeluettelo on luvun lopussa."""),
        new_code_cell("print(osallisuus.methods_paragraph(report.plan, threshold=report.suppression.threshold, lang=lang))"),
        new_markdown_cell("""## Tulosluku

Luvun osiot järjestyksessä; lopussa lähteet ja kyselylomake liitteenä."""),
        new_code_cell("document = osallisuus.thesis_document(report, sections, title)"),
        new_code_cell("report.section(sections[0])"),
        new_code_cell("osallisuus.references_section(report.plan, lang=lang)"),
        new_code_cell("osallisuus.questionnaire_section(report.plan, lang=lang)"),
        new_markdown_cell("""## Tallennus

Tiedostot tallentuvat raporttikansioon. Jos jokin muoto jää tekemättä (esim. Word-viejää ei ole
asennettu), tulos kertoo syyn."""),
        new_code_cell("osallisuus.export_document(document, formats, osallisuus.output_path(output_folder, settings_file),\n"
                      '                           "tulosluku_" + report.context.region.id, reference_docx or None, lang=lang)',
                      metadata={"tags": ["check-written"]}),
        new_code_cell('osallisuus.write_bib(report.plan, osallisuus.output_path(output_folder + "/lahteet.bib", settings_file),\n'
                      '                    lang=lang)'),
    ]


COLLECTION = {
    "01_aineisto_ja_laatu.ipynb": ("Aineisto ja laatu: tiedostot, karanteeni, vastaajat vaiheittain ja rooleittain",
                                   nb_data_quality),
    "02_tutustu.ipynb": ("Tutustu: valitse alue, vaihe, rooli, ryhmä ja mittari; jakaumat, ristiintaulukot, Excel",
                         nb_explore),
    "03_alueet_rinnakkain.ipynb": ("Alueet rinnakkain: ensisijaiset tulosmittarit alueittain luottamusvälein",
                                   nb_regions),
    "04_muutos.ipynb": ("Muutos: vastaajien kulku vaiheiden läpi, parittaiset tulokset, kehitys rooleittain",
                        nb_change),
    "05_mittarit_ja_luotettavuus.ipynb": ("Mittarit ja luotettavuus: kysymykset, alfa, menetelmäkappale, .bib",
                                          nb_instruments),
    "06_avoimet_vastaukset.ipynb": ("Avoimet vastaukset: koodikirjan teemat, määrät suojattuina, lainaukset",
                                    nb_free_text),
    "07_opinnayte.ipynb": ("Opinnäyte: tulosluku HTML- ja Word-muodossa, lähteet, kyselylomake liitteenä",
                           nb_thesis),
}


class StaleTranslation(Exception):
    """A Finnish text of a notebook differs from the one its translations were made from."""


def _text(key: str, finnish: str, lang: str) -> str:
    """The ``lang`` text of ``key`` in the notebooks' translation table
    (``osallisuus/data/translations/notebook_text.yaml``), whose Finnish must be ``finnish``."""
    entry = i18n.translations().get(key)
    if entry is None or entry["fi"] != finnish:
        raise StaleTranslation(f"{key}: the notebook's Finnish text changed; update notebook_text.yaml "
                               f"(fi, sv and en) to:\n{finnish}")
    return entry[lang]


_PARAMETER = re.compile(r"^(\w+): (\w+) = (.*?)  # (.*)$")


def translate(nb: nbformat.NotebookNode, stem: str, lang: str) -> nbformat.NotebookNode:
    """The notebook with its markdown cells and parameter comments in ``lang`` (the code is the
    same: the library prints in the ``lang`` parameter's language)."""
    nb = copy.deepcopy(nb)
    k = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            k += 1
            cell.source = _text(f"nb.md.{stem}.{k}", cell.source, lang)
        elif "parameters" in cell.metadata.get("tags", []):
            cell.source = "\n".join(_parameter_line(line, stem, lang) for line in cell.source.splitlines())
    nb.metadata["osallisuus"]["description"] = i18n.t(f"nb.desc.{stem}", lang)
    return nb


def _parameter_line(line: str, stem: str, lang: str) -> str:
    m = _PARAMETER.match(line)
    if m:
        own = f"nb.param.{stem}.{m.group(1)}"
        key = own if own in i18n.translations() else f"nb.param.{m.group(1)}"
        return f"{m.group(1)}: {m.group(2)} = {m.group(3)}  # {_text(key, m.group(4), lang)}"
    if line.startswith("# "):
        return "# " + _text("nb.param.head", line[2:], lang)
    return line


def build_all(lang: str = "fi") -> dict[str, nbformat.NotebookNode]:
    """File name -> notebook, for the whole collection (the region report included), in ``lang``."""
    # the description is the translation table's (osallisuus notebooks shows it in each language)
    out = {name: make_notebook.finish(make(), i18n.t(f"nb.desc.{name.removesuffix('.ipynb')}", "fi"))
           for name, (_, make) in COLLECTION.items()}
    if lang != "fi":
        out = {name: translate(nb, name.removesuffix(".ipynb"), lang) for name, nb in out.items()}
    out["alueraportti.ipynb"] = make_notebook.build(lang)
    return out


def targets(lang: str) -> list[Path]:
    """Where the collection in ``lang`` is written: Finnish in the package and in this
    repository's notebooks/, the other languages in the package's notebooks/<lang>/."""
    return FOLDERS if lang == "fi" else [FOLDERS[0] / lang]


if __name__ == "__main__":
    for lang in LANGUAGES:
        for name, nb in build_all(lang).items():
            for folder in targets(lang):
                folder.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, folder / name)
                print(f"wrote {folder / name}")
