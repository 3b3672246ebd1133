"""Time each widget's recompute of its default state: compute, draw, and render the PNG.

    python benchmarks/widget_timing.py

Prints the median and the slowest of several repeats, in milliseconds. The
render step is what the inline backend does when a widget's plot updates.
"""

from __future__ import annotations

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from course_lib import widgets  # noqa: E402

REPEATS = 9


def recompute(run, draw, **settings) -> None:
    figure, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
    draw(run(**settings), ax)
    figure.savefig(io.BytesIO(), format="png")
    plt.close(figure)


def time_ms(function, *args, **kwargs) -> list[float]:
    function(*args, **kwargs)  # warm-up: imports, caches, font loading
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append((time.perf_counter() - start) * 1e3)
    return times


def main() -> None:
    cases = {
        "divergence lab, default (odd/even, lr 1.2, 1000 iterations)": (
            recompute, widgets.run_divergence_lab, widgets.draw_divergence_lab, {}),
        "divergence lab, compute only": (widgets.run_divergence_lab, None, None, {}),
        "quadratic explorer, default": (recompute, widgets.run_quadratic, widgets.draw_quadratic, {"learning_rate": 0.3}),
    }
    print(f"{'widget':<62} {'median ms':>10} {'max ms':>8}")
    for name, (function, run, draw, settings) in cases.items():
        args = (run, draw) if run is not None else ()
        times = time_ms(function, *args, **settings)
        print(f"{name:<62} {statistics.median(times):>10.1f} {max(times):>8.1f}")


if __name__ == "__main__":
    main()
