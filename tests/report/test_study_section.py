"""The report's comparison of the screening with the Antwerp study's six spearhead sectors, end to end
on the shipped eu-sbs-2014 data, checked by hand against the raw SBS file."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import typer
from tests.classify.test_policy import SPEARHEADS
from typer.testing import CliRunner

from speerpunt.cli.screening import register

SBS = "data/eurostat/sbs_nuts2_2014/sbs_r_nuts06_r2_2014_V16110_long.csv"
# seed 000, lines 1165-1168: chemistry & life sciences, wholesale & logistics, construction,
# metal / new materials, creative industry, business services
STUDY_SIX = set(SPEARHEADS)


def _rows(html: str) -> dict[str, dict]:
    """The study-comparison table: per sector the first four cells and the raw numbers (data-v)."""
    table = html.split('data-table="study-comparison"', 1)[1].split("</table>", 1)[0]
    out = {}
    for sector, body in re.findall(r'<tr data-row="([^"]+)">(.*?)</tr>', table, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, flags=re.S)
        nums = dict(re.findall(r'data-col="([^"]+)"[^>]*data-v="([^"]+)"', body))
        out[sector] = {
            "code": cells[0],
            "label": cells[1],
            "study": cells[2],
            "status": cells[3],
            "agreement": cells[4],
            "why": cells[-1],
            **{k: float(v) for k, v in nums.items()},
        }
    return out


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> str:
    app = typer.Typer()
    register(app)
    out = tmp_path_factory.mktemp("study") / "sbs.html"
    args = ["report", "--data", "eu-sbs-2014", "--region", "BE21", "--reference", "BE"]
    args += ["--sectors", "antwerp-2013", "--lang", "en", "--no-progress", "--no-registry"]
    res = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def section(report_html) -> dict[str, dict]:
    return _rows(report_html)


def _by_hand(shared_dir, divisions: list[str]) -> tuple[float, float]:
    """Share of ``divisions`` in BE21's persons employed and its LQ against Belgium, from the raw file."""
    raw = pd.read_csv(shared_dir / SBS)
    assert raw["year"].unique().tolist() == [2014]  # one year: no growth can be computed
    v = raw.set_index(["geo", "nace_r2"])["persons_employed_V16110"]
    share = {g: v.loc[g].reindex(divisions).sum() / v.loc[g].sum() for g in ("BE21", "BE")}
    return share["BE21"], share["BE21"] / share["BE"]


def test_the_section_lists_the_six_study_sectors(section):
    chosen = {s for s, r in section.items() if r["study"] == "chosen"}
    assert chosen == STUDY_SIX
    for r in section.values():  # 'differs' exactly where study choice and selection disagree
        picked = r["status"] in ("candidate", "selected")
        assert (r["agreement"] == "agrees") == (picked == (r["study"] == "chosen"))
        assert (r["why"] == "") == (r["agreement"] == "agrees")


def test_construction_is_a_candidate_on_importance_alone(section, shared_dir):
    """F41-F43 in Antwerp: 54,492 of 525,016 persons (PROVENANCE.md), LQ < 1 against Belgium, so
    only 'important' (share ≥ the 60 % quantile of the sectors' shares) can make it a candidate."""
    share, lq = _by_hand(shared_dir, ["F41", "F42", "F43"])
    assert share == pytest.approx(54_492 / 525_016)
    row = section["bouw"]
    assert row["important_value"] == pytest.approx(share, rel=1e-12)
    assert row["specialised_value"] == pytest.approx(lq, rel=1e-12) and lq < 1
    shares = [r["important_value"] for r in section.values()]
    assert row["important_threshold"] == pytest.approx(np.quantile(shares, 0.6), rel=1e-12)
    assert share >= row["important_threshold"]
    assert (row["study"], row["status"], row["agreement"]) == ("chosen", "candidate", "agrees")


def test_metal_differs_because_one_year_has_no_growth(section, shared_dir):
    """C24+C25: specialised (LQ ≥ 1) but not important, so the rule needs growth, which one year of
    data cannot give: the study chose it, the screening cannot."""
    share, lq = _by_hand(shared_dir, ["C24", "C25"])
    row = section["metaal_nieuwe_materialen"]
    assert row["important_value"] == pytest.approx(share, rel=1e-12)
    assert row["specialised_value"] == pytest.approx(lq, rel=1e-12)
    assert lq >= 1 and share < row["important_threshold"]
    assert np.isnan(row["growing_value"]) and np.isnan(row["outperforming_value"])
    assert (row["study"], row["agreement"]) == ("chosen", "differs")
    assert row["status"] not in ("candidate", "selected")
    assert "one year of data (2014)" in row["why"]


def test_policy_sectors_are_named_by_their_labels_not_their_ids(report_html, section):
    """Readers see "Chemicals and life sciences (20–22)", never the file name chemie_life_sciences: in
    the tables' code and sector columns, the summary, the key-figure titles, the charts' texts and the
    data notes."""
    from speerpunt.classify import policy_sectors

    known = policy_sectors()
    assert (section["chemie_life_sciences"]["code"], section["chemie_life_sciences"]["label"]) == (
        "20–22",
        "Chemicals and life sciences",
    )
    assert section["groothandel_logistiek"]["code"] == "46, 49–53"
    assert section["zakelijke_dienstverlening"]["code"] == "69–74, 77–82"
    # everything a reader sees: text between tags and the charts' alt texts (data notes included)
    body = report_html
    alts = " ".join(re.findall(r'aria-label="([^"]*)"', body))
    visible = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", body, flags=re.S)
    for name, sector in known.items():
        if name in section:  # the sectors the report screened (care is outside SBS)
            assert sector.label_en in visible, name
            for text in (visible, alts):
                assert not re.search(rf"(?<![\w-]){name}(?![\w-])", text), name
    assert "Wholesale trade and logistics (46, 49–53)" in visible  # key-figure title and summary
