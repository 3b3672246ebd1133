"""Checks a learner's setup against requirements.txt, for the contents notebook."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
# The packages the notebooks need, of the learner's set in requirements.txt (requirements-test.txt adds the tests').
COURSE_PACKAGES = ("numpy", "matplotlib", "ipykernel", "ipywidgets", "jupyterlab", "jupyterlab_widgets")
# Colab runs the notebooks in its own front end, with its own versions: it has no use for JupyterLab's packages.
NOT_USED_ON_COLAB = ("jupyterlab", "jupyterlab_widgets")


class PackageStatus(NamedTuple):
    name: str
    wanted: str
    installed: str | None

    @property
    def ok(self) -> bool:
        return self.installed is not None and self.wanted in ("any", self.installed)


def pinned_versions(requirements: Path = REQUIREMENTS) -> dict[str, str]:
    """``name -> version`` for each ``name==version`` line of requirements.txt that applies to this Python."""
    from packaging.markers import Marker

    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        requirement, _, marker = line.split("#", 1)[0].partition(";")
        if "==" not in requirement or (marker.strip() and not Marker(marker.strip()).evaluate()):
            continue
        name, version = (part.strip() for part in requirement.split("=="))
        pins[name.lower().replace("-", "_")] = version
    return pins


def running_on_colab() -> bool:
    """True inside a Google Colab runtime (its kernel imports google.colab at start-up)."""
    return "google.colab" in sys.modules


def check_environment(packages=None) -> list[PackageStatus]:
    """Installed versus pinned version of each package the notebooks need (on Colab, of those Colab uses)."""
    if packages is None:
        skipped = NOT_USED_ON_COLAB if running_on_colab() else ()
        packages = [name for name in COURSE_PACKAGES if name not in skipped]
    pins = pinned_versions() if REQUIREMENTS.exists() else {}
    statuses = []
    for name in packages:
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        statuses.append(PackageStatus(name, pins.get(name, "any"), installed))
    return statuses


def python_is_supported() -> bool:
    """The course needs Python 3.10 or newer."""
    return sys.version_info >= (3, 10)
