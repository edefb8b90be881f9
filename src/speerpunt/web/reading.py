"""The upload's read summary in the page's language: :mod:`speerpunt.i18n.reading` (shared with the CLI)."""

from __future__ import annotations

from speerpunt.i18n.reading import reading_text, translated, warnings_in

__all__ = ["reading_text", "translated", "warnings_in"]
