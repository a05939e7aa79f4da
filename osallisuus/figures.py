"""Figures: diverging Likert bars, phase trajectories, region comparison.

Every plot function takes ``ax=None``, returns the Axes, and leaves an alt text
generated from the plotted numbers in ``ax.figure.osallisuus_alt`` (read it with
:func:`alt_text`). Colours come from ColorBrewer's colour-blind-safe PuOr palette,
and every distinction is also made without colour: the negative side is hatched,
segments carry their percentage, lines differ by marker shape and are labelled
directly. Groups below the suppression threshold are left out with a note.
"""
from __future__ import annotations

import base64
import html
import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # reports render off-screen; set before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .i18n import fmt_number, fmt_percent, phase_label, role_label, t  # noqa: E402
from .scoring import _instrument  # noqa: E402
from .suppression import Suppression  # noqa: E402

MISSING_COLOUR = "#9e9e9e"
INK = "#1a1a1a"
MARKERS = ["o", "s", "^", "D", "v", "P"]
LINE_COLOURS = ["#5e3c99", "#e66101", "#1b7837", "#0571b0", "#b2182b", "#4d4d4d"]  # distinct in greyscale too


def _palette(k: int) -> list:
    """PuOr from negative (purple) to positive (orange); an odd scale's neutral middle is a
    mid grey, since PuOr's own middle is near-white and vanishes on a white page."""
    cmap = matplotlib.colormaps["PuOr"]
    colours = [cmap(x) for x in np.linspace(0.12, 0.88, k)][::-1] if k > 1 else [cmap(0.8)]
    if k % 2:
        colours[k // 2] = (0.78, 0.78, 0.78, 1.0)
    return colours


def _new_ax(ax, height: float = 4.0, width: float = 8.0):
    if ax is None:
        _, ax = plt.subplots(figsize=(width, height), dpi=110)
    return ax


def _set_alt(ax, text: str):
    ax.figure.osallisuus_alt = text
    return ax


def alt_text(ax) -> str:
    """The alt text a plot function generated for this Axes' figure."""
    return getattr(ax.figure, "osallisuus_alt", "")


def _group_label(by: str | None, value, lang: str) -> str:
    if by == "role":
        return role_label(str(value), lang)
    if by == "phase":
        return phase_label(str(value), lang)
    return str(value)


def _note(ax, text: str) -> None:
    ax.figure.text(0.01, 0.005, text, fontsize=8, color=INK, ha="left", va="bottom", wrap=True)


def likert_bars(data: pd.DataFrame, instrument, by: str | None = None, ax=None, lang: str = "fi",
                suppression: Suppression | None = None, wrap: int = 38):
    """Diverging stacked bars of answer shares per item (and per group ``by``).

    Shares are of valid answers, centred on the scale's neutral point (an odd scale's middle
    category is split half and half). The missing category ("En osaa sanoa") is drawn as a
    separate grey bar to the right of the diverging bars, as a share of all answers.
    """
    inst = _instrument(instrument)
    scale = inst.scale
    rows = data[(data["instrument"] == inst.id) & data["code"].notna() & data["item"].isin(inst.rated_items)]
    codes = sorted(scale.valid_codes)              # low -> high, left -> right
    k = len(codes)
    labels = {p.code: p.label[lang] for p in scale.all_points}
    groups = [None]
    if by:
        present = set(rows[by].astype(str))
        order = list(rows[by].cat.categories) if hasattr(rows[by], "cat") else sorted(present)
        groups = [g for g in map(str, order) if g in present]
    bars, omitted = [], False
    for item in inst.rated_items:
        sub = rows[rows["item"] == item]
        for g in groups:
            part = sub if g is None else sub[sub[by].astype(str) == g]
            counts = part["code"].value_counts()
            n_valid = int(sum(counts.get(c, 0) for c in codes))
            n_missing = int(sum(counts.get(c, 0) for c in scale.missing_codes))
            if n_valid == 0 or (suppression is not None and suppression.is_small(n_valid)):
                omitted = omitted or n_valid > 0
                continue
            shares = np.array([counts.get(c, 0) / n_valid for c in codes])
            label = textwrap.shorten(inst.item_text(item, lang), wrap * 2, placeholder="…")
            label = "\n".join(textwrap.wrap(label, wrap))
            if g is not None:
                label = f"{_group_label(by, g, lang)}: {label}"
            bars.append({"label": label, "shares": shares, "n": n_valid, "missing": n_missing,
                         "missing_share": n_missing / (n_valid + n_missing), "item": item, "group": g})
    ax = _new_ax(ax, height=max(2.5, 0.55 * len(bars) + 1.6), width=9.5)
    colours = _palette(k)
    mid = (k - 1) / 2
    right_edge = 0.0
    for y, bar in enumerate(bars[::-1]):
        # centre on the neutral point: odd scales split the middle category, even ones start at it
        left = -(bar["shares"][: k // 2].sum() + (bar["shares"][k // 2] / 2 if k % 2 else 0))
        for j, share in enumerate(bar["shares"]):
            negative = j < mid
            ax.barh(y, share, left=left, color=colours[j], edgecolor="white", linewidth=0.6,
                    hatch="///" if negative else None, label=labels[codes[j]] if y == 0 else None)
            if share >= 0.08:
                shade = np.mean(colours[j][:3])
                ax.text(left + share / 2, y, fmt_percent(share, lang), ha="center", va="center", fontsize=7.5,
                        color="white" if shade < 0.55 else INK,
                        bbox=dict(boxstyle="round,pad=0.1", fc=colours[j], ec="none", alpha=0.9) if negative else None)
            left += share
        right_edge = max(right_edge, left)
    gap_x = max(right_edge, 0.6) + 0.12
    if scale.missing_codes:
        for y, bar in enumerate(bars[::-1]):
            ax.barh(y, bar["missing_share"], left=gap_x, color=MISSING_COLOUR, hatch="xx", edgecolor="white",
                    label=" / ".join(labels[c] for c in scale.missing_codes) if y == 0 else None)
            ax.text(gap_x + bar["missing_share"] + 0.01, y, fmt_percent(bar["missing_share"], lang), va="center", fontsize=7.5)
        ax.axvline(gap_x - 0.06, color=INK, linewidth=0.5, linestyle=":")
    ax.axvline(0, color=INK, linewidth=0.8)
    ax.set_yticks(range(len(bars)))
    ax.set_yticklabels([b["label"] for b in bars[::-1]], fontsize=8)
    ticks = np.arange(-1, 1.01, 0.25)
    ticks = ticks[(ticks >= -1) & (ticks <= max(right_edge, 0.6) + 0.001)]
    ax.set_xticks(ticks)
    ax.set_xticklabels([fmt_percent(abs(x), lang) for x in ticks], fontsize=8)
    ax.set_xlim(-1.02, gap_x + (0.45 if scale.missing_codes else 0))
    ax.set_xlabel(t("fig.share_valid", lang), fontsize=8.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles, legend_labels = ax.get_legend_handles_labels()
    order = [legend_labels.index(labels[c]) for c in sorted(codes, reverse=True) if labels[c] in legend_labels]
    order += [i for i, lab in enumerate(legend_labels) if i not in order]
    if handles:
        ax.legend([handles[i] for i in order], [legend_labels[i] for i in order], fontsize=7.5, frameon=False,
                  loc="upper center", bbox_to_anchor=(0.5, -0.12 if len(bars) > 3 else -0.25), ncol=min(6, len(order)))
    if omitted and suppression is not None:
        _note(ax, t("fig.suppressed_note", lang, k=suppression.threshold))
    ax.figure.tight_layout()
    pos = set(scale.positive)
    alt = [t("fig.likert_alt", lang, instrument=inst.name[lang], n=len(bars))]
    for bar in bars:
        share_pos = sum(s for c, s in zip(codes, bar["shares"]) if c in pos)
        alt.append(t("fig.likert_alt_bar", lang, label=bar["label"].replace("\n", " "), pos=fmt_percent(share_pos, lang),
                     n=bar["n"]))
    if omitted and suppression is not None:
        alt.append(t("fig.suppressed_note", lang, k=suppression.threshold))
    return _set_alt(ax, " ".join(alt))


def trajectory(summary: pd.DataFrame, ax=None, lang: str = "fi", suppression: Suppression | None = None,
               group: str | None = "role", ylabel: str | None = None):
    """Means per phase with 95 % intervals, one line per group (marker shapes differ)."""
    ax = _new_ax(ax, height=3.8, width=7.5)
    data = summary.copy()
    small = data["suppressed"].astype(bool) if "suppressed" in data else pd.Series(False, index=data.index)
    if suppression is not None:
        small |= np.atleast_1d(suppression.is_small(data["n"].to_numpy()))
    omitted = bool(small.any())
    data = data[~small & data["mean"].notna()]
    phases = [p for p in ("baseline", "interim", "final") if p in set(data["phase"].astype(str))]
    x_of = {p: i for i, p in enumerate(phases)}
    groups = [None] if not group or group not in data else list(dict.fromkeys(data[group].astype(str)))
    alt_parts = []
    for i, g in enumerate(groups):
        part = data if g is None else data[data[group].astype(str) == g]
        part = part.assign(_x=part["phase"].astype(str).map(x_of)).sort_values("_x")
        label = _group_label(group, g, lang) if g is not None else t("tab.total", lang)
        yerr = np.vstack([part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]])
        yerr = np.nan_to_num(yerr, nan=0.0)
        ax.errorbar(part["_x"] + (i - (len(groups) - 1) / 2) * 0.06, part["mean"], yerr=yerr, marker=MARKERS[i % 6],
                    color=LINE_COLOURS[i % 6], capsize=3, linewidth=1.6, label=label)
        if len(part):
            last = part.iloc[-1]
            ax.annotate(label, (last["_x"], last["mean"]), xytext=(8, 0), textcoords="offset points", fontsize=8,
                        va="center", color=LINE_COLOURS[i % 6])
        alt_parts.append(f"{label}: " + ", ".join(f"{phase_label(p, lang).lower()} {fmt_number(m, lang)}"
                                                   for p, m in zip(part["phase"].astype(str), part["mean"])))
    ax.set_xticks(range(len(phases)))
    ax.set_xticklabels([phase_label(p, lang) for p in phases], fontsize=9)
    ax.set_xlim(-0.4, max(len(phases) - 1, 1) + 0.7)
    ax.set_ylabel(ylabel or t("fig.mean", lang), fontsize=9)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt_number(v, lang)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="best")
    if omitted:
        _note(ax, t("fig.suppressed_note", lang, k=suppression.threshold if suppression else 5))
    ax.figure.tight_layout()
    alt = t("fig.trajectory_alt", lang) + " " + "; ".join(alt_parts) + "."
    if omitted:
        alt += " " + t("fig.suppressed_note", lang, k=suppression.threshold if suppression else 5)
    return _set_alt(ax, alt)


def region_comparison(table: pd.DataFrame, ax=None, lang: str = "fi", highlight: str | None = None,
                      reference: tuple | None = None, xlabel: str | None = None):
    """Mean per region with 95 % interval, sorted; the highlighted region is bold, marked with
    a larger diamond and an arrow (not by colour alone); optional reference line (value, label)."""
    data = table.dropna(subset=["mean"]).sort_values("mean").reset_index(drop=True)
    ax = _new_ax(ax, height=max(2.2, 0.45 * len(data) + 1.2), width=7.5)
    for y, row in data.iterrows():
        is_hl = highlight is not None and row["region"] == highlight
        ax.errorbar(row["mean"], y, xerr=[[row["mean"] - row["ci_low"]], [row["ci_high"] - row["mean"]]],
                    fmt="D" if is_hl else "o", markersize=9 if is_hl else 6, capsize=3,
                    color=LINE_COLOURS[1] if is_hl else LINE_COLOURS[0])
        ax.text(row["ci_high"], y, f"  {fmt_number(row['mean'], lang)} (n = {int(row['n'])})" + ("  ◀" if is_hl else ""),
                va="center", fontsize=8, fontweight="bold" if is_hl else "normal")
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels(data["region"], fontsize=9)
    for tick, region in zip(ax.get_yticklabels(), data["region"]):
        if region == highlight:
            tick.set_fontweight("bold")
    if reference and reference[0] is not None:
        ax.axvline(reference[0], color=INK, linestyle="--", linewidth=1)
        ax.text(reference[0], len(data) - 0.4, f" {reference[1]} {fmt_number(reference[0], lang)}", fontsize=8, va="bottom")
    ax.set_ylim(-0.6, len(data) - 0.1 + (0.5 if reference else 0))
    lo = min(data["ci_low"].min(), reference[0] if reference and reference[0] else np.inf)
    hi = max(data["ci_high"].max(), reference[0] if reference and reference[0] else -np.inf)
    span = hi - lo if hi > lo else 1
    ax.set_xlim(lo - 0.05 * span, hi + 0.35 * span)
    ax.set_xlabel(xlabel or t("fig.mean", lang), fontsize=9)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt_number(v, lang)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.figure.tight_layout()
    parts = [f"{r.region} {fmt_number(r.mean, lang)}" for r in data[::-1].itertuples()]
    alt = t("fig.region_alt", lang, n=len(data)) + " " + ", ".join(parts) + "."
    if reference and reference[0] is not None:
        alt += " " + t("fig.reference_alt", lang, label=reference[1], value=fmt_number(reference[0], lang))
    return _set_alt(ax, alt)


def figure_html(ax, caption: str, alt: str | None = None) -> str:
    """The figure as a self-contained ``<figure>``: PNG data URI, alt text, caption; closes it."""
    fig = ax.figure
    buf = io.BytesIO()
    # layout is already tight (tight_layout in each plot); bbox_inches="tight" would draw twice
    fig.savefig(buf, format="png", dpi=110, facecolor="white")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = alt if alt is not None else getattr(fig, "osallisuus_alt", "") or caption
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")
