"""Checks on the built website (run after ``jupyter-book build``; ``make test`` builds first).

The published (full-mode) claims of every chapter must all pass. The claims are read from
``_build/html/_static/claims.json``, which the build writes from the ledgers it checked
against the pages it rendered (``_ext/book_site.py``), not from ``_build/claims``, where a
chapter executed by hand or an older build may have left other ledgers.
"""

from __future__ import annotations

import json

import pytest
from conftest import REPO, toc_notebooks

HTML = REPO / "_build" / "html" / "index.html"
CLAIMS = REPO / "_build" / "html" / "_static" / "claims.json"

pytestmark = pytest.mark.skipif(
    not HTML.exists() or not CLAIMS.exists(),
    reason="the book is not built; run `make test` (it builds the book first) or `make book`",
)


def test_every_chapter_recorded_claims_and_none_failed():
    built = json.loads(CLAIMS.read_text())["chapters"]
    for nb in toc_notebooks():
        if nb.parent.name == "chapters":
            doc = f"chapters/{nb.stem}"
            assert built.get(doc, {}).get("claims"), f"{nb.stem} has no claims in the built book"
    failed = [f"{doc}: {c['id']}: {c['value']} vs {c['theory']} ({c['criterion']}, tol "
              f"{c['tolerance']})" for doc, info in built.items() for c in info["claims"]
              if not c["passed"]]  # fmt: skip
    assert not failed, "claims failing in the built book:\n" + "\n".join(failed)


def test_each_chapter_page_was_built():
    for nb in toc_notebooks():
        page = REPO / "_build" / "html" / nb.relative_to(REPO).with_suffix(".html")
        assert page.exists(), page


def _visible_text(html: str) -> str:
    """Page text outside scripts, styles, code blocks and rendered math."""
    import re

    html = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<span class="math[^"]*">.*?</span>', " ", html, flags=re.S)
    html = re.sub(r'<div class="math[^"]*">.*?</div>', " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\\\(.*?\\\)|\\\[.*?\\\]", " ", text, flags=re.S)


def test_pages_show_no_stray_reprs_or_raw_math():
    """No cell output leaks an object repr, and no glued text carries unrendered ``$...$``."""
    for nb in toc_notebooks():
        page = REPO / "_build" / "html" / nb.relative_to(REPO).with_suffix(".html")
        raw = page.read_text()
        assert "Claim(chapter=" not in raw, f"{page.name}: a ledger.record(...) result is displayed"
        text = _visible_text(raw)
        assert "$" not in text, (
            f"{page.name}: raw '$' in the text: ...{text[text.find('$') - 80 : text.find('$') + 80]}..."
        )
