import pytest

from osallisuus.privacy import redact, safe_quote


@pytest.mark.parametrize("text, expected", [
    ("Soita 040 123 4567", "Soita [puhelinnumero]"),
    ("numero +358 50 765 4321.", "numero [puhelinnumero]."),
    ("maija.meikalainen@example.fi kiitos", "[sähköposti] kiitos"),
    ("Ohjaaja Maija Meikäläinen oli hyvä", "Ohjaaja [nimi] oli hyvä"),
    ("hetu 131052-308T", "hetu [henkilötunnus]"),
    ("asun Koulukatu 5 B 12", "asun [osoite]"),
    ("Ryhmässä oli 12 henkeä vuonna 2026.", "Ryhmässä oli 12 henkeä vuonna 2026."),   # numbers that are not data stay
])
def test_redact_finnish(text, expected):
    assert redact(text, "fi") == expected


def test_markers_follow_language_and_html_is_escaped():
    assert redact("Matti soitti", "en") == "[name] soitti"
    assert safe_quote("<script>alert(1)</script> Matti", "fi") == "&lt;script&gt;alert(1)&lt;/script&gt; [nimi]"
