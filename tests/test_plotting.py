"""Plotting: every function draws on an Axes and returns it, never shows, never warns."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from course_lib import fit, init_params, load_breast_cancer, make_moons, odd_even
from course_lib.data import breast_cancer_feature_names
from course_lib.plotting import plot_costs, plot_decision_boundary, plot_feature_ranges


@pytest.fixture(autouse=True)
def no_show_and_close_figures(monkeypatch):
    def forbidden_show(*args, **kwargs):
        raise AssertionError("plotting functions must leave plt.show() to the notebook")

    monkeypatch.setattr(plt, "show", forbidden_show)
    yield
    plt.close("all")


def draw(ax):
    """Render the figure, so formatters and scales run as they would in a notebook."""
    ax.figure.canvas.draw()


def lecture_run(learning_rate):
    X, Y = odd_even()
    return fit(
        X,
        Y,
        [1, 1, 1],
        learning_rate=learning_rate,
        num_iterations=200,
        rng=np.random.RandomState(3),
        init="small",
        loss="naive",
    )


@pytest.fixture(scope="module")
def histories():
    Xb, Yb = load_breast_cancer()
    raw = fit(Xb, Yb, [30, 1], learning_rate=0.01, num_iterations=20, rng=np.random.RandomState(3), loss="naive")
    return {"α = 0.03": lecture_run(0.03), "α = 1.2": lecture_run(1.2), "raw, naive": raw}


def test_plot_costs_returns_axes_with_one_labelled_curve_per_run(histories):
    finite_runs = {label: histories[label] for label in ("α = 0.03", "α = 1.2")}
    ax = plot_costs(finite_runs, title="two runs")
    draw(ax)
    assert isinstance(ax, Axes)
    assert ax.get_yscale() == "log" and ax.get_title() == "two runs"
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == [f"{label} ({run.status})" for label, run in finite_runs.items()]
    curve = ax.get_lines()[0]
    np.testing.assert_array_equal(curve.get_ydata(), histories["α = 0.03"].costs)


def test_plot_costs_marks_the_lowest_point_of_a_run_that_rose(histories):
    run = histories["α = 1.2"]
    assert run.first_rise is not None
    ax = plot_costs({"α = 1.2": run})
    markers = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(markers) == 1
    assert markers[0].get_xdata()[0] == run.lowest_iteration


def test_plot_costs_handles_a_non_finite_history(histories):
    run = histories["raw, naive"]
    assert run.first_nonfinite is not None and not np.isfinite(run.costs[-1])
    ax = plot_costs({"raw, naive": run})
    draw(ax)
    curve = ax.get_lines()[0]
    assert np.all(np.isfinite(curve.get_ydata()))
    assert len(curve.get_ydata()) == run.first_nonfinite
    assert any(f"at {run.first_nonfinite}" in text.get_text() for text in ax.texts)
    vertical = [line for line in ax.get_lines() if list(line.get_xdata()) == [run.first_nonfinite] * 2]
    assert vertical, "the iteration where the cost stopped being finite is marked"


def test_plot_costs_draws_on_a_given_axes_and_can_use_a_linear_scale(histories):
    _, given = plt.subplots()
    ax = plot_costs(histories, ax=given, log_scale=False, mark=False)
    draw(ax)
    assert ax is given
    assert ax.get_yscale() == "linear"
    assert len(ax.get_lines()) == len(histories)


def test_plot_decision_boundary_returns_axes_with_both_classes():
    X, Y = make_moons(40, np.random.default_rng(0))
    params = init_params([2, 5, 1], np.random.default_rng(1), "he")
    ax = plot_decision_boundary(params, X, Y, title="moons")
    draw(ax)
    assert isinstance(ax, Axes) and ax.get_title() == "moons"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["class 0", "class 1"]


def test_plot_decision_boundary_needs_two_features():
    X, Y = load_breast_cancer()
    params = init_params([30, 1], np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"needs 2-D inputs, X of shape \(2, m\); got \(30, 569\)"):
        plot_decision_boundary(params, X, Y)


def test_plot_feature_ranges_returns_axes_with_one_row_per_feature():
    X, _ = load_breast_cancer()
    names = breast_cancer_feature_names()
    ax = plot_feature_ranges(X, names, title="raw features")
    draw(ax)
    assert isinstance(ax, Axes)
    assert ax.get_xscale() == "log"
    assert [label.get_text() for label in ax.get_yticklabels()] == names


def test_plot_feature_ranges_does_not_warn_for_a_feature_without_positive_values():
    X = np.array([[1.0, 10.0, 100.0], [0.0, 0.0, 0.0], [-3.0, -2.0, -1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_feature_ranges(X, ["positive", "zero", "negative"])
    assert isinstance(ax, Axes)
