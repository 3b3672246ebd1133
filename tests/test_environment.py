"""The set-up check of notebook 00: pins read from requirements.txt, and what changes on Colab."""

import types

from course_lib import environment


def test_every_package_the_notebooks_need_is_pinned_in_the_learner_set():
    pins = environment.pinned_versions()
    assert set(environment.COURSE_PACKAGES) <= set(pins), set(environment.COURSE_PACKAGES) - set(pins)


def test_the_check_covers_every_package_outside_colab(monkeypatch):
    monkeypatch.delitem(__import__("sys").modules, "google.colab", raising=False)
    assert [status.name for status in environment.check_environment()] == list(environment.COURSE_PACKAGES)


def test_on_colab_the_check_leaves_out_jupyterlab_which_colab_does_not_use(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "google.colab", types.ModuleType("google.colab"))
    assert environment.running_on_colab()
    names = [status.name for status in environment.check_environment()]
    assert "jupyterlab" not in names and "jupyterlab_widgets" not in names
    assert {"numpy", "matplotlib", "ipywidgets"} <= set(names)


def test_a_package_that_is_missing_is_reported_not_ok():
    (status,) = environment.check_environment(["surely_not_an_installed_package"])
    assert status.installed is None and not status.ok
