"""The student edition (student/) is up to date, has no solutions or outputs, and runs from a fresh kernel.

student/ is generated from the built notebooks by scripts/make_student_edition.py.
Its notebooks have no stored outputs, so nbval must not collect them: they are
executed here instead (the slow tests), and pyproject's testpaths leave
student/ out.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

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


# (d) the nbgrader assignments ---------------------------------------------------------------------
# make_student_edition.py --nbgrader writes nbgrader "source" notebooks. The first tests check their
# metadata without nbgrader; the round trip at the end runs nbgrader itself when it is installed.

EXERCISE_STEMS = edition.exercise_stems()
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
MARKED = re.compile(rf"^([ \t]*){BEGIN}\n.*?^[ \t]*{END}$", re.M | re.S)


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def clear_solutions(source: str) -> str:
    """What nbgrader's generate_assignment does to an answer cell: the stub back in place of the solution."""
    return MARKED.sub(lambda match: f"{match[1]}# YOUR CODE HERE\n{match[1]}raise NotImplementedError()", source)


def test_every_lesson_with_exercises_becomes_an_assignment():
    with_solutions = [stem for stem in STEMS if any("solution" in tags(cell) for cell in read(stem).cells)]
    assert EXERCISE_STEMS == with_solutions and len(EXERCISE_STEMS) >= 9


@pytest.mark.parametrize("stem", EXERCISE_STEMS)
def test_each_exercise_becomes_an_answer_cell_and_a_one_point_test(stem):
    built = read(stem)
    source = edition.nbgrader_source(built)
    answers = [cell for cell in source.cells if nbgrader_meta(cell).get("solution")]
    tests = [cell for cell in source.cells if nbgrader_meta(cell).get("grade")]
    assert len(tests) == sum("solution" in tags(cell) for cell in built.cells) == len(answers)
    ids = [nbgrader_meta(cell)["grade_id"] for cell in answers + tests]
    assert len(set(ids)) == len(ids)
    for answer, test, exercise_id in zip(answers, tests, exercise_ids(stem)):
        exercise = next(cell for cell in built.cells if cell.id == exercise_id)
        assert answer.source.count(BEGIN) == answer.source.count(END) == 1
        assert "raise NotImplementedError" not in answer.source
        assert exercise.source.splitlines()[-1] in test.source  # the exercise's own check call
        assert nbgrader_meta(test)["points"] == 1
        assert nbgrader_meta(test)["locked"] and not nbgrader_meta(answer)["locked"]
        assert nbgrader_meta(answer)["schema_version"] == nbgrader_meta(test)["schema_version"] == 3
        cleared = clear_solutions(answer.source)
        assert exercise.source.split("raise NotImplementedError")[0] in cleared  # signature and docstring kept
    assert not any("solution" in tags(cell) for cell in source.cells)
    assert all(cell.outputs == [] for cell in source.cells if cell.cell_type == "code")


def test_an_exercise_without_a_matching_solution_is_refused():
    exercise = nbformat.v4.new_code_cell('def f(x):\n    """Doc."""\n    raise NotImplementedError\n\n\ncheck(f, "f")')
    solution = nbformat.v4.new_markdown_cell("```python\ndef g(x):\n    return x\n```")
    with pytest.raises(ValueError, match="no function f"):
        edition.graded_cells(exercise, solution)
    with pytest.raises(ValueError, match="end with its check call"):
        edition.split_exercise("def f(x):\n    raise NotImplementedError\n")


def run_notebook(notebook, where):
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(where)}})
    client.allow_errors = True
    client.execute()
    return notebook


@pytest.mark.slow
def test_the_graded_notebook_passes_with_the_solutions_and_fails_without(tmp_path):
    source = edition.nbgrader_source(read("05-update-and-train"))
    released = nbformat.from_dict(source)
    for cell in released.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = clear_solutions(cell.source)
    for notebook, should_pass in ((source, True), (released, False)):
        run_notebook(notebook, tmp_path)
        for cell in notebook.cells:
            if nbgrader_meta(cell).get("grade"):
                errors = [output for output in cell.outputs if output.output_type == "error"]
                assert (not errors) == should_pass, f"{cell.source}\n{errors}"


def submit(course: Path, assignment: str, student: str, answer) -> None:
    """Save nbgrader's release of ``assignment`` as ``student``'s submission, each answer cell set by ``answer``.

    ``answer(grade_id, stub)`` returns the cell's new source.
    """
    submission = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in submission.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = answer(nbgrader_meta(cell)["grade_id"], cell.source)
    target = course / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(submission, target)


def exported_scores(course: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """``(assignment, student) -> (score, max_score)`` from the grades.csv that `nbgrader export` wrote."""
    with open(course / "grades.csv", newline="", encoding="utf-8") as grades:
        return {
            (row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"]))
            for row in csv.DictReader(grades)
        }


@pytest.mark.slow
def test_nbgrader_round_trip_generates_and_autogrades(tmp_path):
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (requirements-test.txt)")
    assignments = ["01-initialize", "08-fixing-it"]  # the library's `check`, and a checker defined in the notebook
    course = tmp_path / "course"
    edition.write_nbgrader_course(course, assignments)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}  # for alembic

    def nbgrader(*args):
        run = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr

    points = {}
    for assignment in assignments:
        source = edition.nbgrader_source(read(assignment))
        solutions = {
            nbgrader_meta(cell)["grade_id"]: cell.source for cell in source.cells if nbgrader_meta(cell).get("solution")
        }
        points[assignment] = float(sum(nbgrader_meta(cell).get("points", 0) for cell in source.cells))
        nbgrader("generate_assignment", assignment, "--force")
        submit(course, assignment, "right", lambda grade_id, _stub, known=solutions: known[grade_id])
        submit(course, assignment, "untouched", lambda grade_id, stub: stub)
        submit(
            course,
            assignment,
            "no-return",
            lambda grade_id, stub: stub.replace("raise NotImplementedError()", "return None"),
        )
        nbgrader("autograde", assignment, "--create", "--force")
    nbgrader("export")
    scores = exported_scores(course)
    for assignment in assignments:
        assert scores[(assignment, "right")] == (points[assignment], points[assignment])
        assert scores[(assignment, "untouched")] == scores[(assignment, "no-return")] == (0.0, points[assignment])


# (e) progress from saved notebooks -----------------------------------------------------------------


def test_progress_reads_each_exercises_last_saved_check(tmp_path):
    exercises = edition.exercise_cell_ids()
    assert sum(len(ids) for ids in exercises.values()) == sum(len(exercise_ids(stem)) for stem in EXERCISE_STEMS)
    untouched = edition.progress_line(tmp_path, exercises)
    assert untouched.startswith(" 0/") and "✓" not in untouched and "✗" not in untouched
    notebook = read_student("02-forward")
    first, second, *_ = (next(c for c in notebook.cells if c.id == cell_id) for cell_id in exercises["02-forward"])
    first.outputs = [nbformat.v4.new_output("stream", text="✓ linear_forward: correct on all 4 test cases.\n")]
    second.outputs = [nbformat.v4.new_output("stream", text="✗ sigmoid: not written yet\n")]
    nbformat.write(notebook, tmp_path / "02-forward.ipynb")
    line = edition.progress_line(tmp_path, exercises)
    assert line.startswith(" 1/") and "02 ✓✗" in line and "01 ·" in line
