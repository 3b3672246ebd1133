"""Build the course notebooks from their sources, run them, and save them with outputs.

    python scripts/build_notebooks.py            # every notebook
    python scripts/build_notebooks.py 03-cost    # just one (stems or file names)
    python scripts/build_notebooks.py --readme   # only rewrite the README's contents table and links

Each notebook is written in ``notebooks/src/<stem>.py`` as plain Python in
jupytext's "percent" format (``# %%`` starts a code cell, ``# %% [markdown]`` a
text cell whose lines start with ``# ``; ``# %% tags=["raises-exception"]``
adds tags), and read with jupytext. This script adds what no library does for
this course: the navigation cells (previous | contents | next) at the top and
bottom, the contents table, and a first code cell that installs course_lib
where it is missing (Colab, a bare Jupyter). It writes
``notebooks/<stem>.ipynb``, executes it in a fresh kernel from the notebooks
folder, and normalises the metadata so that a rebuild changes nothing but real
outputs. tests/test_notebook_sources.py fails when a notebook is out of date
with its source, tests/test_readme.py when the README is.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).parent))
from outline import OUTLINE, title_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
README = ROOT / "README.md"

# The course's repository on GitHub, "owner/name": the one setting every link to the published course is
# made from (the README's Binder and Colab badges and clone line, and each notebook's install cell).
# "OWNER/REPO" is the placeholder until the course is published: set the real path here, then run
# `python scripts/build_notebooks.py` (notebooks) and `python scripts/build_notebooks.py --readme`.
REPOSITORY = "OWNER/REPO"
BRANCH = "main"
PLACEHOLDER = "OWNER/REPO"


def parse_source(text: str) -> list[dict]:
    """Cells of a percent-format source, read by jupytext: dicts with type, source and tags."""
    notebook = jupytext.reads(text, fmt="py:percent")
    cells = [
        {"type": cell.cell_type, "source": cell.source, "tags": list(cell.metadata.get("tags", []))}
        for cell in notebook.cells
    ]
    return [cell for cell in cells if cell["source"]]


def clone_url() -> str:
    return f"https://github.com/{REPOSITORY}.git"


def binder_url() -> str:
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath=lab/tree/notebooks/{OUTLINE[0].stem}.ipynb"


def colab_url(stem: str) -> str:
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{stem}.ipynb"


INSTALL_CELL = """\
# Colab or a bare Jupyter: install course_lib (the course's library and its data) the first time.
# Where course_lib is installed already (`python3 course.py lab`, Binder), this cell does nothing.
import importlib.util

if importlib.util.find_spec("course_lib") is None:
    import os
    import subprocess
    import sys

    source = os.environ.get("COURSE_LIB_SOURCE", "git+{clone_url}@{branch}")
    print(f"course_lib is not installed in this kernel: installing it from {{source}} ...")
    # No --upgrade: pip leaves the packages already here (numpy, matplotlib, ipywidgets) as they are.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)
    importlib.invalidate_caches()
    print("Done: course_lib is installed; the packages that were here already are unchanged.")"""


def install_cell() -> dict:
    """The first code cell of every notebook: makes course_lib importable where nothing installed it."""
    source = INSTALL_CELL.format(clone_url=clone_url(), branch=BRANCH)
    return {"type": "code", "source": source, "tags": ["install-course-lib"]}


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


GLOSSARY = ROOT / "docs" / "glossary.md"
# Text that must not get a link: maths, code, existing links, HTML tags and lines (a link inside <summary> shows
# as raw text), headings.
PROTECTED = re.compile(r"(?s:\$\$.*?\$\$)|\$[^$\n]*\$|`[^`]*`|\[[^\]]*\]\([^)]*\)|<[^>]*>|^[#<][^\n]*", re.M)


def glossary_terms() -> dict[str, str]:
    """``term -> anchor`` for each heading of docs/glossary.md ("### batch, full batch" gives two terms)."""
    terms = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            heading = line[4:].strip()
            anchor = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
            terms.update({term.strip(): anchor for term in heading.split(",") if term.strip()})
    return terms


def link_first_use(text: str, term: str, anchor: str) -> str | None:
    """``text`` with the first use of ``term`` (outside maths, code and links) linked to the glossary, or None."""
    # "He" (the initialisation) must not match "he"; lower-case terms match at the start of a sentence too.
    flags = re.I if term.islower() else 0
    pattern = re.compile(rf"(?<![\w\-/]){re.escape(term)}s?(?![\w\-])", flags)
    position = 0
    for protected in [*PROTECTED.finditer(text), None]:
        end = protected.start() if protected else len(text)
        found = pattern.search(text, position, end)
        if found:
            link = f"[{found.group(0)}](../docs/glossary.md#{anchor})"
            return text[: found.start()] + link + text[found.end():]
        position = protected.end() if protected else end
    return None


def link_glossary(cells: list[dict]) -> list[dict]:
    """Link the first use of each glossary term in a notebook's text cells to its entry in docs/glossary.md."""
    for term, anchor in sorted(glossary_terms().items(), key=lambda item: -len(item[0])):
        for cell in cells:
            linked = link_first_use(cell["source"], term, anchor) if cell["type"] == "markdown" else None
            if linked is not None:
                cell["source"] = linked
                break
    return cells


def expected_cells(stem: str) -> list[dict]:
    """The cells notebook ``stem`` must have: navigation, the install cell, its source's cells (with the first
    use of each glossary term linked), navigation."""
    source = (SOURCES / f"{stem}.py").read_text(encoding="utf-8")
    cells = link_glossary(parse_source(source.replace("{{CONTENTS_TABLE}}", contents_table())))
    nav = {"type": "markdown", "source": navigation(stem), "tags": ["navigation"]}
    return [nav, install_cell(), *cells, dict(nav)]


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


COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
README_TABLE = re.compile(r"^\| Notebook \|.*\n(?:\|.*\n)*", re.M)
BINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/[^)\s]*")
COLAB_LINK = re.compile(r"https://colab\.research\.google\.com/github/[^)\s]*/notebooks/(?P<stem>[^/)\s]+)\.ipynb")
CLONE_LINE = re.compile(r"^git clone \S+", re.M)


def readme_contents_table() -> str:
    """The README's table of lessons: each links to its notebook and opens in Colab."""
    rows = ["| Notebook | What you learn | Minutes | Colab |", "| --- | --- | --- | --- |"]
    for item in OUTLINE:
        colab = f"[![Open in Colab]({COLAB_BADGE})]({colab_url(item.stem)})"
        rows.append(f"| [{title_of(item)}](notebooks/{item.stem}.ipynb) | {item.learn} | {item.minutes} | {colab} |")
    return "\n".join(rows) + "\n"


def update_readme(text: str) -> str:
    """``text`` with its contents table, Binder and Colab links and clone line made from the outline and REPOSITORY."""
    text = README_TABLE.sub(lambda _: readme_contents_table(), text, count=1)
    text = BINDER_LINK.sub(lambda _: binder_url(), text)
    text = COLAB_LINK.sub(lambda match: colab_url(match["stem"]), text)
    return CLONE_LINE.sub(lambda _: f"git clone {clone_url()}", text)


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
    if argv == ["--readme"]:
        README.write_text(update_readme(README.read_text(encoding="utf-8")), encoding="utf-8")
        return
    wanted = [Path(arg).stem for arg in argv] or [lesson.stem for lesson in OUTLINE]
    known = {lesson.stem for lesson in OUTLINE}
    for stem in wanted:
        if stem not in known:
            raise SystemExit(f"unknown notebook {stem!r}; the outline (scripts/outline.py) lists {sorted(known)}")
        print(f"building {stem} ...", flush=True)
        build(stem)


if __name__ == "__main__":
    main(sys.argv[1:])
