"""Build the student edition: every course notebook without its solutions and without outputs.

    python scripts/make_student_edition.py           # (re)write student/
    python scripts/make_student_edition.py --check   # list the out-of-date files and exit 1; writes nothing
    python scripts/make_student_edition.py --nbgrader COURSE_DIR   # write an nbgrader course directory
    python scripts/make_student_edition.py --progress FOLDER ...   # which exercises each learner's saved notebooks pass

For each lesson in the outline (scripts/outline.py) this reads the built
notebook ``notebooks/<stem>.ipynb`` and writes ``student/<stem>.ipynb`` with
the cells tagged ``solution`` removed, every output cleared, every execution
count set to None and the run metadata (widget state, cell timings) dropped.
Everything else is kept as it is: cell ids, sources, tags, the navigation
cells (their links point at sibling notebooks, so they work in student/ too)
and the notebook metadata. It also writes ``student/README.md``, and deletes
any ``student/*.ipynb`` that is no longer in the outline.

Run it after ``scripts/build_notebooks.py``: the student edition is made from
the built notebooks, not from their sources. The output depends only on its
inputs, so a rebuild with unchanged notebooks changes nothing;
tests/test_student_edition.py fails when student/ is out of date.

``--nbgrader COURSE_DIR`` writes the same exercises as nbgrader assignments,
for a hub with nbgrader: ``COURSE_DIR/nbgrader_config.py`` and, for every
notebook with exercises, ``COURSE_DIR/source/<stem>/<stem>.ipynb``. In those
source notebooks each exercise cell is split in two: an autograded-answer cell
(the function stub with the revealed solution between nbgrader's
``### BEGIN SOLUTION`` and ``### END SOLUTION`` markers) and a locked,
autograded test cell worth one point that runs the exercise's own check and
asserts that it said "✓". The solution cells are dropped and outputs cleared,
as in student/. Then, in COURSE_DIR, ``nbgrader generate_assignment <stem>``
makes the release version (the stubs back in place of the solutions), and
``nbgrader autograde`` grades collected submissions with the same checks the
learners see. This directory holds the solutions, so it is written on demand
and never into student/.

``--progress FOLDER ...`` reads the notebooks a learner saved (a copy of
student/, for example ``/home/*/rising-cost/student`` on a hub) and prints one
line per folder: for each exercise, ✓ when its check's last saved output says
"✓", ✗ when it says something else, and · when it was not run. It only reads.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
from outline import OUTLINE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENT = ROOT / "student"
SOLUTION_TAG = "solution"
# Metadata that records a particular run, not the notebook: widget state and cell timings.
RUN_NOTEBOOK_METADATA = ("widgets",)
RUN_CELL_METADATA = ("execution", "ExecuteTime")

README = """\
# Student edition

The course notebooks without their solutions and without outputs: run each
one yourself, from the top, and write the *your turn* exercises without a
solution one click away. Every exercise's check prints "not written yet"
until you replace its `raise NotImplementedError` line.

**This folder is generated; do not edit it by hand.** It is made from the
built notebooks in `../notebooks/` by `scripts/make_student_edition.py`.
To regenerate it, from the course folder:

```bash
python scripts/make_student_edition.py           # rewrite student/
python scripts/make_student_edition.py --check   # only list what is out of date
```

The solutions, and the notebooks with their outputs, are in `../notebooks/`.
Regenerating overwrites these files, so keep your own work in a copy.

Instructors: the same exercises as nbgrader assignments (autograded with the
same checks) come from `python scripts/make_student_edition.py --nbgrader DIR`;
see section 4(d) of `docs/instructor-guide.md`.
"""


def is_solution(cell: nbformat.NotebookNode) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def clean_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``cell`` with no outputs, no execution count and no run metadata."""
    cell = nbformat.from_dict(cell)  # a deep copy; the built notebook is left alone
    for key in RUN_CELL_METADATA:
        cell.metadata.pop(key, None)
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def student_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version of a built notebook: no solution cells, no outputs, no run metadata."""
    student = nbformat.from_dict(notebook)
    student.cells = [clean_cell(cell) for cell in notebook.cells if not is_solution(cell)]
    for key in RUN_NOTEBOOK_METADATA:
        student.metadata.pop(key, None)
    return student


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The text nbformat.write saves for ``notebook`` (sorted keys, one-space indent, final newline)."""
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def expected_notebooks() -> dict[Path, nbformat.NotebookNode]:
    """``student/<stem>.ipynb -> student notebook`` for every lesson in the outline, in order."""
    notebooks = {}
    for lesson in OUTLINE:
        source = NOTEBOOKS / f"{lesson.stem}.ipynb"
        if not source.exists():
            raise SystemExit(f"{source.relative_to(ROOT)} is missing: run `python scripts/build_notebooks.py` first")
        notebooks[STUDENT / source.name] = student_notebook(nbformat.read(source, as_version=4))
    return notebooks


def expected_files(notebooks: dict[Path, nbformat.NotebookNode] | None = None) -> dict[Path, str]:
    """Every file of the student edition and the text it must have (from ``notebooks`` if given)."""
    notebooks = expected_notebooks() if notebooks is None else notebooks
    files = {path: notebook_text(notebook) for path, notebook in notebooks.items()}
    files[STUDENT / "README.md"] = README
    return files


def stale_files(expected: dict[Path, str]) -> list[Path]:
    """Notebooks in student/ that the outline no longer has."""
    return sorted(path for path in STUDENT.glob("*.ipynb") if path not in expected)


def out_of_date(expected: dict[Path, str]) -> list[Path]:
    """Files that are missing, differ from ``expected`` or should not be there."""
    differ = [
        path
        for path, text in expected.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text  # read_text undoes CRLF on Windows
    ]
    return differ + stale_files(expected)


def write() -> list[Path]:
    """Write the student edition; return the files that changed (written or deleted)."""
    notebooks = expected_notebooks()
    expected = expected_files(notebooks)
    changed = out_of_date(expected)
    STUDENT.mkdir(exist_ok=True)
    for path in changed:
        if path in notebooks:
            nbformat.write(notebooks[path], path)
        elif path in expected:
            path.write_text(expected[path], encoding="utf-8")
        else:
            path.unlink()
    return changed


# nbgrader assignments ---------------------------------------------------------------------------

NBGRADER_CONFIG = """\
# nbgrader configuration for the course's assignments, written by scripts/make_student_edition.py.
# Each assignment is one notebook: source/<stem>/<stem>.ipynb. See docs/instructor-guide.md, section 4(d).
c = get_config()  # noqa: F821 - nbgrader provides get_config
c.CourseDirectory.course_id = "rising-cost"
c.CourseDirectory.root = "."
# The notebooks import course_lib: install it in the grading environment (pip install -e <course folder>).
c.ExecutePreprocessor.timeout = 600
"""
STUB = re.compile(r"^(?P<indent>[ \t]+)raise NotImplementedError\b.*$", re.M)
TEST_CELL = """\
# Autograded (1 point): the exercise's own check must say "✓".
import contextlib
import io

{setup}with contextlib.redirect_stdout(io.StringIO()) as _printed:
    _result = {check}
_said = (_printed.getvalue() + ("" if _result is None else repr(_result))).strip()
print(_said)
assert _said.startswith("✓"), _said
"""


def solution_code(solution_cell: nbformat.NotebookNode) -> str:
    """The first ```python block of a revealed solution."""
    blocks = re.findall(r"```python\n(.*?)```", solution_cell.source, re.S)
    if not blocks:
        raise ValueError(f"solution cell {solution_cell.get('id')} has no ```python block")
    return blocks[0]


def function_bodies(code: str) -> dict[str, str]:
    """``name -> body`` (without the docstring, dedented) of every top-level function in ``code``."""
    lines, bodies = code.splitlines(), {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if ast.get_docstring(node) is not None and len(node.body) > 1 else node.body
            bodies[node.name] = textwrap.dedent("\n".join(lines[body[0].lineno - 1 : node.end_lineno]))
    return bodies


def with_solution(stub: str, bodies: dict[str, str]) -> str:
    """``stub`` (one function whose body raises NotImplementedError) with the solution between nbgrader's markers."""
    name = next(node.name for node in ast.parse(stub).body if isinstance(node, ast.FunctionDef))
    if name not in bodies:
        raise ValueError(f"the revealed solution has no function {name}")
    match = STUB.search(stub)
    indent = match["indent"]
    marked = f"### BEGIN SOLUTION\n{bodies[name]}\n### END SOLUTION"
    return stub[: match.start()] + textwrap.indent(marked, indent) + stub[match.end() :]


def split_exercise(code: str) -> tuple[list[str], list[str], str]:
    """An exercise cell's code as (stub functions, other statements, the final check call)."""
    tree, lines = ast.parse(code), code.splitlines()
    *statements, check = tree.body
    if not (isinstance(check, ast.Expr) and isinstance(check.value, ast.Call)):
        raise ValueError(f"an exercise cell should end with its check call:\n{code}")

    def text(node):
        first = node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno
        return "\n".join(lines[first - 1 : node.end_lineno])

    stubs = [text(node) for node in statements if STUB.search(text(node))]
    others = [text(node) for node in statements if not STUB.search(text(node))]
    return stubs, others, text(check)


def nbgrader_cell(source: str, grade_id: str, *, solution: bool) -> nbformat.NotebookNode:
    """A code cell with nbgrader's metadata: an autograded answer, or a locked one-point test."""
    cell = nbformat.v4.new_code_cell(source)
    cell.id = grade_id
    cell.metadata.nbgrader = {
        "grade": not solution,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if not solution:
        cell.metadata.nbgrader["points"] = 1
    return cell


def graded_cells(exercise: nbformat.NotebookNode, solution: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The answer cell(s) and the test cell that replace one exercise cell and its revealed solution."""
    stubs, others, check = split_exercise(exercise.source)
    bodies = function_bodies(solution_code(solution))
    cells = [
        nbgrader_cell(with_solution(stub, bodies), f"{exercise.id}-answer-{index}", solution=True)
        for index, stub in enumerate(stubs, 1)
    ]
    setup = "".join(f"{other}\n\n\n" for other in others)
    cells.append(nbgrader_cell(TEST_CELL.format(setup=setup, check=check), f"{exercise.id}-test", solution=False))
    return cells


def nbgrader_source(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The nbgrader source version of a built notebook: answers and tests in place of exercises and solutions."""
    source = student_notebook(nbformat.from_dict({**notebook, "cells": []}))
    cells = notebook.cells
    for index, cell in enumerate(cells):
        if is_solution(cell):
            continue
        if index + 1 < len(cells) and is_solution(cells[index + 1]):
            source.cells += graded_cells(cell, cells[index + 1])
        else:
            source.cells.append(clean_cell(cell))
    return source


def exercise_stems() -> list[str]:
    """The lessons that have at least one exercise, in outline order."""
    stems = []
    for lesson in OUTLINE:
        notebook = nbformat.read(NOTEBOOKS / f"{lesson.stem}.ipynb", as_version=4)
        if any(is_solution(cell) for cell in notebook.cells):
            stems.append(lesson.stem)
    return stems


def write_nbgrader_course(course: Path, stems: list[str] | None = None) -> list[Path]:
    """Write nbgrader_config.py and source/<stem>/<stem>.ipynb for ``stems`` (default: every exercise lesson)."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG, encoding="utf-8")
    written = []
    for stem in stems or exercise_stems():
        target = course / "source" / stem / f"{stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbgrader_source(nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)), target)
        written.append(target)
    return written


# progress -------------------------------------------------------------------------------------------


def exercise_cell_ids() -> dict[str, list[str]]:
    """``stem -> ids of its exercise cells`` (each is the cell just before a solution cell), in order."""
    ids = {}
    for lesson in OUTLINE:
        cells = nbformat.read(NOTEBOOKS / f"{lesson.stem}.ipynb", as_version=4).cells
        ids[lesson.stem] = [cells[index - 1].id for index, cell in enumerate(cells) if is_solution(cell) and index]
    return {stem: found for stem, found in ids.items() if found}


def exercise_mark(cell: nbformat.NotebookNode | None) -> str:
    """✓, ✗ or · (not run) from the saved outputs of an exercise cell."""
    if cell is None or not cell.get("outputs"):
        return "·"
    said = "".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", "")) for output in cell.outputs
    )
    return "✓" if said.strip().startswith("✓") and "✗" not in said else "✗"


def progress_line(folder: Path, exercises: dict[str, list[str]]) -> str:
    """One learner's folder: a mark per exercise, grouped by notebook, and the count of ✓."""
    groups, passed = [], 0
    for stem, ids in exercises.items():
        path = folder / f"{stem}.ipynb"
        cells = {cell.get("id"): cell for cell in nbformat.read(path, as_version=4).cells} if path.exists() else {}
        marks = "".join(exercise_mark(cells.get(cell_id)) for cell_id in ids)
        passed += marks.count("✓")
        groups.append(f"{stem[:2]} {marks}")
    total = sum(len(ids) for ids in exercises.values())
    return f"{passed:>2}/{total}  " + "  ".join(groups) + f"  {folder}"


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "--progress":
        exercises = exercise_cell_ids()
        for folder in argv[1:]:
            print(progress_line(Path(folder), exercises))
        return 0
    if len(argv) == 2 and argv[0] == "--nbgrader":
        for path in write_nbgrader_course(Path(argv[1])):
            print(f"wrote {path}")
        print(f"then, in {argv[1]}: nbgrader generate_assignment <stem> (see docs/instructor-guide.md, 4(d))")
        return 0
    if argv not in ([], ["--check"]):
        print(__doc__)
        return 2
    if argv == ["--check"]:
        changed = out_of_date(expected_files())
        for path in changed:
            print(f"out of date: {path.relative_to(ROOT)}")
        if changed:
            print("run `python scripts/make_student_edition.py` to regenerate student/")
            return 1
        print(f"student/ is up to date ({len(OUTLINE)} notebooks)")
        return 0
    changed = write()
    for path in changed:
        print(f"{'wrote' if path.exists() else 'deleted'} {path.relative_to(ROOT)}")
    print(f"student/ is up to date ({len(changed)} file(s) changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
