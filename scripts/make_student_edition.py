"""Build the student edition: every course notebook without its solutions and without outputs.

    python scripts/make_student_edition.py           # (re)write student/
    python scripts/make_student_edition.py --check   # list the out-of-date files and exit 1; writes nothing

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
"""

from __future__ import annotations

import sys
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


def main(argv: list[str]) -> int:
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
