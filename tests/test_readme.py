"""The README's contents table and commands agree with the outline and with CI."""

from __future__ import annotations

import re

from notebook_tools import OUTLINE, ROOT, title_of

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_contents_table_matches_the_outline_in_order():
    rows = re.findall(r"^\| \[(.+?)\]\(notebooks/(.+?)\.ipynb\) \| (.+?) \| (\d+) \|$", README, re.M)
    assert rows == [(title_of(item), item.stem, item.learn, str(item.minutes)) for item in OUTLINE]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 course.py test" in README
    assert re.search(r"^python3 course.py test$", ci, re.M)
    assert "python3 course.py lab" in README


def test_binder_installs_the_same_pins_and_course_lib():
    binder = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").split()
    assert "-r" in binder and "../requirements.txt" in binder
    assert "." in binder
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


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
