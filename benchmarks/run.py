"""The speed benchmark of course_lib: writes docs/benchmarks.md (overwritten on every run).

    python benchmarks/run.py                # everything, the test suite included (8-10 minutes)
    python benchmarks/run.py --skip-tests   # everything but the test suite (3-4 minutes)
    python3 course.py bench [--skip-tests]  # the same, with the course's virtual environment

In one run it measures:

1. Full-batch training iterations (forward, loss, backward, plain gradient
   descent), microseconds per iteration, the median of several repeats, on
   (a) odd/even [1, 1, 1], (b) breast cancer [30, 16, 8, 1], (c) [64, 32, 16, 1]
   on 1,800 generated examples and (d) [100, 256, 128, 1] on 10,000. The
   contenders: ``course_lib.fit`` (stable loss, fused output path, ReLU,
   sigmoid output), the same without fit's bookkeeping
   (``cost_and_gradients`` + ``gradient_descent_step``), the scalar helpers of
   ``scalar_reference.py`` and PyTorch on the CPU (``torch_reference.py``;
   float64, and float32 for information). Each first runs a few iterations
   from the same parameters and must agree with course_lib to 1e-8. Their
   repeats are interleaved, so a busy spell of the machine hits all of them.
2. The GFLOP/s course_lib achieves on (d), next to a large float64 np.matmul.
3. Each widget's recompute (compute, draw, PNG) of its default state and of
   its slowest corner.
4. The wall time and peak memory of the whole test suite (skip: --skip-tests).
5. Profiles of the large set-ups and of every missed target: one course_lib
   iteration line by line, cProfile's view of ``fit``, and the measured gain
   of the changes to course_lib that the profiles point to.
"""

from __future__ import annotations

import argparse
import cProfile
import ctypes
import datetime
import glob
import inspect
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

import course_lib as cl
from course_lib.activations import relu, relu_derivative, sigmoid
from course_lib.losses import cross_entropy_logits
from course_lib.parameters import LayerParams
from course_lib.train import gradient_norm

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scalar_reference  # noqa: E402

torch = None  # set by load_torch(); the child processes never import it

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.md"
TEST_COMMAND = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]

LEARNING_RATE = 0.01
CHECK_ITERATIONS = 3  # iterations every contender runs before timing, to check it computes the same numbers
AGREEMENT_TOLERANCE = 1e-8
MATMUL_SIZE = 2000

# The targets of the issue
SCALAR_SPEEDUP_TARGET = 20.0  # course_lib at least this many times faster than the scalar helpers on (b)
TORCH_CASES = ("a", "b", "c")  # course_lib no slower than PyTorch (float64) on these
MATMUL_FRACTION_TARGET = 0.5  # of the measured matmul GFLOP/s, on (d)
WIDGET_DEFAULT_MS = 100.0
WIDGET_CORNER_MS = 500.0
NEAR = 0.8  # a widget whose time is over NEAR x its target is profiled, met or not

# OpenBLAS's threads keep polling for new work for a while after each product; PyTorch's threads, started
# during that time, share the cores with them (PyTorch on (c) measured up to 2x slower). A pause before each
# timed repeat lets them go to sleep.
PAUSE_SECONDS = 0.3
QUIET_CORES = 0.25  # "quiet": other processes use less than this many cores
# glibc: keep arrays of up to 32 MiB on the heap and never give freed heap memory back to the OS.
NO_TRIM_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296"
CHILD_SETTINGS = {
    "fresh process": {},
    "fresh process, glibc heap trimming off": {"GLIBC_TUNABLES": NO_TRIM_TUNABLES},
    "fresh process, 1 BLAS thread": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
}


def load_torch():
    global torch
    try:
        import torch as module
    except ImportError:  # the comparison with PyTorch is skipped, and the report says so
        return None
    torch = module
    return torch


def load_widgets():
    import matplotlib

    matplotlib.use("Agg")  # off screen, as the widgets render PNGs
    from course_lib import widgets

    return widgets


# ---------------------------------------------------------------------------------------------
# Measuring


def minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def timed(function, *args) -> tuple[float, int]:
    """Run function(*args) once: (seconds, minor page faults)."""
    faults = minor_faults()
    start = time.perf_counter()
    function(*args)
    seconds = time.perf_counter() - start
    return seconds, minor_faults() - faults


class CpuMonitor:
    """How busy the rest of the machine is: the CPU time of other processes between two points."""

    def __init__(self):
        self.start = self._snapshot()

    @staticmethod
    def _snapshot():
        try:
            with open("/proc/stat", encoding="ascii") as handle:
                fields = [int(value) for value in handle.readline().split()[1:]]
        except OSError:
            return None
        busy = (sum(fields[:3]) + sum(fields[5:8])) / os.sysconf("SC_CLK_TCK")  # user nice system irq softirq steal
        own = os.times()
        return busy, own.user + own.system + own.children_user + own.children_system, time.monotonic()

    def others(self) -> float | None:
        """Average number of cores other processes kept busy since this monitor started."""
        end = self._snapshot()
        if self.start is None or end is None:
            return None
        busy, own, wall = (e - s for s, e in zip(self.start, end))
        return max(busy - own, 0.0) / wall if wall > 0 else None


def wait_for_quiet(minutes: float) -> dict:
    """Wait (at most ``minutes``) until other processes use less than QUIET_CORES cores over 5 seconds."""
    start = time.monotonic()
    while True:
        monitor = CpuMonitor()
        time.sleep(5)
        others = monitor.others()
        waited = time.monotonic() - start
        if others is None or others < QUIET_CORES or waited > minutes * 60:
            return {"waited s": waited, "others": others}
        print(f"  waiting for a quiet machine: other processes use {others:.2f} cores", flush=True)


def cores_text(cores: float | None) -> str:
    return "unknown" if cores is None else f"{cores:.2f} of {os.cpu_count()} cores"


# ---------------------------------------------------------------------------------------------
# The machine


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return ""


def cpu_model() -> str:
    for line in read_text("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def physical_cores() -> int | None:
    cores, physical = set(), None
    for line in read_text("/proc/cpuinfo").splitlines():
        if line.startswith("physical id"):
            physical = line.split(":")[1].strip()
        elif line.startswith("core id"):
            cores.add((physical, line.split(":")[1].strip()))
    return len(cores) or None


def openblas_call(name: str, restype):
    """Call openblas_<name>() in NumPy's bundled OpenBLAS (the copy NumPy uses); None if there is none."""
    here = os.path.dirname(np.__file__)
    for path in glob.glob(here + ".libs/lib*openblas*") + glob.glob(here + "/.dylibs/lib*openblas*"):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for symbol in (f"scipy_openblas_{name}64_", f"scipy_openblas_{name}", f"openblas_{name}"):
            function = getattr(library, symbol, None)
            if function is not None:
                function.restype = restype
                return function()
    return None


def blas_threads() -> tuple[int | None, str]:
    """NumPy's BLAS thread count, and how it was found."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threads = openblas_call("get_num_threads", ctypes.c_int)
        if threads:
            return int(threads), "threadpoolctl is not installed; read from NumPy's bundled OpenBLAS with ctypes"
        return None, "threadpoolctl is not installed"
    pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return (int(pools[0]["num_threads"]), "threadpoolctl") if pools else (None, "threadpoolctl found no BLAS")


def blas_description() -> str:
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    text = f"{blas.get('name', 'unknown')} {blas.get('version', '')}".strip()
    if "openblas configuration" in blas:
        text += f" ({' '.join(blas['openblas configuration'].split())})"
    core = openblas_call("get_corename", ctypes.c_char_p)
    return text + (f"; kernels in use: {core.decode()}" if core else "")


def machine_info() -> dict:
    threads, how = blas_threads()
    memory = read_text("/proc/meminfo").split()
    return {
        "cpu": cpu_model(),
        "logical cpus": os.cpu_count(),
        "physical cores": physical_cores(),
        "memory GiB": int(memory[1]) / 2**20 if len(memory) > 1 and memory[1].isdigit() else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_description(),
        "blas threads": threads,
        "blas threads how": how,
        "environment": {
            name: os.environ[name]
            for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GLIBC_TUNABLES")
            if name in os.environ
        },
    }


def set_torch_threads() -> int | None:
    """Give PyTorch as many threads as NumPy's BLAS has; return torch.get_num_threads()."""
    if torch is None:
        return None
    threads, _ = blas_threads()
    if threads:
        torch.set_num_threads(threads)
    return torch.get_num_threads()


# ---------------------------------------------------------------------------------------------
# The training set-ups and the contenders


@dataclass
class Case:
    key: str
    title: str
    X: np.ndarray
    Y: np.ndarray
    dims: list[int]
    params: list = field(default=None, repr=False)

    @property
    def m(self) -> int:
        return self.X.shape[1]

    @property
    def label(self) -> str:
        return f"({self.key}) {self.title}, {self.dims}, m = {self.m:,}"


def generated(n_x: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Standard-normal inputs (n_x, m), labelled by a random linear rule: y = 1 where w . x > 0."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    return X, (rng.standard_normal(n_x) @ X > 0).astype(np.float64).reshape(1, m)


def build_cases(keys="abcd") -> list[Case]:
    cases = []
    for key in keys:
        if key == "a":
            case = Case("a", "odd/even, unscaled as in the question", *cl.odd_even(), [1, 1, 1])
        elif key == "b":
            X, Y = cl.load_breast_cancer()
            case = Case("b", "breast cancer, standardised", cl.Standardizer.fit(X).transform(X), Y, [30, 16, 8, 1])
        elif key == "c":
            case = Case("c", "generated", *generated(64, 1800, seed=64), [64, 32, 16, 1])
        else:
            case = Case("d", "generated", *generated(100, 10_000, seed=100), [100, 256, 128, 1])
        # He initialisation keeps every |Z| far below the 709 where math.exp overflows (the report shows it).
        case.params = cl.init_params(case.dims, np.random.default_rng(0), "he")
        cases.append(case)
    return cases


def fit_course_lib(case: Case, num_iterations: int):
    return cl.fit(
        case.X,
        case.Y,
        case.dims,
        learning_rate=LEARNING_RATE,
        num_iterations=num_iterations,
        params=case.params,
        loss="stable",
        output_path="fused",
        hidden_activation="relu",
        optimizer="gd",
    )


def course_lib_cost_and_gradients(X, Y, params):
    return cl.cost_and_gradients(X, Y, params, "stable", "fused", "relu")


def train_loop(cost_and_gradients, X, Y, params, num_iterations: int):
    """cost_and_gradients + gradient_descent_step, num_iterations times: (params, costs)."""
    costs = []
    for _ in range(num_iterations):
        cost, grads = cost_and_gradients(X, Y, params)
        costs.append(cost)
        params = cl.gradient_descent_step(params, grads, LEARNING_RATE)
    return params, costs


@dataclass
class Contender:
    """run(n) trains n iterations and returns (seconds, page faults, number of iterations to divide by)."""

    key: str
    label: str
    run: object
    min_iterations: int = 1
    iterations: int = 0
    repeats: int = 0
    seconds: list = field(default_factory=list)  # per iteration, one per repeat
    faults: list = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "label": self.label,
            "iterations": self.iterations,
            "repeats": len(self.seconds),
            "median us": statistics.median(self.seconds) * 1e6,
            "min us": min(self.seconds) * 1e6,
            "max us": max(self.seconds) * 1e6,
            "faults": statistics.median(self.faults),
        }


def fit_contender(case: Case) -> Contender:
    def run(n):
        # fit makes n + 1 forward/backward passes (the last one for the final cost) and n updates.
        return (*timed(fit_course_lib, case, n), n + 1)

    return Contender("fit", "course_lib fit", run, min_iterations=10)


def loop_contender(case: Case, key="loop", label="course_lib cost_and_gradients + step", function=None) -> Contender:
    function = function or course_lib_cost_and_gradients
    return Contender(key, label, lambda n: (*timed(train_loop, function, case.X, case.Y, case.params, n), n), 2)


def scalar_contender(case: Case) -> Contender:
    params = scalar_reference.params_to_dict(case.params)

    def run(n):
        return (*timed(scalar_reference.train, case.X, case.Y, params, LEARNING_RATE, n), n)

    return Contender("scalar", "scalar helpers (np.vectorize)", run)


def torch_contender(case: Case, dtype: str) -> Contender:
    from torch_reference import TorchNetwork

    def run(n):
        network = TorchNetwork(case.X, case.Y, case.params, getattr(torch, dtype))  # copies: not timed
        return (*timed(network.train, LEARNING_RATE, n), n)

    return Contender(f"torch_{dtype}", f"PyTorch {dtype}", run, min_iterations=2)


def matmul_contender(size: int = MATMUL_SIZE) -> Contender:
    """The machine's matrix-multiply rate: a (size x size) @ (size x size) float64 np.matmul per "iteration"."""
    rng = np.random.default_rng(1)
    A, B = rng.standard_normal((size, size)), rng.standard_normal((size, size))

    def multiply(n):
        for _ in range(n):
            np.matmul(A, B)

    def run(n):
        return (*timed(multiply, n), n)

    return Contender("matmul", f"np.matmul {size}x{size}", run)


def time_contenders(contenders: list[Contender], repeats: int, target_seconds: float) -> None:
    """Choose each contender's iterations to last about target_seconds, then time all in interleaved rounds."""
    for contender in contenders:
        contender.run(contender.min_iterations)  # warm-up
        seconds, _, divisor = contender.run(contender.min_iterations)
        per_iteration = seconds / divisor
        contender.iterations = max(contender.min_iterations, int(target_seconds / per_iteration))
        # Repeats of more than a second (the scalar helpers on the large set-ups): three are enough.
        contender.repeats = repeats if per_iteration * contender.iterations < 1.0 else min(repeats, 3)
    for round_ in range(max(contender.repeats for contender in contenders)):
        for contender in contenders:
            if round_ < contender.repeats:
                time.sleep(PAUSE_SECONDS)  # let the previous contender's BLAS threads stop spinning
                seconds, faults, divisor = contender.run(contender.iterations)
                contender.seconds.append(seconds / divisor)
                contender.faults.append(faults / divisor)


def params_difference(a, b) -> float:
    return max(float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for pa, pb in zip(a, b) for x, y in zip(pa, pb))


def check_agreement(case: Case) -> dict:
    """CHECK_ITERATIONS iterations of every contender from the same parameters, compared with course_lib.fit."""
    history = fit_course_lib(case, CHECK_ITERATIONS)
    reference_costs = history.costs[:CHECK_ITERATIONS]
    _, caches = cl.model_forward(case.X, case.params)
    result = {"largest |Z|": max(float(np.max(np.abs(cache.Z))) for cache in caches)}

    def compare(key, costs, params, required=True):
        cost = float(np.max(np.abs(np.asarray(costs) - reference_costs)))
        parameters = params_difference(params, history.params)
        result[key] = {"cost": cost, "params": parameters}
        if required and max(cost, parameters) > AGREEMENT_TOLERANCE:
            raise SystemExit(
                f"{case.label}: {key} does not compute the same numbers as course_lib (costs differ by {cost:.3g}, "
                f"parameters by {parameters:.3g}): timing it would not be a fair comparison."
            )

    compare("loop", *train_loop(course_lib_cost_and_gradients, case.X, case.Y, case.params, CHECK_ITERATIONS)[::-1])
    start = scalar_reference.params_to_dict(case.params)
    try:
        params, costs = scalar_reference.train(case.X, case.Y, start, LEARNING_RATE, CHECK_ITERATIONS)
    except OverflowError as error:
        raise SystemExit(f"{case.label}: math.exp overflowed in the scalar helpers ({error}).") from None
    compare("scalar", costs, [(params[f"W{k}"], params[f"b{k}"]) for k in range(1, len(params) // 2 + 1)])
    if torch is not None:
        from torch_reference import TorchNetwork

        for dtype in ("float64", "float32"):
            network = TorchNetwork(case.X, case.Y, case.params, getattr(torch, dtype))
            costs = network.train(LEARNING_RATE, CHECK_ITERATIONS)
            compare(f"torch_{dtype}", costs, network.params(), required=dtype == "float64")
    return result


def matmul_flops(dims: list[int], m: int) -> dict:
    """Flops of the matrix products of one iteration (a multiply-add counts 2)."""
    pairs = list(zip(dims[:-1], dims[1:]))
    forward = sum(2 * n_prev * n * m for n_prev, n in pairs)  # Z = W A_prev
    return {
        "forward": forward,
        "dW": forward,  # dW = dZ A_prev^T: the same size as the forward product
        "dA_needed": sum(2 * n_prev * n * m for n_prev, n in pairs[1:]),  # dA_prev = W^T dZ, layers 2..L
        "dA_first": 2 * dims[0] * dims[1] * m,  # dA_prev of layer 1: the gradient for X, never used
    }


# ---------------------------------------------------------------------------------------------
# Profiles: where one course_lib iteration spends its time


class LineTimer:
    """Wall time and minor page faults per labelled line, summed over calls."""

    def __init__(self):
        self.seconds, self.faults, self.flops = defaultdict(float), defaultdict(int), {}

    def __call__(self, label, function, *args, flops=0):
        faults = minor_faults()
        start = time.perf_counter()
        value = function(*args)
        self.seconds[label] += time.perf_counter() - start
        self.faults[label] += minor_faults() - faults
        self.flops[label] = flops
        return value


def instrumented_iteration(X, Y, params, line: LineTimer):
    """One iteration of fit's loop, timed line by line: course_lib's operations, in course_lib's order.

    Mirrors layers.py, model.py, losses.py, train.py and optim.py as they are at this commit: each
    product and each elementwise step is the same expression on the same arrays, so the numbers are
    identical (check_line_profile asserts it). Returns (new params, cost, grads).
    """
    m, L = X.shape[1], len(params)
    A, caches = X, []
    for layer, (W, b) in enumerate(params, start=1):
        n, n_prev = W.shape
        label = f"forward {layer}: W @ A_prev  ({n}x{n_prev} @ {n_prev}x{m})"
        WA = line(label, np.matmul, W, A, flops=2 * n * n_prev * m)
        Z = line(f"forward {layer}: + b", np.add, WA, b)
        del WA
        caches.append((A, W, Z))
        A = line(f"forward {layer}: relu(Z)", relu, Z) if layer < L else line(f"forward {L}: sigmoid(Z)", sigmoid, Z)
    cost = line("cost: cross_entropy_logits(Z_L, Y)", cross_entropy_logits, Z, Y)
    dZ = line(f"backward {L}: dZ = A_L - Y", np.subtract, A, Y)
    dA, grads = None, []
    for layer in range(L, 0, -1):
        A_prev, W, Z = caches[layer - 1]
        n, n_prev = W.shape
        if layer < L:
            derivative = line(f"backward {layer}: relu_derivative(Z), a float64 array", relu_derivative, Z)
            dZ = line(f"backward {layer}: dZ = dA * derivative", np.multiply, dA, derivative)
            del derivative
        label = f"backward {layer}: dW = dZ @ A_prev.T / m  ({n}x{m} @ {m}x{n_prev})"
        dW = line(label, lambda dZ, A_prev: dZ @ A_prev.T / m, dZ, A_prev, flops=2 * n * n_prev * m)
        db = line(f"backward {layer}: db = dZ.sum(axis=1) / m", lambda dZ: dZ.sum(axis=1, keepdims=True) / m, dZ)
        label = f"backward {layer}: dA_prev = W.T @ dZ  ({n_prev}x{n} @ {n}x{m})" + (
            ", not needed" if layer == 1 else ""
        )
        dA = line(label, lambda W, dZ: W.T @ dZ, W, dZ, flops=2 * n * n_prev * m)
        grads.append(LayerParams(dW, db))
    grads = grads[::-1]
    line("fit: gradient_norm, isfinite", lambda: (gradient_norm(grads), np.isfinite(cost)))
    return line("update: gradient_descent_step", cl.gradient_descent_step, params, grads, LEARNING_RATE), cost, grads


def line_profile(case: Case, target_seconds: float) -> dict:
    _, cost, grads = instrumented_iteration(case.X, case.Y, case.params, LineTimer())
    reference_cost, reference_grads = course_lib_cost_and_gradients(case.X, case.Y, case.params)
    if cost != reference_cost or params_difference(grads, reference_grads) != 0.0:
        raise SystemExit(f"{case.label}: the line profile no longer mirrors course_lib; update instrumented_iteration.")
    timer, params = LineTimer(), case.params
    start = time.perf_counter()
    for _ in range(2):  # warm-up
        params = instrumented_iteration(case.X, case.Y, params, timer)[0]
    n = max(5, int(target_seconds / ((time.perf_counter() - start) / 2)))
    timer, params = LineTimer(), case.params
    before, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for _ in range(n):
        params = instrumented_iteration(case.X, case.Y, params, timer)[0]
    wall, after = (time.perf_counter() - start) / n, resource.getrusage(resource.RUSAGE_SELF)
    rows = [
        {"line": label, "us": seconds / n * 1e6, "faults": timer.faults[label] / n, "flops": timer.flops[label]}
        for label, seconds in timer.seconds.items()
    ]
    fit_seconds, fit_faults = timed(fit_course_lib, case, n)
    return {
        "iterations": n,
        "rows": rows,
        "wall us": wall * 1e6,
        "lines us": sum(row["us"] for row in rows),
        "sys us": (after.ru_stime - before.ru_stime) / n * 1e6,
        "user us": (after.ru_utime - before.ru_utime) / n * 1e6,
        "faults": (after.ru_minflt - before.ru_minflt) / n,
        "fit us": fit_seconds / (n + 1) * 1e6,
        "fit faults": fit_faults / (n + 1),
    }


def kind_of(row: dict) -> str:
    if row["flops"]:
        return "matrix products"
    if row["line"].startswith(("fit:", "update:")):
        return "fit's bookkeeping and the update"
    return "elementwise and reductions"


def by_kind(profile: dict) -> dict:
    groups = defaultdict(float)
    for row in profile["rows"]:
        groups[kind_of(row)] += row["us"]
    return groups


def cprofile_text(function, sort: str, top: int, profile=None) -> str:
    if profile is None:
        profile = cProfile.Profile()
        profile.runcall(function)
    stream = io.StringIO()
    pstats.Stats(profile, stream=stream).strip_dirs().sort_stats(sort).print_stats(top)
    lines = stream.getvalue().strip().splitlines()
    start = next((i for i, text in enumerate(lines) if "ncalls" in text), 0)
    return "\n".join([text.strip() for text in lines[:start] if "function calls" in text] + [""] + lines[start:])


# ---------------------------------------------------------------------------------------------
# The proposed changes to course_lib, measured without editing it


def proposed_cost_and_gradients(in_place_bias=True, relu_mask=True, skip_first_dA=True):
    """course_lib's cost_and_gradients (stable loss, fused path, ReLU) with the proposed changes.

    in_place_bias : layers.linear_forward does Z = W @ A_prev; Z += b (no second (n_l, m) array)
    relu_mask     : layers.layer_backward multiplies dA by the boolean Z > 0 (no float64 derivative array)
    skip_first_dA : model.model_backward skips dA_prev of layer 1 (the gradient for X, never used)
    """

    def cost_and_gradients(X, Y, params):
        m, L = X.shape[1], len(params)
        A, caches = X, []
        for layer, (W, b) in enumerate(params, start=1):
            if in_place_bias:
                Z = W @ A
                Z += b
            else:
                Z = W @ A + b
            caches.append((A, W, Z))
            A = relu(Z) if layer < L else sigmoid(Z)
        cost = cross_entropy_logits(Z, Y)
        dZ, dA, grads = A - Y, None, [None] * L
        for layer in range(L, 0, -1):
            A_prev, W, Z = caches[layer - 1]
            if layer < L:
                dZ = dA * (Z > 0) if relu_mask else dA * relu_derivative(Z)
            grads[layer - 1] = LayerParams(dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m)
            if layer > 1 or not skip_first_dA:
                dA = W.T @ dZ
        return cost, grads

    return cost_and_gradients


PROPOSALS = {
    "in-place bias": dict(in_place_bias=True, relu_mask=False, skip_first_dA=False),
    "boolean ReLU mask": dict(in_place_bias=False, relu_mask=True, skip_first_dA=False),
    "no dA_prev for layer 1": dict(in_place_bias=False, relu_mask=False, skip_first_dA=True),
    "all three": dict(in_place_bias=True, relu_mask=True, skip_first_dA=True),
}


def child_main(what: str, repeats: int, target_seconds: float) -> None:
    """--child KEY: time course_lib and the proposals on one set-up in this fresh process; print JSON.

    --child KEY:torch times PyTorch float64 instead (its own fresh process, with torch imported).
    """
    key, _, framework = what.partition(":")
    (case,) = build_cases(key)
    if framework == "torch":
        load_torch()
        set_torch_threads()
        contenders = [torch_contender(case, "float64")]
        time_contenders(contenders, repeats, target_seconds)
        print(json.dumps({contender.key: contender.summary() for contender in contenders}))
        return
    contenders = [loop_contender(case, "course_lib", "course_lib as it is")]
    reference_cost, reference_grads = course_lib_cost_and_gradients(case.X, case.Y, case.params)
    for name, switches in PROPOSALS.items():
        function = proposed_cost_and_gradients(**switches)
        cost, grads = function(case.X, case.Y, case.params)
        if abs(cost - reference_cost) > 1e-12 or params_difference(grads, reference_grads) > 1e-12:
            raise SystemExit(f"the proposal {name!r} changes the numbers on {case.label}")
        contenders.append(loop_contender(case, name, f"+ {name}", function))
    if key == "d":
        contenders.append(matmul_contender())  # this process's matrix-multiply rate, under the same conditions
    time_contenders(contenders, repeats, target_seconds)
    print(json.dumps({contender.key: contender.summary() for contender in contenders}))


def run_child(key: str, setting: str, repeats: int, target_seconds: float) -> dict:
    """The proposals on one set-up in a fresh process, with the environment of CHILD_SETTINGS[setting]
    (setting None: PyTorch float64 in a fresh process with the environment as it is)."""
    environment = CHILD_SETTINGS.get(setting, {})
    if "GLIBC_TUNABLES" in environment and platform.libc_ver()[0] != "glibc":
        return {"error": "not glibc"}
    command = [sys.executable, __file__, "--child", key if setting else f"{key}:torch", "--repeats", str(repeats)]
    command += ["--target-seconds", str(target_seconds)]
    done = subprocess.run(command, env=os.environ | environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["no message"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Widgets


def time_recompute(widgets, compute, draw, repeats: int) -> dict:
    """compute(), then render_png(draw, result), as a widget does when a control changes (ms)."""
    start = time.perf_counter()
    result = compute()
    first = (time.perf_counter() - start) * 1e3
    widgets.render_png(draw, result)  # warm-up: fonts, caches
    computes, renders, faults = [], [], []
    for _ in range(repeats):
        before = minor_faults()
        start = time.perf_counter()
        result = compute()
        middle = time.perf_counter()
        faults.append(minor_faults() - before)
        widgets.render_png(draw, result)
        computes.append((middle - start) * 1e3)
        renders.append((time.perf_counter() - middle) * 1e3)
    totals = [a + b for a, b in zip(computes, renders)]
    return {
        "compute ms": statistics.median(computes),
        "render ms": statistics.median(renders),
        "median ms": statistics.median(totals),
        "max ms": max(totals),
        "first compute ms": first,
        "compute faults": statistics.median(faults),
        "result": result,
    }


def lab_candidates(widgets) -> list[dict]:
    """Corners of the divergence lab's grid that could be the slowest (the report says why)."""
    largest = max(widgets.DATASETS, key=lambda name: widgets.lab_data(name)[0].size)
    widest = max(widgets.HIDDEN_LAYERS, key=lambda name: sum(widgets.HIDDEN_LAYERS[name]))
    common = dict(iterations=widgets.ITERATION_RANGE[1], init="he", hidden=widest)
    candidates = [
        dict(dataset=largest, scaling=scaling, loss=loss, learning_rate=rate, **common)
        for scaling in ("none", "standardize")
        for loss in ("naive", "stable")
        for rate in widgets.LEARNING_RATE_RANGE
    ]
    rate = widgets.LEARNING_RATE_RANGE[0]
    candidates += [
        dict(dataset=name, scaling="none", loss="naive", learning_rate=rate, **common)
        for name in widgets.DATASETS
        if name != largest
    ]
    return sorted(candidates, key=lambda settings: list(widgets.DATASETS).index(settings["dataset"]))


def time_widget(widgets, run, draw, default: dict, candidates: list[dict], repeats: int) -> dict:
    """The default state, each candidate corner (median of 3), then the slowest candidate again."""
    timing = time_recompute(widgets, partial(run, default), draw, repeats)
    timing.pop("result")
    corners = []
    for settings in candidates:
        corner = time_recompute(widgets, partial(run, settings), draw, 3)
        history = getattr(corner.pop("result"), "history", None)
        if history is not None:
            corner |= {"ran": len(history.costs) - 1, "status": history.status}
        corners.append({"settings": settings, **corner})
    slowest = max(corners, key=lambda corner: corner["median ms"])["settings"]
    again = time_recompute(widgets, partial(run, slowest), draw, repeats)
    again.pop("result")
    result = {"default": timing, "corners": corners, "slowest": slowest, "slowest timing": again}
    # Profiled when over, or within a fifth of, its target.
    if timing["median ms"] >= NEAR * WIDGET_DEFAULT_MS or again["median ms"] >= NEAR * WIDGET_CORNER_MS:
        state = "default" if timing["median ms"] >= NEAR * WIDGET_DEFAULT_MS else "slowest timing"
        result["profile"] = render_profile(widgets, run, draw, default if state == "default" else slowest, repeats)
        result["profile"]["state"] = state
    return result


def render_profile(widgets, run, draw, settings: dict, repeats: int) -> dict:
    """A recompute in four parts (compute, build the artists, rasterise, encode the PNG), and cProfile's view.

    Mirrors widgets.render_png (its figure size and margins) at this commit, one step at a time.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    parts = defaultdict(list)
    canvas = None
    for _ in range(repeats + 1):
        start = time.perf_counter()
        result = run(settings)
        computed = time.perf_counter()
        figure = Figure(figsize=widgets.FIGURE_SIZE)
        canvas = FigureCanvasAgg(figure)
        figure.subplots_adjust(left=0.12, right=0.97, bottom=0.14, top=0.9)
        draw(result, figure.add_subplot())
        built = time.perf_counter()
        canvas.draw()
        rasterised = time.perf_counter()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image.save(io.BytesIO(), format="png")
        encoded = time.perf_counter()
        for name, seconds in (
            ("compute", computed - start),
            ("build the figure (draw_*)", built - computed),
            ("rasterise (canvas.draw)", rasterised - built),
            ("encode the PNG", encoded - rasterised),
        ):
            parts[name].append(seconds * 1e3)
    figure = Figure(figsize=widgets.FIGURE_SIZE)
    canvas = FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.12, right=0.97, bottom=0.14, top=0.9)
    draw(run(settings), figure.add_subplot())
    profile = cProfile.Profile()
    profile.runcall(canvas.draw)
    return {
        "settings": settings,
        "parts ms": {name: statistics.median(values[1:]) for name, values in parts.items()},
        "rasterise cprofile": cprofile_text(None, "cumulative", 25, profile),
        "rasterise ms": rasterise_parts(profile),
        "variants ms": render_variants(widgets, draw, run(settings), repeats),
    }


def rasterise_parts(profile) -> dict:
    """From cProfile's stats of canvas.draw: ms in the whole draw, the two axes, the legend, all text."""
    stats = pstats.Stats(profile).stats

    def cumulative(filename: str, function: str) -> float:
        times = [value[3] for key, value in stats.items() if key[0].endswith(filename) and key[2] == function]
        return max(times, default=0.0) * 1e3

    return {
        "whole": cumulative("backend_agg.py", "draw"),
        "axes": cumulative("axis.py", "draw"),
        "legend": cumulative("legend.py", "draw"),
        "all text": cumulative("text.py", "draw"),
    }


def render_variants(widgets, draw, result, repeats: int) -> dict:
    """render_png as it is and with changes that make the figure cheaper to draw (ms, median, interleaved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullFormatter

    def render(minor_labels=True, pil_kwargs=None):
        figure = Figure(figsize=widgets.FIGURE_SIZE)
        FigureCanvasAgg(figure)
        figure.subplots_adjust(left=0.12, right=0.97, bottom=0.14, top=0.9)
        ax = figure.add_subplot()
        draw(result, ax)
        if not minor_labels:
            ax.yaxis.set_minor_formatter(NullFormatter())
        figure.savefig(io.BytesIO(), format="png", pil_kwargs=pil_kwargs)

    kept = Figure(figsize=widgets.FIGURE_SIZE)
    FigureCanvasAgg(kept)
    kept.subplots_adjust(left=0.12, right=0.97, bottom=0.14, top=0.9)
    draw(result, kept.add_subplot())
    kept.savefig(io.BytesIO(), format="png")

    def render_kept():
        kept.savefig(io.BytesIO(), format="png")

    variants = {
        "render_png as it is": {},
        'PNG compression level 1 (`pil_kwargs={"compress_level": 1}`)': {"pil_kwargs": {"compress_level": 1}},
    }
    if kept.axes[0].get_yscale() == "log":  # plotting.plot_costs: labelled minor ticks on a narrow log axis
        variants["no labels on the minor ticks of the log axis"] = {"minor_labels": False}
        variants["both"] = {"minor_labels": False, "pil_kwargs": {"compress_level": 1}}
    functions = {name: partial(render, **settings) for name, settings in variants.items()}
    functions["the same figure drawn and encoded again (a lower bound for updating a kept figure)"] = render_kept
    times = defaultdict(list)
    for round_ in range(2 * repeats + 1):
        for name, function in functions.items():
            seconds = timed(function)[0]
            if round_:
                times[name].append(seconds * 1e3)
    return {name: statistics.median(values) for name, values in times.items()}


def render_state(widgets, run, draw, settings):
    return widgets.render_png(draw, run(settings))


def run_lab(widgets, settings: dict):
    return widgets.run_divergence_lab(**settings)  # {}: the defaults, the widget's first state


def run_quadratic(widgets, curvature: float, settings: dict):
    return widgets.run_quadratic(settings["learning_rate"], curvature)


def widget_setups(widgets) -> dict:
    """name -> (run(settings), draw, settings of the first state, candidates for the slowest corner)."""
    defaults = inspect.signature(widgets.quadratic_explorer).parameters
    curvature, rate = defaults["curvature"].default, defaults["learning_rate"].default
    # quadratic_explorer's slider runs from 0.05 to 1.25 * 2 / curvature; 2 / curvature is where it bounces.
    rates = [{"learning_rate": value} for value in (0.05, 2 / curvature, 1.25 * 2 / curvature)]
    return {
        "divergence lab": (partial(run_lab, widgets), widgets.draw_divergence_lab, {}, lab_candidates(widgets)),
        "quadratic explorer": (
            partial(run_quadratic, widgets, curvature),
            widgets.draw_quadratic,
            {"learning_rate": rate},
            rates,
        ),
    }


def time_widgets(repeats: int) -> dict:
    widgets = load_widgets()
    return {
        name: time_widget(widgets, run, draw, default, candidates, repeats)
        for name, (run, draw, default, candidates) in widget_setups(widgets).items()
    }


def child_widgets(corners: dict, repeats: int) -> None:
    """--child widgets: the default state and the given slowest corner of each widget, in this fresh process."""
    widgets = load_widgets()
    results = {}
    for name, (run, draw, default, _) in widget_setups(widgets).items():
        results[name] = {}
        for state, settings in (("default", default), ("slowest timing", corners[name])):
            timing = time_recompute(widgets, partial(run, settings), draw, repeats)
            timing.pop("result")
            results[name][state] = timing
    print(json.dumps(results))


def run_widget_child(corners: dict, repeats: int) -> dict:
    command = [sys.executable, __file__, "--child", "widgets", "--corners", json.dumps(corners)]
    done = subprocess.run(command + ["--repeats", str(repeats)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["no message"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def lab_grid_size(widgets) -> int:
    from course_lib.data import SCALINGS
    from course_lib.init import SCHEMES
    from course_lib.losses import LOSSES

    sizes = [widgets.DATASETS, SCALINGS, LOSSES, widgets.LEARNING_RATE_RANGE, widgets.ITERATION_RANGE, SCHEMES]
    return int(np.prod([len(choices) for choices in sizes])) * len(widgets.HIDDEN_LAYERS)


# ---------------------------------------------------------------------------------------------
# The test suite


def maxrss_mib(who) -> float:
    maxrss = resource.getrusage(who).ru_maxrss
    return maxrss / 2**20 if sys.platform == "darwin" else maxrss / 1024  # bytes on macOS, KiB on Linux


def run_test_suite() -> dict:
    print(f"running the test suite: {' '.join(TEST_COMMAND[1:])} (several minutes) ...", flush=True)
    start = time.perf_counter()
    done = subprocess.run(TEST_COMMAND, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    print("\n".join(lines[-3:]), flush=True)
    return {
        "seconds": seconds,
        "returncode": done.returncode,
        "summary": lines[-1].strip("= ") if lines else "(no output)",
        # No other child has run yet: this is the largest resident set of a single process of the suite.
        "peak MiB": maxrss_mib(resource.RUSAGE_CHILDREN),
    }


# ---------------------------------------------------------------------------------------------
# The run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-tests", action="store_true", help="do not run (and time) the test suite")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the report (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats per contender (default: %(default)s)")
    parser.add_argument(
        "--target-seconds", type=float, default=0.25, help="length of one timed repeat (default: %(default)s)"
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="MINUTES",
        help="before each timed section, wait up to this long for other processes to use less than "
        f"{QUIET_CORES} cores (default: do not wait)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corners", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "widgets":
        child_widgets(json.loads(args.corners), args.repeats)
        return 0
    if args.child:
        child_main(args.child, args.repeats, args.target_seconds)
        return 0
    run = {"args": args, "started": datetime.datetime.now().astimezone(), "load": [os.getloadavg()]}
    whole = CpuMonitor()
    run["info"] = machine_info()
    run["tests"] = None if args.skip_tests else run_test_suite()  # first: RUSAGE_CHILDREN then holds it alone
    if run["tests"]:
        run["tests"]["others"] = whole.others()
    load_torch()
    run["torch threads"] = set_torch_threads()
    run["quiet"], run["others"] = {}, {}
    child_repeats = max(3, args.repeats - 2)

    def section(name, function, *section_args):
        if args.wait_quiet > 0:
            run["quiet"][name] = wait_for_quiet(args.wait_quiet)
        print(f"{name} ...", flush=True)
        monitor = CpuMonitor()
        value = function(*section_args)
        run["others"][name] = monitor.others()
        return value

    run["cases"] = build_cases()
    run["results"] = {}
    for case in run["cases"]:
        run["results"][case.key] = section(f"training ({case.key})", time_case, case, case is run["cases"][-1], args)
    matmul = run["results"]["d"].pop("matmul")
    run["matmul"] = {
        "size": MATMUL_SIZE,
        "repeats": matmul["repeats"],
        "gflops": 2e-3 * MATMUL_SIZE**3 / matmul["median us"],
    }
    run["widgets"] = section("widgets", time_widgets, args.repeats)
    corners = {name: entry["slowest"] for name, entry in run["widgets"].items()}
    run["widgets fresh"] = section("widgets, fresh process", run_widget_child, corners, args.repeats)
    run["targets"] = evaluate_targets(run)
    missed = {target["key"] for target in run["targets"] if target["met"] is False}
    run["profiles"] = {}
    for case in run["cases"]:
        if case.key in {"c", "d"} | missed:
            fit_us = run["results"][case.key]["fit"]["median us"]
            iterations = max(3, int(args.target_seconds / (fit_us / 1e6)))
            run["profiles"][case.key] = {
                "lines": section(f"line profile ({case.key})", line_profile, case, 3 * args.target_seconds),
                "cprofile": cprofile_text(partial(fit_course_lib, case, iterations), "tottime", 10),
                "cprofile iterations": iterations,
                "children": {
                    setting: section(
                        f"{setting} ({case.key})", run_child, case.key, setting, child_repeats, args.target_seconds
                    )
                    for setting in CHILD_SETTINGS
                },
                "torch child": section(
                    f"PyTorch, fresh process ({case.key})",
                    run_child,
                    case.key,
                    None,
                    child_repeats,
                    args.target_seconds,
                )
                if torch is not None
                else {"error": "PyTorch is not installed"},
            }
    run["others"]["whole run"] = whole.others()
    run["load"].append(os.getloadavg())
    run["peak MiB"] = maxrss_mib(resource.RUSAGE_SELF)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render_report(run), encoding="utf-8")
    print(f"wrote {args.output}")
    for target in run["targets"]:
        verdict = {True: "met    ", False: "NOT MET", None: "skipped"}[target["met"]]
        print(f"  {verdict}  {target['name']}: {target['measured']}")
    return 0


def time_case(case: Case, with_matmul: bool, args) -> dict:
    agreement = check_agreement(case)
    contenders = [fit_contender(case), loop_contender(case), scalar_contender(case)]
    if torch is not None:
        contenders += [torch_contender(case, "float64"), torch_contender(case, "float32")]
    if with_matmul:
        contenders.append(matmul_contender())  # in the same rounds as the largest set-up: the same load
    time_contenders(contenders, args.repeats, args.target_seconds)
    return {"agreement": agreement, **{contender.key: contender.summary() for contender in contenders}}


def throughput(run: dict) -> dict:
    case = run["cases"][-1]
    flops = matmul_flops(case.dims, case.m)
    counted = flops["forward"] + flops["dW"] + flops["dA_needed"]
    seconds = {key: run["results"][case.key][key]["median us"] / 1e6 for key in ("fit", "loop")}
    return {
        "case": case,
        "flops": flops,
        "counted": counted,
        "executed": counted + flops["dA_first"],
        "seconds": seconds,
        "gflops": {key: counted / value / 1e9 for key, value in seconds.items()},
        "fraction": counted / seconds["fit"] / 1e9 / run["matmul"]["gflops"],
    }


def evaluate_targets(run: dict) -> list[dict]:
    results = run["results"]

    def ratio(key, contender):
        return results[key][contender]["median us"] / results[key]["fit"]["median us"]

    targets = [
        {
            "name": f"at least {SCALAR_SPEEDUP_TARGET:.0f} times faster than the scalar helpers on the real data (b)",
            "measured": f"{ratio('b', 'scalar'):.1f} times",
            "met": ratio("b", "scalar") >= SCALAR_SPEEDUP_TARGET,
            "key": "b",
        }
    ]
    for key in TORCH_CASES:
        name = f"no slower than PyTorch (CPU, float64) on ({key})"
        if torch is None:
            targets.append({"name": name, "measured": "PyTorch is not installed", "met": None, "key": key})
        else:
            value = ratio(key, "torch_float64")
            measured = f"PyTorch / course_lib = {value:.2f}"
            if results[key]["fit"]["faults"] >= 10:
                measured += f" (course_lib with {results[key]['fit']['faults']:.0f} page faults per iteration)"
            targets.append({"name": name, "measured": measured, "met": value >= 1.0, "key": key})
    flow = throughput(run)
    targets.append(
        {
            "name": f"at least {MATMUL_FRACTION_TARGET:.0%} of the measured matrix-multiply throughput on (d)",
            "measured": f"{flow['gflops']['fit']:.1f} of {run['matmul']['gflops']:.1f} GFLOP/s "
            f"= {flow['fraction']:.0%}",
            "met": flow["fraction"] >= MATMUL_FRACTION_TARGET,
            "key": "d",
        }
    )
    fresh = run.get("widgets fresh", {})
    for name, entry in run["widgets"].items():
        for state, limit in (("default", WIDGET_DEFAULT_MS), ("slowest timing", WIDGET_CORNER_MS)):
            what = "default state" if state == "default" else "slowest corner"
            for where, timing in (("", entry[state]), (", fresh process", fresh.get(name, {}).get(state))):
                if timing is None:
                    continue
                value = timing["median ms"]
                targets.append(
                    {
                        "name": f"{name}: {what} under {limit:.0f} ms{where}",
                        "measured": f"{value:.0f} ms",
                        "met": value < limit,
                        "key": name,
                    }
                )
    return targets


# ---------------------------------------------------------------------------------------------
# The report


def fmt_us(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def met(flag) -> str:
    return {True: "**met**", False: "**not met**", None: "skipped"}[flag]


def table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    align = align or "l" + "r" * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def render_report(run: dict) -> str:
    out = []
    for part in (report_machine, report_targets, report_training, report_throughput, report_widgets, report_suite):
        out += part(run)
    out += report_profiles(run)
    return "\n".join(out).rstrip() + "\n"


def report_machine(run: dict) -> list[str]:
    info, args, others = run["info"], run["args"], run["others"]
    cores = f"{info['logical cpus']} logical CPUs" + (
        f" ({info['physical cores']} physical cores)" if info["physical cores"] else ""
    )
    memory = f", {info['memory GiB']:.0f} GiB of memory" if info["memory GiB"] else ""
    environment = ", ".join(f"`{name}={value}`" for name, value in info["environment"].items())
    loads = [", ".join(f"{value:.2f}" for value in load) for load in run["load"]]
    out = [
        "# Speed benchmark",
        "",
        f"Generated by `benchmarks/run.py` on {run['started']:%Y-%m-%d %H:%M %Z}. Do not edit: run "
        "`python3 course.py bench` (or `.venv/bin/python benchmarks/run.py [--skip-tests]`) to measure again. "
        f"Settings: {args.repeats} repeats of about {args.target_seconds:g} s per contender"
        + (", test suite skipped." if args.skip_tests else "."),
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']}, {cores}{memory}",
        f"- {info['platform']}; Python {info['python']}; NumPy {info['numpy']}; "
        + (f"PyTorch {torch.__version__}" if torch else "PyTorch is not installed: its comparison is skipped"),
        f"- NumPy's BLAS: {info['blas']}",
        f"- Threads: NumPy's BLAS {info['blas threads'] or 'unknown'} ({info['blas threads how']}); "
        + (
            f"PyTorch {run['torch threads']} (`torch.get_num_threads()`, set to NumPy's BLAS threads)"
            if torch
            else "PyTorch: not installed"
        )
        + ". NumPy's elementwise operations use one thread, PyTorch's use its threads on large tensors.",
        f"- Environment: {environment or 'no thread or malloc settings'}.",
        f"- Load average (1, 5, 15 minutes): {loads[0]} at the start, {loads[-1]} at the end. Other processes "
        f"kept {cores_text(others.get('whole run'))} busy on average during the whole run.",
    ]
    sections = {name: value for name, value in others.items() if name != "whole run"}
    if run["quiet"]:
        waited = sum(quiet["waited s"] for quiet in run["quiet"].values())
        out.append(
            f"- Before each of its {len(sections)} timed sections the benchmark waited (up to "
            f"{args.wait_quiet:g} minutes) for other processes to use less than {QUIET_CORES} cores over 5 s; "
            f"it waited {waited:.0f} s in all."
        )
    noisy = {name: value for name, value in sections.items() if value is not None and value > QUIET_CORES}
    out.append(
        f"- Timed sections during which other processes used more than {QUIET_CORES} cores on average: "
        + ("; ".join(f"{name}: {cores_text(value)}" for name, value in noisy.items()) or "none")
        + "."
    )
    out.append("")
    if noisy:
        out += [
            "**The machine was busy** during some timings: other processes used CPU time, so those times are "
            "slower and noisier than on an idle machine, and multithreaded code (OpenBLAS, PyTorch) suffers most "
            "when its threads must share the cores with other work. The repeats of the contenders are "
            "interleaved, so the ratios are fairer than the absolute times; the min and max columns show the "
            "spread.",
            "",
        ]
    return out


def report_targets(run: dict) -> list[str]:
    rows = [[target["name"], target["measured"], met(target["met"])] for target in run["targets"]]
    return ["## Targets", ""] + table(["target", "measured", "verdict"], rows, "llr")


def report_training(run: dict) -> list[str]:
    results, cases = run["results"], run["cases"]
    out = [
        "## Training iterations",
        "",
        "Microseconds per full-batch iteration (forward, loss, backward, plain gradient-descent update), the "
        "median of the repeats. Every contender starts from the same He-initialised parameters; learning rate "
        f"{LEARNING_RATE}.",
        "",
        '- **course_lib fit**: `course_lib.fit(..., loss="stable", output_path="fused", '
        'hidden_activation="relu", optimizer="gd")`, its wall time divided by num_iterations + 1, the number of '
        "forward/backward passes it makes. It also records the cost and gradient norm of each, checks its inputs "
        "once and classifies the run at the end: all included.",
        "- **cost_and_gradients + step**: a bare loop of `course_lib.cost_and_gradients` and "
        "`course_lib.gradient_descent_step`, without fit's bookkeeping.",
        "- **scalar helpers**: `benchmarks/scalar_reference.py`, in the style of the original question: "
        '`math.exp` on one number wrapped in `np.vectorize`, parameters in a dict keyed `"W" + str(l)`, the '
        "naive cross-entropy, dA then the sigmoid derivative.",
        "- **PyTorch**: `benchmarks/torch_reference.py`, the same network with autograd, `BCEWithLogitsLoss` "
        "and plain gradient descent under `torch.no_grad()`, reading the cost back with `.item()` every "
        "iteration as fit records it. float64 matches NumPy; float32 is for information (no target).",
        "",
        f"The repeats of the contenders are interleaved, and each is preceded by a {PAUSE_SECONDS:g} s pause: "
        "OpenBLAS's threads keep polling for work for a while after each product, and PyTorch started during "
        "that time shares the cores with them (on (c) it measured up to twice as slow without the pause). "
        "Ratios above 1 mean that course_lib fit is faster.",
        "",
    ]
    keys = ["fit", "loop", "scalar"] + (["torch_float64", "torch_float32"] if torch else [])
    header = ["set-up", "course_lib fit", "cost_and_gradients + step", "scalar helpers"]
    header += ["PyTorch float64", "PyTorch float32", "scalar / course_lib", "PyTorch f64 / course_lib"] if torch else []
    header += ["PyTorch f32 / course_lib"] if torch else ["scalar / course_lib"]
    rows = []
    for case in cases:
        entry = results[case.key]
        row = [case.label] + [fmt_us(entry[key]["median us"]) for key in keys]
        row += [fmt_ratio(entry[key]["median us"] / entry["fit"]["median us"]) for key in keys[2:] if key != "loop"]
        rows.append(row)
    out += table(header, rows)
    changes = []
    for case in cases:
        change = results[case.key]["loop"]["median us"] / results[case.key]["fit"]["median us"] - 1
        changes.append(f"({case.key}) {change:+.0%}")
    out += [
        "Without fit's bookkeeping (cost_and_gradients + step against fit): " + ", ".join(changes) + ". A "
        "negative change is the share of fit's time spent on its bookkeeping (recording each cost and gradient "
        "norm, checking for inf and nan); a positive one is noise.",
        "",
        "### Details: spread, page faults, agreement",
        "",
        f"Before timing, every contender ran {CHECK_ITERATIONS} iterations from the same parameters; the last "
        "column is the largest difference from course_lib fit in the costs and in the parameters after those "
        f"steps (float64 contenders must agree to {AGREEMENT_TOLERANCE:g}, float32 need not). Page faults: minor "
        "faults per iteration (memory the kernel had to map in), from getrusage.",
        "",
    ]
    rows = []
    for case in cases:
        entry = results[case.key]
        for key in keys:
            check = entry["agreement"].get(key)
            rows.append(
                [
                    f"({case.key})",
                    entry[key]["label"],
                    f"{entry[key]['iterations']:,} x {entry[key]['repeats']}",
                    *(fmt_us(entry[key][stat]) for stat in ("median us", "min us", "max us")),
                    f"{entry[key]['faults']:.0f}",
                    "reference" if key == "fit" else f"{check['cost']:.1e} / {check['params']:.1e}",
                ]
            )
    header = ["set-up", "contender", "iterations x repeats", "median µs", "min µs", "max µs", "page faults"]
    out += table(header + ["max diff: cost / params"], rows, "llrrrrrr")
    out += [
        "Largest |Z| of the first forward pass (`math.exp` overflows beyond about 709): "
        + ", ".join(f"({case.key}) {results[case.key]['agreement']['largest |Z|']:.1f}" for case in cases)
        + ".",
        "",
    ]
    return out


def report_throughput(run: dict) -> list[str]:
    flow, matmul = throughput(run), run["matmul"]
    flops, case = flow["flops"], flow["case"]
    fit_us = run["results"][case.key]["fit"]["median us"]
    rows = [
        [
            f"np.matmul, {matmul['size']}x{matmul['size']} float64, median of {matmul['repeats']}, timed in the "
            f"same rounds as ({case.key})",
            f"{matmul['gflops']:.1f}",
            "",
        ],
        [
            f"course_lib fit on ({case.key}): counted flops / {fmt_us(fit_us)} µs",
            f"{flow['gflops']['fit']:.1f}",
            f"{flow['fraction']:.0%}",
        ],
        [
            f"course_lib fit on ({case.key}): executed products (with layer 1's dA_prev)",
            f"{flow['executed'] / flow['seconds']['fit'] / 1e9:.1f}",
            f"{flow['executed'] / flow['seconds']['fit'] / 1e9 / matmul['gflops']:.0%}",
        ],
        [
            f"cost_and_gradients + step on ({case.key}): counted flops",
            f"{flow['gflops']['loop']:.1f}",
            f"{flow['gflops']['loop'] / matmul['gflops']:.0%}",
        ],
    ]
    return [
        "## Throughput on the largest set-up",
        "",
        f"{case.label}. Only the matrix products are counted, 2 flops per multiply-add:",
        "",
        f"- forward, Z = W A_prev in each layer, 2 n_l n_(l-1) m each: {flops['forward'] / 1e9:.3f} GFLOP",
        f"- backward, dW = dZ A_prev^T in each layer, the same: {flops['dW'] / 1e9:.3f} GFLOP",
        f"- backward, dA_prev = W^T dZ in layers 2 to L, the same: {flops['dA_needed'] / 1e9:.3f} GFLOP",
        f"- counted per iteration: **{flow['counted'] / 1e9:.3f} GFLOP**. Not counted: dA_prev of layer 1 (the "
        f"gradient for X, {flops['dA_first'] / 1e9:.3f} GFLOP), which course_lib computes and nothing uses, so "
        f"course_lib executes {flow['executed'] / 1e9:.3f} GFLOP of products; nor the elementwise work (bias, "
        "activations, derivatives, loss, update: a few flops per entry).",
        "",
        *table(["", "GFLOP/s", "of np.matmul"], rows, "lrr"),
    ]


def describe_settings(settings: dict) -> str:
    return "; ".join(
        f"{name} {value:.3g}" if isinstance(value, float) else f"{name} {value}" for name, value in settings.items()
    )


def report_widgets(run: dict) -> list[str]:
    widgets = load_widgets()
    results = run["widgets"]
    rows = []
    for name, entry in results.items():
        for state, timing, limit in (
            ("default", entry["default"], WIDGET_DEFAULT_MS),
            ("slowest corner: " + describe_settings(entry["slowest"]), entry["slowest timing"], WIDGET_CORNER_MS),
        ):
            numbers = [f"{timing[key]:.1f}" for key in ("compute ms", "render ms", "median ms", "max ms")]
            rows.append([name, state, *numbers, f"< {limit:.0f}: {met(timing['median ms'] < limit)}"])
    lab, quadratic = results["divergence lab"], results["quadratic explorer"]
    corner_rows = [
        [
            describe_settings(corner["settings"]),
            str(corner.get("ran", "")),
            corner.get("status", ""),
            *(f"{corner[key]:.1f}" for key in ("compute ms", "render ms", "median ms")),
        ]
        for corner in lab["corners"]
    ]
    return [
        "## Widgets",
        "",
        "A widget's recompute is what runs when a control changes: its `run_*` function, then "
        "`widgets.render_png(draw_*, result)` (draw on a fixed-layout figure and encode the PNG); sending the "
        f"PNG to the browser is not included. Milliseconds, median and max of {run['args'].repeats} repeats "
        "after a warm-up.",
        "",
        *table(["widget", "state", "compute ms", "draw + PNG ms", "total ms", "max ms", "target"], rows, "llrrrrl"),
        *report_fresh_widgets(run),
        f"**The slowest corner of the divergence lab.** Its control grid has {lab_grid_size(widgets):,} corners "
        "(each choice crossed with both ends of the learning rate and of the iterations), too many to time. The "
        "computing grows with examples x features x hidden units x iterations, so the candidates are the largest "
        "data set with the widest hidden layers and the most iterations. A run stops at its first inf or nan, so "
        "only settings that keep the numbers finite run all the iterations; which do is what the table shows. "
        "The initialisation and the other two scalings change the numbers, not the amount of work. One corner "
        "of each smaller data set is timed too, as drawing time depends on the shape of the cost curve. Median "
        "of 3 each; the slowest was then timed again as above.",
        "",
        *table(
            ["candidate", "iterations run", "status", "compute ms", "draw + PNG ms", "total ms"], corner_rows, "lrlrrr"
        ),
        "The quadratic explorer has one control, the learning rate (0.05 to 1.25 x 2 / curvature), and always "
        "runs 12 steps; its candidates are the ends of the slider and the bounce point 2 / curvature: "
        + ", ".join(
            f"{corner['settings']['learning_rate']:.3g}: {corner['median ms']:.1f} ms"
            for corner in quadratic["corners"]
        )
        + ".",
        "",
    ]


def report_fresh_widgets(run: dict) -> list[str]:
    fresh = run.get("widgets fresh") or {}
    if "error" in fresh:
        return [f"(The fresh-process widget timing failed: {fresh['error']})", ""]
    rows = []
    for name, entry in fresh.items():
        for state, limit in (("default", WIDGET_DEFAULT_MS), ("slowest timing", WIDGET_CORNER_MS)):
            timing = entry[state]
            label = "default" if state == "default" else "slowest corner (as above)"
            numbers = [f"{timing[key]:.1f}" for key in ("first compute ms", "compute ms", "render ms", "median ms")]
            numbers += [f"{timing['max ms']:.1f}", f"{timing['compute faults']:.0f}"]
            rows.append([name, label, *numbers, f"< {limit:.0f}: {met(timing['median ms'] < limit)}"])
    header = ["widget", "state", "first compute ms", "compute ms", "draw + PNG ms", "total ms", "max ms"]
    header += ["page faults in compute"]
    return [
        "The same in a fresh process, as in a newly started kernel: it imports matplotlib and course_lib.widgets "
        "only, opens each widget at its default state and then moves it to the slowest corner found below. The "
        "first compute is the one right after opening (or moving); page faults are those of one compute.",
        "",
        *table(header + ["target"], rows, "llrrrrrrl"),
        *[
            f"The {name}'s slowest corner computes in {entry['slowest timing']['compute ms']:.0f} ms in the fresh "
            f"process with {entry['slowest timing']['compute faults']:,.0f} page faults, against "
            f"{run['widgets'][name]['slowest timing']['compute ms']:.0f} ms in the benchmark process: its training "
            "allocates and frees new arrays every iteration, and glibc gives the freed memory back to the kernel "
            'and faults it in again (see "Where the time goes").\n'
            for name, entry in fresh.items()
            if entry["slowest timing"]["compute faults"] >= 100
            and entry["slowest timing"]["compute ms"] > 1.2 * run["widgets"][name]["slowest timing"]["compute ms"]
        ],
    ]


def report_suite(run: dict) -> list[str]:
    tests = run["tests"]
    if tests is None:
        suite = "Wall time of the whole test suite: not measured in this run (`--skip-tests`)."
    else:
        suite = (
            f"`python {' '.join(TEST_COMMAND[1:])}` from the repository root: **{tests['seconds']:.0f} s** "
            f"({tests['seconds'] / 60:.1f} minutes) of wall time, exit status {tests['returncode']} "
            f"({tests['summary']}). Other processes kept {cores_text(tests['others'])} busy meanwhile."
        )
    return [
        "## Test suite",
        "",
        suite,
        "",
        "## Peak memory",
        "",
        f"- This benchmark process: {run['peak MiB']:.0f} MiB (ru_maxrss of RUSAGE_SELF; it holds set-up (d), "
        "its contenders and PyTorch).",
        "- The test suite: "
        + (
            f"{tests['peak MiB']:.0f} MiB (ru_maxrss of RUSAGE_CHILDREN, read before this process started any "
            "other child: the largest resident set of a single process of the suite, pytest or a notebook kernel, "
            "not their sum)."
            if tests
            else "not measured in this run."
        ),
        "",
    ]


def report_profiles(run: dict) -> list[str]:
    missed = [target for target in run["targets"] if target["met"] is False]
    out = ["## Where the time goes", ""]
    if missed:
        out += ["Targets not met in this run: " + "; ".join(f"{t['name']} ({t['measured']})" for t in missed) + ".", ""]
    else:
        out += [
            "Every target was met in this run; the profiles of the two large set-ups, and of any widget near its "
            "target, are kept for comparison.",
            "",
        ]
    for case in run["cases"]:
        if case.key in run["profiles"]:
            out += report_case_profile(run, case)
    out += report_explanations(run)
    for name, entry in run["widgets"].items():
        if "profile" in entry:
            out += report_widget_profile(run, name, entry)
    return out


def report_widget_profile(run: dict, name: str, entry: dict) -> list[str]:
    profile = entry["profile"]
    parts, raster, variants = profile["parts ms"], profile["rasterise ms"], profile["variants ms"]
    state = "default state" if profile["state"] == "default" else "slowest corner"
    total = entry[profile["state"]]["median ms"]
    limit = WIDGET_DEFAULT_MS if profile["state"] == "default" else WIDGET_CORNER_MS
    base, both = variants["render_png as it is"], variants.get("both")
    compressed = next(value for variant, value in variants.items() if variant.startswith("PNG compression"))
    kept = next(value for variant, value in variants.items() if variant.startswith("the same figure"))
    rasterise = parts["rasterise (canvas.draw)"]
    return [
        f"### {name}, {state}: one recompute in parts ({total:.0f} ms, target {limit:.0f} ms)",
        "",
        f"The steps of `widgets.render_png` taken one at a time (ms, median of {run['args'].repeats}): "
        + ", ".join(f"{part} {value:.1f}" for part, value in parts.items())
        + ". cProfile of the rasterisation, by cumulative time:",
        "",
        "```",
        profile["rasterise cprofile"],
        "```",
        "",
        "Drawing and encoding (`render_png`) as it is and with changes to it (ms, median, interleaved):",
        "",
        *table(["render", "ms"], [[variant, f"{value:.1f}"] for variant, value in variants.items()]),
        f"**Why it is {'over' if total >= limit else 'close to'} the target.** The recompute takes "
        f"{total:.0f} ms against {limit:.0f}: computing {parts['compute']:.1f} ms, the figure the rest. "
        f"Rasterising is the largest part ({rasterise:.1f} ms); inside it (cProfile, with its own overhead, "
        f"{raster['whole']:.0f} ms in all) the two axes take {raster['axes']:.0f} ms, text anywhere "
        f"{raster['all text']:.0f} ms and the legend {raster['legend']:.0f} ms. matplotlib builds, lays out and "
        "rasterises every tick, tick label and text anew for each new figure, and `render_png` makes a new figure "
        f"for every update. With PNG compression level 1 drawing and encoding take {compressed:.1f} ms instead of "
        f"{base:.1f}."
        + (
            f" Without the labels of the minor ticks as well, drawing and encoding take {both:.1f} ms instead of "
            f"{base:.1f}, which would bring this recompute to about {total - (base - both):.0f} ms; but on a narrow "
            "log axis (one that spans less than a factor of 10) `plotting.plot_costs` labels only the minor ticks, "
            "and dropping those labels would leave the axis without numbers."
            if both is not None
            else ""
        )
        + " Keeping one figure per widget and updating its artists (`line.set_data`, limits, title) instead of "
        f"building a new figure per update would cost at least {kept:.1f} ms per update (the same figure drawn "
        f"and encoded again), {base - kept:.1f} ms less than now.",
        "",
    ]


def report_case_profile(run: dict, case: Case) -> list[str]:
    profile = run["profiles"][case.key]
    lines = profile["lines"]
    total = lines["lines us"]
    rows = []
    for row in sorted(lines["rows"], key=lambda row: -row["us"]):
        rate = f"{row['flops'] / row['us'] / 1e3:.1f}" if row["flops"] else ""
        rows.append([row["line"], fmt_us(row["us"]), f"{row['us'] / total:.0%}", rate, f"{row['faults']:.0f}"])
    groups = by_kind(lines)
    products = [row for row in lines["rows"] if row["flops"]]
    product_flops = sum(row["flops"] for row in products)
    out = [
        f"### One course_lib iteration, line by line: {case.label}",
        "",
        "fit's inner loop in course_lib's order, each operation timed on its own: µs per iteration (mean of "
        f"{lines['iterations']}), GFLOP/s of the products, minor page faults. The profiled loop ran at "
        f"{fmt_us(lines['wall us'])} µs per iteration ({fmt_us(total)} inside the lines); `fit`, timed right "
        f"after, at {fmt_us(lines['fit us'])} µs with {lines['fit faults']:.0f} page faults per iteration.",
        "",
        *table(["line", "µs", "share", "GFLOP/s", "page faults"], rows),
        "By kind: "
        + ", ".join(f"{name} {fmt_us(value)} µs ({value / total:.0%})" for name, value in groups.items())
        + f". All the products together run at {product_flops / groups['matrix products'] / 1e3:.1f} GFLOP/s "
        f"(the 2000x2000 np.matmul: {run['matmul']['gflops']:.1f}). Page faults: {lines['faults']:.0f} per "
        f"iteration; system time {fmt_us(lines['sys us'])} µs and user time {fmt_us(lines['user us'])} µs per "
        "iteration (CPU time of all threads).",
        "",
        f"cProfile of `fit` ({profile['cprofile iterations']} iterations, by own time):",
        "",
        "```",
        profile["cprofile"],
        "```",
        "",
    ]
    children = {name: value for name, value in profile["children"].items() if "error" not in value}
    if children:
        contenders = [key for key in next(iter(children.values())) if key != "matmul"]
        rows = []
        for key in contenders:
            row = [next(iter(children.values()))[key]["label"]]
            for value in children.values():
                row.append(f"{fmt_us(value[key]['median us'])} ({value[key]['faults']:.0f})")
            rows.append(row)
        rows.append(
            ["gain of all three"]
            + [
                f"{value['course_lib']['median us'] / value['all three']['median us']:.2f}x"
                for value in children.values()
            ]
        )
        if all("matmul" in value for value in children.values()):
            counted = throughput(run)["counted"]
            for key, label in (("course_lib", "as it is"), ("all three", "with all three")):
                rows.append(
                    [f"counted GFLOP/s {label}, % of this process's np.matmul"]
                    + [
                        f"{counted / value[key]['median us'] / 1e3:.1f} "
                        f"({counted / value[key]['median us'] / child_matmul_gflops(value) / 1e3:.0%})"
                        for value in children.values()
                    ]
                )
            rows.append(
                [f"np.matmul {MATMUL_SIZE}x{MATMUL_SIZE} in the same process, GFLOP/s"]
                + [f"{child_matmul_gflops(value):.1f}" for value in children.values()]
            )
        out += [
            "**The proposed changes, measured.** Each column is a fresh Python process that imports only NumPy "
            "and course_lib (like a plain script; its heap starts empty) and times `cost_and_gradients` + "
            "`gradient_descent_step` as course_lib has them and with the proposed changes, implemented in "
            "`benchmarks/run.py` (`proposed_cost_and_gradients`) and checked to give the same numbers. µs per "
            "iteration, median, (page faults per iteration).",
            "",
            *table(["µs per iteration (page faults)", *children], rows),
        ]
    fresh_torch = profile.get("torch child", {}).get("torch_float64")
    if fresh_torch:
        out += [
            f"PyTorch float64 in its own fresh process (same environment as the first column): "
            f"{fmt_us(fresh_torch['median us'])} µs per iteration ({fresh_torch['faults']:.0f} page faults).",
            "",
        ]
    for name, value in profile["children"].items():
        if "error" in value:
            out += [f"(The child process for '{name}' failed: {value['error']})", ""]
    return out


def child_matmul_gflops(child: dict) -> float:
    return 2e-3 * MATMUL_SIZE**3 / child["matmul"]["median us"]


def report_explanations(run: dict) -> list[str]:
    """What the profiles of this run say, set-up by set-up, and what would make course_lib faster."""
    results, matmul = run["results"], run["matmul"]
    keys = sorted(run["profiles"])
    if not keys:
        return []
    out = ["### What the profiles say, and what would make course_lib faster", ""]
    flow = throughput(run)
    verdicts = defaultdict(list)
    for target in run["targets"]:
        verdicts[target["key"]].append(target["met"])
    for key in keys:
        lines = run["profiles"][key]["lines"]
        children = run["profiles"][key]["children"]
        total, groups = lines["lines us"], by_kind(lines)
        entry = results[key]
        verdict = "target not met" if False in verdicts[key] else "target met"
        if key == "d":
            claim = (
                f"course_lib reaches {flow['gflops']['fit']:.1f} GFLOP/s, {flow['fraction']:.0%} of np.matmul's "
                f"{matmul['gflops']:.1f} ({verdict})"
            )
        elif "torch_float64" in entry:
            claim = (
                f"course_lib fit takes {fmt_us(entry['fit']['median us'])} µs per iteration, PyTorch float64 "
                f"{fmt_us(entry['torch_float64']['median us'])} µs ({verdict})"
            )
        else:
            claim = f"course_lib fit takes {fmt_us(entry['fit']['median us'])} µs per iteration"
        products = sorted((row for row in lines["rows"] if row["flops"]), key=lambda row: -row["us"])
        elementwise = sorted(
            (row for row in lines["rows"] if kind_of(row) == "elementwise and reductions"), key=lambda row: -row["us"]
        )
        text = [
            f"**({key})** {claim}. The products take {groups['matrix products'] / total:.0%} of the profiled "
            f"iteration, elementwise work and reductions {groups['elementwise and reductions'] / total:.0%}. "
            "The slowest products: "
            + ", ".join(f"`{row['line']}` at {row['flops'] / row['us'] / 1e3:.0f} GFLOP/s" for row in products[:3])
            + "; the slowest elementwise lines: "
            + ", ".join(f"`{row['line']}` {fmt_us(row['us'])} µs" for row in elementwise[:3])
            + "."
        ]
        wasted = next((row for row in lines["rows"] if row["line"].endswith("not needed")), None)
        if wasted:
            text.append(
                f"Layer 1's `dA_prev = W.T @ dZ`, which nothing uses, costs {fmt_us(wasted['us'])} µs "
                f"({wasted['us'] / total:.0%})."
            )
        if key == "d":
            needed = groups["matrix products"] - (wasted["us"] if wasted else 0.0)
            ceiling = flow["counted"] / needed / 1e3
            text.append(
                "Even if everything but the needed products took no time, the products as they run here would give "
                f"{ceiling:.1f} GFLOP/s ({ceiling / matmul['gflops']:.0%} of np.matmul): these shapes (one side "
                "100 to 256) run below the 2000x2000 product's rate."
            )
        plain = children.get("fresh process", {})
        untrimmed = children.get("fresh process, glibc heap trimming off", {})
        single = children.get("fresh process, 1 BLAS thread", {})
        fresh_torch = run["profiles"][key].get("torch child", {}).get("torch_float64")
        fresh_faults = plain.get("course_lib", {}).get("faults", 0.0)
        if max(entry["fit"]["faults"], lines["faults"], fresh_faults) >= 10:
            text.append(
                f"Page faults: course_lib fit caused {entry['fit']['faults']:.0f} minor page faults per iteration "
                f"in the timed runs above, {lines['faults']:.0f} in the line profile (later, in the same process) "
                f"and {fresh_faults:.0f} in a fresh process that imports only NumPy and course_lib. Every iteration "
                "allocates new arrays for each Z, A, derivative and gradient and frees them at its end; glibc's "
                "malloc then gives the top of its heap back to the kernel (heap trimming, past a threshold that it "
                "raises to twice the largest array freed so far), and the next iteration's arrays are faulted in "
                "and zeroed again, page by page. Whether that happens depends on what the process allocated and "
                "freed before, so the same code runs at two speeds."
            )
        if "course_lib" in plain and "course_lib" in untrimmed:
            base, off = plain["course_lib"], untrimmed["course_lib"]
            sentence = (
                f"In fresh processes course_lib takes {fmt_us(base['median us'])} µs ({base['faults']:.0f} faults) "
                f"with glibc's defaults and {fmt_us(off['median us'])} µs ({off['faults']:.0f} faults) with heap "
                f"trimming off, {base['median us'] / off['median us']:.2f} times faster"
            )
            if fresh_torch:
                torch_us = fresh_torch["median us"]
                sentence += (
                    f"; PyTorch float64 in its own fresh process takes {fmt_us(torch_us)} µs, so course_lib is "
                    f"{'faster' if base['median us'] < torch_us else 'slower'} than PyTorch with glibc's defaults "
                    f"(ratio {torch_us / base['median us']:.2f}) and "
                    f"{'faster' if off['median us'] < torch_us else 'slower'} with trimming off "
                    f"(ratio {torch_us / off['median us']:.2f})"
                )
            text.append(sentence + ".")
        if "all three" in plain and "all three" in untrimmed:
            sentence = "The three changes below: " + ", ".join(
                f"{fmt_us(child['all three']['median us'])} µs ({child['all three']['faults']:.0f} faults, "
                f"{child['course_lib']['median us'] / child['all three']['median us']:.2f}x) {name}"
                for name, child in (("with glibc's defaults", plain), ("with trimming off", untrimmed))
            )
            if single.get("all three"):
                sentence += (
                    f", {fmt_us(single['all three']['median us'])} µs "
                    f"({single['course_lib']['median us'] / single['all three']['median us']:.2f}x) on one BLAS thread"
                )
            if key == "d" and "matmul" in untrimmed and "matmul" in plain:
                rates = [
                    (name, flow["counted"] / child[which]["median us"] / 1e3 / child_matmul_gflops(child))
                    for name, child in (("defaults", plain), ("trimming off", untrimmed))
                    for which in ("course_lib", "all three")
                ]
                sentence += ". As fractions of np.matmul timed in the same process: " + ", ".join(
                    f"{rate:.0%} ({'as it is' if index % 2 == 0 else 'with the changes'}, {name})"
                    for index, (name, rate) in enumerate(rates)
                )
            text.append(sentence + ".")
        out += [" ".join(text), ""]

    def gains(change: str, prefix: str = " Measured alone, in fresh processes: ") -> str:
        measured = []
        for setting, label in (
            ("fresh process", "glibc's defaults"),
            ("fresh process, glibc heap trimming off", "trimming off"),
        ):
            values = []
            for key in keys:
                child = run["profiles"][key]["children"].get(setting, {})
                if change in child and "course_lib" in child:
                    values.append(f"({key}) {child['course_lib']['median us'] / child[change]['median us']:.2f}x")
            if values:
                measured.append(f"{label} {', '.join(values)}")
        return f"{prefix}{'; '.join(measured)}." if measured else ""

    out += [
        "The changes to course_lib that the profiles point to, each a line or two (measured above as "
        "`proposed_cost_and_gradients`; course_lib's tests would have to accept them):",
        "",
        "1. `layers.linear_forward`: `Z = W @ A_prev` then `Z += b`, instead of `W @ A_prev + b`, which makes a "
        "second (n_l, m) array and reads and writes it once more." + gains("in-place bias"),
        "2. `layers.layer_backward` for ReLU: `dZ = dA * (cache.Z > 0)`, a boolean mask of one byte per entry, "
        "instead of `dA * relu_derivative(Z)`, whose float64 array of 0s and 1s takes two passes to build "
        "(`Z > 0`, then `.astype`) and is read once more." + gains("boolean ReLU mask"),
        "3. `model.model_backward`: no `dA_prev = W.T @ dZ` for layer 1 (for example an argument "
        "`need_dA_prev=False` of `linear_backward`): the gradient with respect to X is never used, and it is "
        "an (n_0, m) product, as large as layer 1's forward product." + gains("no dA_prev for layer 1"),
        "",
        gains("all three", "All three together, in fresh processes: ").strip(),
        "",
        "The page faults are not in course_lib's arithmetic but in glibc's heap policy, which only a process-wide "
        "setting changes: starting the Python process with `MALLOC_MMAP_THRESHOLD_=33554432 "
        "MALLOC_TRIM_THRESHOLD_=4294967296` in its environment (the same as the `GLIBC_TUNABLES` of the column "
        '"heap trimming off"; `course.py` could set it for `lab` and `bench`), or `mallopt` called once through '
        "ctypes (glibc only, and it changes the whole process: not something a teaching library should do "
        "behind the learner's back). The arrays of the course's own notebooks (at most 30 x 569) are small "
        "enough that none of this arises there.",
        "",
    ]
    return out


if __name__ == "__main__":
    sys.exit(main())
