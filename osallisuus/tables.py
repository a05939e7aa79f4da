"""THL-style tables: answer distributions per item (as Taulukko 3 of seed 004) and their
display texts with Finnish number formatting (the report templates turn them into markup).

Honest-table helpers (issue 9):

* :func:`distribution_shares`: shares per answer category beside the item means, so that a
  comparison of means shows what the means hide (percentages computed from the counts,
  rounded half up by :mod:`osallisuus.numbers`).
* :func:`caution_flags` / :data:`CAUTION_N`: a caution mark for n < 10.
* :func:`score_bounds` and :func:`bounded_t_interval`: a t interval for a mean, clipped to
  the bounds of the scale (documented choice: clipping keeps the usual t interval where it
  is inside the scale and only cuts what no answer can reach; a clipped interval is flagged
  so that the note can say so).
* :func:`ordinal_note`: the reference category and direction of the odds ratios of
  :func:`osallisuus.change.ordinal_model`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import i18n
from .instruments import Instrument
from .numbers import format_count, round_half_up
from .scoring import _instrument
from .suppression import Suppression

__all__ = ["TOTAL", "CAUTION_N", "likert_table", "distribution_shares", "caution_flags", "score_bounds",
           "bounded_t_interval", "ordinal_note", "likert_display", "scale_note"]

TOTAL = "__total__"
#: below this many answers a statistic is shown with a caution mark
CAUTION_N = 10


def likert_table(data: pd.DataFrame, instrument: str | Instrument, by: str | None = None,
                 lang: str = "fi", suppression: Suppression | None = None, total: bool = True,
                 respondents=None) -> pd.DataFrame:
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
        Add a total row (``"__total__"``) pooling all answers, as "Yhteensä" in Taulukko 3;
        never for an instrument with reverse-keyed statements (agreeing with a negative
        statement and with a positive one would be added up as the same answer;
        ``attrs["no_total"]`` then says ``"reverse"``).
    respondents : int or mapping, optional
        How many respondents a reader can see elsewhere for the people counted (a design
        table's respondents; per group of ``by`` as a mapping): the disclosure check then knows
        that an item's answers, "En osaa sanoa" included, are at most that
        (:func:`osallisuus.disclosure.protect_table`).

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
        present = set(rows[by].unique())
        groups = [g for g in rows[by].cat.categories if g in present] if hasattr(rows[by], "cat") \
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
    no_total = "reverse" if total and inst.reverse_items else ""
    if total and not no_total:
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
    if suppression is not None and suppression.small_counts:
        table = _protect(table, labels, scale, suppression, total, respondents)
    elif suppression is not None:
        table = suppression.mask_stats(table, "n", ["mean", "median"])
        small = table["suppressed"].to_numpy()
        table[labels] = table[labels].astype(float)
        table.loc[small, labels] = np.nan
    table.attrs.update(instrument=inst.id, lang=lang, labels=labels, by=by, no_total=no_total)
    return table


def _protect(table: pd.DataFrame, labels: list[str], scale, suppression: Suppression, total: bool,
             respondents=None) -> pd.DataFrame:
    """Primary and secondary suppression of each block (a group's items and its total row) by
    :func:`osallisuus.disclosure.protect_table`; ``attrs["marks"]`` tells primary from secondary."""
    from .disclosure import protect_table
    out = table.copy()
    nv = len(scale.valid_codes)
    cells_in = out[labels].to_numpy(dtype=float)
    n_in, mean_in, median_in = (out[c].to_numpy(dtype=float) for c in ("n", "mean", "median"))
    cells_out, n_out, mean_out, median_out = cells_in.copy(), n_in.copy(), mean_in.copy(), median_in.copy()
    suppressed = out["suppressed"].to_numpy(dtype=bool).copy()
    mark_cells = np.full(cells_in.shape, "", dtype=object)
    mark_n, mark_mean = np.full(len(out), "", dtype=object), np.full(len(out), "", dtype=object)
    # each block (a group's items and its total row) by position; written back once at the end
    blocks = [np.arange(len(out))] if out.index.nlevels == 1 else \
        [np.flatnonzero(out.index.get_level_values(0) == g) for g in out.index.get_level_values(0).unique()]
    for pos in blocks:
        counts = np.nan_to_num(cells_in[pos], nan=0.0).astype(int)
        group = out.index[pos[0]][0] if out.index.nlevels > 1 else None
        bound = respondents.get(group) if isinstance(respondents, dict) else respondents
        p = protect_table(counts, scale.valid_codes, total_row=len(pos) - 1 if total else None,
                          threshold=suppression.threshold, decimals=1, respondents=bound)
        cells = np.where(p.primary, "primary", np.where(p.hidden, "secondary", "")).astype(object)
        cells[np.ix_(p.suppressed, np.arange(len(labels)) < nv)] = "primary"
        mark_cells[pos] = cells
        mark_n[pos] = np.where(p.suppressed, "primary", np.where(p.n_hidden, "secondary", ""))
        mark_mean[pos] = np.where(p.suppressed, "primary", np.where(p.mean_hidden, "secondary", ""))
        cells_out[pos] = np.where(p.hidden, np.nan, cells_in[pos])
        n_out[pos] = np.where(p.n_hidden | p.suppressed, np.nan, n_in[pos])
        mean_out[pos] = np.where(p.mean_hidden | p.suppressed, np.nan, mean_in[pos])
        median_out[pos] = np.where(p.hidden[:, :nv].any(axis=1) | p.mean_hidden | p.suppressed, np.nan, median_in[pos])
        suppressed[pos] = p.suppressed
    out[labels] = cells_out
    out["n"], out["mean"], out["median"], out["suppressed"] = n_out, mean_out, median_out, suppressed
    marks = pd.DataFrame({**{c: mark_cells[:, j] for j, c in enumerate(labels)}, "n": mark_n, "mean": mark_mean},
                         index=out.index, columns=[*labels, "n", "mean"])
    out["suppressed"] = out["suppressed"].astype(bool)
    out["n"] = out["n"].round().astype("Int64")          # a count, empty where hidden
    # the protection assumed the mean is published to one decimal: the table itself (shown as is
    # in a notebook or saved to Excel) must not carry more, or the mean gives hidden cells back
    out["mean"] = [float(round_half_up(v, 1)) if pd.notna(v) else np.nan for v in out["mean"]]
    out.attrs["marks"] = marks
    return out


# ------------------------------------------------------------------ display
def likert_display(table: pd.DataFrame, lang: str = "fi", suppression: Suppression | None = None,
                   instrument: Instrument | None = None) -> tuple[list[str], list[list[str]], list[str], list[int]]:
    """Display texts of a :func:`likert_table`: columns, rows, notes and the indices of total rows.

    Counts as whole numbers, the mean with one decimal in the language's form, suppressed
    cells as the suppression symbol; rows start with the item text (or "Yhteensä").
    ``instrument``: the table's instrument, when it is a project's own that the settings of the
    working folder do not know (default: loaded by the id the table carries).
    """
    inst = instrument if instrument is not None else _instrument(table.attrs["instrument"])
    labels = table.attrs["labels"]
    from .disclosure import SECONDARY
    sym = suppression.symbol if suppression else "–"
    marks = table.attrs.get("marks")
    mark_of = {} if marks is None else {(idx, col): mark for col in [*labels, "n", "mean"]
                                        for idx, mark in zip(marks.index, marks[col].tolist())}

    def shown(idx, col, text):
        mark = mark_of.get((idx, col), "")
        return SECONDARY if mark == "secondary" else sym if mark == "primary" else text

    count = lambda v: sym if pd.isna(v) else format_count(v)  # noqa: E731
    rows, totals = [], []
    for idx, r in zip(table.index, records(table)):
        item = idx[-1] if isinstance(idx, tuple) else idx
        name = i18n.t("tab.total", lang) if item == TOTAL else _row_name(inst, item, lang)
        if item == TOTAL:
            totals.append(len(rows))
        mean = sym if pd.isna(r["mean"]) else i18n.fmt_number(float(r["mean"]), lang, 1)
        rows.append([name, *[shown(idx, c, count(r[c])) for c in labels],
                     shown(idx, "n", sym if r["suppressed"] else count(r["n"])), shown(idx, "mean", mean)])
    notes = ["*" + scale_note(inst, lang)]
    if inst.reverse_items:
        notes.append(i18n.t("tab.reverse_note", lang) + (" " + i18n.t("tab.no_total_reverse", lang)
                                                         if table.attrs.get("no_total") == "reverse" else ""))
    if suppression is not None and (table["suppressed"].any() or suppression.small_counts):
        notes.append(suppression.note(lang))
    if marks is not None and (marks == "secondary").any().any():
        notes.append(i18n.t("sup.secondary_note", lang, k=suppression.threshold, mark=SECONDARY))
    return [*labels, "n", i18n.t("tab.mean", lang) + "*"], rows, notes, totals


def records(frame) -> list[dict]:
    """The rows of a (small) result table as dicts, ``frame.to_dict("records")`` in a column at
    a time: a table of tests has some forty columns, and pandas makes rows one cell at a time
    (``iterrows`` a Series per row, each with a deep copy of the frame's ``attrs``)."""
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, values)) for values in zip(*_column_lists(frame))]


def _column_lists(frame):
    """Each column's values as ``frame[column].tolist()`` gives them, read from the frame's
    column arrays: a Series per column costs pandas some 20 microseconds, eight times the
    list (a datetime column, kept as numbers in its array, goes through its Series)."""
    arrays = getattr(frame, "_iter_column_arrays", None)    # pandas' own; without it, a Series per column
    if arrays is None:
        yield from (frame.iloc[:, j].tolist() for j in range(frame.shape[1]))
        return
    for j, values in enumerate(arrays()):
        plain = not isinstance(values, np.ndarray) or values.dtype.kind not in "mM"
        yield values.tolist() if plain else frame.iloc[:, j].tolist()


def _row_name(inst: Instrument, item: str, lang: str) -> str:
    """The statement's text, marked when it is reverse-worded."""
    text = inst.item_text(item, lang)
    return f"{text} {i18n.t('tab.reverse_mark', lang)}" if item in inst.reverse_items else text


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


# ------------------------------------------------------------------ honest-table helpers
def distribution_shares(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Shares per answer category of a :func:`likert_table`, to print beside its means.

    Parameters
    ----------
    table : DataFrame
        A :func:`likert_table` (its ``attrs`` name the instrument and labels).
    lang : str, optional
        Language of the percentage texts (default: the table's).

    Returns
    -------
    DataFrame
        Same index; per valid answer label its share of the valid answers (``n``, "En osaa
        sanoa" excluded, as in the mean) as a float 0..1 and as text (``"<label> %"``
        columns, half up from the counts: 5 of 8 -> "63 %"); per missing label (e.g. "En
        osaa sanoa") its share of *all* answers; ``n``, ``mean`` and ``caution``
        (n < :data:`CAUTION_N`). Suppressed rows and hidden counts give NaN and "–".

    Examples
    --------
    Hand calculation on Taulukko 3 of seed 004: "Resursointi" 1, 1, 3, 0 of n = 5 gives
    20 %, 20 %, 60 %, 0 %.
    """
    from .numbers import percent_from_counts
    inst = _instrument(table.attrs["instrument"])
    lang = lang or table.attrs.get("lang", "fi")
    labels_all = list(table.attrs["labels"])              # in the table's own language
    n_valid = len(inst.scale.points)
    valid, missing = labels_all[:n_valid], labels_all[n_valid:]
    counts = table[labels_all].astype(float)
    valid_n = counts[valid].sum(axis=1, min_count=1)
    all_n = counts.sum(axis=1, min_count=1)

    def texts(ks, ns):
        return [percent_from_counts(int(k), int(n), lang) if np.isfinite(k) and np.isfinite(n) and n > 0
                else "\u2013" for k, n in zip(ks, ns)]
    out = pd.DataFrame(index=table.index)
    for labels, base in ((valid, valid_n), (missing, all_n)):
        for lab in labels:
            out[lab] = counts[lab] / base
            out[f"{lab} %"] = texts(counts[lab], base)
    out["n"] = table["n"]
    out["mean"] = table["mean"]
    out["caution"] = caution_flags(table["n"])
    return out


def caution_flags(n, threshold: int = CAUTION_N) -> np.ndarray | bool:
    """True where ``n`` (answers or respondents behind a statistic) is below ``threshold`` (10).

    With fewer than 10 answers a mean and its interval move a lot with one answer; the
    table marks them (``tab.caution_mark``) and its note says so (``tab.caution_note``).

    >>> caution_flags([9, 10, 0]).tolist()
    [True, False, True]
    """
    arr = np.asarray(n, dtype=float)
    flags = ~(arr >= threshold)          # NaN counts as "too few to trust"
    return bool(flags) if flags.ndim == 0 else flags


def score_bounds(instrument: str | Instrument) -> tuple[float, float]:
    """The lowest and highest possible score: 0-100 for a percent-of-range score, the scale's
    ends for a mean, k times the ends for a (prorated) sum over the k scored items."""
    inst = _instrument(instrument)
    lo, hi = float(inst.scale.low), float(inst.scale.high)
    if inst.percent_of_range and inst.method == "mean":
        return 0.0, 100.0
    if inst.method == "sum":
        k = len(inst.rated_items)
        return k * lo, k * hi
    return lo, hi


def bounded_t_interval(values, low: float, high: float, ci: float = 0.95) -> dict:
    """Mean with a t interval clipped to the scale bounds [``low``, ``high``].

    The interval is ``DescrStatsW(values).tconfint_mean(alpha=1 - ci)`` (statsmodels),
    then each end is clipped to the bounds. Clipping is the documented choice: inside the
    bounds it is the usual t interval; the ``clipped`` flag tells the note that the normal
    approximation reached past what any answer can give (then read the interval as rough).
    ``caution`` is True for n < 10.

    Returns
    -------
    dict
        ``n``, ``mean``, ``ci_low``, ``ci_high``, ``clipped``, ``caution``; NaN interval
        for n < 2.

    Examples
    --------
    Hand calculation: values 95, 100, 100 on 0-100 have mean 98.33, sd 2.887; the t
    interval 98.33 +- 4.303 * 2.887 / sqrt(3) = 91.16..105.5 is clipped to 91.16..100.
    """
    from statsmodels.stats.weightstats import DescrStatsW
    if not low < high:
        raise ValueError(f"bounded_t_interval: low ({low}) must be below high ({high})")
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    out = {"n": n, "mean": float(x.mean()) if n else np.nan, "ci_low": np.nan, "ci_high": np.nan,
           "clipped": False, "caution": bool(caution_flags(n))}
    if n < 2:
        return out
    if x.std() == 0:
        lo_t = hi_t = float(x.mean())
    else:
        lo_t, hi_t = DescrStatsW(x).tconfint_mean(alpha=1 - ci)
    out.update(ci_low=float(max(lo_t, low)), ci_high=float(min(hi_t, high)),
               clipped=bool(lo_t < low or hi_t > high))
    return out


def ordinal_note(model: pd.DataFrame, lang: str = "fi") -> str:
    """The note under an ordinal-model table: reference categories and what OR > 1 means.

    ``model`` is :func:`osallisuus.change.ordinal_model` output; each variable's
    ``reference`` level is named with its label (phases and roles from the vocabulary).
    """
    if model is None or not len(model):
        return ""
    refs = []
    for variable, ref in model.groupby("variable", sort=False)["reference"].first().items():
        key = f"tab.variable.{variable}"
        name = i18n.t(key, lang) if key in i18n.translations() else str(variable)
        refs.append(f"{name}: {_level_label(variable, ref, lang)}")
    return i18n.t("tab.ordinal_note", lang, references="; ".join(refs))


def _level_label(variable: str, level, lang: str) -> str:
    try:
        if variable == "phase":
            return i18n.phase_label(str(level), lang).lower()
        if variable == "role":
            label = i18n.role_label(str(level), lang)
            return label[:1].lower() + label[1:]
    except KeyError:
        pass
    return str(level)
