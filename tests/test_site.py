"""The website as a product: citation metadata, reference pages, claims page, figure index.

The tests of the built site read ``_build/html/_static/claims.json`` and ``figures.json``,
written by ``_ext/book_site.py`` at the end of the build: they describe exactly what the
built pages show (not ledger files that a later or earlier run may have left in
``_build/claims``).
"""

from __future__ import annotations

import json
import re
import tomllib
from html.parser import HTMLParser

import pytest
import yaml
from conftest import REPO, toc_notebooks

from thermo.plotting import LABEL_PATTERN

HTML = REPO / "_build" / "html"
STATIC = HTML / "_static"
SCHEMA = REPO / "tests" / "data" / "cff-1.2.0.schema.json"

built = pytest.mark.skipif(
    not (STATIC / "claims.json").exists(),
    reason="the book is not built; run `make test` (it builds the book first) or `make book`",
)


# ----------------------------------------------------------------------------- sources


def _citation():
    return yaml.safe_load((REPO / "CITATION.cff").read_text())


def test_citation_cff_has_the_required_fields():
    cff = _citation()
    for key in ("cff-version", "message", "title", "authors", "version"):
        assert cff.get(key), f"CITATION.cff lacks {key!r}"
    assert cff["cff-version"] == "1.2.0"
    assert all(a.get("name") or a.get("family-names") for a in cff["authors"])
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert str(cff["version"]) == version, "CITATION.cff and pyproject.toml name other versions"
    dois = {r.get("doi") for r in cff.get("references", [])}
    assert {"10.1103/PhysRevLett.118.010601", "10.1088/1367-2630/aa89ff"} <= dois


def test_citation_cff_validates_against_the_cff_1_2_0_schema():
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(_citation(), schema, format_checker=jsonschema.FormatChecker())


def test_citation_cff_schema_rejects_a_broken_file():
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    broken = {k: v for k, v in _citation().items() if k != "authors"}
    with pytest.raises(jsonschema.ValidationError, match="authors"):
        jsonschema.validate(broken, schema)


def test_reference_part_of_the_toc():
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    ref = next(p for p in toc["parts"] if p["caption"] == "Reference")
    files = [c["file"] for c in ref["chapters"]]
    for name in ("notation", "claims", "figures", "how-to-cite", "appendix/performance",
                 "bibliography"):  # fmt: skip
        assert name in files, name
    for name in files:
        assert (REPO / f"{name}.md").exists() or (REPO / f"{name}.ipynb").exists(), name


def test_landing_page_says_what_how_to_read_reexecute_and_cite():
    intro = (REPO / "intro.md").read_text()
    for heading in ("What the book re-derives", "How to read it", "How to re-execute it",
                    "How to cite it"):  # fmt: skip
        assert f"## {heading}" in intro, heading
    assert "goldt2017prl" in intro and "goldt2017njp" in intro


def test_mathjax_is_pinned_for_offline_use():
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/mathjax"]["version"] == "3.2.2"
    makefile = (REPO / "Makefile").read_text()
    assert "npm ci" in makefile


def test_source_figure_labels_are_unique_and_well_formed():
    """Every label passed to plotting.publish in the book's notebooks (literal labels)."""
    seen: dict[str, str] = {}
    for nb in toc_notebooks():
        cells = json.loads(nb.read_text())["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for label in re.findall(r"[\"'](fig-[a-z0-9-]+)[\"']", source):
            if not LABEL_PATTERN.match(label):
                continue
            assert seen.setdefault(label, nb.name) == nb.name, (
                f"figure label {label} is used in {seen[label]} and {nb.name}"
            )


# ----------------------------------------------------------------------------- built site


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(d["id"])
        if tag == "tr" and (d.get("id") or "").startswith("claim-"):
            self.rows += 1


def _page(name: str) -> _Ids:
    parser = _Ids()
    parser.feed((HTML / name).read_text())
    return parser


@built
def test_claims_page_lists_every_chapter_and_no_claim_fails():
    data = json.loads((STATIC / "claims.json").read_text())["chapters"]
    chapters = [nb for nb in toc_notebooks() if nb.parent.name == "chapters"]
    for nb in chapters:
        doc = f"chapters/{nb.stem}"
        assert doc in data, f"{doc} has no claims on the claims page"
        assert data[doc]["claims"], f"{doc} records no claim"
        assert data[doc]["mode"] == "full", f"{doc}: the book shows {data[doc]['mode']} mode"
    failed = [f"{d}: {c['id']} ({c['value']} vs {c['theory']}, {c['criterion']} tol "
              f"{c['tolerance']})" for d, info in data.items() for c in info["claims"]
              if not c["passed"]]  # fmt: skip
    assert not failed, "claims failing in the built book:\n" + "\n".join(failed)
    n = sum(len(info["claims"]) for info in data.values())
    assert _page("claims.html").rows == n, "claims.html does not show every recorded claim"


@built
def test_claims_link_back_to_labels_of_the_book():
    data = json.loads((STATIC / "claims.json").read_text())["chapters"]
    for doc, info in data.items():
        ids = _page(f"{doc}.html").ids
        for c in info["claims"]:
            if c["anchor"]:
                assert c["anchor"] in ids, f"{doc}: claim {c['id']} links to missing {c['anchor']}"


@built
def test_figure_index_labels_unique_each_with_csv():
    figures = json.loads((STATIC / "figures.json").read_text())["figures"]
    labels = [f["label"] for f in figures]
    assert labels, "no labelled figure in the book"
    assert len(labels) == len(set(labels)), "duplicate figure labels"
    index_ids = _page("figures.html").ids
    downloads = {p.name for p in (HTML / "_downloads").rglob("*") if p.is_file()}
    for f in figures:
        assert LABEL_PATTERN.match(f["label"]), f["label"]
        assert f"index-{f['label']}" in index_ids, f"{f['label']} missing from figures.html"
        assert f["label"] in _page(f"{f['docname']}.html").ids
        kinds = {target.rsplit(".", 1)[-1] for _, target in f["downloads"]}
        assert {"png", "pdf", "csv"} <= kinds, f"{f['label']}: downloads {sorted(kinds)}"
        assert f"{f['label']}.csv" in downloads, f"{f['label']}.csv not in the built site"
    chapters = {f"chapters/{nb.stem}" for nb in toc_notebooks() if nb.parent.name == "chapters"}
    assert chapters <= {f["docname"] for f in figures}, "a chapter has no labelled figure"


@built
def test_pages_load_nothing_from_the_internet():
    assert (STATIC / "mathjax" / "tex-chtml.js").exists(), "MathJax is not in the built site"
    external = re.compile(r"<(?:script|link|img)\b[^>]*(?:src|href)=\"(?:https?:)?//", re.I)
    for page in HTML.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text()
        m = external.search(text)
        assert m is None, f"{page.relative_to(HTML)} loads {text[m.start() : m.start() + 120]}"
