"""The README's contents table, links and commands agree with the outline, the repository setting and CI."""

from __future__ import annotations

import re
import sys

from notebook_tools import OUTLINE, ROOT, STEMS, expected_cells, title_of

README = (ROOT / "README.md").read_text(encoding="utf-8")
build = sys.modules[expected_cells.__module__]  # scripts/build_notebooks.py
REGENERATE = "run `python scripts/build_notebooks.py --readme`"


def test_contents_table_matches_the_outline_in_order_with_a_colab_link_each():
    rows = re.findall(
        r"^\| \[(.+?)\]\(notebooks/(.+?)\.ipynb\) \| (.+?) \| (\d+) \| \[!\[Open in Colab\]\(.+?\)\]\((.+?)\) \|$",
        README,
        re.M,
    )
    wanted = [
        (title_of(item), item.stem, item.learn, str(item.minutes), build.colab_url(item.stem)) for item in OUTLINE
    ]
    assert rows == wanted, REGENERATE


def test_readme_links_and_table_are_as_generated_from_the_setting():
    assert build.update_readme(README) == README, REGENERATE


def test_no_link_to_the_course_is_left_half_filled():
    links = re.findall(
        r"https://(?:mybinder\.org/v2/gh|colab\.research\.google\.com/github)/([^/\s)]+/[^/\s)]+)", README
    )
    assert len(links) >= len(STEMS) + 2, "the Binder badge, the Colab badge and one Colab link per notebook"
    assert set(links) == {build.REPOSITORY}
    assert re.findall(r"^git clone (\S+)", README, re.M) == [build.clone_url()]
    for leftover in ("<this repository", "<owner>", "<repo>", "<branch>"):
        assert leftover not in README, f"a link is left half-filled: {leftover}"
    for stem in STEMS:
        (install,) = [cell for cell in expected_cells(stem) if "install-course-lib" in cell["tags"]]
        assert re.findall(r"github\.com/([^/\s\"]+/[^/\s\"]+?)\.git", install["source"]) == [build.REPOSITORY]


def test_readme_says_where_the_repository_is_set_while_it_is_a_placeholder():
    if build.REPOSITORY == build.PLACEHOLDER:
        assert "`REPOSITORY` in `scripts/build_notebooks.py`" in README
        assert f"placeholder `{build.PLACEHOLDER}`" in README


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 course.py test" in README
    assert re.search(r"^python3 course.py test$", ci, re.M)
    assert "python3 course.py lab" in README


def test_binder_selects_the_python_the_readme_names():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert "`runtime.txt` selects Python 3.11" in README


def test_readme_documents_every_command_and_every_benchmark_file():
    usage = (ROOT / "course.py").read_text(encoding="utf-8")
    for command in re.findall(r"python3 course\.py (\w+)", usage):
        assert f"python3 course.py {command}" in README, f"the README does not mention `course.py {command}`"
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        assert f"`{path.name}`" in README, f"the README does not say what benchmarks/{path.name} is"
    assert "docs/benchmarks.md" in README


def test_readme_explains_remote_machines_root_and_the_quick_route():
    assert re.search(r"^ssh -N -L (\d+):127\.0\.0\.1:\1 \S+@\S+$", README, re.M), "the SSH tunnel line"
    assert "python3 course.py lab --no-browser" in README
    assert "--allow-root" in README
    assert "and `ruff` runs after pytest whatever they are" in " ".join(README.split())


def test_binder_badge_opens_jupyterlab_at_the_contents_notebook():
    badge = re.search(r"\(https://mybinder\.org/v2/gh/[^)]*\)", README)
    assert badge and badge.group(0).endswith("?urlpath=lab/tree/notebooks/00-contents.ipynb)")
    assert (ROOT / "notebooks" / "00-contents.ipynb").is_file()


def test_instructor_guide_covers_every_notebook_and_the_ways_to_run_the_room():
    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    for item in OUTLINE[1:]:
        assert item.stem.split("-")[0] + " · " + item.title in guide, f"the guide has no section for {item.stem}"
    for must in ("/hub/user-redirect/git-pull?repo=", "mybinder.org/v2/gh/", "python3 course.py lab", "student/"):
        assert must in guide
