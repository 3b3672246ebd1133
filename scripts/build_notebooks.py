"""Build the course notebooks from their sources, run them, and save them with outputs.

    python scripts/build_notebooks.py            # every notebook
    python scripts/build_notebooks.py 03-cost    # just one (stems or file names)

Each notebook is written in ``notebooks/src/<stem>.py`` as plain Python in the
"percent" format (``# %%`` starts a code cell, ``# %% [markdown]`` a text cell
whose lines start with ``# ``; ``# %% tags=["raises-exception"]`` adds tags).
This script adds the navigation cells (previous | contents | next) at the top
and bottom, writes ``notebooks/<stem>.ipynb``, executes it in a fresh kernel
from the notebooks folder, and normalises the metadata so that a rebuild
changes nothing but real outputs. tests/test_notebook_sources.py fails when a
notebook is out of date with its source.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).parent))
from outline import OUTLINE, title_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
CELL_MARKER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")


def parse_source(text: str) -> list[dict]:
    """Split a percent-format source into cells: dicts with type, source and tags."""
    cells, current = [], None
    for line in text.splitlines():
        match = CELL_MARKER.match(line)
        if match:
            current = {
                "type": "markdown" if match["markdown"] else "code",
                "lines": [],
                "tags": json.loads(match["tags"]) if match["tags"] else [],
            }
            cells.append(current)
        elif current is not None:
            if current["type"] == "markdown":
                line = line[2:] if line.startswith("# ") else line.lstrip("#")
            current["lines"].append(line)
    for cell in cells:
        cell["source"] = "\n".join(cell.pop("lines")).strip("\n")
    return [cell for cell in cells if cell["source"]]


def navigation(stem: str) -> str:
    """Markdown for the previous | contents | next line of notebook ``stem``."""
    stems = [lesson.stem for lesson in OUTLINE]
    index = stems.index(stem)
    parts = []
    if index > 0:
        parts.append(f"[← {title_of(OUTLINE[index - 1])}]({OUTLINE[index - 1].stem}.ipynb)")
    if index != 0:
        parts.append(f"[Contents]({OUTLINE[0].stem}.ipynb)")
    if index + 1 < len(OUTLINE):
        parts.append(f"[{title_of(OUTLINE[index + 1])} →]({OUTLINE[index + 1].stem}.ipynb)")
    return " | ".join(parts)


def contents_table() -> str:
    """The table of lessons for the contents notebook."""
    rows = ["| Notebook | What you learn | Minutes |", "| --- | --- | --- |"]
    rows += [f"| [{title_of(item)}]({item.stem}.ipynb) | {item.learn} | {item.minutes} |" for item in OUTLINE[1:]]
    return "\n".join(rows)


def expected_cells(stem: str) -> list[dict]:
    """The cells notebook ``stem`` must have: navigation, its source's cells, navigation."""
    source = (SOURCES / f"{stem}.py").read_text(encoding="utf-8")
    cells = parse_source(source.replace("{{CONTENTS_TABLE}}", contents_table()))
    nav = {"type": "markdown", "source": navigation(stem), "tags": ["navigation"]}
    return [nav, *cells, dict(nav)]


def make_notebook(stem: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    for index, cell in enumerate(expected_cells(stem)):
        make = nbformat.v4.new_markdown_cell if cell["type"] == "markdown" else nbformat.v4.new_code_cell
        new = make(cell["source"])
        # Stable ids keep rebuilds diff-free (nbformat would draw random ones).
        new["id"] = f"{stem}-{index:02d}"
        if cell["tags"]:
            new.metadata["tags"] = cell["tags"]
        notebook.cells.append(new)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return notebook


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive stdout (or stderr) outputs into one.

    The kernel flushes printed text in chunks whose boundaries vary from run to
    run; merged, the same text always gives the same file.
    """
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def normalise(notebook: nbformat.NotebookNode) -> None:
    """Drop run-specific metadata (timings, widget model ids, versions) so rebuilds diff cleanly.

    A saved widget view points at a model that exists only in the kernel that
    made it: opened later, it would show "Error displaying widget: model not
    found". So widget views are not saved; the widget appears when its cell
    runs, and the static figure before it stands in until then.
    """
    notebook.metadata.pop("widgets", None)
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            outputs = [output for output in cell.outputs if WIDGET_VIEW not in output.get("data", {})]
            cell.outputs = coalesce_streams(outputs)


def build(stem: str) -> None:
    notebook = make_notebook(stem)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        record_timing=False,
        allow_error_names=[],
    )
    client.execute()
    normalise(notebook)
    nbformat.write(notebook, NOTEBOOKS / f"{stem}.ipynb")


def main(argv: list[str]) -> None:
    wanted = [Path(arg).stem for arg in argv] or [lesson.stem for lesson in OUTLINE]
    known = {lesson.stem for lesson in OUTLINE}
    for stem in wanted:
        if stem not in known:
            raise SystemExit(f"unknown notebook {stem!r}; the outline (scripts/outline.py) lists {sorted(known)}")
        print(f"building {stem} ...", flush=True)
        build(stem)


if __name__ == "__main__":
    main(sys.argv[1:])
