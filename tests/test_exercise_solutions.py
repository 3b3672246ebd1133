"""Every exercise ships unsolved, has a revealed solution, and each solution passes its check.

Exercises checked by course_lib.exercises.check are verified here by running
the solution through the same check. A few exercises use a checker written in
their notebook (for a function the library has no exercise for); for those,
nbval keeps the checker's "not written yet" output true, and the solution is
verified when the notebook's author runs it.
"""

from __future__ import annotations

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


def library_checked_solutions():
    found = []
    for stem in built_notebooks():
        for exercise, solution in exercise_cells(stem):
            code = "\n".join(PYTHON_BLOCK.findall(solution.source))
            for function, name in CHECK_CALL.findall(exercise.source):
                found.append(pytest.param(code, function, name, id=f"{stem}-{name}"))
    return found


@pytest.mark.parametrize(("code", "function", "name"), library_checked_solutions())
def test_solution_passes_its_check(code, function, name):
    namespace = {"np": np, "cl": course_lib}
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
