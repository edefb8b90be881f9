"""The screening rule in the user's language: shown with the criteria's labels and the language's keywords,
and read back from either language (``belangrijk of (gespecialiseerd en groeiend)`` is
``important or (specialised and growing)``).

A label of several words is written with underscores (``regionale_groei``), so a rule stays one token per
criterion for :func:`speerpunt.screening.expr.parse_rule`.

>>> crit = {"important": {"label": {"nl": "Belangrijk", "en": "Important"}},
...         "growing": {"label": {"nl": "Regionale groei"}}}
>>> show_rule("important or not growing", crit, "nl")
'belangrijk of niet regionale_groei'
>>> read_rule("Belangrijk OF niet regionale_groei", crit)
'important or not growing'
"""

from __future__ import annotations

import re

from speerpunt.i18n import gettext

KEYWORDS = ("and", "or", "not")
_WORD = re.compile(r"[^\W\d][\w-]*|\S", re.UNICODE)


def _token(label: str) -> str:
    return "_".join(label.lower().split())


def show_rule(rule: str, criteria: dict, lang: str) -> str:
    """``rule`` (criterion names, English keywords) with ``lang``'s labels and keywords."""
    words = {k: gettext(lang, f"rule_{k}") for k in KEYWORDS}
    for name, spec in criteria.items():
        label = (spec.get("label") or {}).get(lang)
        words[name] = _token(label) if label else name
    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: words.get(m.group(0), m.group(0)), rule)


def read_rule(text: str, criteria: dict) -> str:
    """A rule typed with names or labels in any language, and keywords in any catalogue language, as the
    canonical rule (criterion names, ``and``/``or``/``not``); unknown words are left for the parser to
    report."""
    from speerpunt.i18n import available

    words: dict[str, str] = {}
    for lang in available():
        for k in KEYWORDS:
            words[gettext(lang, f"rule_{k}").lower()] = k
    for name, spec in criteria.items():
        for label in (spec.get("label") or {}).values():
            words[_token(str(label))] = name
        words[name.lower()] = name
    tokens = [words.get(tok.lower(), tok) for tok in _WORD.findall(text)]
    return re.sub(r"\( | \)", lambda m: m.group(0).strip(), " ".join(tokens))
