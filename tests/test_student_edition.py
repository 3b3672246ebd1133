"""The student edition (student/) is up to date, has no solutions or outputs, and runs from a fresh kernel.

student/ is generated from the built notebooks by scripts/make_student_edition.py.
Its notebooks have no stored outputs, so nbval must not collect them: they are
executed here instead (the slow tests), and pyproject's testpaths leave
student/ out.
"""

from __future__ import annotations

import sys

import nbformat
import pytest
from nbclient import NotebookClient
from notebook_tools import ROOT, STEMS, read

sys.path.insert(0, str(ROOT / "scripts"))
import make_student_edition as edition  # noqa: E402

STUDENT = edition.STUDENT
REGENERATE = "run `python scripts/make_student_edition.py`"


def read_student(stem: str) -> nbformat.NotebookNode:
    path = STUDENT / f"{stem}.ipynb"
    assert path.exists(), f"student/{path.name} is missing: {REGENERATE}"
    return nbformat.read(path, as_version=4)


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return cell.metadata.get("tags", [])


def exercise_ids(stem: str) -> list[str]:
    """Ids of the exercise cells of notebook ``stem``: each is the cell just before a solution cell."""
    cells = read(stem).cells
    return [cells[index - 1].id for index, cell in enumerate(cells) if "solution" in tags(cell)]


def output_text(outputs: list) -> str:
    parts = []
    for output in outputs:
        parts.append(output.get("text", ""))
        parts += [value for value in output.get("data", {}).values() if isinstance(value, str)]
    return "".join(parts)


# (a) up to date -------------------------------------------------------------------------------


def test_student_edition_is_up_to_date():
    expected = edition.expected_files()
    differ = [
        path.name for path, text in expected.items() if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    extra = [path.name for path in STUDENT.glob("*.ipynb") if path not in expected]
    assert not differ and not extra, (
        f"student/ is out of date (differs or missing: {differ}; not in the outline: {extra}): {REGENERATE}"
    )


# (b) what it contains -------------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_no_solution_output_or_execution_count(stem):
    notebook = read_student(stem)
    assert "widgets" not in notebook.metadata, f"student/{stem}.ipynb keeps widget state: {REGENERATE}"
    for cell in notebook.cells:
        assert "solution" not in tags(cell), f"student/{stem}.ipynb contains a solution: {REGENERATE}"
        assert "execution" not in cell.metadata, f"student/{stem}.ipynb keeps cell timings: {REGENERATE}"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"student/{stem}.ipynb stores an output:\n{cell.source}"
            assert cell.execution_count is None, f"student/{stem}.ipynb stores an execution count:\n{cell.source}"


@pytest.mark.parametrize("stem", STEMS)
def test_every_other_cell_is_kept_unchanged(stem):
    source, student = read(stem), read_student(stem)

    def summary(cell):
        return cell.id, cell.cell_type, cell.source, tags(cell)

    kept = [summary(cell) for cell in source.cells if "solution" not in tags(cell)]
    assert [summary(cell) for cell in student.cells] == kept, f"student/{stem}.ipynb: {REGENERATE}"
    solutions = sum("solution" in tags(cell) for cell in source.cells)
    assert len(source.cells) - len(student.cells) == solutions
    assert student.metadata == {key: value for key, value in source.metadata.items() if key != "widgets"}
    assert (student.nbformat, student.nbformat_minor) == (source.nbformat, source.nbformat_minor)


# (c) it runs ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_student_notebook_runs_in_a_fresh_kernel(stem):
    notebook = read_student(stem)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(STUDENT)}},
        record_timing=False,
        allow_errors=True,  # record every error, then report them below with their cells
    )
    client.execute()

    for cell in notebook.cells:
        if cell.cell_type != "code" or "raises-exception" in tags(cell):
            continue
        errors = [output for output in cell.outputs if output.output_type == "error"]
        assert not errors, f"student/{stem}.ipynb: {errors[0].ename}: {errors[0].evalue}\nin the cell:\n{cell.source}"

    by_id = {cell.id: cell for cell in notebook.cells}
    for cell_id in exercise_ids(stem):
        said = output_text(by_id[cell_id].outputs)
        assert "not written yet" in said, f"student/{stem}.ipynb: the exercise's check printed {said!r}"
