"""Checks on the built website (run after ``jupyter-book build``; ``make test`` builds first).

The published (full-mode) claims of every chapter must all pass.
"""

from __future__ import annotations

import pytest
from conftest import REPO, toc_notebooks

from thermo import claims

HTML = REPO / "_build" / "html" / "index.html"
CLAIMS = REPO / "_build" / "claims"

pytestmark = pytest.mark.skipif(
    not HTML.exists() or not CLAIMS.exists(),
    reason="the book is not built; run `make test` (it builds the book first) or `make book`",
)


def test_every_chapter_recorded_claims_and_none_failed():
    recorded = claims.load_all(CLAIMS)
    chapters = {c.chapter for c in recorded}
    for nb in toc_notebooks():
        if nb.parent.name == "chapters":
            assert nb.stem in chapters, f"{nb.stem} has no claims in the built book"
    failed = [c.describe() for c in recorded if not c.passed]
    assert not failed, "claims failing in the built book:\n" + "\n".join(failed)


def test_each_chapter_page_was_built():
    for nb in toc_notebooks():
        page = REPO / "_build" / "html" / nb.relative_to(REPO).with_suffix(".html")
        assert page.exists(), page
