"""The web's own refusals (settings, admin, registry routes, uploads, workbench) carry catalogue ids:
their English reads as before, their Dutch is the catalogue's (both written by hand here)."""

from __future__ import annotations

import pytest

from speerpunt.errors import ConfigError, MeasureError, RegistryError, SpeerpuntError
from speerpunt.web.errors import error_message
from speerpunt.web.security import parse_proxies


def _both(exc: SpeerpuntError) -> tuple[str, str]:
    return exc.one_line(), str(error_message("nl", exc))


def test_trusted_proxies_setting_refused_in_both_languages():
    with pytest.raises(ConfigError) as err:
        parse_proxies("10.0.0.0/8, keukentafel")
    en, nl = _both(err.value)
    assert en == "column 'trusted proxies': 'keukentafel' is not an IP address or network"
    assert nl == "kolom 'trusted proxies': 'keukentafel' is geen IP-adres of netwerk"


def test_workbench_threshold_and_saved_configuration():
    from speerpunt.web.workbench import apply_edits, default_mapping

    mapping = default_mapping()
    name = next(iter(mapping["criteria"]))
    with pytest.raises(ConfigError) as err:
        apply_edits(mapping, {f"th_{name}": "veel"})
    en, nl = _both(err.value)
    assert en == f"column 'th_{name}': threshold 'veel' is not a number"
    assert nl == f"kolom 'th_{name}': drempel 'veel' is geen getal"


def test_registry_route_messages():
    from speerpunt.web.registry_view import check_new_kind

    with pytest.raises(RegistryError) as err:
        check_new_kind("kabouters", "nl", None)
    en, nl = _both(err.value)
    assert en.startswith("column 'kind': no form for new kabouters: choose one of sectors, actors")
    assert nl.startswith("kolom 'kind': geen formulier voor een nieuwe kabouters: kies uit sectors")


def test_quota_numbers_follow_the_language():
    from speerpunt.errors import DataError, Num, Text

    exc = DataError(
        Text("err_over_quota", size=Num(1234.56, ".1f"), quota=Num(50.0, ".0f")), file="x.csv"
    )
    en, nl = _both(exc)
    assert (
        en == "x.csv: the data set needs 1234.6 MB on disk, more than the 50 MB each user may keep"
    )
    assert nl == (
        "x.csv: de gegevensset heeft 1.234,6 MB schijfruimte nodig, meer dan de 50 MB die elke "
        "gebruiker mag bewaren"
    )
    gone = MeasureError(Text("err_no_upload_kept", key="abc", days=Num(7.0, "g")), column="data")
    assert _both(gone)[1] == (
        "kolom 'data': geen opgeladen gegevensset 'abc' (opgeladen gegevens worden 7 dagen bewaard)"
    )


def test_measure_notes_on_a_dutch_dashboard_are_dutch():
    """The dashboard's notes line (region.html, as shipped) renders a measure's English note in the
    page's language through the one notes catalogue (texts written by hand)."""
    import pandas as pd
    from starlette.requests import Request

    from speerpunt.web.app import create_app
    from speerpunt.web.render import ENV, page_context

    request = Request(
        {"type": "http", "path": "/region", "query_string": b"", "headers": [], "app": create_app()}
    )
    request.state.lang, request.state.user, request.state.csrf = "nl", None, "x"
    lines = ENV.loader.get_source(ENV, "region.html")[0].splitlines()
    snippet = "\n".join(line for line in lines if "notes" in line)
    indicators = pd.DataFrame(
        {"sector": ["C", "F"], "note": ["zero in 2010: growth undefined", ""]}
    )
    html = ENV.from_string(snippet).render(**page_context(request), indicators=indicators)
    assert "C: nul in 2010: groei niet bepaald" in html
    assert "growth undefined" not in html and 'lang="en"' not in html and "F:" not in html
