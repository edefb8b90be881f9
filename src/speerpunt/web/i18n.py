"""The web's words come from the project's gettext catalogue (:mod:`speerpunt.i18n`); the language is
``?lang=`` (remembered in a cookie), else the cookie, else the browser's Accept-Language, else Dutch.

>>> translate("nl", "login")
'Aanmelden'
"""

from speerpunt.i18n import gettext as translate
from speerpunt.i18n import pick_lang

__all__ = ["pick_lang", "translate"]
