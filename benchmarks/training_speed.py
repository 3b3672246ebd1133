"""Time full-batch training iterations of course_lib.fit alone, quickly.

    python benchmarks/training_speed.py

Prints microseconds per iteration (forward, cost, backward, update and the
bookkeeping of ``fit``), the median of several repeats, on the four set-ups of
the full benchmark, ``benchmarks/run.py``, whose helpers it uses. The full
benchmark compares with the scalar helpers and PyTorch and writes
docs/benchmarks.md.
"""

from __future__ import annotations

import run

REPEATS = 7


def main() -> None:
    print(f"{'set-up':<64} {'µs per iteration':>17}")
    for case in run.build_cases():
        contender = run.fit_contender(case)
        run.time_contenders([contender], REPEATS, target_seconds=0.25)
        print(f"{case.label:<64} {contender.summary()['median us']:>17,.1f}")


if __name__ == "__main__":
    main()
