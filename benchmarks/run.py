"""The speed benchmark of course_lib: writes docs/benchmarks.md (overwritten on every run).

    python3 course.py bench [--skip-tests] [--skip-widgets] [--wait-quiet 5]    # --help lists the options

Full-batch training iterations on four set-ups (``build_case``) for ``course_lib.fit``, a minimal NumPy loop with the
same maths (the practical limit), the scalar helpers (scalar_reference.py) and PyTorch on the CPU (torch_reference.py,
skipped when not installed); each must agree with fit to 1e-8 after 3 iterations, then their repeats are interleaved
in one process, so that a busy spell hits all of them. Also: fit and the minimal loop in fresh processes with and
without course_lib/_memory's allocator settings, fit's GFLOP/s against np.matmul, the widgets, the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import inspect
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections import namedtuple
from functools import partial
from pathlib import Path

import numpy as np

import course_lib as cl

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scalar_reference  # noqa: E402

try:
    import torch
    from torch_reference import TorchNetwork
except ImportError:
    torch = None

ROOT = Path(__file__).resolve().parent.parent
LEARNING_RATE = 0.01
AGREEMENT = 1e-8  # largest difference from fit in costs or parameters after 3 iterations
PAUSE = 0.2  # seconds before each timed run, so that the previous contender's BLAS threads stop spinning
QUIET_CORES = 0.25
MATMUL_SIZE = 2000
# The targets (issue 8 and before).
SCALAR_TIMES, TORCH_CASES, MINIMAL_CASES, MINIMAL_RATIO, MATMUL_SHARE = 20.0, "abc", "bc", 1.3, 0.5
WIDGET_MS = {"default": 100.0, "slowest corner": 500.0}
VERDICTS = {True: "met", False: "not met", None: "skipped"}
OPT_OUT = "COURSE_LIB_MALLOPT"
MALLOC_VARIABLES = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES")


def memory_applied():
    """course_lib/_memory.APPLIED, or None when course_lib does not import it."""
    return getattr(sys.modules.get("course_lib._memory"), "APPLIED", None)


def minimal_loop(X, Y, params, learning_rate, num_iterations):
    """The practical limit: fit's maths (ReLU, sigmoid output, stable loss, dZ = A - Y, gradient descent) and
    nothing else. Returns (the cost before each update, the final [(W, b), ...])."""
    Ws, bs = [W.copy() for W, _ in params], [b.copy() for _, b in params]
    m, costs = X.shape[1], []
    for _ in range(num_iterations):
        As = [X]
        for W, b in zip(Ws[:-1], bs[:-1]):
            As.append(np.maximum(W @ As[-1] + b, 0.0))
        Z = Ws[-1] @ As[-1] + bs[-1]
        costs.append(float(np.sum(np.maximum(Z, 0.0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))) / m))
        dZ = 1.0 / (1.0 + np.exp(-Z)) - Y
        for layer in reversed(range(len(Ws))):
            dW, db = dZ @ As[layer].T / m, dZ.sum(axis=1, keepdims=True) / m
            if layer:
                dZ = (Ws[layer].T @ dZ) * (As[layer] > 0)
            Ws[layer] -= learning_rate * dW
            bs[layer] -= learning_rate * db
    return costs, list(zip(Ws, bs))


# params: [(W, b), ...] from He initialisation, which keeps every |Z| far below where math.exp overflows.
Case = namedtuple("Case", "key label X Y dims params")


def build_case(key: str) -> Case:
    if key == "a":
        title, (X, Y), dims = "odd/even, unscaled as in the question", cl.odd_even(), [1, 1, 1]
    elif key == "b":
        X, Y = cl.load_breast_cancer()
        title, X, dims = "breast cancer, standardised", cl.Standardizer.fit(X).transform(X), [30, 16, 8, 1]
    else:
        (n_x, m), dims = ((64, 1800), [64, 32, 16, 1]) if key == "c" else ((100, 10_000), [100, 256, 128, 1])
        rng = np.random.default_rng(n_x)
        title, X = "generated", rng.standard_normal((n_x, m))
        Y = (rng.standard_normal(n_x) @ X > 0).astype(np.float64).reshape(1, m)  # a random linear rule
    params = [tuple(layer) for layer in cl.init_params(dims, np.random.default_rng(0), "he")]
    return Case(key, f"({key}) {title}, {dims}, m = {X.shape[1]:,}", X, Y, dims, params)


def fit_course_lib(case: Case, n: int):
    history = cl.fit(case.X, case.Y, case.dims, learning_rate=LEARNING_RATE, num_iterations=n, params=case.params)
    return list(history.costs[:n]), history.params


def contenders(case: Case, names=None) -> dict:
    """name -> (prepare(n): a call that trains n iterations and returns (costs, params); passes beyond n)."""
    found = {
        "fit": (lambda n: partial(fit_course_lib, case, n), 1),  # fit also computes the cost after its last step
        "minimal": (lambda n: partial(minimal_loop, case.X, case.Y, case.params, LEARNING_RATE, n), 0),
        "scalar": (lambda n: partial(scalar_reference.train, case.X, case.Y, case.params, LEARNING_RATE, n), 0),
    }
    for dtype in ("float64", "float32") if torch else ():
        network = partial(TorchNetwork, case.X, case.Y, case.params, dtype)  # copies the data: not timed
        found[f"torch {dtype}"] = (lambda n, network=network: partial(network().train, LEARNING_RATE, n), 0)
    skip = ["scalar"] if case.key == "d" else []  # the scalar helpers: over a second per iteration there, no target
    return {name: entry for name, entry in found.items() if (names is None or name in names) and name not in skip}


def difference(result, reference) -> tuple[float, float]:
    """Largest absolute difference of two (costs, [(W, b), ...]): (in the costs, in the parameters)."""
    cost = float(np.max(np.abs(np.subtract(result[0], reference[0]))))
    return cost, max(float(np.max(np.abs(p - q))) for a, b in zip(result[1], reference[1]) for p, q in zip(a, b))


def timed(call) -> tuple[float, int]:
    """Seconds and minor page faults of call()."""
    faults, start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, time.perf_counter()
    call()
    return time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults


def time_interleaved(case: Case, found: dict, repeats: int, seconds: float) -> dict:
    """Check each contender against fit (3 iterations from the same parameters), then time them in interleaved
    rounds: µs and page faults per iteration (median, min, max) and the differences from fit."""
    reference, sizes, rows, agree = found["fit"][0](3)(), {}, {name: [] for name in found}, {}
    for name, (prepare, extra) in found.items():
        agree[name] = difference(prepare(3)(), reference)
        if name != "torch float32" and max(agree[name]) > AGREEMENT:
            sys.exit(f"{case.label}: {name} differs from fit by {agree[name]} (costs, parameters): not comparable")
        sizes[name] = max(2, int(seconds / (timed(prepare(2))[0] / (2 + extra))))
    for _ in range(repeats):
        for name, (prepare, extra) in found.items():
            call = prepare(sizes[name])
            time.sleep(PAUSE)
            spent, faults = timed(call)
            rows[name].append((spent * 1e6 / (sizes[name] + extra), faults / (sizes[name] + extra)))
    return {
        name: {"us": statistics.median(r[0] for r in runs), "min": min(r[0] for r in runs), "agree": agree[name],
               "max": max(r[0] for r in runs), "faults": statistics.median(r[1] for r in runs), "n": sizes[name]}
        for name, runs in rows.items()
    }


def cpu_seconds():
    """(CPU seconds of other processes: /proc/stat's busy time less ours and our children's, wall clock) or None."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(value) for value in handle.readline().split()[1:]]
    except OSError:
        return None
    own = sum(os.times()[:4])
    return (sum(fields[:3]) + sum(fields[5:8])) / os.sysconf("SC_CLK_TCK") - own, time.monotonic()


def others_since(start, pause: float = 0.0) -> float | None:
    """The cores other processes kept busy on average since ``start = cpu_seconds()`` (after sleeping ``pause``)."""
    time.sleep(pause)
    end = cpu_seconds()
    return None if start is None or end is None else max(end[0] - start[0], 0.0) / (end[1] - start[1])


def matmul_gflops(repeats: int) -> float:
    A, B = np.random.default_rng(1).standard_normal((2, MATMUL_SIZE, MATMUL_SIZE))
    np.matmul(A, B)
    return 2 * MATMUL_SIZE**3 / statistics.median(timed(partial(np.matmul, A, B))[0] for _ in range(repeats)) / 1e9


def time_redraw(widgets, compute, draw, repeats: int) -> float:
    """Median ms of compute() then the redraw on the widget's figure: what a widget does when a control moves."""
    redraw = partial(widgets.WidgetFigure().render, draw)
    redraw(compute())  # warm-up: fonts, caches, the figure's ticks
    return statistics.median(timed(lambda: redraw(compute()))[0] * 1e3 for _ in range(repeats))


def lab_corners(widgets) -> list[dict]:
    """The lab's slowest settings: most data, widest network, most iterations, a rate that never overflows."""
    largest = max(widgets.DATASETS, key=lambda name: widgets.lab_data(name)[0].size)
    widest = max(widgets.HIDDEN_LAYERS, key=lambda name: sum(widgets.HIDDEN_LAYERS[name]))
    corner = dict(dataset=largest, hidden=widest, init="he", iterations=widgets.ITERATION_RANGE[1], loss="stable",
                  scaling="standardize", learning_rate=widgets.LEARNING_RATE_RANGE[0])
    batches = [name for name in getattr(widgets, "BATCH_SIZES", {}) if name != "all"][-1:]
    return [corner, *(dict(corner, batch_size=name) for name in batches)]


def time_widgets(repeats: int) -> dict:
    import matplotlib
    matplotlib.use("Agg")  # off screen: the widgets render SVG text
    from course_lib import widgets

    explorer = inspect.signature(widgets.quadratic_explorer).parameters
    curvature, rate = explorer["curvature"].default, explorer["learning_rate"].default
    rates = (0.05, 2 / curvature, 2.5 / curvature)  # the slider's ends, and where the explorer bounces
    setups = {  # name -> (run, draw, settings of the first state, corners)
        "divergence lab": (widgets.run_divergence_lab, widgets.draw_divergence_lab, {}, lab_corners(widgets)),
        "quadratic explorer": (partial(widgets.run_quadratic, curvature=curvature), widgets.draw_quadratic,
                               {"learning_rate": rate}, [{"learning_rate": r} for r in rates]),
    }
    result = {}
    for name, (run, draw, first, corners) in setups.items():
        timings = [(time_redraw(widgets, partial(run, **corner), draw, 3), corner) for corner in corners]
        slowest = max(timings, key=lambda pair: pair[0])
        result[name] = {"default": time_redraw(widgets, partial(run, **first), draw, repeats), "slowest corner":
                        slowest[0], "corner": slowest[1]}
    return result


def run_test_suite() -> dict:
    print("running the test suite (several minutes) ...", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                          capture_output=True, text=True)
    summary = ([line for line in done.stdout.splitlines() if line.strip()] or ["(no output)"])[-1].strip("= ")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return {"seconds": time.perf_counter() - start, "summary": summary, "peak_mib": peak}


def fresh_process(cases: str, repeats: int, seconds: float, opt_out: bool) -> dict:
    """fit and the minimal loop timed in a new process, without malloc variables, opted out of _memory or not."""
    environ = {name: value for name, value in os.environ.items() if name not in MALLOC_VARIABLES}
    command = [sys.executable, __file__, "--child", cases, "--repeats", str(repeats), "--seconds", str(seconds)]
    done = subprocess.run(command, env=environ | ({OPT_OUT: "0"} if opt_out else {}), capture_output=True, text=True)
    error = {"error": (done.stderr.strip().splitlines() or ["no message"])[-1]}
    return error if done.returncode else json.loads(done.stdout.splitlines()[-1])


def measure(args) -> dict:
    run = {"started": datetime.datetime.now(datetime.timezone.utc), "load": [os.getloadavg()], "others": {}}
    run["waited"], whole, timing = 0.0, cpu_seconds(), (args.repeats, args.seconds)

    def section(name, function, *arguments):
        start = time.monotonic()  # wait for quiet: other processes below QUIET_CORES over 5 s
        while time.monotonic() - start < args.wait_quiet * 60 and (others_since(cpu_seconds(), 5) or 0) > QUIET_CORES:
            print("  waiting for a quiet machine", flush=True)
        run["waited"] += time.monotonic() - start
        print(f"{name} ...", flush=True)
        before = cpu_seconds()
        value = function(*arguments)
        run["others"][name] = others_since(before)
        return value

    run["tests"] = None if args.skip_tests else run_test_suite()  # first: RUSAGE_CHILDREN then holds it alone
    run["cases"] = [build_case(key) for key in args.cases]
    run["results"] = {case.key: section(f"training ({case.key})", time_interleaved, case, contenders(case), *timing)
                      for case in run["cases"]}
    if "d" in args.cases:
        run["matmul"] = section("np.matmul", matmul_gflops, args.repeats)
    fresh = "".join(key for key in args.cases if key in MINIMAL_CASES)
    run["fresh"] = {
        setting: section(f"fresh process, {setting}", fresh_process, fresh, *timing, opt_out)
        for setting, opt_out in (("glibc's defaults", True), ("course_lib's settings", False)) if fresh
    }
    run["widgets"] = None if args.skip_widgets else section("widgets", time_widgets, args.repeats)
    run["others"]["whole run"] = others_since(whole)
    run["load"].append(os.getloadavg())
    return run


def targets(run: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for every target whose set-up was measured."""
    results, rows = run["results"], []

    def ratio(key, slower, faster="fit"):
        return results[key][slower]["us"] / results[key][faster]["us"]

    if "b" in results:
        rows.append((f"fit {SCALAR_TIMES:.0f} times faster than the scalar helpers on (b)",
                     f"{ratio('b', 'scalar'):.1f} times", ratio("b", "scalar") >= SCALAR_TIMES))
    for key in (key for key in MINIMAL_CASES if key in results):
        rows.append((f"fit at most {MINIMAL_RATIO}x the minimal NumPy loop on ({key})",
                     f"{ratio(key, 'fit', 'minimal'):.2f}x", ratio(key, "fit", "minimal") <= MINIMAL_RATIO))
    for key in (key for key in TORCH_CASES if key in results):
        name = f"fit no slower than PyTorch (CPU, float64) on ({key})"
        measured = ratio(key, "torch float64") if torch else None
        rows.append((name, f"PyTorch / fit = {measured:.2f}", measured >= 1) if torch else (name, "no PyTorch", None))
    if "matmul" in run:
        share = gflops(run) / run["matmul"]
        rows.append((f"fit at least {MATMUL_SHARE:.0%} of np.matmul's GFLOP/s on (d)",
                     f"{gflops(run):.1f} of {run['matmul']:.1f} GFLOP/s = {share:.0%}", share >= MATMUL_SHARE))
    for name, timing in (run["widgets"] or {}).items():
        rows += [(f"{name}: {state} under {limit:.0f} ms", f"{timing[state]:.0f} ms", timing[state] < limit)
                 for state, limit in WIDGET_MS.items()]
    return rows


def gflops(run: dict) -> float:
    """fit's rate on (d) in counted flops: forward, dW, and dA of every layer but the first (multiply-add = 2)."""
    dims, m = next((case.dims, case.X.shape[1]) for case in run["cases"] if case.key == "d")
    products = [fan_in * fan_out for fan_in, fan_out in zip(dims[:-1], dims[1:])]
    return 2 * m * (2 * sum(products) + sum(products[1:])) / run["results"]["d"]["fit"]["us"] / 1e3


def us(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table(header: list, rows: list) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows] + [""]


def training_rows(run: dict) -> list[list]:
    rows = []
    for case in run["cases"]:
        result = run["results"][case.key]
        for name, timing in result.items():
            over = "minimal" if name == "fit" else "fit"
            ratio = "" if name == "minimal" else f"{name} / {over} = {timing['us'] / result[over]['us']:.2f}"
            agreement = "{:.1e} / {:.1e}".format(*timing["agree"])
            rows.append([case.label if name == "fit" else f"({case.key})", name, us(timing["us"]),
                         f"{us(timing['min'])} - {us(timing['max'])}", f"{timing['faults']:.1f}", ratio, agreement])
    return rows


def fresh_rows(run: dict) -> list[list]:
    rows = []
    for setting, child in run["fresh"].items():
        rows += [[setting, "failed: " + child["error"], "", "", "", "", ""]] if "error" in child else []
        for key, result in child.get("results", {}).items():
            fit, minimal = result["fit"], result["minimal"]
            rows.append([f"({key}) {setting}", us(fit["us"]), f"{fit['faults']:.1f}", us(minimal["us"]),
                         f"{minimal['faults']:.1f}", f"{fit['us'] / minimal['us']:.2f}", child["applied"]])
    return rows


def report(run: dict, args) -> str:
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    pytorch = f"PyTorch {torch.__version__} with {torch.get_num_threads()} threads" if torch else "no PyTorch"
    malloc = ", ".join(f"{name}={os.environ[name]}" for name in MALLOC_VARIABLES if name in os.environ)
    load = " at the start, ".join(", ".join(f"{value:.2f}" for value in load) for load in run["load"])
    others = ", ".join(f"{name} {cores:.2f}" for name, cores in run["others"].items() if cores is not None)
    out = [
        "# Speed benchmark", "", f"Generated by `benchmarks/run.py` on {run['started']:%Y-%m-%d %H:%M} UTC; do not "
        f"edit: run `python3 course.py bench` to measure again. {args.repeats} interleaved repeats of about "
        f"{args.seconds} s each.", "", "## Machine", "",
        f"- {platform.platform()}, {os.cpu_count()} logical CPUs; Python {platform.python_version()}, NumPy "
        f"{np.__version__} with {blas.get('name', '?')} {blas.get('version', '')}; {pytorch}",
        f"- Allocator: {' '.join(platform.libc_ver()).strip() or 'not glibc'}; course_lib/_memory's settings "
        f"applied: {memory_applied()}; malloc variables: {malloc or 'none, as in a learner’s kernel'}",
        f"- Load average (1, 5, 15 minutes): {load} at the end; waited {run['waited']:.0f} s for a quiet machine",
        f"- Cores other processes kept busy, per section: {others or 'unknown'}", "", "## Targets", "",
        *table(["target", "measured", "verdict"], [[a, b, f"**{VERDICTS[c]}**"] for a, b, c in targets(run)]),
        "## Training iterations", "", f"µs per iteration (forward, stable loss, backward, update; learning rate "
        f"{LEARNING_RATE}, He initial weights): the median and the range of the interleaved repeats, minor page "
        "faults per iteration, fit over the minimal loop (the practical limit) and every other contender over fit "
        "(above 1: fit is faster), and the largest difference from fit after 3 iterations.", "",
        *table(["set-up", "contender", "µs", "range", "page faults", "ratio", "cost / params"], training_rows(run)),
        "## Page faults and course_lib/_memory", "", f"fit and the minimal loop in fresh processes, with glibc's "
        f"defaults ({OPT_OUT}=0) and with the settings course_lib applies when imported: freed arrays' memory is "
        "kept for reuse instead of going back to the kernel and faulting in again on the next iteration.", "",
        *table(["set-up", "fit µs", "fit faults", "minimal µs", "minimal faults", "fit / minimal", "applied"],
               fresh_rows(run)),
    ]
    if "matmul" in run:
        out += ["## Throughput on (d)", "", f"fit: {gflops(run):.1f} GFLOP/s of counted products (forward, dW, and "
                f"dA of layers 2 to L); np.matmul {MATMUL_SIZE}x{MATMUL_SIZE} float64: {run['matmul']:.1f}.", ""]
    if run["widgets"]:
        rows = [[name, f"{t['default']:.0f}", f"{t['slowest corner']:.0f}", f"`{t['corner']}`"]
                for name, t in run["widgets"].items()]
        out += ["## Widgets", "", "Median ms to recompute and redraw the SVG a widget shows on its reused figure:", "",
                *table(["widget", "default state", "slowest corner", "its settings"], rows)]
    if run["tests"]:
        out += ["## Test suite", "", "`pytest`: {summary}; {seconds:.0f} s; the largest resident memory of one of "
                "its processes {peak_mib:.0f} MiB.".format_map(run["tests"]), ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    parser.add_argument("--skip-widgets", action="store_true", help="do not time the widgets")
    parser.add_argument("--cases", default="abcd", help="set-ups to time (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats (default: %(default)s)")
    parser.add_argument("--seconds", type=float, default=0.25, help="length of one repeat (default: %(default)s)")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="MINUTES",
                        help=f"before each section, wait up to this long for under {QUIET_CORES} busy cores elsewhere")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # fresh_process: time fit and minimal on these set-ups
    args = parser.parse_args(argv)
    if args.child is not None:
        cases = [build_case(key) for key in args.child]
        results = {case.key: time_interleaved(case, contenders(case, ("fit", "minimal")), args.repeats, args.seconds)
                   for case in cases}
        print(json.dumps({"applied": memory_applied(), "results": results}))
        return 0
    run = measure(args)
    args.output.write_text(report(run, args), encoding="utf-8")
    print(f"wrote {args.output}")
    for name, measured, met in targets(run):
        print(f"  {VERDICTS[met]:<8} {name}: {measured}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
