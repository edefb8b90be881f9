"""Readers and writers: every file enters and leaves the package here.

``read_panel`` reads CSV/TXT (long or wide), XLSX, Parquet, Eurostat bulk TSV and SDMX-CSV, or an
embedded dataset by name, validates it at the boundary and returns a :class:`speerpunt.panel.Panel`.
"""

from speerpunt.io.read import check_file, inspect_file, read_panel
from speerpunt.io.summary import ReadSummary
from speerpunt.io.validate import require_reference, validate_parts
from speerpunt.io.write import write_csv, write_parquet, write_xlsx

__all__ = [
    "ReadSummary",
    "check_file",
    "inspect_file",
    "read_panel",
    "require_reference",
    "validate_parts",
    "write_csv",
    "write_parquet",
    "write_xlsx",
]
