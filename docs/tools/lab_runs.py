"""The table of divergence-lab runs in docs/instructor-guide.md, computed with course_lib.

    python docs/tools/lab_runs.py           # print the table
    python docs/tools/lab_runs.py --write   # rewrite the guide's <!-- lab:runs --> block

Each run is ``course_lib.widgets.run_divergence_lab`` with the settings of one
row. A learning rate is written as the lab's slider shows it (three digits,
``.3g``) and run at the slider position behind that readout; a rate marked
"(cell)" is not a slider position and is run exactly as written, as a learner
would in a cell. tests/test_instructor_guide.py re-runs every row of the
guide's table and compares.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from workshop_plan import GUIDE, replace_block  # noqa: E402

MARKER = "lab:runs"
HEADER = (
    "| data set | scaling | loss | init | hidden | learning rate | steps | status | first rise | first nan/inf "
    "| final cost | accuracy |\n| --- | --- | --- | --- | --- | --- | --: | --- | --: | --: | --: | --: |"
)
# (data set, scaling, loss, init, hidden, learning rate as shown, steps): experiments 1 to 4 of notebook 06.
RUNS = [
    *[("odd/even", "none", "naive", "small", "1", rate, 500) for rate in ("0.757", "0.85", "0.953")],
    *[("odd/even", "none", "naive", "small", "1", f"{rate} (cell)", 500) for rate in ("0.865", "0.87", "0.88")],
    ("odd/even", "divide by 10", "naive", "small", "1", "0.301", 500),
    *[("odd/even", "divide by 10", "naive", "small", "1", rate, 1000) for rate in ("0.301", "1.2", "3.01", "3.38")],
    *[("odd/even", "divide by 10", "naive", "small", "1", rate, 1000) for rate in ("6.01", "9.53")],
    *[("breast cancer", "none", loss, "small", "16, 8", rate, 500) for loss in ("naive", "stable")
      for rate in ("0.01 (cell)", "0.0107")],
    *[("breast cancer", "standardize", loss, "small", "16, 8", "0.0107", 500) for loss in ("naive", "stable")],
    ("breast cancer", "standardize", "stable", "small", "16, 8", "0.0107", 1000),
    *[("breast cancer", "standardize", "stable", "he", "16, 8", "0.0107", steps) for steps in (500, 1000)],
]  # fmt: skip


def slider_readouts() -> dict[str, float]:
    """What the lab's learning-rate slider can show (readout format .3g) -> the value behind it."""
    from course_lib.widgets import LEARNING_RATE_LOG_RANGE, LEARNING_RATE_LOG_STEP

    low, high = LEARNING_RATE_LOG_RANGE
    positions = round((high - low) / LEARNING_RATE_LOG_STEP)
    values = 10 ** (low + LEARNING_RATE_LOG_STEP * np.arange(positions + 1))
    return {f"{value:.3g}": float(value) for value in values}


def learning_rate(shown: str) -> float:
    """The rate behind a table entry: exact when marked "(cell)", else the slider position it reads."""
    if shown.endswith("(cell)"):
        return float(shown.split()[0])
    readouts = slider_readouts()
    if shown not in readouts:
        raise ValueError(f"{shown} is not a position of the lab's slider; mark a rate run in a cell '(cell)'")
    return readouts[shown]


def run_row(dataset, scaling, loss, init, hidden, shown, steps) -> str:
    """One table row: the settings, then what the run did."""
    from course_lib.widgets import run_divergence_lab

    result = run_divergence_lab(
        dataset=dataset, scaling=scaling, loss=loss, init=init, hidden=hidden,
        learning_rate=learning_rate(shown), iterations=steps,
    )  # fmt: skip
    history = result.history
    rise = "—" if history.first_rise is None else history.first_rise
    nonfinite = "—" if history.first_nonfinite is None else history.first_nonfinite
    final = f"{history.costs[-1]:.4f}"
    return (
        f"| {dataset} | {scaling} | {loss} | {init} | {hidden} | {shown} | {steps} | {history.status} | {rise} "
        f"| {nonfinite} | {final} | {result.accuracy:.1%} |"
    )


def table() -> str:
    return "\n".join([HEADER, *(run_row(*run) for run in RUNS)])


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        text = GUIDE.read_text(encoding="utf-8")
        GUIDE.write_text(replace_block(text, MARKER, table()), encoding="utf-8")
        print("wrote the lab table into docs/instructor-guide.md")
        return 0
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
