"""docs/tools/notebook_text.py gives a fresh reader every cell, output and figure of a built notebook, numbered."""

from __future__ import annotations

import json
import sys

from notebook_tools import ROOT

sys.path.insert(0, str(ROOT / "docs" / "tools"))
import notebook_text  # noqa: E402


def test_every_cell_output_and_figure_of_a_built_notebook_is_in_its_text(tmp_path):
    notebook = ROOT / "notebooks" / "06-rising-cost.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = notebook_text.notebook_text(notebook, tmp_path)
    assert [line for line in text.splitlines() if line.startswith("=== cell ")] == [
        f"=== cell {index} [{cell['cell_type']}]" for index, cell in enumerate(cells)
    ]
    printed = [o for cell in cells for o in cell.get("outputs", []) if o.get("output_type") == "stream"]
    assert printed and all("".join(o["text"]) in text for o in printed)
    figures = [o for cell in cells for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
    written = sorted(tmp_path.glob("06-c*.png"))
    assert figures and len(written) == len(figures)
    assert all(f"--- figure: {path} ---" in text for path in written)
    assert all(path.read_bytes().startswith(b"\x89PNG") for path in written)


def test_the_command_writes_one_text_per_named_notebook(tmp_path):
    assert notebook_text.main([str(tmp_path), "00-contents", "05-update-and-train"]) == 0
    assert sorted(path.name for path in tmp_path.glob("*.txt")) == ["00-contents.txt", "05-update-and-train.txt"]
    assert notebook_text.main([]) == 2
