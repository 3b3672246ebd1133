"""Every exercise ships unsolved, has a revealed solution, and each solution passes its check.

Exercises checked by course_lib.exercises.check are verified here by running
the solution through the same check. A few exercises use a checker written in
their notebook (for a function the library has no exercise for); for those,
nbval keeps the checker's "not written yet" output true, and the solution is
verified when the notebook's author runs it.
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
