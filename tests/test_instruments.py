from pathlib import Path

import pytest
import yaml

from osallisuus.errors import InstrumentError
from osallisuus.instruments import list_instruments, load_instrument, load_instrument_file
from osallisuus.settings import load_settings, package_data

BUILT_IN = {"kehittajaryhma_palaute", "osallisuusindikaattori", "soc_g10", "osallisuus_24", "arvio_4", "kouluarvosana"}


def test_builtins_listed():
    assert BUILT_IN <= set(list_instruments())


def test_unknown_instrument_lists_valid_names():
    with pytest.raises(InstrumentError) as err:
        load_instrument("osallisuus_indikaattori")
    msg = str(err.value)
    assert "osallisuus_indikaattori" in msg and "osallisuusindikaattori" in msg and "soc_g10" in msg


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_every_text_in_three_languages(name):
    inst = load_instrument(name)
    for item in inst.items:
        assert all(item.text[lang].strip() for lang in ("fi", "sv", "en"))
    for p in inst.scale.all_points:
        assert all(p.label[lang] for lang in ("fi", "sv", "en"))
    assert inst.source



@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_notes_printed_in_reports_speak_to_readers_not_maintainers(name):
    """An instrument's ``note`` is printed under its tables; an instruction to edit a file
    means nothing to a reader (it belongs in a YAML comment)."""
    import re
    inst = load_instrument(name)
    for lang, text in inst.note.items():
        assert not re.search(r"tiedosto|\bfil(en)?\b|\bfile\b|\bkorvaa|\bersätt|\breplace", text, re.I), (lang, text)

def test_seed_wordings_are_verbatim_and_unverified_marked_provisional():
    pal = load_instrument("kehittajaryhma_palaute")
    assert pal.item_text("kuulluksi") == "Sain sanoa asiani ja tulin kuulluksi."
    assert pal.item_text("oma_tapa") == "Sain osallistua omalla tavallani."
    assert pal.item_text("paatoksenteko") == "Miten kehittäjäryhmässä toteutui yhteinen päätöksenteko?"
    assert load_instrument("soc_g10").provisional
    assert load_instrument("osallisuus_24").provisional
    esis = load_instrument("osallisuusindikaattori")
    assert esis.provisional and esis.terms["fi"]  # THL's terms of use travel with the wording
    assert len(esis.items) == 10 and esis.subscales == {}
    assert esis.reference["value"] == 75.2


def test_arvio_4_is_taulukko_3_scale():
    s = load_instrument("arvio_4").scale
    assert s.labels("fi") == ["Erittäin hyvin", "Melko hyvin", "Melko huonosti", "Erittäin huonosti", "En osaa sanoa"]
    assert s.valid_codes == [4, 3, 2, 1] and s.missing_codes == [9]


def test_soc_g10_structure():
    soc = load_instrument("soc_g10")
    assert len(soc.items) == 10 and soc.scale.low == 1 and soc.scale.high == 7
    members = sorted(m for sub in soc.subscales.values() for m in sub["items"])
    assert members == sorted(soc.item_ids) and len(soc.subscales) == 3


def test_osallisuus_24_three_areas_rating_marked_as_project_addition():
    o24 = load_instrument("osallisuus_24")
    assert len(o24.items) == 24 and o24.answer == "text"
    assert len({i.area for i in o24.items}) == 3
    assert "rating_note" in o24.extra


def _good_doc():
    return yaml.safe_load(package_data("instruments", "arvio_4.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("breakage, expected", [
    (lambda d: d.pop("items"), "missing key 'items'"),
    (lambda d: d.update(scale="no_such_scale"), "scale 'no_such_scale' is not defined"),
    (lambda d: d["items"].append(dict(d["items"][0])), "duplicate item id 'suunnittelu'"),
    (lambda d: d["items"][1]["text"].pop("sv"), "items[1].text: text missing in sv"),
    (lambda d: d.update(wording="official-ish"), "wording 'official-ish'"),
    (lambda d: d["scoring"].update(min_answered=99), "scoring.min_answered 99"),
    (lambda d: d.update(subscales={"x": {"label": {"fi": "a", "sv": "b", "en": "c"}, "items": ["nope"]}}),
     "unknown items ['nope']"),
    # issue 11: booleans must be booleans ('false' in quotes used to read as true)
    (lambda d: d["items"][0].update(reverse="false"), "reverse is 'false'; expected true or false"),
    (lambda d: d["items"][0].update(provisional="yes"), "provisional is 'yes'"),
    (lambda d: d["items"][0].update(reverse=1), "reverse is 1"),
    (lambda d: d["items"][0].update(revrese=True), "unknown key 'revrese' (did you mean 'reverse'?)"),
    (lambda d: d["items"][0].update(id=" "), "id is empty"),
    (lambda d: d.update(subscales={"x": {"label": {"fi": "a", "sv": "b", "en": "c"},
                                         "items": ["suunnittelu", "suunnittelu"]}}), "listed twice"),
    (lambda d: d.update(subscales={"x": {"label": {"fi": "a", "sv": "b", "en": "c"}, "items": ["suunittelu"]}}),
     "did you mean 'suunnittelu'"),
    (lambda d: d["scoring"].update(min_answered=True), "scoring.min_answered True"),
    (lambda d: d["scoring"].update(percent_of_range="true"), "percent_of_range is 'true'"),
])
def test_schema_check_names_file_and_key(tmp_path, breakage, expected):
    doc = _good_doc()
    breakage(doc)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InstrumentError) as err:
        load_instrument_file(bad)
    assert str(bad) in str(err.value) and expected in str(err.value)


def test_user_instrument_folder_from_settings(tmp_path):
    folder = tmp_path / "mittarit"
    folder.mkdir()
    doc = _good_doc()
    doc["id"] = "oma_mittari"
    (folder / "oma.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    cfg = tmp_path / "osallisuus.yaml"
    cfg.write_text("paths:\n  instruments: [mittarit]\n", encoding="utf-8")
    settings = load_settings(cfg)
    assert "oma_mittari" in list_instruments(settings)
    assert load_instrument("oma_mittari", settings).scale.id == "arvio_4"


def test_scoring_rule_overridable_in_settings(tmp_path):
    cfg = tmp_path / "osallisuus.yaml"
    cfg.write_text("scoring:\n  osallisuusindikaattori: {min_answered: 10, percent_of_range: false}\n", encoding="utf-8")
    inst = load_instrument("osallisuusindikaattori", load_settings(cfg))
    assert inst.min_answered == 10 and not inst.percent_of_range
    default = load_instrument("osallisuusindikaattori")
    assert default.min_answered == 8 and default.percent_of_range


def test_participation_indicator_wording_as_sourced():
    # THL blog listing of about 2018, as recorded in shared/notes/instruments.md
    expected = [
        "Tunnen, että päivittäiset tekemiseni ovat merkityksellisiä.", "Saan myönteistä palautetta tekemisistäni.",
        "Kuulun itselleni tärkeään ryhmään tai yhteisöön.", "Olen tarpeellinen muille ihmisille.",
        "Pystyn vaikuttamaan oman elämäni kulkuun.", "Tunnen, että elämälläni on tarkoitus.",
        "Pystyn tavoittelemaan minulle tärkeitä asioita.", "Saan itse apua silloin, kun sitä todella tarvitsen.",
        "Koen, että minuun luotetaan.", "Pystyn vaikuttamaan joihinkin elinympäristöni asioihin."]
    assert [i.text["fi"] for i in load_instrument("osallisuusindikaattori").items] == expected


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_no_text_cut_short(name):
    # a comma inside an unquoted YAML flow mapping cuts a text short: compare lengths across languages
    for item in load_instrument(name).items:
        fi, en = item.text["fi"], item.text["en"]
        assert len(fi) >= 0.5 * len(en), (item.id, fi, en)


def test_yaml_alias_expansion_is_cut_in_the_message(tmp_path):
    bad = tmp_path / "alias.yaml"
    doc = yaml.safe_dump(_good_doc(), allow_unicode=True)
    doc = "big: &big [" + ", ".join(["sanasanasana"] * 500) + "]\n" + doc.replace("wording: seed", "wording: *big")
    bad.write_text(doc, encoding="utf-8")
    with pytest.raises(InstrumentError) as err:
        load_instrument_file(bad)
    assert str(bad) in str(err.value) and "characters)" in str(err.value) and len(str(err.value)) < 600


def test_a_bad_reliability_reference_is_a_clear_error():
    from osallisuus.instruments import parse_instrument
    text = {"fi": "x", "sv": "x", "en": "x"}
    doc = {"id": "t", "wording": "seed", "source": "s", "name": text, "scale": "palaute5",
           "items": [{"id": "a", "text": text}, {"id": "b", "text": text}], "reliability_reference": {"alpha": "0,89"}}
    with pytest.raises(InstrumentError, match=r"t.yaml: reliability_reference .*expected \{alpha: 0.89, n: 847\}"):
        parse_instrument(doc, "t.yaml")
    doc["reliability_reference"] = {"alpha": 0.89, "n": 847}
    assert parse_instrument(doc, "t.yaml").reliability_reference == {"alpha": 0.89, "n": 847}


def test_the_participants_sentences_are_plain_finnish_without_participles():
    """Selkokieli (the plain-language guidance the seeds stress): a reader of the participants'
    page got 'koki voivansa', 'koki saaneensa', 'koki ryhmän toimivaksi', participle and
    translative forms that plain Finnish avoids. Each sentence is now 'koki, että …'."""
    import re
    participle = re.compile(r"\b\w+(?:[vn]ansa|[vn]änsä|neensa|neensä|vaksi|väksi)\b")
    sentences = [(name, p["text"]["fi"]) for name in BUILT_IN
                 for p in (load_instrument(name).extra.get("report") or {}).get("plain", [])]
    assert len(sentences) >= 4
    for name, text in sentences:
        assert not participle.search(text), (name, text)
        assert "koki, että" in text, (name, text)
