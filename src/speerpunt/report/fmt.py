"""Number formatting for reports: the project's one formatter, :mod:`speerpunt.i18n.numbers`.

>>> fmt_number(35991, "nl"), fmt_percent(0.054, "nl")
('35.991', '5,4%')
"""

from speerpunt.i18n.numbers import (
    KINDS,
    NA,
    fmt_index,
    fmt_measure,
    fmt_number,
    fmt_percent,
    fmt_value,
    locale_for,
)

__all__ = [
    "KINDS",
    "NA",
    "fmt_index",
    "fmt_measure",
    "fmt_number",
    "fmt_percent",
    "fmt_value",
    "locale_for",
]
