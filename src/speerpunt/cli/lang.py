"""The language of the command line's own messages (errors, the read summary), from the one catalogue.

``speerpunt --lang nl …`` (before the command), else ``SPEERPUNT_LANG``, else the locale of the terminal
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``nl_BE.UTF-8`` → ``nl``), else English. A command's own
``--lang`` (``report --lang nl``) chooses the language of what it writes, independently.

>>> import os; saved = os.environ.get("SPEERPUNT_LANG"); os.environ["SPEERPUNT_LANG"] = "nl"
>>> cli_lang()
'nl'
>>> _ = os.environ.pop("SPEERPUNT_LANG") if saved is None else os.environ.update(SPEERPUNT_LANG=saved)
>>> split_lang(["--lang", "en", "inspect", "f.csv"])
('en', ['inspect', 'f.csv'])
"""

from __future__ import annotations

import os

from speerpunt.i18n import available

ENV = "SPEERPUNT_LANG"


def cli_lang() -> str:
    """The language for CLI messages (see the module)."""
    langs = available()
    for var in (ENV, "LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(var, "")[:2].lower()
        if code in langs:
            return code
    return "en"


def split_lang(argv: list[str]) -> tuple[str | None, list[str]]:
    """A leading ``--lang XX`` / ``--lang=XX`` taken off the arguments (the command's own stays)."""
    if argv[:1] == ["--lang"] and len(argv) > 1:
        return argv[1], argv[2:]
    if argv[:1] and argv[0].startswith("--lang="):
        return argv[0].split("=", 1)[1], argv[1:]
    return None, argv
