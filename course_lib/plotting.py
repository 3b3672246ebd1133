"""Figures for the notebooks. Each function draws on an Axes and returns it.

Nothing here shows a figure (no pyplot show) or changes matplotlib's global settings; the
notebook decides when to show. Colours are the Okabe-Ito palette, which stays
distinguishable with the common forms of colour blindness.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

from ._validation import checked
from .model import predict_proba

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


def _axes(ax, figsize=(6.0, 3.6)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


@checked()
def plot_costs(histories: dict, ax=None, log_scale: bool = True, title: str | None = None, mark: bool = True):
    """Cost per iteration for each ``label -> History``, on one Axes.

    With ``mark``, each run whose cost rose at some step (``first_rise`` not
    None) gets a dot at its lowest point, wherever that is, and a run whose
    cost became inf or nan a dotted vertical line at that iteration, labelled
    with the cost there.
    """
    ax = _axes(ax)
    for index, (label, history) in enumerate(histories.items()):
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        costs = np.asarray(history.costs, dtype=float)
        finite = np.isfinite(costs)
        ax.plot(np.arange(costs.size)[finite], costs[finite], color=colour, label=f"{label} ({history.status})")
        if mark:
            _mark_run(ax, history, costs, colour, index)
    if log_scale:
        _log_cost_axis(ax, histories)
    ax.set_xlabel("iteration (gradient steps)")
    ax.set_ylabel("cost (cross-entropy)" + (", log scale" if log_scale else ""))
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def _mark_run(ax, history, costs: np.ndarray, colour, index: int) -> None:
    """A dot at the lowest cost of a run that rose; a dotted line where its cost stopped being finite."""
    if history.first_rise is not None and np.isfinite(costs).any():
        low = history.lowest_iteration
        ax.plot(low, costs[low], "o", color=colour, markersize=6)
    if history.first_nonfinite is not None:
        ax.axvline(history.first_nonfinite, color=colour, linestyle=":", linewidth=1.5)
        ax.annotate(f"cost {costs[-1]} at {history.first_nonfinite}", xy=(history.first_nonfinite, 1.0),
                    xycoords=("data", "axes fraction"), xytext=(3, -12 - 12 * index), textcoords="offset points",
                    color=colour, fontsize=8)


def _log_cost_axis(ax, histories: dict) -> None:
    """A log y axis with plain tick labels (0.685, 1e+04 read better than 6.85 x 10^-1 on a narrow axis)."""
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:.3g}"))
    finite_costs = [c for h in histories.values() for c in np.asarray(h.costs, float) if np.isfinite(c) and c > 0]
    # Label the minor ticks only on a narrow axis (under a factor of 10), where there are no major ones.
    if finite_costs and max(finite_costs) < 10 * min(finite_costs):
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda y, _: f"{y:.3g}"))
        ax.tick_params(axis="y", which="minor", labelsize=7)


def plot_decision_boundary(params, X, Y, ax=None, hidden_activation: str = "relu", title: str | None = None):
    """The probability of class 1 over the plane, with the 0.5 contour and the 2-D data.

    params : list of LayerParams of a network with 2 inputs
    X : (2, m), Y : (1, m)
    """
    if X.shape[0] != 2:
        raise ValueError(f"plot_decision_boundary needs 2-D inputs, X of shape (2, m); got {X.shape}.")
    ax = _axes(ax, figsize=(4.5, 4.0))
    margin = 0.5
    x0 = np.linspace(X[0].min() - margin, X[0].max() + margin, 200)
    x1 = np.linspace(X[1].min() - margin, X[1].max() + margin, 200)
    grid0, grid1 = np.meshgrid(x0, x1)
    grid = np.vstack([grid0.ravel(), grid1.ravel()])
    probability = predict_proba(grid, params, hidden_activation).reshape(grid0.shape)
    ax.contourf(grid0, grid1, probability, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
    ax.contour(grid0, grid1, probability, levels=[0.5], colors="black", linewidths=1)
    for label, marker, colour in ((0, "o", OKABE_ITO[0]), (1, "^", OKABE_ITO[1])):
        chosen = Y[0] == label
        ax.scatter(X[0, chosen], X[1, chosen], marker=marker, s=14, color=colour, label=f"class {label}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(fontsize=8, loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def plot_feature_ranges(X, names, ax=None, title: str | None = None):
    """Each feature's (row's) minimum-to-maximum range on a log axis: how unequal the scales are.

    X : (n_x, m); names : n_x labels.
    """
    ax = _axes(ax, figsize=(6.0, 6.0))
    X = np.asarray(X, dtype=float)
    positive = X > 0
    # A row with no positive value (all zero, say) has no range on a log axis: it is left empty.
    low = np.min(X, axis=1, initial=np.inf, where=positive)
    high = np.max(X, axis=1, initial=-np.inf, where=positive)
    rows = np.arange(X.shape[0])
    shown = positive.any(axis=1)
    ax.hlines(rows[shown], low[shown], high[shown], color=OKABE_ITO[0], linewidth=3)
    ax.set_yticks(rows, names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("range of the feature's positive values (log scale)")
    if title:
        ax.set_title(title)
    return ax


def plot_sharpness(history, ax=None, title: str | None = None, first_rise: int | None = None):
    """Sharpness (largest Hessian eigenvalue) along training, with the 2 / alpha line and the cost.

    history : a curvature.SharpnessHistory. The cost is drawn on a second
    y-axis (returned as ``ax.cost_axis``); ``first_rise`` adds a vertical line
    where the cost first rose. Returns the sharpness Axes.
    """
    ax = _axes(ax, figsize=(6.4, 3.8))
    ax.plot(history.iterations, history.sharpness, color=OKABE_ITO[0], label=r"sharpness $\lambda_{max}$")
    ax.axhline(history.threshold, color=OKABE_ITO[1], linestyle="--", label=rf"$2/\alpha$ = {history.threshold:.3g}")
    ax.set_xlabel("iteration (gradient steps)")
    ax.set_ylabel(r"sharpness $\lambda_{max}$ of the Hessian", color=OKABE_ITO[0])
    cost_axis = ax.twinx()
    steps = np.arange(history.cost_curve.size)
    cost_axis.plot(steps, history.cost_curve, color=OKABE_ITO[2], linewidth=1, alpha=0.8, label="cost")
    cost_axis.set_ylabel("cost", color=OKABE_ITO[2])
    if first_rise is not None:
        ax.axvline(first_rise, color="0.4", linestyle=":", linewidth=1, label=f"cost first rises ({first_rise})")
    lines = ax.get_legend_handles_labels()
    more = cost_axis.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize=8, loc="upper right")
    if title:
        ax.set_title(title)
    ax.cost_axis = cost_axis
    return ax
