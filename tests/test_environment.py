"""requirements.txt and environment.yml pin the same versions; the layout is complete."""

from __future__ import annotations

import re

import yaml


def _requirements(repo):
    pins = {}
    for line in (repo / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def _conda(repo):
    env = yaml.safe_load((repo / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep not in ("pip",) and not dep.startswith("python="):
            name, version = re.split(r"==?", dep, maxsplit=1)
            pins[name.lower()] = version
    return env, pins


def test_requirements_are_all_pinned(repo):
    for line in (repo / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line), line


def test_environment_yml_mirrors_requirements(repo):
    env, conda = _conda(repo)
    assert "conda-forge" in env["channels"]
    assert "python=3.11" in env["dependencies"]
    assert conda == _requirements(repo)


def test_issue_pins(repo):
    pins = _requirements(repo)
    expected = {
        "jupyter-book": "1.0.4.post1", "sphinx": "7.4.7", "myst-nb": "1.4.0", "myst-parser": "3.0.1",
        "sphinx-book-theme": "1.3.0", "sphinxcontrib-bibtex": "2.7.0", "jupyter-cache": "1.0.1",
        "numba": "0.68.1", "llvmlite": "0.50.0", "numpy": "2.4.6", "scipy": "1.17.1",
        "matplotlib": "3.11.2", "papermill": "2.7.0", "nbclient": "0.11.0", "ipykernel": "7.4.0",
    }  # fmt: skip
    for name, version in expected.items():
        assert pins[name] == version, name


def test_design_card_layout(repo):
    for name in ("_config.yml", "_toc.yml", "chapters", "thermo", "data", "tests", "environment.yml",
                 "README.md", "Makefile", "pyproject.toml", "requirements.txt", "references.bib",
                 ".ci/run"):  # fmt: skip
        assert (repo / name).exists(), name
    assert "make test" in (repo / ".ci/run").read_text()


def test_config_excludes_non_book_sources(repo):
    cfg = yaml.safe_load((repo / "_config.yml").read_text())
    excluded = set(cfg["exclude_patterns"])
    for name in ("_build", ".venv", ".pytest_cache", "data", "tests", "benchmarks", "README.md"):
        assert name in excluded, name
