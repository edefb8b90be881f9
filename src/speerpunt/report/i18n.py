"""Report wording: the project's gettext catalogue (:mod:`speerpunt.i18n`) with the report's argument order.

>>> t("toc", "nl"), t("lq_end", "en", year=2018)
('Inhoud', 'LQ 2018')
"""

from __future__ import annotations

from speerpunt.i18n import gettext, region_name, sector_code, sector_name, sector_tag

__all__ = ["region_name", "sector_code", "sector_name", "sector_tag", "t"]


def t(key: str, lang: str, **fields: object) -> str:
    """The text for ``key`` in ``lang`` with ``fields`` filled in (the key itself when it is unknown)."""
    return gettext(lang, key, **fields)
