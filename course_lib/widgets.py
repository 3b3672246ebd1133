"""Interactive explorers for the notebooks: thin wrappers over ``fit`` and ``plotting``.

Each explorer has a pure ``run_*`` function that does the computing (tested
without a browser over every corner of its controls), a ``draw_*`` function
that draws the result on an Axes, and a function that wires both to
ipywidgets controls. Nothing here prints or warns.
"""

from __future__ import annotations

import inspect
import io
from dataclasses import dataclass
from functools import cache

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from ._validation import check_choice, check_positive_int, checked
from .data import SCALINGS, fit_scaling, load_breast_cancer, make_moons, odd_even
from .init import SCHEMES
from .losses import LOSSES
from .model import accuracy, predict
from .plotting import OKABE_ITO, plot_costs
from .quadratic import quadratic_descent
from .train import History, fit

DATASETS = ("odd/even", "breast cancer", "moons")
HIDDEN_LAYERS = {"1": (1,), "4": (4,), "8": (8,), "16, 8": (16, 8), "32, 16, 8": (32, 16, 8)}
# The learning-rate slider moves in steps of 10**0.05 (about 12%). Its grid is laid
# through 1.2, the original question's rate, so the lab can open on it exactly (a
# browser snaps a slider to its nearest position); it runs from about 1e-4 to 10.
LEARNING_RATE_LOG_STEP = 0.05
LEARNING_RATE_LOG_RANGE = (
    float(np.log10(1.2)) - 82 * LEARNING_RATE_LOG_STEP,
    float(np.log10(1.2)) + 18 * LEARNING_RATE_LOG_STEP,
)
LEARNING_RATE_RANGE = (10 ** LEARNING_RATE_LOG_RANGE[0], 10 ** LEARNING_RATE_LOG_RANGE[1])
ITERATION_RANGE = (10, 1000)
ITERATION_STEP = 10
# run_divergence_lab draws a run as it goes; beyond this a run on the larger networks takes minutes: call fit
# (with report=print to see its progress) for longer runs.
LAB_MAX_ITERATIONS = 20_000
# Mini-batch sizes ("all": full-batch gradient descent) and the two dtypes a run can use.
BATCH_SIZES = {"all": None, "64": 64, "16": 16, "4": 4, "1": 1}
DTYPES = {"float64": np.float64, "float32": np.float32}


FIGURE_SIZE = (6.4, 3.6)


class WidgetFigure:
    """The one figure a widget draws each of its results on, handed to the browser as SVG text.

    Two things keep a slider responsive. The figure, its axes and their ticks
    are made once and reused: each update removes what the last one drew and
    draws again. And SVG leaves the letters for the browser to draw, which
    takes matplotlib about as long as everything else in a PNG. Fixed margins
    and no "tight" bounding box make each update one render.
    """

    def __init__(self, figsize=FIGURE_SIZE):
        self.figure = Figure(figsize=figsize)
        FigureCanvasSVG(self.figure)
        self.figure.subplots_adjust(left=0.12, right=0.97, bottom=0.16, top=0.9)
        self.axes = self.figure.add_subplot()

    def render(self, draw, result) -> str:
        """SVG text of ``draw(result, axes)``: the same as on a new figure, whatever was drawn before."""
        self._clear()
        draw(result, self.axes)
        buffer = io.StringIO()
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "course_lib"}):
            self.figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    def _clear(self) -> None:
        """Back to an empty axes without making a new one (which would make new ticks)."""
        ax = self.axes
        for artist in [*ax.lines, *ax.texts, *ax.collections, *ax.patches, *ax.images]:
            artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        ax.set_title("")
        ax.set_xscale("linear")  # a scale brings its default tick locators and formatters
        ax.set_yscale("linear")
        ax.relim()
        ax.set_autoscale_on(True)


def _show_plot(output, figure: WidgetFigure, draw, result) -> None:
    """Replace what ``output`` (an ipywidgets Output) shows by ``figure``'s drawing of ``result``."""
    from IPython.display import display

    svg = figure.render(draw, result)
    with output:
        output.clear_output(wait=True)
        display({"image/svg+xml": svg}, raw=True)


@cache
def _lab_data(dataset: str) -> tuple[np.ndarray, np.ndarray]:
    if dataset == "odd/even":
        return odd_even()
    if dataset == "breast cancer":
        return load_breast_cancer()
    return make_moons(200, np.random.default_rng(0))


def lab_data(dataset: str) -> tuple[np.ndarray, np.ndarray]:
    """X (n_x, m) and Y (1, m) of one of DATASETS (copies: callers may change them)."""
    check_choice(dataset, "dataset", DATASETS)
    X, Y = _lab_data(dataset)
    return X.copy(), Y.copy()


@dataclass(frozen=True)
class LabResult:
    """One run of the divergence lab: its settings, History and training accuracy."""

    settings: dict
    history: History
    accuracy: float

    def verdict(self) -> str:
        return f"{self.history.verdict()}; training accuracy {self.accuracy:.1%}"


def run_divergence_lab(
    dataset: str = "odd/even",
    scaling: str = "none",
    loss: str = "naive",
    learning_rate: float = 1.2,
    iterations: int = 500,
    init: str = "small",
    hidden: str = "1",
    batch_size: str = "all",
    dtype: str = "float64",
) -> LabResult:
    """Train on ``dataset`` with these settings and report what happened.

    loss "naive" is the lecture's formulation, as the original question used;
    "stable" is the cross-entropy of the logits with dZ = A - Y. The initial
    weights come from np.random.RandomState(3), as in the question; so does the
    shuffling of mini-batches.
    """
    _check_choices(dict(hidden=hidden, scaling=scaling, batch_size=batch_size, dtype=dtype))
    _check_lab_length(iterations)
    X, Y = lab_data(dataset)
    X = fit_scaling(X, scaling).transform(X)
    history = fit(X, Y, [X.shape[0], *HIDDEN_LAYERS[hidden], 1], learning_rate=learning_rate,
                  num_iterations=iterations, rng=np.random.RandomState(3), init=init, loss=loss,
                  batch_size=BATCH_SIZES[batch_size], dtype=DTYPES[dtype])
    settings = dict(dataset=dataset, scaling=scaling, loss=loss, learning_rate=learning_rate, iterations=iterations,
                    init=init, hidden=hidden, batch_size=batch_size, dtype=dtype)
    return LabResult(settings, history, accuracy(predict(X, history.params), Y))


def draw_divergence_lab(result: LabResult, ax=None):
    """The cost curve of a lab run, first rise and first inf/nan marked; returns the Axes.

    The cost axis is a log scale when the finite costs span more than a factor of 10; on a narrower
    span a log axis looks the same as a plain one and takes a sixth longer to draw.
    """
    s = result.settings
    label = f"alpha = {s['learning_rate']:.3g}, {s['loss']} loss, batch {s['batch_size']}, {s['dtype']}"
    costs = result.history.costs[np.isfinite(result.history.costs)]
    ax = plot_costs({label: result.history}, ax=ax, log_scale=costs.size > 0 and costs.max() > 10 * costs.min())
    ax.set_title(
        f"{s['dataset']}, scaling: {s['scaling']}, hidden: [{s['hidden']}], init: {s['init']}", fontsize=10, y=1.01
    )  # a fixed y skips a costly title layout pass
    if result.history.first_rise is not None:
        rise = result.history.first_rise
        ax.axvline(rise, color=OKABE_ITO[1], linewidth=0.8, linestyle="--")
        ax.annotate(f"first rise: {rise}", xy=(rise, 0.02), xycoords=("data", "axes fraction"), xytext=(4, 0),
                    textcoords="offset points", fontsize=8, color=OKABE_ITO[1])
    return ax


def _lab_choices() -> dict:
    """The valid values of each lab control that is a list of choices."""
    return {"dataset": DATASETS, "scaling": SCALINGS, "loss": LOSSES, "init": SCHEMES, "hidden": HIDDEN_LAYERS,
            "batch_size": BATCH_SIZES, "dtype": DTYPES}


def _check_choices(settings: dict) -> None:
    """Name the valid values of any lab setting that is not one of them."""
    choices = _lab_choices()
    for name, value in settings.items():
        if name in choices:
            check_choice(value, name.replace("_", " "), choices[name])


def _check_lab_length(iterations) -> None:
    """The lab is for runs of seconds: refuse a run of minutes with where to go instead."""
    iterations = check_positive_int(iterations, "iterations")
    if iterations > LAB_MAX_ITERATIONS:
        raise ValueError(f"the lab runs at most {LAB_MAX_ITERATIONS:,} iterations (its slider goes to "
                         f"{ITERATION_RANGE[1]:,}); got {iterations:,}. For a longer run call fit(...) with "
                         "report=print, which prints its progress.")


def _check_slider_settings(settings: dict) -> None:
    """A slider would silently move a value outside its range to its end: refuse it with the range instead."""
    rate_low, rate_high = LEARNING_RATE_RANGE
    if not rate_low <= settings["learning_rate"] <= rate_high:
        raise ValueError(f"the lab's learning rate slider runs from {rate_low:.3g} to {rate_high:.3g}; "
                         f"got {settings['learning_rate']!r}. Use run_divergence_lab(...) for other rates.")
    if not ITERATION_RANGE[0] <= settings["iterations"] <= ITERATION_RANGE[1]:
        raise ValueError(f"the lab's iterations slider runs from {ITERATION_RANGE[0]} to {ITERATION_RANGE[1]}; "
                         f"got {settings['iterations']!r}. Use run_divergence_lab(...) for longer runs.")
    _check_on_the_grid("iterations", settings["iterations"], ITERATION_RANGE[0], ITERATION_STEP)
    log_rate = float(np.log10(settings["learning_rate"]))
    _check_on_the_grid("learning rate", log_rate, LEARNING_RATE_LOG_RANGE[0], LEARNING_RATE_LOG_STEP, show=10.0)


def _check_on_the_grid(name: str, value: float, low: float, step: float, show: float | None = None) -> None:
    """A slider shows only low + k * step: a value between two positions would be moved to one, silently.

    ``show`` is the base when the slider is logarithmic (value and positions are exponents).
    """
    k = (value - low) / step
    if abs(k - round(k)) > 1e-6:
        below, above = low + np.floor(k) * step, low + np.ceil(k) * step
        if show:
            value, below, above = show**value, show**below, show**above
        raise ValueError(f"the {name} slider moves in steps, and {value:.6g} lies between its positions "
                         f"{below:.4g} and {above:.4g}: choose one of those (the slider would move it there).")


def _lab_controls(widgets) -> dict:
    """One ipywidgets control per argument of run_divergence_lab."""
    style, layout = {"description_width": "110px"}, widgets.Layout(width="420px")
    return {
        "dataset": widgets.Dropdown(options=DATASETS, description="data set", style=style),
        "scaling": widgets.Dropdown(options=SCALINGS, description="input scaling", style=style),
        "loss": widgets.ToggleButtons(options=LOSSES, description="loss", style=style),
        "learning_rate": widgets.FloatLogSlider(
            base=10, min=LEARNING_RATE_LOG_RANGE[0], max=LEARNING_RATE_LOG_RANGE[1], step=LEARNING_RATE_LOG_STEP,
            description="learning rate", readout_format=".3g", style=style, layout=layout,
        ),
        "iterations": widgets.IntSlider(
            min=ITERATION_RANGE[0], max=ITERATION_RANGE[1], step=ITERATION_STEP, description="iterations",
            continuous_update=False, style=style, layout=layout,
        ),
        "init": widgets.Dropdown(options=SCHEMES, description="initialisation", style=style),
        "hidden": widgets.Dropdown(options=list(HIDDEN_LAYERS), description="hidden layers", style=style),
        "batch_size": widgets.Dropdown(options=list(BATCH_SIZES), description="batch size", style=style),
        "dtype": widgets.ToggleButtons(options=list(DTYPES), description="dtype", style=style),
    }


def divergence_lab(**defaults):
    """The divergence lab: controls, the cost curve and a one-line verdict. Returns an ipywidgets box."""
    import ipywidgets as widgets

    parameters = inspect.signature(run_divergence_lab).parameters
    unknown = set(defaults) - set(parameters)
    if unknown:
        raise ValueError(f"divergence_lab has no control {sorted(unknown)}; the controls are {list(parameters)}.")
    settings = {name: parameter.default for name, parameter in parameters.items()} | defaults
    _check_choices(settings)
    _check_slider_settings(settings)
    controls = _lab_controls(widgets)
    for name, control in controls.items():
        control.value = settings[name]
    verdict, plot, figure = widgets.HTML(), widgets.Output(), WidgetFigure()

    def update(_change=None):
        result = run_divergence_lab(**{name: control.value for name, control in controls.items()})
        verdict.value = f"<b>{result.verdict()}</b>"
        _show_plot(plot, figure, draw_divergence_lab, result)

    for control in controls.values():
        control.observe(update, names="value")
    update()
    column = list(controls.values())
    return widgets.VBox([widgets.HBox([widgets.VBox(column[:4]), widgets.VBox(column[4:])]), verdict, plot])


@dataclass(frozen=True)
class QuadraticResult:
    """Gradient descent on (curvature / 2) w^2: positions and the factor 1 - alpha lambda per step."""

    curvature: float
    learning_rate: float
    positions: np.ndarray

    @property
    def factor(self) -> float:
        return 1.0 - self.learning_rate * self.curvature

    def verdict(self) -> str:
        if self.curvature == 0:
            return (f"lambda = 0: the cost is flat, so the gradient is 0 and w stays at {self.positions[0]:.3g} "
                    "whatever alpha is")
        factor = self.factor
        if abs(factor - 1) <= 1e-12:
            kind = (f"barely moves: each step takes away only alpha lambda = {self.learning_rate * self.curvature:.3g} "
                    "of the distance")
        elif abs(factor) < 1 - 1e-12:
            kind = "converges" + (", zig-zagging" if factor < 0 else ", from one side" if factor > 0 else
                                  ": it lands on the minimum in one step")
        elif abs(abs(factor) - 1) <= 1e-12:
            kind = "neither converges nor diverges: it bounces between two points"
        else:
            kind = "diverges, each step farther out on the " + ("other side" if factor < 0 else "same side")
        return (
            f"alpha = {self.learning_rate:.3g}, {_threshold_text(self.curvature)}: each step multiplies the "
            f"distance by 1 - alpha lambda = {factor:.3g}, so it {kind}"
        )


def _threshold_text(curvature: float) -> str:
    if curvature > 0:
        return f"2 / lambda = {2 / curvature:.3g}"
    return f"lambda = {curvature:.3g} < 0 (the parabola opens downwards: there is no minimum to reach)"


@checked()
def run_quadratic(learning_rate: float, curvature: float = 2.0, start: float = 1.0, steps: int = 12) -> QuadraticResult:
    """Gradient descent on f(w) = (curvature / 2) w^2 from ``start``; any finite curvature, even 0 or negative."""
    return QuadraticResult(curvature, learning_rate, quadratic_descent(curvature, learning_rate, start, steps))


def draw_quadratic(result: QuadraticResult, ax=None):
    """The parabola, the steps as a path of points, and the iterates; returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
    w = result.positions
    reach = max(1.2 * float(np.max(np.abs(w[: min(len(w), 6)]))), 1.2)
    grid = np.linspace(-reach, reach, 200)
    ax.plot(grid, result.curvature / 2 * grid**2, color="0.6", label="f(w) = λw² / 2")
    shown = w[np.abs(w) <= reach]
    ax.plot(shown, result.curvature / 2 * shown**2, "-o", color=OKABE_ITO[1], markersize=4, label="gradient steps")
    ax.plot(w[0], result.curvature / 2 * w[0] ** 2, "s", color=OKABE_ITO[0], label="start")
    ax.set_xlim(-reach, reach)
    top = result.curvature / 2 * reach**2  # the cost at the edge: negative when the parabola opens downwards
    ax.set_ylim(*((min(top, 0) - 0.05 * abs(top), max(top, 0) + 0.05 * abs(top)) if top else (-1, 1)))
    ax.set_xlabel("parameter w")
    ax.set_ylabel("cost f(w)")
    curvature = result.curvature
    limit = f"2/λ = {2 / curvature:.3g}" if curvature > 0 else f"λ = {curvature:.3g}"
    ax.set_title(f"α = {result.learning_rate:.3g} with {limit}", fontsize=10, y=1.01)  # no mathtext: it is slow
    ax.legend(fontsize=8, loc="lower right")
    return ax


QUADRATIC_CURVATURE_RANGE = (0.1, 20.0)  # the slider runs from 0.05 to 2.5 / curvature in steps of 0.05
QUADRATIC_RATE_MIN = QUADRATIC_RATE_STEP = 0.05


def _check_explorer_settings(curvature, learning_rate) -> None:
    """A bowl the slider can cross, and a starting rate on the slider: refused with the range, never moved."""
    low, high = QUADRATIC_CURVATURE_RANGE
    if not low <= curvature <= high:
        raise ValueError(f"the explorer's curvature must be between {low:g} and {high:g} (a bowl whose learning-rate "
                         f"slider, 0.05 to 2.5 / curvature, has room to move); got {curvature!r}. "
                         "run_quadratic(...) takes any finite curvature, even 0 or negative.")
    top = 1.25 * 2 / curvature
    if not QUADRATIC_RATE_MIN <= learning_rate <= top:
        raise ValueError(f"with curvature {curvature:g} the learning-rate slider runs from {QUADRATIC_RATE_MIN:g} to "
                         f"{top:.3g}; got {learning_rate!r}. Use run_quadratic(...) for other rates.")
    _check_on_the_grid("learning rate", learning_rate, QUADRATIC_RATE_MIN, QUADRATIC_RATE_STEP)


@checked()
def quadratic_explorer(curvature: float = 2.0, learning_rate: float = 0.3):
    """A learning-rate slider over gradient descent on a 1-D parabola. Returns an ipywidgets box."""
    import ipywidgets as widgets

    _check_explorer_settings(curvature, learning_rate)
    slider = widgets.FloatSlider(
        value=learning_rate,
        min=QUADRATIC_RATE_MIN,
        max=1.25 * 2 / curvature,
        step=QUADRATIC_RATE_STEP,
        description="learning rate",
        readout_format=".2f",
        style={"description_width": "100px"},
        layout=widgets.Layout(width="420px"),
    )
    verdict, plot, figure = widgets.HTML(), widgets.Output(), WidgetFigure()

    def update(_change=None):
        result = run_quadratic(slider.value, curvature)
        verdict.value = f"<b>{result.verdict()}</b>"
        _show_plot(plot, figure, draw_quadratic, result)

    slider.observe(update, names="value")
    update()
    return widgets.VBox([slider, verdict, plot])
