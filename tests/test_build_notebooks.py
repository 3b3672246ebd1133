"""scripts/build_notebooks.py: sources read with jupytext, the install cell, and the notebooks where nothing installed
course_lib (Colab, a bare Jupyter)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import venv

import nbformat
import pytest
from notebook_tools import ROOT, STEMS, expected_cells

build = sys.modules[expected_cells.__module__]  # scripts/build_notebooks.py, which notebook_tools imports

# The hand-written reader build_notebooks.py used before jupytext, kept as the reference the
# jupytext reading must agree with: "# %%" starts a code cell, "# %% [markdown]" a text cell whose
# lines lose their "# ", "tags=[...]" adds tags, and empty cells are dropped.
LEGACY_MARKER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")


def legacy_parse(text: str) -> list[dict]:
    cells, current = [], None
    for line in text.splitlines():
        match = LEGACY_MARKER.match(line)
        if match:
            tags = json.loads(match["tags"]) if match["tags"] else []
            current = {"type": "markdown" if match["markdown"] else "code", "lines": [], "tags": tags}
            cells.append(current)
        elif current is not None:
            if current["type"] == "markdown":
                line = line[2:] if line.startswith("# ") else line.lstrip("#")
            current["lines"].append(line)
    for cell in cells:
        cell["source"] = "\n".join(cell.pop("lines")).strip("\n")
    return [cell for cell in cells if cell["source"]]


def source_text(stem: str) -> str:
    text = (build.SOURCES / f"{stem}.py").read_text(encoding="utf-8")
    return text.replace("{{CONTENTS_TABLE}}", build.contents_table())


@pytest.mark.parametrize("stem", STEMS)
def test_jupytext_reads_each_source_into_the_cells_the_hand_written_reader_made(stem):
    cells = build.parse_source(source_text(stem))
    assert cells == legacy_parse(source_text(stem))
    assert len(cells) > 3 and any(cell["tags"] for cell in cells) == ("tags=" in source_text(stem))


def test_the_reader_keeps_tags_and_markdown_text_and_nothing_of_jupytext_own():
    text = '# %% [markdown]\n# A *title*\n#\n# text\n\n# %% tags=["solution"]\nx = 1\n\n# %%\n\n# %%\ny = 2\n'
    assert build.parse_source(text) == [
        {"type": "markdown", "source": "A *title*\n\ntext", "tags": []},
        {"type": "code", "source": "x = 1", "tags": ["solution"]},
        {"type": "code", "source": "y = 2", "tags": []},
    ]


# The install cell --------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_every_notebook_opens_with_navigation_then_the_install_cell(stem):
    cells = expected_cells(stem)
    assert cells[0]["tags"] == ["navigation"] and cells[-1]["tags"] == ["navigation"]
    assert cells[1] == build.install_cell()
    assert cells[1]["type"] == "code" and build.clone_url() in cells[1]["source"]
    assert not any("import course_lib" in cell["source"] or "from course_lib" in cell["source"] for cell in cells[:2])


def run_install_cell(monkeypatch, course_lib_found: bool) -> tuple[str, list]:
    """Run the install cell's code here, with pip replaced by a recorder; return what it printed and ran."""
    import importlib.util
    import subprocess as real_subprocess

    ran = []
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(real_subprocess, "run", lambda command, **kwargs: ran.append(command))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: find_spec(name, *a) if course_lib_found else None)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(build.install_cell()["source"], "install-cell", "exec"), {})
    return printed.getvalue(), ran


def test_the_install_cell_does_nothing_and_prints_nothing_where_course_lib_is_installed(monkeypatch):
    assert run_install_cell(monkeypatch, course_lib_found=True) == ("", [])


def test_the_install_cell_installs_from_the_repository_without_upgrading_and_says_so(monkeypatch):
    monkeypatch.delenv("COURSE_LIB_SOURCE", raising=False)
    printed, ran = run_install_cell(monkeypatch, course_lib_found=False)
    (command,) = ran
    assert command[:4] == [sys.executable, "-m", "pip", "install"]
    assert command[-1] == f"git+{build.clone_url()}@{build.BRANCH}"
    assert not {"-U", "--upgrade", "--force-reinstall"} & set(command), "Colab's widget packages must stay as they are"
    assert command[-1] in printed and "installed" in printed.splitlines()[-1]


# One setting for the repository's address -----------------------------------------------------------


def test_every_link_to_the_published_course_is_made_from_the_one_setting():
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", build.REPOSITORY), "REPOSITORY is the GitHub path, owner/name"
    assert build.binder_url().startswith(f"https://mybinder.org/v2/gh/{build.REPOSITORY}/{build.BRANCH}?")
    for stem in STEMS:
        assert build.colab_url(stem).endswith(f"/github/{build.REPOSITORY}/blob/{build.BRANCH}/notebooks/{stem}.ipynb")


# Where nothing installed course_lib: Colab, a bare Jupyter ----------------------------------------------


def fresh_venv(folder, *requirements: str) -> tuple:
    """A virtual environment in ``folder`` with ``requirements`` (pip arguments); its python and environment."""
    venv.create(folder, with_pip=True)
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{folder / 'bin'}{os.pathsep}{env['PATH']}"
    python = folder / "bin" / "python"
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile"]
    subprocess.run([*pip, *requirements], check=True, timeout=1800, env=env, cwd=ROOT)
    return python, env


def served_repository(tmp_path) -> str:
    """A git repository holding the course's files as they are now, as a pip URL (no network involved)."""
    served = tmp_path / "served"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (served / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, served / name)
    git = ["git", "-C", served, "-c", "user.name=course", "-c", "user.email=course@example.invalid"]
    for step in (["init", "-q", "-b", build.BRANCH], ["add", "-A"], ["commit", "-q", "-m", "served"]):
        subprocess.run([*git, *step], check=True)
    return f"git+file://{served}@{build.BRANCH}"


@pytest.mark.binder
@pytest.mark.slow
def test_a_notebook_runs_end_to_end_where_only_the_install_cell_provides_course_lib(tmp_path):
    python, env = fresh_venv(tmp_path / "bare-jupyter", "-r", "requirements.txt")
    env["COURSE_LIB_SOURCE"] = served_repository(tmp_path)
    stem = "05-update-and-train"  # trains on both shipped data sets, so the data must come along
    notebook = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    notebook.cells[1] = nbformat.v4.new_code_cell(build.install_cell()["source"])  # this checkout's cell
    away = tmp_path / "opened-alone"  # like Colab: the notebook without the repository around it
    away.mkdir()
    nbformat.write(notebook, away / f"{stem}.ipynb")
    command = [python, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output", "ran.ipynb"]
    completed = subprocess.run([*command, f"{stem}.ipynb"], cwd=away, env=env, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr[-3000:]
    ran = nbformat.read(away / "ran.ipynb", as_version=4)
    said = "".join(output.get("text", "") for output in ran.cells[1].outputs)
    assert "installing it from git+file://" in said and "Done: course_lib is installed" in said
    errors = [output for cell in ran.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in errors if output.output_type == "error"]


# Build each explorer with ipywidgets 7.7.1, then move every control once: each move recomputes and redraws.
WIDGETS_ON_IPYWIDGETS_7 = """
import ipywidgets
import course_lib.widgets as explorers

assert ipywidgets.__version__ == "7.7.1", ipywidgets.__version__


def descendants(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from descendants(child)


def another_value(control):
    if hasattr(control, "options"):
        values = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return values[-1] if control.value != values[-1] else values[0]
    if isinstance(control, ipywidgets.FloatLogSlider):
        return control.base ** control.min
    return control.min if control.value != control.min else control.max


moves = 0
for explorer in (explorers.divergence_lab, explorers.quadratic_explorer):
    box = explorer()
    (verdict,) = [widget for widget in descendants(box) if isinstance(widget, ipywidgets.HTML)]
    for control in [widget for widget in descendants(box) if isinstance(widget, ipywidgets.ValueWidget)]:
        if control is verdict:
            continue
        verdict.value = ""
        control.value = another_value(control)
        assert verdict.value, f"moving {control.description!r} did not update the verdict"
        moves += 1
print("moved", moves, "controls on ipywidgets", ipywidgets.__version__)
"""


@pytest.mark.binder
@pytest.mark.slow
def test_the_widgets_build_with_colab_ipywidgets_7(tmp_path):
    pins = [line for line in build_requirements() if line.startswith(("numpy", "matplotlib", "ipykernel"))]
    python, env = fresh_venv(tmp_path / "colab-like", *pins, "ipywidgets==7.7.1")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(ROOT)], check=True, env=env, cwd=tmp_path)
    completed = subprocess.run(
        [python, "-c", WIDGETS_ON_IPYWIDGETS_7], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert re.search(r"moved \d+ controls on ipywidgets 7\.7\.1", completed.stdout)


def build_requirements() -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines())
    return [line for line in lines if line]


def test_the_first_use_of_a_glossary_term_is_linked_outside_maths_code_links_and_headings():
    text = "## Hessian\nSee `Hessian`, $Hessian$, [Hessian](x), then the Hessians and the Hessian."
    linked = build.link_first_use(text, "Hessian", "hessian")
    assert linked == text.replace("the Hessians", "the [Hessians](../docs/glossary.md#hessian)")
    assert build.link_first_use("he said so", "He", "he") is None, "a capitalised term matches only as written"
    assert build.link_first_use("Epoch one", "epoch", "epoch") == "[Epoch](../docs/glossary.md#epoch) one"
    assert build.link_first_use("the learning rate", "rate", "rate") is not None
    assert build.link_first_use("a learning-rate test", "rate", "rate") is None, "no match inside a hyphenated word"


def test_each_notebook_links_each_glossary_term_at_most_once_and_every_link_has_an_entry():
    anchors = set(build.glossary_terms().values())
    for lesson in build.OUTLINE:
        if not (build.SOURCES / f"{lesson.stem}.py").exists():
            continue
        text = "\n".join(cell["source"] for cell in build.expected_cells(lesson.stem))
        links = re.findall(r"\]\(\.\./docs/glossary\.md#([^)]*)\)", text)
        assert set(links) <= anchors, (lesson.stem, set(links) - anchors)
        terms_linked = re.findall(r"\[([^\]]*)\]\(\.\./docs/glossary\.md#", text)
        assert len({term.lower() for term in terms_linked}) == len(terms_linked), (lesson.stem, terms_linked)
