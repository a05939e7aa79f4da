"""THL-style tables: answer distributions per item (as Taulukko 3 of seed 004) and their
display texts with Finnish number formatting (the report templates turn them into markup)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import i18n
from .instruments import Instrument
from .scoring import _instrument
from .suppression import Suppression

TOTAL = "__total__"


def likert_table(data: pd.DataFrame, instrument: str | Instrument, by: str | None = None,
                 lang: str = "fi", suppression: Suppression | None = None, total: bool = True) -> pd.DataFrame:
    """Answer counts per item and scale label, with n, mean and median (Taulukko 3 form).

    Parameters
    ----------
    data : DataFrame
        Validated answers.
    instrument : str or Instrument
    by : str, optional
        A grouping column (e.g. ``"role"``); the result is indexed by (group, item).
    lang : {'fi', 'sv', 'en'}
        Language of the label columns.
    suppression : Suppression, optional
        Rows with fewer valid answers than the threshold lose their statistics and counts
        (``suppressed`` is True); with ``small_counts`` also single small counts are hidden.
    total : bool
        Add a total row (``"__total__"``) pooling all answers, as "Yhteensä" in Taulukko 3.

    Returns
    -------
    DataFrame
        Indexed by item id (and group): one column per scale label in scale order, the
        missing labels ("En osaa sanoa") as their own columns, then ``n`` (valid answers,
        missing codes excluded), ``mean``, ``median`` and ``suppressed``.

    Examples
    --------
    Checked against Taulukko 3 of seed 004 (THL 2018): the row "Resursointi" with counts
    1, 1, 3, 0, 0 on 4 = erittäin hyvin … 1 = erittäin huonosti has n = 5 and mean
    (4 + 3 + 2*3) / 5 = 2.6; the total row 13, 31, 10, 1, 0 has mean 166 / 55 = 3.0.
    """
    inst = _instrument(instrument)
    scale = inst.scale
    rows = data[(data["instrument"] == inst.id) & data["code"].notna()]
    rows = rows[rows["item"].isin(inst.rated_items)]
    codes = [p.code for p in scale.all_points]
    labels = scale.labels(lang)
    keys = ([by] if by else []) + ["item"]
    counts = (rows.assign(item=rows["item"].astype(str))
              .groupby(keys + ["code"], observed=True).size().unstack("code", fill_value=0)
              .reindex(columns=codes, fill_value=0))
    if by:
        groups = [g for g in rows[by].cat.categories if g in set(rows[by])] if hasattr(rows[by], "cat") \
            else sorted(rows[by].unique())
        index = pd.MultiIndex.from_product([groups, inst.rated_items], names=keys)
    else:
        index = pd.Index(inst.rated_items, name="item")
    counts = counts.reindex(index, fill_value=0)

    def stats(c: pd.DataFrame) -> pd.DataFrame:
        valid = c[scale.valid_codes].to_numpy(dtype=float)
        n = valid.sum(axis=1)
        vals = np.array(scale.valid_codes, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (valid * vals).sum(axis=1) / n
        order = np.argsort(vals)
        cum = np.cumsum(valid[:, order], axis=1)
        median = np.full(len(c), np.nan)
        for i in range(len(c)):
            if n[i] > 0:  # median of grouped ordinal answers: mean of the two middle values
                lo = vals[order][np.searchsorted(cum[i], (n[i] + 1) // 2)]
                hi = vals[order][np.searchsorted(cum[i], n[i] // 2 + 1)]
                median[i] = (lo + hi) / 2
        out = c.copy()
        out.columns = labels
        out["n"] = n.astype(int)
        out["mean"] = np.where(n > 0, mean, np.nan)
        out["median"] = median
        return out

    table = stats(counts)
    if total:
        if by:
            tot = counts.groupby(level=0, observed=True, sort=False).sum()
            tot.index = pd.MultiIndex.from_arrays([tot.index, [TOTAL] * len(tot)], names=keys)
            table = pd.concat([table, stats(tot)]).sort_index(level=0, sort_remaining=False, kind="stable")
            table = table.reindex([(g, it) for g in groups for it in [*inst.rated_items, TOTAL]])
        else:
            tot = counts.sum().to_frame().T
            tot.index = pd.Index([TOTAL], name="item")
            table = pd.concat([table, stats(tot)])
    table["suppressed"] = False
    if suppression is not None:
        table = suppression.mask_stats(table, "n", ["mean", "median"])
        small = table["suppressed"].to_numpy()
        table[labels] = table[labels].astype(float)
        table.loc[small, labels] = np.nan
        hidden = suppression.mask_counts(table.loc[~small, labels])
        sub = table.loc[~small, labels].mask(hidden)
        table.loc[~small, labels] = sub
    table.attrs.update(instrument=inst.id, lang=lang, labels=labels, by=by)
    return table


# ------------------------------------------------------------------ display
def likert_display(table: pd.DataFrame, lang: str = "fi", suppression: Suppression | None = None
                   ) -> tuple[list[str], list[list[str]], list[str], list[int]]:
    """Display texts of a :func:`likert_table`: columns, rows, notes and the indices of total rows.

    Counts as whole numbers, the mean with one decimal in the language's form, suppressed
    cells as the suppression symbol; rows start with the item text (or "Yhteensä").
    """
    inst = _instrument(table.attrs["instrument"])
    labels = table.attrs["labels"]
    sym = suppression.symbol if suppression else "–"
    count = lambda v: sym if pd.isna(v) else str(int(v))  # noqa: E731
    rows, totals = [], []
    for idx, r in table.iterrows():
        item = idx[-1] if isinstance(idx, tuple) else idx
        name = i18n.t("tab.total", lang) if item == TOTAL else inst.item_text(item, lang)
        if item == TOTAL:
            totals.append(len(rows))
        mean = sym if pd.isna(r["mean"]) else i18n.fmt_number(float(r["mean"]), lang, 1)
        rows.append([name, *[count(r[c]) for c in labels], sym if r["suppressed"] else count(r["n"]), mean])
    notes = ["*" + scale_note(inst, lang)]
    if suppression is not None and (table["suppressed"].any() or suppression.small_counts):
        notes.append(suppression.note(lang))
    return [*labels, "n", i18n.t("tab.mean", lang) + "*"], rows, notes, totals


def scale_note(instrument: str | Instrument, lang: str = "fi") -> str:
    """'*Asteikko: 4 = erittäin hyvin, 1 = erittäin huonosti' from the scale (high and low ends)."""
    inst = _instrument(instrument)
    s = inst.scale
    hi, lo = s.high, s.low
    fmt = lambda c: str(int(c)) if float(c).is_integer() else str(c)  # noqa: E731
    text = i18n.t("tab.scale_note", lang, high=fmt(hi), high_label=s.label_of(hi, lang).lower(),
                  low=fmt(lo), low_label=s.label_of(lo, lang).lower())
    if s.missing:
        text += " " + i18n.t("tab.missing_note", lang, labels=", ".join(p.label[lang] for p in s.missing))
    return text
