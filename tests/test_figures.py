"""Figures: bar geometry equals hand-computed shares; small groups and Finnish labels stay out."""
import numpy as np
import pandas as pd
import pytest

from osallisuus.figures import alt_text, figure_html, likert_bars, region_comparison, trajectory
from osallisuus.suppression import Suppression
from tests.conftest import answers


def _data():
    # clients: 4, 4, 3, 2, 9(EOS) on arvio_4 "suunnittelu"; professionals 3 people (small group)
    rows = [{"respondent_id": f"c{i}", "instrument": "arvio_4", "item": "suunnittelu", "value": v, "missing": v == 9,
             "role": "client"} for i, v in enumerate([4, 4, 3, 2, 9])]
    rows += [{"respondent_id": f"p{i}", "instrument": "arvio_4", "item": "suunnittelu", "value": 1, "role": "professional"}
             for i in range(3)]
    return answers(rows)


def test_bar_widths_are_shares_of_valid_answers_and_missing_is_beside():
    ax = likert_bars(_data(), "arvio_4", by="role", suppression=Suppression(4))
    widths = sorted(round(p.get_width(), 4) for p in ax.patches if p.get_width() > 0)
    # valid answers 4, 4, 3, 2 -> erittäin hyvin 2/4, melko hyvin 1/4, melko huonosti 1/4; EOS 1/5 of all
    assert widths == sorted([0.5, 0.25, 0.25, 0.2])
    stack_right = max(p.get_x() + p.get_width() for p in ax.patches if p.get_facecolor()[:3] != (0.62, 0.62, 0.62))
    grey = [p for p in ax.patches if np.allclose(p.get_facecolor()[:3], (0x9e / 255,) * 3)]
    assert grey and all(p.get_x() > 0 for p in grey)            # not centred: to the right of the stack
    # the neutral point: negative share (melko huonosti) left of zero
    assert min(p.get_x() for p in ax.patches) == pytest.approx(-0.25)


def test_small_group_left_out_of_figure_labels_and_alt_text():
    ax = likert_bars(_data(), "arvio_4", by="role", suppression=Suppression(5), lang="fi")
    labels = " ".join(t.get_text() for t in ax.get_yticklabels())
    assert "Asiakkaat" not in labels  # 4 valid answers < 5: also left out
    ax = likert_bars(_data(), "arvio_4", by="role", suppression=Suppression(4), lang="fi")
    labels = " ".join(t.get_text() for t in ax.get_yticklabels())
    assert "Asiakkaat" in labels and "Ammattilaiset" not in labels
    assert "Ammattilaiset" not in alt_text(ax) and "alle 4" in alt_text(ax)
    notes = " ".join(t.get_text() for t in ax.figure.texts)
    assert "alle 4" in notes


def test_swedish_labels_have_no_finnish():
    ax = likert_bars(_data(), "arvio_4", lang="sv")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Mycket bra" in legend and "Kan inte säga" in legend
    assert not any(w in " ".join(legend) + alt_text(ax) for w in ("Erittäin", "Melko", "En osaa sanoa"))


def test_trajectory_and_region_comparison_alt_text():
    summ = pd.DataFrame({"phase": ["baseline", "final", "baseline", "final"], "role": ["client"] * 2 + ["professional"] * 2,
                         "n": [20, 18, 3, 4], "mean": [60.0, 70.0, 50.0, 55.0], "ci_low": [55, 65, 40, 45],
                         "ci_high": [65, 75, 60, 65], "suppressed": [False, False, True, True]})
    ax = trajectory(summ, lang="en", suppression=Suppression(5))
    assert "Clients" in alt_text(ax) and "Professionals" not in alt_text(ax) and "70.0" in alt_text(ax)
    table = pd.DataFrame({"region": ["Lappi", "Keski-Suomi"], "mean": [70.1, 75.3], "ci_low": [66, 71],
                          "ci_high": [74, 79], "n": [50, 70]})
    ax = region_comparison(table, lang="fi", highlight="Lappi", reference=(75.2, "FinSote 2019"))
    assert alt_text(ax).index("Keski-Suomi") < alt_text(ax).index("Lappi") and "75,2" in alt_text(ax)
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Lappi"]
    html = figure_html(ax, "Kuvio 1. Testi")
    assert html.startswith('<figure><img src="data:image/png;base64,') and 'alt="Pistekuvio' in html
