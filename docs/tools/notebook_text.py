"""The built notebooks as plain text, for the fresh-reader pass (CONTRIBUTING.md).

    python docs/tools/notebook_text.py OUT_DIR [NN-name ...]

writes OUT_DIR/NN-name.txt for each notebook (all of them when none is named):
every cell with its 0-based index (the numbers a reader's report cites), its
source and its outputs, and each figure as OUT_DIR/NN-cI-K.png (or .svg),
named in the text where it appears. A reader then needs only OUT_DIR.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def output_text(output: dict, figure_stem: Path) -> str:
    """One output as text; a figure is written to figure_stem + its suffix and named."""
    data = output.get("data", {})
    if "text" in output:
        return "--- output ---\n" + "".join(output["text"])
    if output.get("output_type") == "error":
        return f"--- error: {output.get('ename')}: {output.get('evalue')} ---"
    if "image/png" in data:
        path = figure_stem.with_suffix(".png")
        path.write_bytes(base64.b64decode(data["image/png"]))
        return f"--- figure: {path} ---"
    if "image/svg+xml" in data:
        path = figure_stem.with_suffix(".svg")
        path.write_text("".join(data["image/svg+xml"]), encoding="utf-8")
        return f"--- figure: {path} ---"
    if "text/plain" in data:
        return "--- output ---\n" + "".join(data["text/plain"])
    return ""


def notebook_text(notebook: Path, out_dir: Path) -> str:
    """The whole notebook as text, figures written beside it in out_dir."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    parts = []
    for index, cell in enumerate(cells):
        parts.append(f"=== cell {index} [{cell['cell_type']}]\n" + "".join(cell["source"]))
        for number, output in enumerate(cell.get("outputs", [])):
            text = output_text(output, out_dir / f"{notebook.stem[:2]}-c{index}-{number}")
            if text:
                parts.append(text)
    return "\n\n".join(parts) + "\n"


def main(arguments: list[str]) -> int:
    if not arguments:
        print(__doc__)
        return 2
    out_dir, names = Path(arguments[0]), arguments[1:]
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = [NOTEBOOKS / f"{name}.ipynb" for name in names] or sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    for notebook in notebooks:
        (out_dir / f"{notebook.stem}.txt").write_text(notebook_text(notebook, out_dir), encoding="utf-8")
    print(f"wrote {len(notebooks)} notebook(s) as text into {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
