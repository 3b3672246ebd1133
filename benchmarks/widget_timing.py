"""Time each widget's recompute of its default state: compute, draw, and render the PNG it shows.

    python benchmarks/widget_timing.py

Prints the median and the slowest of several repeats, in milliseconds. The
rendering goes through ``widgets.render_png``, exactly what a widget does
when one of its controls changes.
"""

from __future__ import annotations

import statistics
import time

from course_lib import widgets

REPEATS = 9


def time_ms(function) -> list[float]:
    function()  # warm-up: imports, caches, font loading
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1e3)
    return times


CASES = {
    "divergence lab: compute + draw + PNG": lambda: widgets.render_png(
        widgets.draw_divergence_lab, widgets.run_divergence_lab()
    ),
    "divergence lab: compute only": widgets.run_divergence_lab,
    "quadratic explorer: compute + draw + PNG": lambda: widgets.render_png(
        widgets.draw_quadratic, widgets.run_quadratic(0.3)
    ),
}


def main() -> None:
    print(f"{'default state of':<44} {'median ms':>10} {'max ms':>8}")
    for name, function in CASES.items():
        times = time_ms(function)
        print(f"{name:<44} {statistics.median(times):>10.1f} {max(times):>8.1f}")


if __name__ == "__main__":
    main()
