"""One exception hierarchy for everything the user can get wrong.

The CLI and the web app turn these into one-line messages (and exit code 2 / HTTP 400);
nothing else in the package catches them.
"""

from __future__ import annotations


class SpeerpuntError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """``file:row: column 'col': message`` with the parts that are known."""
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class DataError(SpeerpuntError):
    """Input data is malformed (reader or validation)."""


class ClassificationError(SpeerpuntError):
    """Unknown code, scheme or a classification break in the way."""


class MeasureError(SpeerpuntError):
    """A measure was asked for something the panel cannot give (absent region, year, variable)."""


class ConfigError(SpeerpuntError):
    """A configuration file (screening YAML, policy sectors) is invalid."""


class RegistryError(SpeerpuntError):
    """Registry import/edit problems."""
