"""Batch production of region reports: runner, warm kernels, output names, index page."""
from __future__ import annotations

from .index import write_index
from .kernel import WarmKernel
from .outputs import output_names, report_notebook
from .runner import (BatchResult, RegionResult, RegionTask, batch_summary, regions_in_data, render_region,
                     resolve_regions, result_dict, run_reports)

__all__ = ["BatchResult", "RegionResult", "RegionTask", "WarmKernel", "batch_summary", "output_names",
           "regions_in_data", "render_region", "report_notebook", "resolve_regions", "result_dict", "run_reports",
           "write_index"]
