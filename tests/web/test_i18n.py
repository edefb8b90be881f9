"""One presentation layer: complete gettext catalogues, every key the code asks for defined, one number
formatter in the study's conventions, a new language that falls back to English."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import speerpunt.i18n.catalog as catalog
from speerpunt import i18n
from speerpunt.i18n import fmt_index, fmt_number, fmt_percent, gettext, messages
from speerpunt.web.rules import read_rule, show_rule
from speerpunt.web.workbench import default_mapping

SRC = Path(i18n.__file__).resolve().parents[1]


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_dutch_and_english_catalogues_are_complete_and_agree():
    nl, en = messages("nl"), messages("en")
    with (catalog.LOCALE_DIR / "speerpunt.pot").open("rb") as f:
        from babel.messages.pofile import read_po

        template = {m.id for m in read_po(f) if m.id}
    assert set(nl) == set(en) == template
    assert not [k for k, v in {**nl, **en}.items() if not v.strip()]
    assert not [k for k in nl if _fields(nl[k]) != _fields(en[k])]


def test_every_key_the_templates_and_reports_ask_for_is_defined():
    used = set()
    for html in (SRC / "web" / "templates").glob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_ ]+)'\s*[,)]", html.read_text(encoding="utf-8")))
    for py in [*(SRC / "report").glob("*.py"), *(SRC / "web").rglob("*.py")]:
        text = py.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\("([a-z_ ]+)", ', text))
        used |= set(re.findall(r'gettext\(lang, "([a-z_ ]+)"', text))
    missing = sorted(k for k in used if k not in messages("nl"))
    assert len(used) > 150 and not missing, missing


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (35991, "35.991", "35,991"),
        (1234.5, "1.234,5", "1,234.5"),
        (None, "/", "/"),
        (float("nan"), "/", "/"),
    ],
)
def test_numbers_follow_the_study(value, nl, en):
    assert fmt_number(value, "nl") == nl and fmt_number(value, "en") == en


def test_percentages_indices_and_no_negative_zero():
    assert fmt_percent(0.054, "nl") == "5,4%" and fmt_percent(0.054, "en") == "5.4%"
    assert fmt_percent(-0.035, "nl") == "-3,5%"
    assert fmt_index(1.234, "nl", 2) == "1,23"
    assert fmt_index(-0.004, "nl", 2) == "0,00"  # rounds to zero: no sign
    assert fmt_percent(-0.0004, "nl") == "0,0%"
    assert fmt_number(-0.04, "nl", 1, fixed=True) == "0,0"
    assert fmt_number(-0.06, "nl", 1, fixed=True) == "-0,1"


def test_reports_and_web_share_the_formatter_and_words():
    from speerpunt.report import fmt
    from speerpunt.report.i18n import t
    from speerpunt.web.i18n import translate

    assert fmt.fmt_number is fmt_number and fmt.fmt_percent is fmt_percent
    assert t("toc", "nl") == translate("nl", "toc") == gettext("nl", "toc") == "Inhoud"


def test_a_new_language_is_a_po_file_and_falls_back_to_english(tmp_path, monkeypatch):
    """fr: copy the template, translate one message; the rest falls back to English."""
    locale = tmp_path / "locale"
    shutil.copytree(catalog.LOCALE_DIR, locale)
    po = locale / "fr" / "LC_MESSAGES" / "speerpunt.po"
    po.parent.mkdir(parents=True)
    text = (locale / "speerpunt.pot").read_text(encoding="utf-8")
    po.write_text(
        text.replace('msgid "home"\nmsgstr ""', 'msgid "home"\nmsgstr "Accueil"'), encoding="utf-8"
    )
    monkeypatch.setattr(catalog, "LOCALE_DIR", locale)
    catalog.translations.cache_clear()
    try:
        assert catalog.available() == ("nl", "en", "fr")
        assert gettext("fr", "home") == "Accueil"
        assert gettext("fr", "login") == "Log in"
        assert i18n.pick_lang("fr", None, None) == "fr"
        assert fmt_percent(0.054, "fr") == "5,4%"
    finally:
        catalog.translations.cache_clear()


def test_rule_round_trips_through_each_language():
    mapping = default_mapping()
    rule, criteria = mapping["rule"], mapping["criteria"]
    for lang in ("nl", "en"):
        assert read_rule(show_rule(rule, criteria, lang), criteria) == rule
    assert show_rule(rule, criteria, "nl").startswith("belangrijk of (gespecialiseerd en")
    assert read_rule("Belangrijk EN NIET groeiend", criteria) == "important and not growing"
