"""Time full-batch training iterations of course_lib.

    python benchmarks/training_speed.py

Prints microseconds per iteration (forward, cost, backward, update and the
bookkeeping of ``fit``), the median of several repeats, for the course's two
main set-ups.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import course_lib as cl

REPEATS = 7
ITERATIONS = 500


def microseconds_per_iteration(X, Y, layer_dims, **settings) -> float:
    params = cl.init_params(layer_dims, np.random.default_rng(0), "he")
    cl.fit(X, Y, layer_dims, learning_rate=0.01, num_iterations=10, params=params, **settings)  # warm-up
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        cl.fit(X, Y, layer_dims, learning_rate=0.01, num_iterations=ITERATIONS, params=params, **settings)
        times.append((time.perf_counter() - start) / (ITERATIONS + 1) * 1e6)
    return statistics.median(times)


def main() -> None:
    X_odd, Y_odd = cl.odd_even()
    X_real, Y_real = cl.load_breast_cancer()
    X_real = cl.Standardizer.fit(X_real).transform(X_real)
    cases = {
        "odd/even, [1, 1, 1], naive loss, lecture path": (
            X_odd,
            Y_odd,
            [1, 1, 1],
            {"loss": "naive", "output_path": "lecture"},
        ),
        "breast cancer (569 examples), [30, 16, 8, 1], stable loss": (X_real, Y_real, [30, 16, 8, 1], {}),
    }
    print(f"{'set-up':<60} {'us per iteration':>17}")
    for name, (X, Y, dims, settings) in cases.items():
        print(f"{name:<60} {microseconds_per_iteration(X, Y, dims, **settings):>17.1f}")


if __name__ == "__main__":
    main()
