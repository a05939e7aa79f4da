"""osallisuus: evaluate client participation (osallisuus) and co-development in social
and health services, the way THL does.

The public API::

    import osallisuus
    report = osallisuus.validate("data/example")          # every row accepted or quarantined
    data = report.data
    osallisuus.likert_table(data, "arvio_4")                # Taulukko 3 style table
    osallisuus.score(data, "osallisuusindikaattori")       # scores per respondent (0-100)
    osallisuus.compare_groups(data, "kehittajaryhma_palaute")
    osallisuus.run_reports()                               # every region's report
"""
__version__ = "0.1.0"

from ._deferred import defer_rfc3987_syntax  # noqa: E402

defer_rfc3987_syntax()   # 1.25 s that every process reading a notebook paid for an unused format check

from .errors import (ExportError, InputFileError, InstrumentError, MappingError, OsallisuusError,  # noqa: E402
                     ReportError, SettingsError, SmallRegionError)
from .instruments import Instrument, list_instruments, load_instrument, load_instrument_file  # noqa: E402
from .model import to_long, to_wide  # noqa: E402
from .validation import read_survey  # noqa: E402  (survey.py does not import validation: no cycle)
from .regions import list_regions, resolve_region  # noqa: E402
from .scoring import item_matrix  # noqa: E402
from .settings import Settings, load_settings  # noqa: E402
from .survey import load_mapping, read_table  # noqa: E402
from .suppression import Suppression  # noqa: E402
from .tables import likert_display  # noqa: E402
# the verbs a notebook uses accept the canonical long form as well as validated data
from .interactive import (compare, crosstab, filter_answers, find_instrument, item_id, likert_table, plot,  # noqa: E402
                          prepare, score, selection_vs_rest, to_excel)
from .validation import ValidationReport, validate  # noqa: E402


def __getattr__(name):
    # heavier parts (statistics, figures, reports) load on first use, so `import osallisuus`
    # and the CLI stay quick
    lazy = {
        "cronbach_alpha": "reliability", "item_statistics": "reliability", "reliability": "reliability",
        "compare_groups": "compare", "compare_many": "compare", "change_between": "change", "phase_summary": "change",
        "ordinal_model": "change", "likert_bars": "figures", "trajectory": "figures",
        "region_comparison": "figures", "findings": "findings", "RegionReport": "report",
        "run_reports": "batch", "redact": "privacy", "generate_example": "example",
        "adjust_family": "multiplicity", "default_family": "multiplicity",
        "partially_overlapping_t": "change", "format_number": "numbers", "format_p": "numbers",
        "init_project": "project", "list_notebooks": "project", "load_data": "project", "language": "project", "suppression_rule": "project", "evaluation_plan": "project", "output_path": "project", "response_rates": "project",
        "explorer": "interactive", "respondents": "interactive", "reportable": "interactive", "change_shown": "interactive", "linkage": "interactive",
        "linked_flow": "flow", "flow_figure": "flow", "alt_text": "figures", "pick_instrument": "interactive",
        "pick_item": "interactive", "show": "interactive", "show_table": "interactive", "show_likert": "interactive", "region_outcomes": "sidebyside",
        "plot_region_outcomes": "sidebyside", "load_codebook": "freetext", "free_texts": "freetext",
        "code_themes": "freetext", "theme_counts": "freetext", "theme_quotes": "freetext",
        "instrument_items": "methods", "methods_paragraph": "methods", "write_bib": "methods",
        "questionnaire_section": "methods", "references_section": "methods",
        "thesis_document": "methods", "export_document": "methods", "bib_entry": "methods",
    }
    if name in lazy:
        import importlib
        module = importlib.import_module(f".{lazy[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'osallisuus' has no attribute {name!r}")


__all__ = [
    "__version__", "OsallisuusError", "InputFileError", "InstrumentError", "MappingError", "ReportError", "SmallRegionError",
    "SettingsError", "ExportError", "Instrument", "list_instruments", "load_instrument", "load_instrument_file",
    "to_long", "to_wide", "list_regions", "resolve_region", "item_matrix", "score", "Settings", "load_settings",
    "load_mapping", "read_survey", "read_table", "Suppression", "likert_table", "likert_display",
    "ValidationReport", "validate", "cronbach_alpha", "item_statistics", "reliability", "compare_groups", "compare_many",
    "change_between", "phase_summary", "ordinal_model", "likert_bars", "trajectory", "region_comparison",
    "findings", "RegionReport", "run_reports", "redact", "generate_example", "adjust_family", "default_family",
    "partially_overlapping_t", "format_number", "format_p",
    "prepare", "find_instrument", "item_id", "filter_answers", "crosstab", "compare", "selection_vs_rest", "plot",
    "to_excel", "init_project", "list_notebooks", "region_outcomes", "plot_region_outcomes", "load_codebook",
    "free_texts", "code_themes", "theme_counts", "theme_quotes", "instrument_items", "methods_paragraph",
    "write_bib", "questionnaire_section", "references_section", "thesis_document", "export_document", "bib_entry",
    "load_data", "language", "suppression_rule", "evaluation_plan", "output_path", "explorer", "respondents", "reportable", "change_shown", "linkage", "linked_flow", "flow_figure", "alt_text", "pick_instrument", "pick_item",
    "show", "show_table", "show_likert", "response_rates",
]
