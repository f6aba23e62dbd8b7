"""Shared fixtures and helpers for the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


def toc_notebooks() -> list[Path]:
    """Every notebook listed in ``_toc.yml``, in book order."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return [REPO / f"{f}.ipynb" for f in files if (REPO / f"{f}.ipynb").exists()]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
