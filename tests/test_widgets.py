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
    return itertools.product(
        [dataset],
        SCALINGS,
        LOSSES,
        widgets.LEARNING_RATE_RANGE,
        widgets.ITERATION_RANGE,
        SCHEMES,
        widgets.HIDDEN_LAYERS,
    )


@pytest.mark.slow
@pytest.mark.parametrize("dataset", widgets.DATASETS)
def test_divergence_lab_survives_every_corner_of_its_controls(dataset):
    # pyproject's filterwarnings = error turns any warning into a failure here.
    for corner in lab_corners(dataset):
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
