"""Helpers shared by the tests that read notebooks (not a test module)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "scripts"))

from build_notebooks import expected_cells  # noqa: E402
from outline import OUTLINE, title_of  # noqa: E402

STEMS = [lesson.stem for lesson in OUTLINE]


def read(stem: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)


def markdown_links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)#\s]+)", text)


__all__ = ["NOTEBOOKS", "OUTLINE", "ROOT", "STEMS", "expected_cells", "markdown_links", "read", "title_of"]
