"""Every exercise ships unsolved, has a revealed solution, and each solution passes its check.

Exercises checked by course_lib.exercises.check are verified here by running
each notebook's solution through the same check, with the earlier solutions
in scope (later exercises call the learner's earlier functions). The newer
exercises (issue 10) also get a correct solution in another style and the
typical wrong ones, each of which must get the message written for it.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest
from notebook_tools import NOTEBOOKS, STEMS, read

import course_lib
from course_lib.exercises import check

CHECK_CALL = re.compile(r'check\((\w+), "(\w+)"\)')
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def built_notebooks():
    # A missing notebook is reported by test_notebook_sources.
    return [stem for stem in STEMS if (NOTEBOOKS / f"{stem}.ipynb").exists()]


def exercise_cells(stem):
    """(exercise cell, solution cell) pairs: a solution cell follows its exercise cell."""
    cells = read(stem).cells
    return [(cells[index - 1], cell) for index, cell in enumerate(cells) if "solution" in cell.metadata.get("tags", [])]


def solution_code(solution) -> str:
    return "\n".join(PYTHON_BLOCK.findall(solution.source))


def library_checked_solutions():
    """(solutions revealed before this one, this solution, function, exercise name), in reading order."""
    found, earlier = [], []
    for stem in built_notebooks():
        for exercise, solution in exercise_cells(stem):
            code = solution_code(solution)
            for function, name in CHECK_CALL.findall(exercise.source):
                found.append(pytest.param(tuple(earlier), code, function, name, id=f"{stem}-{name}"))
            earlier.append(code)
    return found


def learner_namespace(earlier_solutions) -> dict:
    """What a learner who solved every earlier exercise has: the library under the names the notebooks use,
    replaced by each earlier solution (the later exercises call the earlier functions, as notebook 05 does)."""
    namespace = {"np": np, "cl": course_lib, "functools": functools}
    namespace.update({name: getattr(course_lib, name) for name in course_lib.__all__ if name not in course_lib.WIDGETS})
    namespace.update(LEARNER_NAMES)
    for code in earlier_solutions:
        try:
            exec(code, namespace)
        except Exception:  # noqa: BLE001, S112 - a solution that needs its notebook's variables is checked on its own
            continue
    return namespace


# The names notebook 05 gives the library's functions, for the learner's own versions to replace.
LEARNER_NAMES = {
    "initialize": functools.partial(course_lib.init_params, scheme="small"),
    "cross_entropy": course_lib.cross_entropy_naive,
    "model_backward": functools.partial(course_lib.model_backward, output_gradient="lecture"),
    "update_parameters": course_lib.gradient_descent_step,
}


@pytest.mark.parametrize(("earlier", "code", "function", "name"), library_checked_solutions())
def test_solution_passes_its_check(earlier, code, function, name):
    namespace = learner_namespace(earlier)
    exec(code, namespace)
    result = check(namespace[function], name)
    assert result.passed, result.message


@pytest.mark.parametrize("stem", STEMS[1:])
def test_every_lesson_has_an_unsolved_exercise_and_a_revealed_solution(stem):
    pairs = exercise_cells(stem)
    assert pairs, f"{stem}: no cell tagged 'solution'"
    for exercise, solution in pairs:
        assert exercise.cell_type == "code", f"{stem}: a solution must follow its exercise cell"
        assert "raise NotImplementedError" in exercise.source, f"{stem}: an exercise ships already solved"
        assert "not written yet" in "".join(str(output) for output in exercise.outputs)
        assert "<details>" in solution.source and PYTHON_BLOCK.search(solution.source)


def test_no_exercise_cell_is_left_without_a_solution():
    for stem in built_notebooks():
        cells = read(stem).cells
        for index, cell in enumerate(cells[:-1]):
            if cell.cell_type == "code" and "raise NotImplementedError" in cell.source and "# your code" in cell.source:
                following = cells[index + 1].metadata.get("tags", [])
                assert "solution" in following, f"{stem}: the exercise in cell {index} has no solution cell after it"


# --- the newer exercises: a correct solution in the learner's style, and typical wrong ones with their message ---

FORWARD = """
def model_forward(X, params):
    A, caches = X, []
    for index, (W, b) in enumerate(params):
        Z = W @ A + b
        caches.append((A, W, b, Z))  # a plain tuple in LayerCache's order is accepted
        A = 1 / (1 + np.exp(-Z)) if index == len(params) - 1 else np.maximum(Z, 0)
    return A, caches
"""
FORWARD_CACHING_THE_OUTPUT = """
def model_forward(X, params):
    A, caches = X, []
    for index, (W, b) in enumerate(params):
        Z = W @ A + b
        A = 1 / (1 + np.exp(-Z)) if index == len(params) - 1 else np.maximum(Z, 0)
        caches.append((A, W, b, Z))
    return A, caches
"""
BACKWARD = """
def model_backward(A_L, Y, caches):
    m = Y.shape[1]
    dA = -(Y / A_L - (1 - Y) / (1 - A_L))
    grads = [None] * len(caches)
    for index in reversed(range(len(caches))):
        A_prev, W, b, Z = caches[index]
        s = 1 / (1 + np.exp(-Z))
        dZ = dA * s * (1 - s) if index == len(caches) - 1 else dA * (Z > 0)
        grads[index] = (dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m)
        dA = W.T @ dZ
    return grads
"""
TRAIN = FORWARD + BACKWARD + """
def train(X, Y, params, learning_rate, num_iterations):
    costs = []
    for _ in range(num_iterations):
        A_L, caches = model_forward(X, params)
        costs.append(-np.mean(Y * np.log(A_L) + (1 - Y) * np.log(1 - A_L)))
        grads = model_backward(A_L, Y, caches)
        params = [cl.LayerParams(W - learning_rate * dW, b - learning_rate * db)
                  for (W, b), (dW, db) in zip(params, grads)]
    return params, costs
"""
POWER = """
def largest_stable_learning_rate(H, num_steps=100):
    v = np.ones(H.shape[0])
    for _ in range(num_steps):
        v = H @ v
        v = v / np.linalg.norm(v)
    return 2 / (v @ H @ v)
"""
STANDARDIZE = """
def standardize(X_train, X_test):
    mean, std = X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)
    return (X_train - mean) / std, (X_test - mean) / std
"""

CORRECT = {
    "sigmoid_derivative": "def sigmoid_derivative(Z):\n    e = np.exp(-np.abs(Z))\n    return e / (1 + e) ** 2\n",
    "tanh_derivative": "def tanh_derivative(Z):\n    return 1 / np.cosh(Z) ** 2\n",
    "model_forward": FORWARD,
    "model_backward": BACKWARD,
    "train": TRAIN,
    "largest_stable_learning_rate": POWER,
    "power_iteration": POWER,
    "standardize": STANDARDIZE,
}


def defined_function(code):
    namespace = {"np": np, "cl": course_lib}
    exec(code, namespace)
    return [value for name, value in namespace.items() if callable(value) and name not in ("np", "cl")][-1]


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_a_correct_solution_in_the_learners_style_passes(name):
    result = check(defined_function(CORRECT[name]), name)
    assert result.passed, result.message


WRONG = {
    "sigmoid derivative of Z itself": (
        "sigmoid_derivative", "def sigmoid_derivative(Z):\n    return Z * (1 - Z)\n", "s (1 - s) with s = sigmoid(Z)"),
    "sigmoid derivative is the sigmoid": (
        "sigmoid_derivative", "def sigmoid_derivative(Z):\n    return 1 / (1 + np.exp(-Z))\n",
        "that is sigmoid(Z) itself"),
    "tanh derivative of Z itself": ("tanh_derivative", "def tanh_derivative(Z):\n    return 1 - Z ** 2\n",
                                    "1 - tanh(Z)**2"),
    "tanh derivative not squared": ("tanh_derivative", "def tanh_derivative(Z):\n    return 1 - np.tanh(Z)\n",
                                    "square the tanh"),
    "forward with a ReLU output": (
        "model_forward", FORWARD.replace("1 / (1 + np.exp(-Z)) if index == len(params) - 1 else ", ""),
        "your output layer uses ReLU"),
    "forward keeping the lecture's nested caches": (
        "model_forward", FORWARD.replace("caches.append((A, W, b, Z))", "caches.append(((A, W, b), Z))"),
        "caches[0] (layer 1) should be LayerCache(A_prev, W, b, Z), or a tuple of those 4 in that order, but is "
        "a tuple of 2 items; flatten the nesting"),
    "forward caching the layer's output as A_prev": (
        "model_forward", FORWARD_CACHING_THE_OUTPUT,
        "caches[0].A_prev (layer 1) has shape"),
    "backward without the ReLU derivative": (
        "model_backward", BACKWARD.replace("dA * (Z > 0)", "dA"), "leave out the ReLU derivative"),
    "backward without dividing by m": (
        "model_backward", BACKWARD.replace("A_prev.T / m", "A_prev.T").replace("keepdims=True) / m", "keepdims=True)"),
        "grads[0].dW (layer 1)"),
    "backward with db wrong in layer 2": (
        "model_backward", BACKWARD.replace("keepdims=True) / m)", "keepdims=True) / m * (2 if index == 1 else 1))"),
        "of grads[1].db (layer 2) is"),
    "backward in reverse order": (
        "model_backward", BACKWARD.replace("return grads", "return grads[::-1]"), "grads is in reverse order"),
    "training records the cost after the update": (
        "train", TRAIN.replace("        costs.append(", "        pass  # ").replace(
            "for (W, b), (dW, db) in zip(params, grads)]",
            "for (W, b), (dW, db) in zip(params, grads)]\n"
            "        A_L, _ = model_forward(X, params)\n"
            "        costs.append(-np.mean(Y * np.log(A_L) + (1 - Y) * np.log(1 - A_L)))"),
        "your costs are one iteration late"),
    "training that updates params in place": (
        "train", TRAIN.replace(
            "params = [cl.LayerParams(W - learning_rate * dW, b - learning_rate * db)\n"
            "                  for (W, b), (dW, db) in zip(params, grads)]",
            "for (W, b), (dW, db) in zip(params, grads):\n"
            "            W -= learning_rate * dW\n"
            "            b -= learning_rate * db"),
        "changed its input `params` in place"),
    "training with the gradient added": (
        "train", TRAIN.replace("W - learning_rate * dW", "W + learning_rate * dW"),
        "your costs first differ at iteration 1"),
    "training with one cost too many": (
        "train", TRAIN.replace("return params, costs", "return params, costs + [costs[-1]]"),
        "costs has 7 entries but should have 6"),
    "power iteration with eigvalsh": (
        "power_iteration", "def f(H, num_steps=100):\n    return 2 / np.linalg.eigvalsh(H)[-1]\n",
        "uses eigvalsh, which this exercise asks you not to call"),
    "power iteration returning lambda_max": (
        "largest_stable_learning_rate", POWER.replace("return 2 / (v @ H @ v)", "return v @ H @ v"),
        "that is lambda_max itself"),
    "power iteration whose loop never ends": (
        "largest_stable_learning_rate", POWER.replace("for _ in range(num_steps):", "while num_steps:"),
        "still running after 0.5 seconds"),
    "power iteration with H * v": (
        "largest_stable_learning_rate", POWER.replace("v = H @ v", "v = H * v"), "the matrix-vector product is H @ v"),
    "standardize with the test set's own statistics": (
        "standardize", STANDARDIZE.replace("(X_test - mean) / std",
                                           "(X_test - X_test.mean(1, keepdims=True)) / X_test.std(1, keepdims=True)"),
        "X_test_scaled was scaled with the test set's own mean"),
    "standardize with ddof=1": (
        "standardize", STANDARDIZE.replace("X_train.std(axis=1,", "X_train.std(axis=1, ddof=1,"), "ddof=1"),
    "standardize without keepdims": (
        "standardize", STANDARDIZE.replace(", keepdims=True", ""), "did a sum or mean lose its axis (keepdims=True)"),
    "standardize over the examples' axis": (
        "standardize", STANDARDIZE.replace("axis=1", "axis=0"), "a mean over the examples is axis=1"),
    "standardize with one mean for every feature": (
        "standardize", STANDARDIZE.replace("X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)",
                                           "X_train.mean(), X_train.std()"), "each feature (row) needs its own"),
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_a_typical_wrong_solution_gets_its_message(case):
    name, code, message = WRONG[case]
    result = check(defined_function(code), name, time_limit=0.5)
    assert not result.passed
    assert message in result.message, result.message


def test_a_network_built_from_the_solutions_of_01_to_05_reproduces_the_rising_cost():
    """Notebook 05's last cell promises that a network made of the learner's pieces prints the library's 60 and 61."""
    stems = [stem for stem in built_notebooks() if stem[:2] in {"01", "02", "03", "04", "05"}]
    solutions = [solution_code(solution) for stem in stems for _, solution in exercise_cells(stem)]
    namespace = learner_namespace(solutions)
    still_the_library = [name for name, library in LEARNER_NAMES.items() if namespace[name] is library]
    assert not still_the_library and "train" in namespace, f"not defined by the solutions: {still_the_library}"
    X, Y = course_lib.odd_even()
    _, costs = namespace["train"](X, Y, namespace["initialize"]([1, 1, 1], np.random.RandomState(3)), 1.2, 3000)
    costs = np.asarray(costs, dtype=float)
    reference = course_lib.fit(X, Y, [1, 1, 1], learning_rate=1.2, num_iterations=3000, rng=np.random.RandomState(3),
                               init="small", loss="naive")
    assert int(np.argmin(costs)) == reference.lowest_iteration == 60
    assert course_lib.first_rise(costs) == reference.first_rise == 61
    np.testing.assert_allclose(costs, reference.costs[:-1], rtol=1e-12)
