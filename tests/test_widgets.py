"""The interactive explorers, without a browser: every corner of every control grid."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import widgets
from course_lib.data import SCALINGS
from course_lib.init import SCHEMES
from course_lib.losses import LOSSES
from course_lib.train import STATUSES

VERDICT_WORDS = ("converging", "oscillating", "diverging", "numerical overflow")


def lab_corners(dataset):
    """Every categorical value crossed with both ends of each numeric control."""
    return list(itertools.product(
        [dataset],
        SCALINGS,
        LOSSES,
        widgets.LEARNING_RATE_RANGE,
        widgets.ITERATION_RANGE,
        SCHEMES,
        widgets.HIDDEN_LAYERS,
    ))


def covering(rows, strength=3):
    """A subset of ``rows`` in which every combination of ``strength`` controls' values that occurs in ``rows``
    occurs at least once (a greedy covering array): the interactions of three settings, at a fraction of the runs."""
    def combinations_of(row):
        return {(columns, tuple(row[c] for c in columns))
                for columns in itertools.combinations(range(len(row)), strength)}

    uncovered = set().union(*(combinations_of(row) for row in rows))
    chosen = []
    while uncovered:
        best = max(rows, key=lambda row: len(combinations_of(row) & uncovered))
        chosen.append(best)
        uncovered -= combinations_of(best)
    return chosen


def test_the_covering_array_covers_every_triple_and_saves_runs():
    rows = lab_corners("breast cancer")
    chosen = covering(rows)
    every = {(cols, tuple(r[c] for c in cols)) for r in rows for cols in itertools.combinations(range(7), 3)}
    seen = {(cols, tuple(r[c] for c in cols)) for r in chosen for cols in itertools.combinations(range(7), 3)}
    assert seen == every and len(chosen) < len(rows) / 3


@pytest.mark.slow
@pytest.mark.parametrize("dataset", widgets.DATASETS)
def test_divergence_lab_survives_every_corner_of_its_controls(dataset):
    # pyproject's filterwarnings = error turns any warning into a failure here. The question's own data set gets
    # every corner; the larger ones (a 1000-step run on breast cancer takes up to a second) every combination of
    # any three settings' values.
    corners = lab_corners(dataset)
    for corner in corners if dataset == "odd/even" else covering(corners):
        result = widgets.run_divergence_lab(*corner)
        assert result.history.status in STATUSES, corner
        assert result.verdict().startswith(VERDICT_WORDS), corner
        assert 0.0 <= result.accuracy <= 1.0


@pytest.mark.parametrize(
    "corner",
    [
        ("odd/even", "none", "naive", 10.0, 1000, "he", "32, 16, 8"),
        ("breast cancer", "none", "naive", 10.0, 10, "he", "1"),
        ("moons", "standardize", "stable", 1e-4, 10, "xavier", "4"),
    ],
)
def test_divergence_lab_draws_every_kind_of_run(corner):
    result = widgets.run_divergence_lab(*corner)
    ax = widgets.draw_divergence_lab(result)
    assert ax.get_title().startswith(corner[0])
    assert ax.get_lines(), "the cost curve is missing"
    plt.close(ax.figure)


def test_default_lab_reproduces_the_original_rise():
    result = widgets.run_divergence_lab()
    assert result.settings["learning_rate"] == 1.2 and result.settings["dataset"] == "odd/even"
    assert result.history.first_rise is not None
    assert f"first rose at iteration {result.history.first_rise}" in result.verdict()


def test_scaling_by_ten_turns_the_oscillation_into_convergence_at_the_default_rate():
    assert widgets.run_divergence_lab().history.status == "oscillating"
    assert widgets.run_divergence_lab(scaling="divide by 10").history.status == "converging"


def test_a_reused_widget_figure_draws_exactly_what_a_new_figure_draws():
    """A widget redraws on one figure; whatever it drew before must leave no trace (scale, labels, legend, ticks)."""
    runs = [widgets.run_divergence_lab(),  # narrow costs: plain axis, labelled minor ticks off
            widgets.run_divergence_lab(dataset="breast cancer", init="he", hidden="16, 8"),  # nan at once
            widgets.run_divergence_lab(dataset="breast cancer", scaling="standardize", loss="stable", init="he"),
            widgets.run_divergence_lab(dataset="moons", scaling="standardize", loss="stable", learning_rate=0.1)]
    assert runs[1].history.status == "non-finite" and runs[2].history.costs[0] > 10 * runs[2].history.costs[-1]
    for order in (runs, runs[::-1], runs[1:] + runs[:1]):
        figure = widgets.WidgetFigure()
        for result in order:
            drawn = figure.render(widgets.draw_divergence_lab, result)
        assert drawn == widgets.WidgetFigure().render(widgets.draw_divergence_lab, order[-1])
    explorer = widgets.WidgetFigure()
    for rate, curvature in ((0.3, 2.0), (1.2, 2.0), (0.5, -1.0), (0.5, 0.0), (0.95, 2.0)):
        drawn = explorer.render(widgets.draw_quadratic, widgets.run_quadratic(rate, curvature))
    assert drawn == widgets.WidgetFigure().render(widgets.draw_quadratic, widgets.run_quadratic(0.95, 2.0))
    assert drawn.lstrip().startswith("<?xml") and "<svg" in drawn and "<text" in drawn  # text left as text


def test_the_lab_uses_a_log_cost_axis_only_when_the_costs_span_powers_of_ten():
    narrow = widgets.draw_divergence_lab(widgets.run_divergence_lab())
    wide = widgets.draw_divergence_lab(widgets.run_divergence_lab(dataset="breast cancer", scaling="standardize",
                                                                  loss="stable", init="he"))  # 0.92 to 0.05
    assert narrow.get_yscale() == "linear" and "log" not in narrow.get_ylabel()
    assert wide.get_yscale() == "log" and "log scale" in wide.get_ylabel()
    plt.close("all")


def test_lab_data_are_copies():
    X, _ = widgets.lab_data("odd/even")
    X[:] = 0
    assert widgets.lab_data("odd/even")[0].max() == 10


def test_lab_rejects_unknown_choices_with_the_valid_ones():
    with pytest.raises(ValueError, match="'1', '4'"):
        widgets.run_divergence_lab(hidden="3")
    with pytest.raises(ValueError, match="'odd/even'"):
        widgets.run_divergence_lab(dataset="mnist")
    with pytest.raises(ValueError, match="no control"):
        widgets.divergence_lab(momentum=0.9)


@pytest.mark.parametrize("rate", np.linspace(0.05, 1.25, 25))
def test_quadratic_explorer_over_its_slider(rate):
    result = widgets.run_quadratic(float(rate))
    factor = 1 - rate * 2.0
    assert result.factor == pytest.approx(factor)
    expected = "converges" if abs(factor) < 1 - 1e-12 else ("bounces" if abs(abs(factor) - 1) < 1e-12 else "diverges")
    assert expected in result.verdict()
    plt.close(widgets.draw_quadratic(result).figure)


def test_widget_boxes_build_and_update_without_a_browser():
    lab = widgets.divergence_lab()
    rate = next(c for c in lab.children[0].children[1].children if c.description == "iterations")
    verdict = lab.children[1]
    before = verdict.value
    learning_rate = next(c for c in lab.children[0].children[0].children if c.description == "learning rate")
    learning_rate.value = 0.01
    assert verdict.value != before and "converging" in verdict.value
    rate.value = 10
    explorer = widgets.quadratic_explorer()
    slider, text = explorer.children[0], explorer.children[1]
    before = text.value
    slider.value = 1.2
    assert text.value != before and "diverges" in text.value
    plt.close("all")


def new_control_corners(dataset):
    """Every batch size and dtype, crossed with both losses and both ends of the two sliders."""
    return itertools.product(widgets.BATCH_SIZES, widgets.DTYPES, LOSSES, widgets.LEARNING_RATE_RANGE,
                             widgets.ITERATION_RANGE)


@pytest.mark.slow
@pytest.mark.parametrize("dataset", widgets.DATASETS)
def test_divergence_lab_survives_every_corner_of_its_batch_size_and_dtype_controls(dataset):
    m = widgets.lab_data(dataset)[0].shape[1]
    for batch_size, dtype, loss, rate, iterations in new_control_corners(dataset):
        corner = (batch_size, dtype, loss, rate, iterations)
        result = widgets.run_divergence_lab(dataset=dataset, loss=loss, learning_rate=rate, iterations=iterations,
                                            batch_size=batch_size, dtype=dtype)
        history = result.history
        assert history.status in STATUSES and result.verdict().startswith(VERDICT_WORDS), corner
        expected_batch = m if widgets.BATCH_SIZES[batch_size] is None else min(widgets.BATCH_SIZES[batch_size], m)
        assert history.batch_size == expected_batch and history.steps_per_epoch == -(-m // expected_batch), corner
        assert history.dtype is widgets.DTYPES[dtype], corner
        assert all(W.dtype == widgets.DTYPES[dtype] for W, _ in history.params), corner
        assert 0.0 <= result.accuracy <= 1.0


@pytest.mark.parametrize("batch_size", list(widgets.BATCH_SIZES))
@pytest.mark.parametrize("dtype", list(widgets.DTYPES))
def test_every_batch_size_and_dtype_runs_and_draws_with_its_setting_in_the_legend(batch_size, dtype):
    result = widgets.run_divergence_lab(dataset="moons", scaling="standardize", loss="stable", learning_rate=0.1,
                                        iterations=50, batch_size=batch_size, dtype=dtype)
    assert result.settings["batch_size"] == batch_size and result.settings["dtype"] == dtype
    assert result.history.dtype is widgets.DTYPES[dtype]
    assert np.all(np.isfinite(result.history.costs)) and 0.0 <= result.accuracy <= 1.0
    ax = widgets.draw_divergence_lab(result)
    assert f"batch {batch_size}, {dtype}" in ax.get_legend().get_texts()[0].get_text()
    plt.close(ax.figure)


def test_full_batch_in_the_lab_is_the_default_run_exactly():
    default, explicit = widgets.run_divergence_lab(), widgets.run_divergence_lab(batch_size="all", dtype="float64")
    np.testing.assert_array_equal(default.history.costs, explicit.history.costs)


def test_float32_in_the_lab_agrees_with_float64_where_nothing_overflows():
    settings = dict(dataset="moons", scaling="standardize", loss="stable", learning_rate=0.1, iterations=100)
    single = widgets.run_divergence_lab(**settings, dtype="float32").history
    double = widgets.run_divergence_lab(**settings, dtype="float64").history
    np.testing.assert_allclose(single.costs, double.costs, rtol=1e-4)
    assert not np.array_equal(single.costs, double.costs)


def test_lab_rejects_unknown_batch_sizes_and_dtypes_with_the_valid_ones():
    with pytest.raises(ValueError, match="'all', '64', '16', '4', '1'"):
        widgets.run_divergence_lab(batch_size="32")
    with pytest.raises(ValueError, match="'all'"):
        widgets.run_divergence_lab(batch_size=64)
    with pytest.raises(ValueError, match="'float64', 'float32'"):
        widgets.run_divergence_lab(dtype="float16")
    with pytest.raises(ValueError, match="'float64', 'float32'"):
        widgets.divergence_lab(dtype=np.float32)


def test_the_lab_box_has_working_batch_size_and_dtype_controls():
    lab = widgets.divergence_lab()
    controls = [c for box in lab.children[0].children for c in box.children]
    batch = next(c for c in controls if c.description == "batch size")
    dtype = next(c for c in controls if c.description == "dtype")
    assert list(batch.options) == list(widgets.BATCH_SIZES) and list(dtype.options) == list(widgets.DTYPES)
    verdict = lab.children[1]
    before = verdict.value
    batch.value = "4"
    assert verdict.value != before and "epoch" in verdict.value
    dtype.value = "float32"
    assert verdict.value
    plt.close("all")
