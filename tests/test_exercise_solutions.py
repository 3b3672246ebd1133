"""Every revealed solution in the notebooks passes its own exercise's check."""

from __future__ import annotations

import re

import numpy as np
import pytest
from notebook_tools import NOTEBOOKS, STEMS, read

import course_lib
from course_lib.exercises import check

CHECK_CALL = re.compile(r'check\((\w+), "(\w+)"\)')
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def exercises_with_solutions():
    found = []
    for stem in STEMS:
        if not (NOTEBOOKS / f"{stem}.ipynb").exists():
            continue  # test_notebook_sources reports the missing notebook
        cells = read(stem).cells
        for index, cell in enumerate(cells):
            if "solution" not in cell.metadata.get("tags", []):
                continue
            calls = CHECK_CALL.findall(cells[index - 1].source)
            assert calls, f"{stem}: a solution cell must follow the exercise cell that calls check(...)"
            code = "\n".join(PYTHON_BLOCK.findall(cell.source))
            assert code, f"{stem}: the solution cell has no ```python block"
            found += [pytest.param(code, function, name, id=f"{stem}-{name}") for function, name in calls]
    return found


@pytest.mark.parametrize(("code", "function", "name"), exercises_with_solutions())
def test_solution_passes_its_check(code, function, name):
    namespace = {"np": np, "cl": course_lib}
    exec(code, namespace)
    result = check(namespace[function], name)
    assert result.passed, result.message


def test_every_exercise_cell_starts_unsolved():
    for stem in STEMS:
        for cell in read(stem).cells:
            if cell.cell_type == "code" and CHECK_CALL.search(cell.source):
                assert "raise NotImplementedError" in cell.source, f"{stem}: an exercise ships already solved"
                assert "not written yet" in "".join(str(o) for o in cell.outputs)
