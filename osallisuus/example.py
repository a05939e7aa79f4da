"""Seeded generator of the bundled SYNTHETIC example data (``data/example``).

Nothing here is real: respondents, answers and comments are simulated so that the
pipeline can be tried and tested end to end. Re-create the data with::

    osallisuus example --out data/example

The design follows the seeds: five pilot regions of seed 004; a baseline feedback form
sized like seed 000 in Keski-Suomi (120 participants, 88 answers, 31 of them clients)
with the participation indicator (ESIS) on the same start form; an interim SOC-G-10; a
final survey with ESIS again, THL's 24 helper questions, the 4-point rating of
Taulukko 3 and a school grade. Clients rate a little higher than professionals, joint
decision-making spreads more, some answers are skipped or "En osaa sanoa", part of the
respondents are linked across phases by a pseudonymous id, and in Kanta-Häme only three
managers answer (a group below the suppression threshold of 5).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .fileio import safe_frame
from .instruments import load_instrument
from .vocab import PHASES

SEED = 2026
# participants per role (invited to the development groups) and baseline answers per role
DESIGN = {
    "Keski-Suomi": {"client": (42, 31), "professional": (56, 41), "organisation": (14, 10), "manager": (8, 6)},
    "Etelä-Pohjanmaa": {"client": (30, 22), "professional": (44, 30), "organisation": (12, 9), "manager": (9, 7)},
    "Lappi": {"client": (28, 20), "professional": (36, 27), "organisation": (15, 11), "manager": (8, 6)},
    "Etelä-Karjala": {"client": (34, 25), "professional": (40, 29), "organisation": (10, 7), "manager": (10, 8)},
    "Kanta-Häme": {"client": (26, 19), "professional": (33, 24), "organisation": (11, 8), "manager": (4, 3)},
}
REGION_EFFECT = {"Keski-Suomi": 0.15, "Etelä-Pohjanmaa": 0.0, "Lappi": 0.1, "Etelä-Karjala": -0.1, "Kanta-Häme": -0.05}
SMALL_GROUP = ("Kanta-Häme", "manager")  # the one group below the suppression threshold
ROLE_EFFECT = {"client": 0.30, "professional": 0.0, "organisation": 0.10, "manager": 0.05}
ROLE_EXPORT_LABEL = {"client": "Asiakas / kehittäjäasiakas", "professional": "Työntekijä",
                     "organisation": "Järjestön edustaja", "manager": "Johto"}
GROUPS = ["Ennaltaehkäisevä palveluohjaus", "Monialainen palveluohjaus", "Järjestölähtöinen palveluohjaus"]

COMMENTS_BASELINE = [
    "Oli mukava tulla kuulluksi ihan tavallisena ihmisenä.",
    "Aluksi jännitti puhua ammattilaisten edessä, mutta ilmapiiri oli hyvä.",
    "Kuvakortit auttoivat tutustumaan muihin.",
    "Päätöksistä olisi voinut keskustella enemmän yhdessä.",
    "Työpajan aikataulu oli liian tiivis.",
    "Hyvä että bussiliput korvattiin, muuten en olisi päässyt.",
    "Toivoisin, että johtajat olisivat mukana seuraavalla kerralla.",
    "Asiakkaiden ääni kuului hyvin.",
    "En ole varma, mihin meidän ideamme päätyvät.",
    "Sain uusia ajatuksia omaan työhöni.",
    "Soittakaa minulle jos tarvitsette lisää, numeroni on 040 123 4567.",
    "Ohjaaja Maija Meikäläinen teki hyvää työtä.",
    "Lähetän lisää ideoita osoitteeseen matti.virtanen@example.fi.",
]
COMMENTS_FINAL = [
    "Toiminnassa otettiin huomioon jokaisen omat voimavarat.",
    "Yksin jääneitä ihmisiä voisi etsiä aktiivisemmin.",
    "Kehittäjäryhmässä kaikki olivat samalla viivalla.",
    "Olisi hyvä kuulla, mitä ehdotuksillemme tapahtui.",
    "Sain kokemuksen siitä, että minua tarvitaan.",
    "Tieto toiminnasta ei tavoittanut kaikkia.",
    "Yhteinen päätöksenteko toteutui vain osittain.",
    "Ryhmästä tuli minulle tärkeä yhteisö.",
    "Palvelupolkujen kuvaaminen yhdessä avasi silmiä.",
    "Kiitos, että sain olla mukana!",
]


def _ordinal(latent: np.ndarray, cuts: np.ndarray, low: int) -> np.ndarray:
    """Cut a latent score into codes low, low+1, ... at the given thresholds."""
    return low + np.searchsorted(cuts, latent)


class _Gen:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def rating(self, base: np.ndarray, n_points: int, low: int, centre: float, spread: float = 1.0) -> np.ndarray:
        latent = centre + base + self.rng.normal(0, 0.7 * spread, size=len(base))
        cuts = np.arange(n_points - 1) + low + 0.5
        return _ordinal(latent, cuts, low)


def generate_example(out: str | Path, seed: int = SEED) -> dict[str, int]:
    """Write the synthetic example data set into folder ``out``; return row counts per file."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    g = _Gen(seed)
    rng = g.rng
    palaute = load_instrument("kehittajaryhma_palaute")
    esis = load_instrument("osallisuusindikaattori")
    soc = load_instrument("soc_g10")
    o24 = load_instrument("osallisuus_24")
    arvio = load_instrument("arvio_4")
    grade = load_instrument("kouluarvosana")

    people = []  # one row per participant
    for region, roles in DESIGN.items():
        for role, (invited, answered) in roles.items():
            for k in range(invited):
                people.append({"region": region, "role": role, "answered_baseline": k < answered,
                               "trait": rng.normal(0, 0.6), "group": GROUPS[rng.integers(0, len(GROUPS))]})
    people = pd.DataFrame(people)
    people["pid"] = [f"{r[:2].upper()}{i:04d}" for i, r in enumerate(people["region"].str.replace("-", ""))]
    people["effect"] = people["region"].map(REGION_EFFECT) + people["role"].map(ROLE_EFFECT) + people["trait"]

    # ---------------------------------------------------------- baseline export (wide)
    base = people[people["answered_baseline"]].reset_index(drop=True)
    start = pd.Timestamp("2026-02-02")
    wide = pd.DataFrame({
        "Vastausaika": [(start + pd.Timedelta(days=int(d), minutes=int(m))).strftime("%d.%m.%Y %H:%M")
                        for d, m in zip(rng.integers(0, 20, len(base)), rng.integers(8 * 60, 18 * 60, len(base)))],
        "Osallistujatunnus": base["pid"],
        "Hyvinvointialue": base["region"],
        "Olen": base["role"].map(ROLE_EXPORT_LABEL),
        "Kehittäjäryhmä": base["group"],
    })
    pal_labels = {p.code: p.label["fi"] for p in palaute.scale.all_points}
    for item in palaute.rated_items:
        spread = 1.9 if item == "paatoksenteko" else 1.0
        centre = 3.9 if item != "paatoksenteko" else 3.5
        codes = g.rating(base["effect"].to_numpy(), 5, 1, centre, spread).astype(float)
        codes[rng.random(len(codes)) < 0.05] = 9          # En osaa sanoa
        codes[rng.random(len(codes)) < 0.03] = np.nan     # skipped
        wide[palaute.item_text(item)] = [pal_labels.get(c, "") if not np.isnan(c) else "" for c in codes]
    comment = np.where(rng.random(len(base)) < 0.35, rng.choice(COMMENTS_BASELINE, len(base)), "")
    comment[:len(COMMENTS_BASELINE)] = COMMENTS_BASELINE  # every comment appears at least once
    wide["Vapaa sana"] = comment
    esis_labels = {p.code: p.label["fi"] for p in esis.scale.points}
    base_esis = {}
    for item in esis.item_ids:
        codes = g.rating(base["effect"].to_numpy(), 5, 1, 3.55).astype(float)
        codes[rng.random(len(codes)) < 0.03] = np.nan
        base_esis[item] = codes
        wide[esis.item_text(item)] = [esis_labels.get(c, "") if not np.isnan(c) else "" for c in codes]
    safe_frame(wide).to_csv(out / "webropol_alkuarviointi.csv", sep=";", index=False, encoding="utf-8-sig")
    mapping = {
        "description": "Webropol export of the baseline start form (synthetic example): one row per respondent, answers as labels.",
        "format": "wide", "delimiter": ";", "shared_ids": True,
        "columns": {"respondent_id": "Osallistujatunnus", "region": "Hyvinvointialue", "role": "Olen",
                    "group": "Kehittäjäryhmä", "date": "Vastausaika"},
        "constants": {"phase": "baseline"},
        "recode": {"role": {label: role for role, label in ROLE_EXPORT_LABEL.items()}},
        "items": [{"column": palaute.item_text(i), "instrument": palaute.id, "item": i} for i in palaute.rated_items]
        + [{"column": "Vapaa sana", "instrument": palaute.id, "item": "kommentit", "field": "text"}]
        + [{"column": esis.item_text(i), "instrument": esis.id, "item": i} for i in esis.item_ids],
    }
    (out / "webropol_alkuarviointi.mapping.yaml").write_text(
        "# Mapping of the Webropol baseline export to the canonical long table.\n"
        + yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")

    def who_answers(frame: pd.DataFrame, share: float, linked_share: float, phase_tag: str) -> pd.DataFrame:
        """Respondents of a later phase: a share of participants; only part give their id."""
        # a share of each region-role group, never fewer than 6, except the one small group
        picks = []
        for (region, role), grp in frame.groupby(["region", "role"], sort=False):
            k = 3 if (region, role) == SMALL_GROUP else min(len(grp), max(6, round(share * len(grp))))
            picks.append(grp.iloc[np.sort(rng.choice(len(grp), size=k, replace=False))])
        take = pd.concat(picks).copy()
        linked = rng.random(len(take)) < linked_share
        take["rid"] = np.where(linked, take["pid"], [f"{phase_tag}{i:05d}" for i in range(len(take))])
        return take

    # ------------------------------------------------------------ interim SOC-G-10 (long)
    mid = who_answers(people, 0.62, 0.75, "V")
    rows = []
    for item in soc.item_ids:
        codes = g.rating(mid["effect"].to_numpy() * 1.4, 7, 1, 5.1)
        keep = rng.random(len(mid)) > 0.03
        rows.append(pd.DataFrame({"respondent_id": mid["rid"].to_numpy()[keep], "region": mid["region"].to_numpy()[keep],
                                  "phase": "interim", "role": mid["role"].to_numpy()[keep], "instrument": soc.id,
                                  "item": item, "value": codes[keep], "group": mid["group"].to_numpy()[keep],
                                  "date": "2026-06-10", "text": ""}))
    interim = pd.concat(rows, ignore_index=True).sort_values(["region", "respondent_id", "item"], kind="stable")
    safe_frame(interim).to_csv(out / "valiarviointi_soc_g10.csv", index=False, encoding="utf-8")

    # ---------------------------------------------------------------- final (long)
    fin = who_answers(people, 0.6, 0.6, "L")
    rows = []

    def add(instrument, item, resp, values, texts=None):
        rows.append(pd.DataFrame({"respondent_id": resp["rid"].to_numpy(), "region": resp["region"].to_numpy(),
                                  "phase": "final", "role": resp["role"].to_numpy(), "instrument": instrument,
                                  "item": item, "value": values, "group": resp["group"].to_numpy(),
                                  "date": "2026-11-02", "text": texts if texts is not None else ""}))
    growth = np.where(fin["role"] == "client", 0.35, 0.15)  # participation grows, most for clients
    for item in esis.item_ids:
        codes = g.rating(fin["effect"].to_numpy() + growth, 5, 1, 3.55).astype(float)
        keep = rng.random(len(fin)) > 0.03
        add(esis.id, item, fin[keep], codes[keep].astype(int).astype(str))
    a4_labels = {p.code: p.label["fi"] for p in arvio.scale.all_points}
    for item in o24.item_ids:
        codes = g.rating(fin["effect"].to_numpy() * 0.8, 4, 1, 3.0).astype(float)
        codes[rng.random(len(codes)) < 0.06] = 9
        has_text = rng.random(len(fin)) < 0.08
        texts = np.where(has_text, rng.choice(COMMENTS_FINAL, len(fin)), "")
        values = np.array([a4_labels[c] for c in codes], dtype=object)
        values[rng.random(len(fin)) < 0.15] = ""          # rating is optional
        keep = (values != "") | (texts != "")
        add(o24.id, item, fin[keep], values[keep], texts[keep])
    staff = fin[fin["role"] != "client"]
    for item in arvio.item_ids:
        centre = {"resursointi": 2.6, "johtaminen": 2.6, "digityokalu": 2.4, "tyopajat_maakunnissa": 3.5,
                  "arviointi": 3.5}.get(item, 3.0)
        codes = g.rating(staff["effect"].to_numpy() * 0.7, 4, 1, centre).astype(float)
        codes[rng.random(len(codes)) < 0.05] = 9
        add(arvio.id, item, staff, [a4_labels[c] for c in codes])
    grades = np.clip(np.round(8.0 + fin["effect"].to_numpy() + rng.normal(0, 0.8, len(fin))), 4, 10).astype(int)
    add(grade.id, "arvosana", fin, grades.astype(str))
    final = pd.concat(rows, ignore_index=True).sort_values(["region", "respondent_id", "instrument", "item"], kind="stable")
    safe_frame(final).to_csv(out / "loppuarviointi.csv", index=False, encoding="utf-8")

    # ------------------------------------------- participants per phase (response rates)
    counts = []
    for (region, role), grp in people.groupby(["region", "role"], sort=True):
        for phase in PHASES:
            counts.append({"region": region, "phase": phase, "role": role, "participants": int(len(grp))})
    participants = {"description": "Participants invited per region, phase and role (synthetic example); "
                                   "response rate = respondents / participants.",
                    "participants": counts}
    (out / "osallistujat.yaml").write_text(yaml.safe_dump(participants, allow_unicode=True, sort_keys=False),
                                           encoding="utf-8")
    _write_region_yaml(out)
    _write_plan(out)
    (out / "README.md").write_text(
        "# Example data (SYNTHETIC)\n\nEvery file here is simulated by `osallisuus/example.py` "
        f"(seed {seed}); no real person is behind any row.\nRe-create with `osallisuus example --out data/example`.\n\n"
        "- `webropol_alkuarviointi.csv` + `.mapping.yaml`: baseline start form as a Webropol wide export (`;`, labels, UTF-8 BOM)\n"
        "- `valiarviointi_soc_g10.csv`: interim SOC-G-10, canonical long form\n"
        "- `loppuarviointi.csv`: final survey (ESIS, 24 helper questions, 4-point rating, school grade), canonical long form\n"
        "- `osallistujat.yaml`: participants per region, phase and role, for response rates\n"
        "- `arviointisuunnitelma.yaml`: the evaluation plan (phases, instruments, primary outcomes)\n"
        "- `palaute/<region>.yaml`: the organisers' answer to participants (Lappi has none, to show the placeholder)\n"
        "- `lupaava_kaytanto/<region>.yaml`: the evaluator's promising-practice assessment\n", encoding="utf-8")
    return {"webropol_alkuarviointi.csv": len(wide), "valiarviointi_soc_g10.csv": len(interim),
            "loppuarviointi.csv": len(final)}


FEEDBACK = {
    "answer": {
        "fi": "Kiitos kaikille kehittäjäryhmiin osallistuneille. Kokosimme ehdotuksenne yhteen ja veimme ne hyvinvointialueen johtoryhmään.\n\n"
              "Johtoryhmä päätti, että palveluohjauksen uusi malli otetaan käyttöön vuoden alussa. Kerromme teille sähköpostilla, miten työ etenee.",
        "sv": "Tack till alla som deltog i utvecklingsgrupperna. Vi sammanställde era förslag och tog dem till välfärdsområdets ledningsgrupp.\n\n"
              "Ledningsgruppen beslöt att den nya modellen för servicehandledning tas i bruk vid årets början. Vi berättar per e-post hur arbetet går vidare.",
        "en": "Thank you to everyone who took part in the development groups. We gathered your suggestions and took them to the management team of the wellbeing services county.\n\n"
              "The management team decided to start using the new service guidance model at the beginning of the year. We will tell you by e-mail how the work goes on.",
    },
    "changes": [
        {"fi": "Asiakkaat ovat nyt mukana palveluohjauksen ohjausryhmässä.", "sv": "Klienter är nu med i styrgruppen för servicehandledning.",
         "en": "Clients now sit on the steering group for service guidance."},
        {"fi": "Matkakulut korvataan kaikille kehittäjäasiakkaille.", "sv": "Resekostnader ersätts för alla utvecklarklienter.",
         "en": "Travel costs are paid for every client developer."},
    ],
    "contact": {"name": {"fi": "Osallisuuskoordinaattori", "sv": "Delaktighetskoordinator", "en": "Participation coordinator"},
                "email": "osallisuus@example.fi"},
}

PRACTICE = {
    "criteria": {
        "tarve": {"rating": "met", "evidence": {"fi": "Kunnat ja järjestöt sitoutuivat työhön ja pitivät sitä tarpeellisena.",
                                                 "sv": "Kommunerna och organisationerna förband sig till arbetet och såg det som nödvändigt.",
                                                 "en": "Municipalities and organisations committed to the work and found it necessary."}},
        "uutuus": {"rating": "met", "evidence": {"fi": "Mallia ei ole aiemmin kehitetty näin järjestelmällisesti heikoimmassa asemassa olevien kanssa.",
                                                  "sv": "Modellen har inte tidigare utvecklats så systematiskt tillsammans med de mest utsatta.",
                                                  "en": "The model has not been developed this systematically with the most vulnerable before."}},
        "menetelmat": {"rating": "met", "evidence": {"fi": "Palvelumuotoilun menetelmät on kuvattu vaihe vaiheelta.",
                                                      "sv": "Tjänstedesignmetoderna är beskrivna steg för steg.",
                                                      "en": "The service design methods are described step by step."}},
        "arviointi": {"rating": "partly", "evidence": {"fi": "Alku-, väli- ja loppuarviointi tehtiin; vastausosuus jäi osin matalaksi.",
                                                        "sv": "Inledande, mellan- och slututvärdering gjordes; svarsandelen blev delvis låg.",
                                                        "en": "Baseline, interim and final evaluations were made; response rates were partly low."}},
        "siirrettavyys": {"rating": "partly", "evidence": {"fi": "Malli on siirrettävissä, jos fasilitointiin varataan työaikaa.",
                                                            "sv": "Modellen kan överföras om arbetstid reserveras för facilitering.",
                                                            "en": "The model transfers if working time is set aside for facilitation."}},
        "juurtuminen": {"rating": "partly", "evidence": {"fi": "Jatko on sovittu osana hyvinvointialueen kehittämistä, rahoitus on auki.",
                                                          "sv": "Fortsättningen är avtalad som en del av välfärdsområdets utveckling, finansieringen är öppen.",
                                                          "en": "Continuation is agreed as part of the county's development; funding is open."}},
    },
    "dimensions": {
        "oma_elama": {"evidence": {"fi": "Osallistujien voimavarat ja halu osallistua eri tavoin otettiin huomioon.",
                                   "sv": "Deltagarnas resurser och vilja att delta på olika sätt beaktades.",
                                   "en": "Participants' strengths and wish to take part in different ways were taken into account."}},
        "yhteisot": {"evidence": {"fi": "Tasavertainen ryhmätyö helpotti näkemysten esille tuomista.",
                                  "sv": "Jämlikt grupparbete gjorde det lättare att lyfta fram synpunkter.",
                                  "en": "Equal group work made it easier to bring views forward."}},
        "yhteinen_hyva": {"evidence": {"fi": "Syntyneet laatukriteerit hyödyttävät alueen asukkaita ja ammattilaisia.",
                                       "sv": "De kvalitetskriterier som togs fram gagnar regionens invånare och yrkespersoner.",
                                       "en": "The quality criteria that came out benefit the region's residents and professionals."}},
    },
}


def _write_region_yaml(out: Path) -> None:
    """Per-region YAML of the organisers' answer and the practice assessment (synthetic)."""
    from .regions import resolve_region
    header = "# SYNTHETIC example, written by osallisuus/example.py\n"
    for region in DESIGN:
        rid = resolve_region(region).id
        if region != "Lappi":   # Lappi has no answer yet: its page shows the placeholder
            (out / "palaute").mkdir(exist_ok=True)
            (out / "palaute" / f"{rid}.yaml").write_text(
                header + yaml.safe_dump(FEEDBACK, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
        (out / "lupaava_kaytanto").mkdir(exist_ok=True)
        (out / "lupaava_kaytanto" / f"{rid}.yaml").write_text(
            header + yaml.safe_dump(PRACTICE, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")


PLAN_NAME = {"fi": "Palveluohjauksen kehittäminen yhdessä asiakkaiden kanssa (synteettinen esimerkki)",
             "sv": "Att utveckla servicehandledning tillsammans med klienter (syntetiskt exempel)",
             "en": "Developing service guidance together with clients (synthetic example)"}


def _write_plan(out: Path) -> None:
    """The example's evaluation plan: inferred from the data just written, marked synthetic."""
    import dataclasses

    from .plan import infer_plan, plan_to_yaml
    from .validation import validate
    from .vocab import LANGUAGES
    plan = infer_plan(validate(out).data)
    plan = dataclasses.replace(plan, project=dict(PLAN_NAME), threshold=5, languages=LANGUAGES, synthetic=True)
    (out / "arviointisuunnitelma.yaml").write_text(plan_to_yaml(plan), encoding="utf-8")
