"""Strict settings: types and ranges from the defaults, unknown keys with a suggestion, no traceback."""
import subprocess
import sys

import pytest
import yaml

from osallisuus.errors import SettingsError
from osallisuus.settings import check_settings, load_settings, package_data


def _load(tmp_path, text):
    cfg = tmp_path / "osallisuus.yaml"
    cfg.write_text(text, encoding="utf-8")
    return load_settings(cfg)


@pytest.mark.parametrize("text, words", [
    ("suppression:\n  threshold: yes\n", ["suppression.threshold", "'yes'", "whole number"]),
    ("suppression:\n  threshold: true\n", ["suppression.threshold", "True", "whole number"]),
    ("suppression:\n  threshold: 2\n", ["suppression.threshold", "2", ">= 3"]),
    ("suppression:\n  threshold: 5.5\n", ["suppression.threshold", "5.5", "whole number"]),
    ("suppression:\n  threshold: '5'\n", ["suppression.threshold", "'5'", "whole number"]),
    ("suppression:\n  small_counts: yes\n", ["suppression.small_counts", "'yes'", "true or false"]),
    ("suppression:\n  small_counts: 1\n", ["suppression.small_counts", "1", "true or false"]),
    ("language: de\n", ["language", "'de'", "fi, sv, en"]),
    ("suppresion:\n  threshold: 5\n", ["unknown key 'suppresion'", "did you mean 'suppression'"]),
    ("suppression:\n  treshold: 5\n", ["unknown key 'suppression.treshold'", "did you mean 'suppression.threshold'"]),
    ("paths:\n  raports: out\n", ["unknown key 'paths.raports'", "did you mean 'paths.reports'"]),
    ("paths:\n  reports: [a, b]\n", ["paths.reports", "is not text"]),
])
def test_bad_settings_are_rejected_with_key_value_and_expectation(tmp_path, text, words):
    with pytest.raises(SettingsError) as err:
        _load(tmp_path, text)
    message = str(err.value)
    assert str(tmp_path / "osallisuus.yaml") in message
    for w in words:
        assert w in message, message


def test_good_settings_load(tmp_path):
    s = _load(tmp_path, "language: sv\nsuppression:\n  threshold: 3\n  small_counts: true\n"
                        "paths:\n  instruments: mittarit\nscoring:\n  oma: {min_answered: 4}\n")
    assert (s.language, s.suppression_threshold, s.suppress_small_counts) == ("sv", 3, True)
    assert s.path("reports") == tmp_path / "reports" and s.instrument_dirs == [tmp_path / "mittarit"]
    assert s.scoring_override("oma") == {"min_answered": 4}


def test_every_key_of_the_defaults_is_valid():
    # the schema is the defaults file itself: each of its keys, written back, passes
    defaults = yaml.safe_load(package_data("defaults.yaml").read_text(encoding="utf-8"))
    assert check_settings(defaults, defaults) == []
    assert check_settings({"paths": {k: v for k, v in defaults["paths"].items()}}, defaults) == []


def test_the_projects_own_settings_file_is_valid():
    assert load_settings().suppression_threshold >= 3


def test_cli_reports_a_bad_setting_without_traceback(tmp_path):
    cfg = tmp_path / "osallisuus.yaml"
    cfg.write_text("suppression:\n  threshold: yes\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "osallisuus", "--config", str(cfg), "instruments"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr and "suppression.threshold" in res.stderr


def test_figure_format_is_svg_by_default_png_on_request_and_checked(tmp_path):
    assert load_settings().figure_format == "svg"
    assert _load(tmp_path, "figures:\n  format: png\n").figure_format == "png"
    with pytest.raises(SettingsError, match=r"figures\.format: 'gif': expected one of svg, png"):
        _load(tmp_path, "figures:\n  format: gif\n")
