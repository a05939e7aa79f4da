"""Typed exceptions raised by osallisuus.

Every error a user can cause (a bad file, an unknown instrument, a broken
setting) is one of these, so the CLI can print a clear message instead of a
traceback.
"""
from __future__ import annotations


class OsallisuusError(Exception):
    """Base class of every error osallisuus raises on purpose."""


class SettingsError(OsallisuusError):
    """The project settings file is missing a key or has a bad value."""


class InstrumentError(OsallisuusError):
    """An instrument is unknown or its YAML file does not pass the schema check."""


class MappingError(OsallisuusError):
    """A survey-export mapping file is malformed or names a missing column."""


class InputFileError(OsallisuusError):
    """An input file cannot be used at all (missing, empty, unreadable, wrong columns).

    Parameters
    ----------
    path : str
        The file that could not be used.
    message : str
        What is wrong and what was expected.
    """

    def __init__(self, path, message: str, key: str | None = None, params: dict | None = None):
        self.path = str(path)
        # the translation key and fields of the message (see osallisuus.i18n.file_error), if any
        self.key, self.params = key, dict(params or {})
        super().__init__(f"{self.path}: {message}")


class ExportError(OsallisuusError):
    """A report could not be exported to HTML or PDF."""


class ReportError(OsallisuusError):
    """A region report could not be produced."""


class SmallRegionError(ReportError):
    """Every group of the region is under the suppression threshold: no report may be published
    (a privacy outcome, not a fault; the batch gives the region a notice instead)."""


class PlanError(OsallisuusError):
    """An evaluation plan file is malformed or names an unknown phase, role or instrument."""


class NumberFormatError(OsallisuusError, ValueError):
    """A value cannot be shown as a number (not numeric, not finite, or an unknown language)."""


class FamilyError(OsallisuusError, ValueError):
    """A table of tests does not declare its multiplicity family correctly."""


class LinkedGroupsError(OsallisuusError, ValueError):
    """Two groups compared as independent samples share respondents (e.g. phases of linked respondents)."""


class PrivacyError(OsallisuusError):
    """Personal data cannot be redacted safely (e.g. the morphological analyser is missing)."""


class ThresholdError(OsallisuusError, ValueError):
    """A suppression threshold given as a parameter is below what may be published (at least 3)."""


class OutputPathError(OsallisuusError):
    """An output file would be written where it must not be (over an input, under a file)."""
