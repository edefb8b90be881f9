"""The screening's verdicts beside the Antwerp study's own choice of six spearhead sectors.

The study (seed 000, lines 1165–1168) chose chemistry & life sciences, construction, logistics & wholesale,
metal, business services and the creative industry. :func:`compare_with_study` puts each screened policy
sector's status next to that choice and says where they differ and why (the screening's reason: which
criterion failed or could not be evaluated, e.g. growth on one year of data).

Example
-------
>>> import pandas as pd
>>> table = pd.DataFrame({"sector": ["bouw", "toerisme"], "status": ["rejected", "candidate"],
...                       "reason": ["not important", "important"]})
>>> compare_with_study(table)[["sector", "study", "agreement"]].values.tolist()
[['bouw', 'chosen', 'differs'], ['toerisme', 'not chosen', 'differs']]
"""

from __future__ import annotations

import pandas as pd

from speerpunt.screening.engine import SELECTED

STUDY_SET = "antwerp-2013-spearheads"
_WORDS = {
    "en": {
        "chosen": "chosen",
        "not chosen": "not chosen",
        "agrees": "agrees",
        "differs": "differs",
        "why_drop": "the study chose it; the screening does not: {reason}",
        "why_add": "the screening selects it; the study did not choose it: {reason}",
    },
    "nl": {
        "chosen": "gekozen",
        "not chosen": "niet gekozen",
        "agrees": "komt overeen",
        "differs": "verschilt",
        "why_drop": "de studie koos de sector; de screening niet: {reason}",
        "why_add": "de screening selecteert de sector; de studie koos hem niet: {reason}",
    },
}


def study_choice() -> list[str]:
    """The policy-sector names of the study's six spearhead sectors."""
    from speerpunt.classify.vocabulary import named_sets

    return list(named_sets()[STUDY_SET]["sectors"])


def compare_with_study(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``sector, status, study, agreement, why`` for a screening table (``sector, status, reason``).

    ``agreement`` is ``agrees`` when the screening selects exactly the sectors the study chose, else
    ``differs`` with the screening's reason in ``why``. Codes (English ``study`` and ``agreement``
    values) stay the same in both languages only when ``lang='en'``.
    """
    w = _WORDS[lang]
    chosen = set(study_choice())
    rows = []
    for r in table.itertuples():
        picked = r.status in SELECTED
        in_study = r.sector in chosen
        same = picked == in_study
        why = "" if same else w["why_drop" if in_study else "why_add"].format(reason=r.reason)
        rows.append(
            {
                "sector": r.sector,
                "status": r.status,
                "study": w["chosen" if in_study else "not chosen"],
                "agreement": w["agrees" if same else "differs"],
                "why": why,
            }
        )
    return pd.DataFrame(rows, columns=["sector", "status", "study", "agreement", "why"])
