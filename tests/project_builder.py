"""A user's evaluation project that looks nothing like the bundled example.

Its own questionnaire (an instrument YAML in the project's own folder, on an existing scale),
its own regions, folders named its own way, answers exported with Finnish phase and role
names and ';' as separator. The answers are drawn here with a fixed seed and returned, so tests
compute expected numbers from them with plain pandas, independently of the package.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

INSTRUMENT_ID = "asiointikokemus"
INSTRUMENT_NAME = "Asiointikokemus sosiaalipalveluissa"
ITEMS = {"tieto": "Sain tarvitsemani tiedon palveluista ymmärrettävästi.",
         "kohtelu": "Minua kohdeltiin kunnioittavasti.",
         "vaikutus": "Pystyin vaikuttamaan siihen, millaista apua sain.",
         "jatko": "Tiedän, mitä asiani kanssa tapahtuu seuraavaksi."}
LABELS = {5: "Täysin samaa mieltä", 4: "Jokseenkin samaa mieltä", 3: "Ei samaa eikä eri mieltä",
          2: "Jokseenkin eri mieltä", 1: "Täysin eri mieltä"}
REGIONS = ("Pirkanmaa", "Pohjois-Savo")
ROLES_FI = {"client": "asiakas", "professional": "työntekijä"}
PHASES_FI = {"baseline": "alkuarviointi", "final": "loppuarviointi"}

INSTRUMENT_YAML = {
    "id": INSTRUMENT_ID, "version": "2026",
    "name": {"fi": INSTRUMENT_NAME, "sv": "Erfarenhet av att uträtta ärenden i socialservicen",
             "en": "Experience of using social services"},
    "source": "A project's own questionnaire (test fixture).", "wording": "official", "translations": "project",
    "scale": "samaa_mielta_5", "answer": "rating",
    "items": [{"id": k, "text": {"fi": v, "sv": f"[sv] {v}", "en": f"[en] {v}"}} for k, v in ITEMS.items()]
    + [{"id": "terveiset", "answer": "text", "text": {"fi": "Mitä muuta haluat sanoa?", "sv": "Vad mer vill du säga?",
                                                      "en": "What else would you like to say?"}}],
    "scoring": {"method": "mean", "min_answered": 3},
}


def answers(seed: int = 11) -> pd.DataFrame:
    """Canonical long answers: two regions, two roles, baseline and final, part of the ids linked."""
    rng = np.random.default_rng(seed)
    rows = []
    for region in REGIONS:
        for role, n in (("client", 24), ("professional", 18)):
            ids = [f"{region[:3].upper()}-{role[:1]}{i:03d}" for i in range(n)]
            for phase, shift in (("baseline", 0.0), ("final", 0.5)):
                # 2/3 of the final respondents answered at baseline too (linked by id)
                people = ids if phase == "baseline" else ids[: 2 * n // 3] + [f"{x}-u" for x in ids[2 * n // 3:]]
                for pid in people:
                    for item in ITEMS:
                        if rng.random() < 0.05:
                            continue
                        code = int(np.clip(np.round(rng.normal(3.3 + shift, 1.0)), 1, 5))
                        rows.append((pid, region, PHASES_FI[phase], ROLES_FI[role], INSTRUMENT_ID, item,
                                     LABELS[code], ""))
                    if rng.random() < 0.2:
                        rows.append((pid, region, PHASES_FI[phase], ROLES_FI[role], INSTRUMENT_ID, "terveiset", "",
                                     "Hyvä että kysyttiin, soita minulle 040 123 4567."))
    return pd.DataFrame(rows, columns=["respondent_id", "region", "phase", "role", "instrument", "item", "value",
                                       "text"])


def build(root: Path) -> pd.DataFrame:
    """Write the project into ``root``; return the answers it holds."""
    data = answers()
    (root / "aineisto").mkdir(parents=True)
    (root / "mittarit").mkdir()
    data.to_csv(root / "aineisto" / "vastaukset.csv", sep=";", index=False, encoding="utf-8")
    (root / "mittarit" / f"{INSTRUMENT_ID}.yaml").write_text(
        yaml.safe_dump(INSTRUMENT_YAML, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = {"project": {"fi": "Asioinnin kehittäminen", "sv": "Utveckling av ärendehantering",
                        "en": "Developing service encounters"},
            "phases": {"baseline": {"instruments": [INSTRUMENT_ID], "roles": ["client", "professional"]},
                       "final": {"instruments": [INSTRUMENT_ID], "roles": ["client", "professional"]}},
            "primary_outcomes": [{"instrument": INSTRUMENT_ID, "phase": "final"}]}
    (root / "aineisto" / "arviointisuunnitelma.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True),
                                                                 encoding="utf-8")
    settings = {"paths": {"data": "aineisto", "reports": "julkaisut", "instruments": ["mittarit"],
                          "quarantine": "karanteeni", "feedback": "palaute", "practice": "arviot"},
                "language": "fi", "suppression": {"threshold": 5}}
    (root / "osallisuus.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return data
