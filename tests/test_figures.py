"""Figures: bar geometry equals hand-computed shares; small groups and Finnish labels stay out."""
import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from osallisuus.figures import (MISSING_COLOUR, alt_text, figure_image, figure_values, is_empty,  # noqa: E402
                                likert_bars, region_comparison, trajectory)
from osallisuus.instruments import load_instrument  # noqa: E402
from osallisuus.suppression import Suppression  # noqa: E402

ROLES = ["client", "professional", "manager", "organisation", "other"]


def _frame(answers: list[tuple]) -> pd.DataFrame:
    """Validated answers by hand: (respondent_id, role, instrument, item, code); code 9 = En osaa sanoa."""
    rows = [{"respondent_id": rid, "region": "Lappi", "phase": "final", "role": role, "instrument": inst,
             "item": item, "value": str(code), "group": "", "date": pd.NaT, "text": "", "code": float(code),
             "missing_code": code == 9, "source_file": "test.csv", "source_row": n}
            for n, (rid, role, inst, item, code) in enumerate(answers, start=2)]
    frame = pd.DataFrame(rows)
    for c in ("region", "instrument", "item"):
        frame[c] = frame[c].astype("category")
    frame["phase"] = pd.Categorical(frame["phase"], ["baseline", "interim", "final"], ordered=True)
    frame["role"] = pd.Categorical(frame["role"], ROLES, ordered=True)
    return frame


# arvio_4 (4 = erittäin hyvin ... 1 = erittäin huonosti, 9 = en osaa sanoa).
# Clients, 9 people, "suunnittelu": 4 4 4 3 3 3 2 1 EOS -> of 8 valid: 1: 1/8, 2: 1/8, 3: 3/8, 4: 3/8;
# EOS 1/9 of all answers. "resursointi": 4 x 5, 3 x 4 -> 4/9 and 5/9 (no negative answers).
# Professionals: 3 people only (below the threshold 5).
CLIENT_SUUNN = [4, 4, 4, 3, 3, 3, 2, 1, 9]
DATA = _frame([(f"c{i}", "client", "arvio_4", "suunnittelu", v) for i, v in enumerate(CLIENT_SUUNN)]
              + [(f"c{i}", "client", "arvio_4", "resursointi", v) for i, v in enumerate([4] * 4 + [3] * 5)]
              + [(f"p{i}", "professional", "arvio_4", item, 1) for i in range(3)
                 for item in ("suunnittelu", "resursointi")])
FI_LABELS = load_instrument("arvio_4").scale.labels("fi")


def _stack(ax):
    """Diverging segments (not the grey missing-category bars) grouped by bar (y)."""
    segs = [p for p in ax.patches if not np.allclose(p.get_facecolor()[:3], matplotlib.colors.to_rgb(MISSING_COLOUR))]
    bars = {}
    for p in segs:
        bars.setdefault(round(p.get_y() + p.get_height() / 2, 6), []).append(p)
    return {y: sorted(ps, key=lambda p: p.get_x()) for y, ps in bars.items()}


def _missing(ax):
    return [p for p in ax.patches if np.allclose(p.get_facecolor()[:3], matplotlib.colors.to_rgb(MISSING_COLOUR))]


def _all_text(ax) -> str:
    texts = [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels() + ax.texts + ax.figure.texts]
    if ax.get_legend():
        texts += [t.get_text() for t in ax.get_legend().get_texts()]
    return " ".join(texts + [ax.get_xlabel(), ax.get_ylabel()])


def test_likert_bars_widths_are_hand_computed_shares():
    ax = likert_bars(DATA, "arvio_4", by="role", suppression=Suppression(5, small_counts=False))
    assert isinstance(ax, plt.Axes)
    bars = list(_stack(ax).values())          # first item at the top: sort by y does not matter here
    by_width = {tuple(round(p.get_width(), 6) for p in ps): ps for ps in bars}
    suunn = by_width[(0.125, 0.125, 0.375, 0.375)]        # code 1, 2, 3, 4 left to right
    resurs = by_width[(round(5 / 9, 6), round(4 / 9, 6))]
    # even scale: centred between the two middle categories -> negatives end exactly at 0
    assert suunn[0].get_x() == pytest.approx(-0.25)
    assert suunn[2].get_x() == pytest.approx(0.0)
    assert resurs[0].get_x() == pytest.approx(0.0)
    stack_right = max(p.get_x() + p.get_width() for ps in bars for p in ps)
    missing = _missing(ax)
    assert sorted(round(p.get_width(), 6) for p in missing) == [0.0, round(1 / 9, 6)]
    assert all(p.get_x() > stack_right for p in missing)  # beside the stack, not part of it
    plt.close(ax.figure)


def test_odd_scale_splits_the_neutral_category():
    # palaute5: 5 4 4 3 3 2 -> 2: 1/6, 3: 2/6, 4: 2/6, 5: 1/6; neutral split half/half around 0
    data = _frame([(f"c{i}", "client", "kehittajaryhma_palaute", "kuulluksi", v) for i, v in enumerate([5, 4, 4, 3, 3, 2])])
    ax = likert_bars(data, "kehittajaryhma_palaute", suppression=Suppression(5, small_counts=False))
    (segs,) = _stack(ax).values()
    assert [round(p.get_width(), 6) for p in segs] == [round(x, 6) for x in (1 / 6, 2 / 6, 2 / 6, 1 / 6)]
    neutral = segs[1]
    assert neutral.get_x() + neutral.get_width() / 2 == pytest.approx(0.0)
    assert segs[0].get_x() == pytest.approx(-1 / 3)
    plt.close(ax.figure)


def test_small_role_is_left_out_everywhere_and_the_note_says_so():
    ax = likert_bars(DATA, "arvio_4", by="role", suppression=Suppression(5, small_counts=False), lang="fi")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["Asiakkaat", "Asiakkaat"]                    # one bar per item x shown group
    everything = _all_text(ax) + alt_text(ax)
    assert "Ammattilaiset" not in everything and "ammattila" not in everything.lower()
    assert len(_stack(ax)) == 2                                   # no bar drawn for them either
    note = "Ryhmiä, joissa on alle 5 vastausta, ei näytetä."
    assert note in _all_text(ax) and note in alt_text(ax)
    assert "3" not in note                                       # never how many were in it
    plt.close(ax.figure)


def test_alt_text_mentions_items_and_numbers():
    ax = likert_bars(DATA, "arvio_4", by="role", suppression=Suppression(5, small_counts=False), lang="fi")
    alt = alt_text(ax)
    assert "Suunnittelu" in alt and "Resursointi" in alt and "Asiakkaat" in alt
    assert "myönteisiä 75 %" in alt and "kielteisiä 25 %" in alt   # 6/8 and 2/8 of the clients
    assert "n = 8" in alt and "11 %" in alt                        # EOS 1/9
    plt.close(ax.figure)


def test_swedish_labels_have_no_finnish():
    ax = likert_bars(DATA, "arvio_4", by="role", lang="sv", suppression=Suppression(2))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == load_instrument("arvio_4").scale.labels("sv")   # display order, missing last
    assert "Klienter" in [t.get_text() for t in ax.get_yticklabels()]
    everything = _all_text(ax) + " " + alt_text(ax)
    assert not any(label in everything for label in FI_LABELS)
    assert not any(w in everything for w in ("Asiakkaat", "Ammattilaiset", "Suunnittelu", "Osuus"))
    plt.close(ax.figure)


def test_item_numbers_instead_of_wording():
    ax = likert_bars(DATA, "arvio_4", lang="en", suppression=Suppression(5, small_counts=False), item_labels=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Item 1", "Item 2"]
    assert "%" in ax.get_xticklabels()[0].get_text()
    plt.close(ax.figure)


def _phases_by_role(means=(60.0, 70.0), high=75) -> pd.DataFrame:
    """Clients' baseline and final means (their final interval up to ``high``); professionals 3
    (under 5) at baseline and suppressed at the end."""
    return pd.DataFrame({"phase": ["baseline", "final", "baseline", "final"], "role": ["client"] * 2 + ["professional"] * 2,
                         "n": [20, 18, 3, 12], "mean": [*means, 50.0, 55.0], "ci_low": [55, 65, 40, 45],
                         "ci_high": [65, high, 60, 65], "suppressed": [False, False, False, True]})


def test_trajectory_leaves_out_suppressed_rows():
    ax = trajectory(_phases_by_role(), lang="en", suppression=Suppression(5))
    alt = alt_text(ax)
    assert "Clients" in alt and "70.0" in alt and "Professionals" not in alt
    assert "fewer than 5" in alt and "fewer than 5" in _all_text(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Baseline", "Final"]
    plt.close(ax.figure)


def test_region_comparison_highlight_reference_and_decimal_comma():
    table = pd.DataFrame({"region": ["Lappi", "Keski-Suomi", "Kainuu"], "mean": [70.1, 75.3, 60.0],
                          "ci_low": [66, 71, 50], "ci_high": [74, 79, 70], "n": [50, 70, 4]})
    ax = region_comparison(table, lang="fi", highlight="Lappi", reference=(75.2, "FinSote 2019"),
                           suppression=Suppression(5))
    alt = alt_text(ax)
    assert alt.index("Keski-Suomi") < alt.index("Lappi") and "75,2" in alt and "70,1" in alt
    assert "Kainuu" not in alt and "Kainuu" not in _all_text(ax)           # n = 4 < 5
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Lappi"]                                              # emphasis not by colour only
    assert any("FinSote 2019 75,2" in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_figure_image_is_svg_with_text_as_text_and_generated_alt_and_closes_figure():
    import base64
    import xml.etree.ElementTree as ET
    ax = likert_bars(DATA, "arvio_4", suppression=Suppression(5, small_counts=False))
    fig = ax.figure
    mime, data, alt = figure_image(ax)
    assert mime == "image/svg+xml"
    svg = ET.fromstring(base64.b64decode(data))       # well-formed XML, parsed by the standard library
    texts = " ".join("".join(el.itertext()) for el in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "Suunnittelu" in texts                     # labels are <text>, not glyph outlines
    assert alt.startswith("Pinottu pylväskuvio") and "Suunnittelu" in alt
    assert not plt.fignum_exists(fig.number)
    again = figure_image(likert_bars(DATA, "arvio_4", suppression=Suppression(5, small_counts=False)))[1]
    assert again == data                              # no date or random ids: same figure, same bytes
    mime, data, _ = figure_image(likert_bars(DATA, "arvio_4", suppression=Suppression(5, small_counts=False)), fmt="png")
    assert mime == "image/png" and base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"


def test_bars_with_a_small_category_or_withheld_are_left_out():
    """Counts by hand: "suunnittelu" 5 x 4 and 5 x 3 (no count under 5) is drawn; "resursointi"
    5 x 4, 3 x 3, 2 x 2 has counts 3 and 2, which its shares and n would give back: left out."""
    data = _frame([(f"c{i}", "client", "arvio_4", "suunnittelu", v) for i, v in enumerate([4] * 5 + [3] * 5)]
                  + [(f"c{i}", "client", "arvio_4", "resursointi", v) for i, v in enumerate([4] * 5 + [3] * 3 + [2] * 2)])
    ax = likert_bars(data, "arvio_4", suppression=Suppression(5), lang="fi")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["Suunnittelu"] and len(_stack(ax)) == 1, ticks
    note = "pylväitä, joissa jossakin vastausvaihtoehdossa on alle 5 vastausta tai jotka antaisivat sellaisen luvun kokonaismäärästä vähentämällä, ei näytetä"
    assert note in _all_text(ax) and note in alt_text(ax) and "Resursointi" not in alt_text(ax)
    plt.close(ax.figure)
    ax = likert_bars(data, "arvio_4", suppression=Suppression(5), lang="fi", withhold={"suunnittelu"})
    assert len(_stack(ax)) == 0 and "Suunnittelu" not in alt_text(ax)
    plt.close(ax.figure)


def test_a_figure_with_every_bar_withheld_says_so_in_a_whole_sentence():
    """Every item has a category under 5 (counts by hand: 4 x 4, 3 x 3): nothing is drawn, the
    alt text is a sentence of its own (no "(0 kohtaa)", no empty list of groups) and the
    figure tells the report it is empty, so that the report can say why instead of showing it."""
    data = _frame([(f"c{i}", "client", "arvio_4", "suunnittelu", v) for i, v in enumerate([4] * 4 + [3] * 3)])
    ax = likert_bars(data, "arvio_4", by="role", suppression=Suppression(5), lang="fi")
    assert len(_stack(ax)) == 0 and is_empty(ax)
    alt = alt_text(ax)
    assert alt.startswith("Pinottu pylväskuvio: vastausten jakaumat, ") and "ei näytettäviä pylväitä." in alt
    assert "0 kohtaa" not in alt and "vertailtavina" not in alt
    plt.close(ax.figure)
    full = _frame([(f"c{i}", "client", "arvio_4", "suunnittelu", v) for i, v in enumerate([4] * 5 + [3] * 5)])
    ax = likert_bars(full, "arvio_4", by="role", suppression=Suppression(5), lang="fi")
    assert not is_empty(ax)
    plt.close(ax.figure)


def _label_svg(size: float) -> bytes:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_ylabel("Asiakkaan osallisuus", fontsize=size)
    return base64.b64decode(figure_image(ax, "svg")[1])


def test_svg_text_measurements_remembered_across_figures_give_the_same_figure():
    """A text measured once is not measured again in a later figure (matplotlib's own cache is per
    renderer, i.e. per figure); what is remembered must be keyed by everything that sizes the text:
    the same label at another size, drawn after it, must be cut to its own size."""
    from osallisuus import svg
    svg._METRICS.clear()
    cold_large = _label_svg(20)
    svg._METRICS.clear()
    small = _label_svg(8)
    assert any(key[0] == "Asiakkaan osallisuus" for key in svg._METRICS)
    warm_large = _label_svg(20)
    assert warm_large == cold_large
    assert _label_svg(8) == small
    size = re.compile(rb'width="([\d.]+)pt" height="([\d.]+)pt"')
    assert size.search(small).groups() != size.search(cold_large).groups()


def test_svg_measurements_follow_a_changed_font_list():
    """A notebook may point 'sans-serif' at another font between figures; a measurement
    remembered for the first font must not size the second figure (cold = warm)."""
    from osallisuus import svg
    mono = {"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans Mono"]}
    svg._METRICS.clear()
    with plt.rc_context(mono):
        cold = _label_svg(14)
    svg._METRICS.clear()
    with plt.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        plain = _label_svg(14)
    with plt.rc_context(mono):
        warm = _label_svg(14)
    assert warm == cold and warm != plain


def _text_places(svg: bytes) -> list[bytes]:
    return re.findall(rb'<text [^>]*transform="([^"]+)"', svg)


def test_svg_places_text_where_matplotlibs_own_svg_writer_does():
    """svg_bytes gives matplotlib the fonts' ascent, descent and line gap from a cache (it would
    read them from the font file for every text); the reference is matplotlib's own SVG writer
    (``savefig``, nothing remembered) on the same figure: every text, one-line and several-line,
    in three sizes and bold, must be placed at the same coordinates."""
    from osallisuus import svg
    svg._METRICS.clear()

    def drawn(own: bool) -> bytes:
        fig, ax = plt.subplots(figsize=(4, 3))
        for i, size in enumerate((7.5, 9, 14)):
            ax.text(0.1, 0.2 + 0.25 * i, f"Kohta {i}\nkaksi riviä\nja kolmas", fontsize=size,
                    fontweight="bold" if i == 1 else "normal", va="center")
        ax.set_ylabel("Yksi rivi", fontsize=8)
        if own:
            data = svg.svg_bytes(fig, 72)
        else:
            buf = io.BytesIO()
            with plt.rc_context({"svg.fonttype": "none"}):
                fig.savefig(buf, format="svg")
            data = buf.getvalue()
        plt.close(fig)
        return data

    reference = _text_places(drawn(own=False))
    assert len(reference) >= 3 * 3 + 1            # each line of each text, the label and the ticks
    cold, warm = drawn(own=True), drawn(own=True)   # measured, then remembered
    assert any(key[0] == "height" for key in svg._METRICS)
    assert _text_places(cold) == reference
    assert _text_places(warm) == reference


def test_likert_has_bars_says_without_drawing_what_the_figure_would_show():
    """The report asks :func:`likert_has_bars` before drawing; its answer must be the drawn
    figure's (hand-counted data of the tests above: every bar with a small category, one item with
    one, one withheld; the module's data, where each client item has a category under 5 and the
    3 professionals are a small group; and thresholds that show them)."""
    from osallisuus.figures import likert_has_bars
    small = _frame([(f"c{i}", "client", "arvio_4", "suunnittelu", v) for i, v in enumerate([4] * 4 + [3] * 3)])
    mixed = _frame([(f"c{i}", "client", "arvio_4", "suunnittelu", v) for i, v in enumerate([4] * 5 + [3] * 5)]
                   + [(f"c{i}", "client", "arvio_4", "resursointi", v) for i, v in enumerate([4] * 5 + [3] * 3 + [2] * 2)])
    cases = [(small, {}, Suppression(5), False), (small, {}, Suppression(1), True), (mixed, {}, Suppression(5), True),
             (mixed, {"withhold": {"suunnittelu"}}, Suppression(5), False), (DATA, {}, Suppression(5), False),
             (DATA, {}, Suppression(5, small_counts=False), True), (DATA, {}, Suppression(1), True),
             (DATA[DATA["role"] == "professional"], {}, Suppression(5, small_counts=False), False)]
    for data, extra, sup, expected in cases:
        for by in (None, "role"):
            ax = likert_bars(data, "arvio_4", by=by, suppression=sup, **extra)
            drawn = not is_empty(ax)
            assert likert_has_bars(data, "arvio_4", by=by, suppression=sup, **extra) == drawn == expected, (sup, by)
            plt.close(ax.figure)


def test_the_likert_figures_numbers_as_a_table_are_the_hand_computed_shares():
    """A page gives the drawn numbers as a table under the figure (WCAG 1.1.1): each category's
    share of the valid answers in the scale's order, the missing category's share of all answers,
    n; the professionals' three answers are in no row, as in no bar."""
    ax = likert_bars(DATA, "arvio_4", by="role", suppression=Suppression(5, small_counts=False), lang="fi")
    values = figure_values(ax)
    inst = load_instrument("arvio_4")
    assert values["columns"][:2] == ["Kysymys", "Rooli"] and values["columns"][-1] == "n"
    assert values["columns"][2:6] == [p.label["fi"] for p in inst.scale.points]    # 4 = erittäin hyvin first
    assert values["row_headers"] == 2 and len(values["rows"]) == 2
    # suunnittelu, clients: 4: 3/8 = 37,5 -> 38 % (half up), 3: 3/8, 2: 1/8 = 12,5 -> 13 %, 1: 1/8; EOS 1/9 = 11 %
    assert values["rows"][0][1:] == ["Asiakkaat", "38\u00a0%", "38\u00a0%", "13\u00a0%", "13\u00a0%", "11\u00a0%", "8"]
    # resursointi: 4: 4/9 = 44 %, 3: 5/9 = 56 %, no negative answers, no EOS
    assert values["rows"][1][1:] == ["Asiakkaat", "44\u00a0%", "56\u00a0%", "0\u00a0%", "0\u00a0%", "0\u00a0%", "9"]
    assert "Ammattilaiset" not in str(values)
    short = alt_text(ax, short=True)
    assert len(short) < len(alt_text(ax)) and "%" not in short and "alle 5" in short   # the note stays in it
    plt.close(ax.figure)


def test_the_trajectory_and_region_figures_numbers_as_tables():
    ax = trajectory(_phases_by_role((60.04, 70.05), high=75.25), lang="en", suppression=Suppression(5))
    assert figure_values(ax) == {"columns": ["Role", "Phase", "Mean", "95% confidence interval"], "row_headers": 2,
                                 "rows": [["Clients", "Baseline", "60.0", "55.0–65.0"],
                                          ["Clients", "Final", "70.1", "65.0–75.3"]]}   # half up: 70.05, 75.25
    plt.close(ax.figure)
    table = pd.DataFrame({"region": ["A", "B", "C"], "mean": [64.15, 70.0, 50.0], "ci_low": [60.0, np.nan, 40.0],
                          "ci_high": [68.0, np.nan, 60.0], "n": [51, 1234, 4]})
    ax = region_comparison(table, lang="fi", highlight="A", reference=75.2, suppression=Suppression(5))
    assert figure_values(ax)["rows"] == [["B", "70,0", "–", "1234"], ["A", "64,2", "60,0–68,0", "51"]]  # C: n 4
    short = alt_text(ax, short=True)
    assert "Korostettuna A" in short and "75,2" in short and "64,2" not in short
    plt.close(ax.figure)


def test_a_figure_of_nothing_has_no_table():
    ax = likert_bars(DATA[DATA["role"] == "professional"], "arvio_4", suppression=Suppression(5), lang="fi")
    assert is_empty(ax) and figure_values(ax) is None
    plt.close(ax.figure)


def test_likert_counts_on_category_codes_equal_pandas_counts():
    """The figures count answers on the columns' category codes, combined into one key per
    (item, group, answer). pandas keeps a categorical's codes as int8, and int8 codes multiplied
    into such keys wrap around past 127 (a refactor did so and lost a figure): every count of the
    example's validated data, per instrument and role, must equal pandas' own crosstab."""
    from pathlib import Path
    from osallisuus import validate
    from osallisuus.figures import _likert_tally
    from osallisuus.instruments import list_instruments
    data = validate(Path(__file__).resolve().parents[1] / "data" / "example").data
    assert isinstance(data["item"].dtype, pd.CategoricalDtype) and data["item"].cat.codes.dtype == np.int8
    for name in list_instruments():
        inst = load_instrument(name)
        rows = data[(data["instrument"] == inst.id) & data["item"].isin(inst.rated_items) & data["code"].notna()]
        if rows.empty:
            continue
        tally, _ = _likert_tally(data, inst, "role")
        got = {(item, group, value): n for (item, group), counts in tally.items() for value, n in counts.items()}
        expected = rows.groupby(["item", "role", "code"], observed=True).size()
        assert got == {(str(i), str(g), float(v)): int(n) for (i, g, v), n in expected.items()}, name
