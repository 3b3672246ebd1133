"""Time each widget's recompute of its default state: compute, draw, and render the PNG it shows.

    python benchmarks/widget_timing.py

Prints the median and the slowest of several repeats, in milliseconds. The
rendering goes through ``widgets.render_png``, exactly what a widget does
when one of its controls changes. The full benchmark, ``benchmarks/run.py``,
whose helpers this uses, also finds and times each widget's slowest corner.
"""

from __future__ import annotations

from functools import partial

import run

REPEATS = 9


def main() -> None:
    widgets = run.load_widgets()
    cases = {
        "divergence lab": (partial(run.run_lab, widgets), {}, widgets.draw_divergence_lab),
        "quadratic explorer": (
            partial(run.run_quadratic, widgets, 2.0),
            {"learning_rate": 0.3},
            widgets.draw_quadratic,
        ),
    }
    print(f"{'default state of':<20} {'compute ms':>10} {'draw + PNG ms':>14} {'median ms':>10} {'max ms':>8}")
    for name, (compute, settings, draw) in cases.items():
        timing = run.time_recompute(widgets, partial(compute, settings), draw, REPEATS)
        print(
            f"{name:<20} {timing['compute ms']:>10.1f} {timing['render ms']:>14.1f} "
            f"{timing['median ms']:>10.1f} {timing['max ms']:>8.1f}"
        )


if __name__ == "__main__":
    main()
