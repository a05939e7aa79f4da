"""Survey-tool exports built from each tool's documented format (sources in tests/data/README.md).

One seeded set of answers (``answers``) is written the way each tool writes it. The expected
counts per item and answer come from that set directly (``expected_counts``), never from the
package under test. Item texts, option labels and codes are typed here by hand from the
form (the development-group feedback form, options listed from the top).
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

INSTRUMENT = "kehittajaryhma_palaute"
ITEMS = [("kuulluksi", "Sain sanoa asiani ja tulin kuulluksi."),
         ("oma_tapa", "Sain osallistua omalla tavallani."),
         ("tasavertaisuus", "Miten kehittäjäryhmässä toteutui osallistujien tasavertaisuus?"),
         ("osallisuus", "Miten kehittäjäryhmässä toteutui osallistujien osallisuus?"),
         ("paatoksenteko", "Miten kehittäjäryhmässä toteutui yhteinen päätöksenteko?")]
# The options as the form lists them, from the top, and the scale code each stands for.
OPTIONS = ["Erittäin hyvin", "Melko hyvin", "Ei hyvin eikä huonosti", "Melko huonosti", "Erittäin huonosti",
           "En osaa sanoa"]
CODES = [5, 4, 3, 2, 1, 9]
ROLES = [("client", "Asiakas / kehittäjäasiakas"), ("professional", "Työntekijä"),
         ("organisation", "Järjestön edustaja"), ("manager", "Johto")]
MATRIX = "Arvioi kehittäjäryhmän toimintaa"


@dataclass
class Respondent:
    number: int
    role: int                      # index into ROLES
    options: list                  # per item: index into OPTIONS, or None (skipped)
    when: datetime
    comment: str = ""


def answers(n: int = 40, seed: int = 11) -> list[Respondent]:
    rng = np.random.default_rng(seed)
    start = datetime(2026, 2, 16, 9, 5, 7)
    out = []
    for k in range(n):
        opts = [None if rng.random() < 0.06 else int(rng.choice(6, p=[.3, .3, .15, .1, .05, .1])) for _ in ITEMS]
        if all(o is None for o in opts):
            opts[0] = 0
        out.append(Respondent(k + 1, int(rng.integers(0, 4)), opts, start + timedelta(hours=int(k) * 7, minutes=int(k)),
                              "Hyvä ryhmä, kiitos" if k % 4 == 0 else ""))
    return out


def expected_counts(resp: list[Respondent], phases: int = 1) -> Counter:
    """(item id, scale code) -> number of answers, straight from the generated answers."""
    c = Counter()
    for r in resp:
        for (item, _), o in zip(ITEMS, r.options):
            if o is not None:
                c[(item, float(CODES[o]))] += phases
    return c


def _csv(rows: list[list], sep: str, quote_all: bool = False, eol: str = "\n") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=eol, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerows(rows)
    return buf.getvalue()


def _label(o):
    return "" if o is None else OPTIONS[o]


def webropol(path, resp):
    """Webropol numbers export: ';', UTF-8 BOM, 'Kysymys:Väite' headers, options numbered from the top."""
    head = ["Vastausaika", "Olen"] + [f"{MATRIX}:{t}" for _, t in ITEMS] + ["Vapaa sana"]
    rows = [[f"{r.when.day}.{r.when.month}.{r.when.year} {r.when.hour}.{r.when.minute:02d}", ROLES[r.role][1]]
            + ["" if o is None else str(o + 1) for o in r.options] + [r.comment] for r in resp]
    path.write_bytes(_csv([head] + rows, ";").encode("utf-8-sig"))


def msforms(path, resp):
    """Microsoft Forms 'Open in Excel': ID, Start time, Completion time, Email, Name, then questions."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", "Olen"] + [t for _, t in ITEMS])
    for r in resp:
        ws.append([r.number, r.when - timedelta(minutes=4), r.when, "anonymous", None, ROLES[r.role][1]]
                  + [_label(o) or None for o in r.options])
    wb.save(path)


def limesurvey(path, resp):
    """LimeSurvey CSV (full answers): UTF-8 BOM, every field quoted, CRLF, 'Question [Subquestion]'."""
    head = ["Response ID", "Date submitted", "Last page", "Start language", "Olen"] + [f"{MATRIX} [{t}]" for _, t in ITEMS]
    rows = [[str(r.number), r.when.strftime("%Y-%m-%d %H:%M:%S"), "2", "fi", ROLES[r.role][1]]
            + [_label(o) for o in r.options] for r in resp]
    path.write_bytes(_csv([head] + rows, ",", quote_all=True, eol="\r\n").encode("utf-8-sig"))


def googleforms(path, resp):
    """Google Forms CSV download: 'Timestamp' first (US form m/d/yyyy h:mm:ss), grids as 'title [row]'."""
    head = ["Timestamp", "Olen"] + [f"{MATRIX} [{t}]" for _, t in ITEMS]
    rows = [[f"{r.when.month}/{r.when.day}/{r.when.year} {r.when.hour}:{r.when.minute:02d}:{r.when.second:02d}",
             ROLES[r.role][1]] + [_label(o) for o in r.options] for r in resp]
    path.write_text(_csv([head] + rows, ","), encoding="utf-8")


def redcap(path, resp):
    """REDCap raw CSV of a longitudinal project: record_id, redcap_event_name, fields, <form>_complete.

    The role is asked at the baseline event only; the radio fields code their options 1..6 in the
    order listed (1 = Erittäin hyvin), the role field codes its choices with the role's name."""
    head = ["record_id", "redcap_event_name", "rooli"] + [f"kg_{i}" for i, _ in ITEMS] + ["kehittajaryhma_complete"]
    rows = []
    for r in resp:
        for event in ("baseline_arm_1", "final_arm_1"):
            role = ROLES[r.role][0] if event == "baseline_arm_1" else ""
            rows.append([str(r.number), event, role] + ["" if o is None else str(o + 1) for o in r.options] + ["2"])
    path.write_text(_csv([head] + rows, ","), encoding="utf-8")


def surveymonkey(path, resp):
    """SurveyMonkey CSV: two header rows (question, then sub-question / 'Response')."""
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
            "Last Name", "Custom Data 1"]
    row1 = meta + ["Olen", MATRIX] + [""] * (len(ITEMS) - 1)
    row2 = [""] * len(meta) + ["Response"] + [t for _, t in ITEMS]
    rows = [[str(11400000000 + r.number), "431234567", (r.when - timedelta(minutes=5)).strftime("%m/%d/%Y %I:%M:%S %p"),
             r.when.strftime("%m/%d/%Y %I:%M:%S %p"), "", "", "", "", "", ROLES[r.role][1]]
            + [_label(o) for o in r.options] for r in resp]
    path.write_text(_csv([row1, row2] + rows, ","), encoding="utf-8")


WRITERS = {"webropol": ("webropol_numerot.csv", webropol), "msforms": ("forms.xlsx", msforms),
           "limesurvey": ("results-survey123.csv", limesurvey), "googleforms": ("google.csv", googleforms),
           "redcap": ("redcap_raw.csv", redcap), "surveymonkey": ("surveymonkey.csv", surveymonkey)}
