"""Sphinx extension for the book's website: the claims ledger, the figure index, offline math.

* ``{claims-ledger}`` (directive, used on ``claims.md``): one table of every claim recorded
  by the chapters of *this* build, with links back to the figure or section of each claim.
  The chapters are whatever ``_toc.yml`` lists under ``chapters/``; nothing to edit when a
  chapter is added.
* ``{figure-index}`` (directive, used on ``figures.md``): every labelled figure of the book
  with its number, its citable label and address, and its download links.
* MathJax is served from the built site (``_static/mathjax``, copied from the npm package
  installed by ``make setup``) instead of a CDN, and the Thebe loader (which would fetch
  code from a CDN) is left out, so pages work offline.
* ``_static/claims.json`` and ``_static/figures.json`` in the built site record what the two
  pages show; the tests read them (they describe the current build, not older ledgers).

Where the ledgers come from
---------------------------
Executed chapters write ``<claims dir>/<chapter>.json`` (:mod:`thermo.claims`). A ledger file
can be stale: a chapter run by hand with papermill in quick mode, or an older execution,
overwrites or outlives it while the book shows cached outputs. Each chapter page displays its
own ledger as a table (the last cell of every chapter), rendered from the outputs the page
really shows; the ledger file is used only if its values agree with that table, and its mode
with the chapter's ``mode`` parameter. Otherwise the build warns (an error under ``-W``).
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

#: Header of the table that ``thermo.claims.Ledger`` displays at the end of each chapter.
LEDGER_HEADER = ["claim", "value", "reference", "criterion", "result"]
#: Files of the MathJax npm package copied into the site (``node_modules/mathjax/es5``).
MATHJAX_PARTS = ("tex-chtml.js", "input", "output/chtml", "ui", "a11y", "adaptors", "sre")
MATHJAX_ENTRY = "mathjax/tex-chtml.js"


class claims_ledger(nodes.General, nodes.Element):
    """Placeholder replaced by the table of claims once every chapter is read."""


class figure_index(nodes.General, nodes.Element):
    """Placeholder replaced by the index of figures once every chapter is read."""


class ClaimsLedgerDirective(Directive):
    has_content = False

    def run(self) -> list[nodes.Node]:
        return [claims_ledger("")]


class FigureIndexDirective(Directive):
    has_content = False

    def run(self) -> list[nodes.Node]:
        return [figure_index("")]


# --------------------------------------------------------------------------- helpers


def _claims_dir() -> Path:
    try:
        from thermo.provenance import claims_dir

        return claims_dir()
    except ImportError:  # pragma: no cover - the package is installed by `make setup`
        return Path(os.environ.get("THERMO_CLAIMS_DIR") or "_build/claims")


def _value_text(claim: dict[str, Any]) -> str:
    """The value column exactly as ``thermo.claims.Ledger._repr_markdown_`` prints it."""
    return f"{claim['value']:.5g}" + (f" ± {claim['se']:.2g}" if claim.get("se") else "")


def _notebook_mode(path: Path) -> str | None:
    """The ``mode`` assigned in the cell tagged ``parameters`` of a notebook source."""
    try:
        nb = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            src = "".join(cell.get("source", []))
            try:
                tree = ast.parse(src)
            except SyntaxError:
                return None
            for stmt in tree.body:
                if (isinstance(stmt, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "mode" for t in stmt.targets)
                        and isinstance(stmt.value, ast.Constant)):  # fmt: skip
                    return str(stmt.value.value)
    return None


def _ledger_tables(doctree: nodes.document) -> list[list[list[nodes.entry]]]:
    """Body rows (lists of entries) of every ledger table in a page."""
    found = []
    for table in doctree.findall(nodes.table):
        thead = next(iter(table.findall(nodes.thead)), None)
        tbody = next(iter(table.findall(nodes.tbody)), None)
        if thead is None or tbody is None:
            continue
        header = [e.astext().strip().lower() for e in thead.findall(nodes.entry)]
        if header == LEDGER_HEADER:
            found.append([list(row.findall(nodes.entry)) for row in tbody.findall(nodes.row)])
    return found


def _inline_math(text: str) -> list[nodes.Node]:
    """Statement text with ``$...$`` as math (used when a page shows no ledger table)."""
    out: list[nodes.Node] = []
    for i, part in enumerate(re.split(r"(?<!\\)\$", text)):
        if part:
            out.append(nodes.math(part, part) if i % 2 else nodes.Text(part))
    return out


def _fmt(x: float | None, digits: int = 5) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:.{digits}g}"


# --------------------------------------------------------------------------- collecting


def _store(env) -> tuple[dict, dict]:
    if not hasattr(env, "book_site_claims"):
        env.book_site_claims = {}
    if not hasattr(env, "book_site_figures"):
        env.book_site_figures = {}
    return env.book_site_claims, env.book_site_figures


def _purge(app: Sphinx, env, docname: str) -> None:
    claims, figures = _store(env)
    claims.pop(docname, None)
    figures.pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    claims, figures = _store(env)
    o_claims, o_figures = _store(other)
    for d in docnames:
        if d in o_claims:
            claims[d] = o_claims[d]
        if d in o_figures:
            figures[d] = o_figures[d]


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    claims, figures = _store(env)
    if not hasattr(env, "book_site_pages"):
        env.book_site_pages = set()
    env.book_site_pages.discard(docname)
    if any(True for _ in doctree.findall(claims_ledger)) or any(
        True for _ in doctree.findall(figure_index)
    ):
        env.book_site_pages.add(docname)
    title = next(iter(doctree.findall(nodes.title)), None)
    title_text = title.astext() if title is not None else docname

    # Figures: every figure with a label (name).
    figs = []
    for fig in doctree.findall(nodes.figure):
        if not fig.get("names") or not fig.get("ids"):
            continue
        caption = next(iter(fig.findall(nodes.caption)), None)
        legend = next(iter(fig.findall(nodes.legend)), None)
        downloads = []
        for dl in fig.findall(addnodes.download_reference):
            downloads.append((dl.astext(), dl["reftarget"]))
        figs.append({
            "label": fig["names"][0],
            "id": fig["ids"][0],
            "caption": caption.astext() if caption is not None else "",
            "caption_nodes": [] if caption is None else [c.deepcopy() for c in caption.children],
            "provenance": legend.astext() if legend is not None else "",
            "downloads": downloads,
        })  # fmt: skip
    if figs:
        figures[docname] = figs

    # Claims: chapters only (appendix pages make no claims).
    if not docname.startswith("chapters/"):
        return
    stem = docname.split("/")[-1]
    path = _claims_dir() / f"{stem}.json"
    if not path.exists():
        logger.warning(
            f"book_site: chapter {docname} wrote no claims ledger ({path}); every chapter must "
            "record its claims with thermo.claims.ledger(...)", location=docname,
        )  # fmt: skip
        return
    try:
        payload = json.loads(path.read_text())
    except ValueError as exc:
        logger.warning(f"book_site: malformed claims ledger {path}: {exc}", location=docname)
        return
    records = payload.get("claims", [])
    source_mode = _notebook_mode(Path(env.doc2path(docname)))
    problems = []
    if source_mode is not None and payload.get("mode") != source_mode:
        problems.append(f"ledger mode {payload.get('mode')!r} but the page runs in "
                        f"mode {source_mode!r}")  # fmt: skip
    tables = _ledger_tables(doctree)
    statements: list[list[nodes.Node] | None] = [None] * len(records)
    if tables:
        rows = tables[-1]
        shown = [r[1].astext().strip() for r in rows if len(r) >= 2]
        expected = [_value_text(c) for c in records]
        if shown != expected:
            problems.append(f"the page shows values {shown} but the ledger file has {expected}")
        else:
            for i, row in enumerate(rows):
                cells = [p.children if isinstance(p, nodes.paragraph) else [p] for p in row[0]]
                statements[i] = [c.deepcopy() for cell in cells for c in cell]
    if problems:
        logger.warning(
            f"book_site: stale claims ledger {path} for {docname}: " + "; ".join(problems)
            + ". It was written by another run (e.g. papermill by hand); rebuild after "
            "removing _build/.jupyter_cache so the chapter executes again.", location=docname,
        )  # fmt: skip
        return
    claims[docname] = {
        "title": title_text,
        "mode": payload.get("mode"),
        "ledger": path.name,
        "claims": records,
        "statements": statements,
    }


# --------------------------------------------------------------------------- rendering


def _uri(app: Sphinx, fromdoc: str, todoc: str, anchor: str = "") -> str:
    b = app.builder
    uri = relative_uri(b.get_target_uri(fromdoc), b.get_target_uri(todoc))
    return uri + (f"#{anchor}" if anchor else "")


def _label_target(app: Sphinx, label: str) -> tuple[str, str] | None:
    labels = app.env.domaindata["std"]["labels"]
    if label in labels:
        docname, labelid, _ = labels[label]
        return docname, labelid
    anon = app.env.domaindata["std"]["anonlabels"]
    if label in anon:
        return anon[label]
    return None


def _ordered(app: Sphinx, store: dict) -> list[str]:
    order = {d: i for i, d in enumerate(_toc_order(app))}
    return sorted(store, key=lambda d: (order.get(d, len(order)), d))


def _toc_order(app: Sphinx) -> list[str]:
    """Documents in reading order (the toctree), falling back to alphabetical."""
    env = app.env
    root = app.config.root_doc
    seen: list[str] = []

    def walk(doc: str) -> None:
        if doc in seen:
            return
        seen.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(root)
    return seen + sorted(set(env.found_docs) - set(seen))


def _table(headers: list[str], widths: list[int]) -> tuple[nodes.table, nodes.tbody]:
    table = nodes.table(classes=["book-site-table"])
    tgroup = nodes.tgroup(cols=len(headers))
    table += tgroup
    for w in widths:
        tgroup += nodes.colspec(colwidth=w)
    thead = nodes.thead()
    tgroup += thead
    row = nodes.row()
    for h in headers:
        row += nodes.entry("", nodes.paragraph(text=h))
    thead += row
    tbody = nodes.tbody()
    tgroup += tbody
    return table, tbody


def _entry(*children: nodes.Node, classes: list[str] | None = None) -> nodes.entry:
    para = nodes.paragraph()
    para.extend(children)
    return nodes.entry("", para, classes=classes or [])


def _criterion_text(c: dict[str, Any]) -> str:
    crit, tol, dev = c["criterion"], c["tolerance"], c["deviation"]
    return {
        "sigma": f"|dev| ≤ {tol:g} SE; dev = {dev:+.2f} SE",
        "abs": f"|diff| ≤ {tol:g}; diff = {dev:+.3g}",
        "rel": f"|diff| ≤ {tol:g} × |ref|; diff = {dev:+.3g}",
        "upper": f"≤ reference + {tol:g}",
        "lower": f"≥ reference − {tol:g}",
        "true": "holds",
    }.get(crit, crit)


def _render_claims(app: Sphinx, fromdoc: str) -> list[nodes.Node]:
    claims, _ = _store(app.env)
    docs = _ordered(app, claims)
    n = sum(len(claims[d]["claims"]) for d in docs)
    failed = sum(not c["passed"] for d in docs for c in claims[d]["claims"])
    summary = nodes.paragraph()
    summary += nodes.strong(text=f"{n} claims in {len(docs)} chapters: ")
    summary += nodes.Text(
        "all pass." if not failed else f"{failed} FAIL (see the rows marked FAIL)."
    )
    out: list[nodes.Node] = [summary]
    table, tbody = _table(
        ["Chapter", "Claim", "Simulated ± SE", "Reference", "Criterion", "Result"],
        [14, 40, 14, 10, 16, 6],
    )
    for d in docs:
        info = claims[d]
        for c, stmt in zip(info["claims"], info["statements"], strict=True):
            row = nodes.row(ids=[f"claim-{d.split('/')[-1]}-{c['id']}"])
            chap = nodes.reference("", info["title"], refuri=_uri(app, fromdoc, d),
                                   internal=True)  # fmt: skip
            row += _entry(chap)
            stmt_nodes = _copy_inline(stmt) if stmt else _inline_math(c["statement"])
            if c.get("anchor"):
                target = _label_target(app, c["anchor"])
                if target is None:
                    logger.warning(
                        f"book_site: claim {c['id']!r} of {d} links to {c['anchor']!r}, "
                        "which is not a label of the book", location=fromdoc,
                    )  # fmt: skip
                else:
                    link = nodes.reference("", "", refuri=_uri(app, fromdoc, *target),
                                           internal=True)  # fmt: skip
                    link += nodes.Text(f"[{c['anchor']}]")
                    stmt_nodes += [nodes.Text(" "), link]
            row += _entry(*stmt_nodes)
            value = _fmt(c["value"], 6) + (f" ± {c['se']:.2g}" if c.get("se") else "")
            row += _entry(nodes.Text(value))
            row += _entry(nodes.Text(_fmt(c.get("theory"), 6)))
            row += _entry(nodes.Text(_criterion_text(c)))
            verdict = "pass" if c["passed"] else "FAIL"
            row += _entry(nodes.Text(verdict),
                          classes=["claim-pass" if c["passed"] else "claim-fail"])  # fmt: skip
            tbody += row
    out.append(table)
    return out


def _render_figures(app: Sphinx, fromdoc: str) -> list[nodes.Node]:
    _, figures = _store(app.env)
    env = app.env
    docs = _ordered(app, figures)
    table, tbody = _table(["Figure", "Label (cite as)", "Caption", "Downloads"], [8, 22, 50, 20])
    n = 0
    for d in docs:
        fignums = env.toc_fignumbers.get(d, {}).get("figure", {})
        for f in figures[d]:
            n += 1
            row = nodes.row(ids=[f"index-{f['label']}"])
            num = fignums.get(f["id"])
            num_text = ".".join(map(str, num)) if num else "—"
            row += _entry(
                nodes.reference(
                    "", f"Fig. {num_text}", refuri=_uri(app, fromdoc, d, f["id"]), internal=True
                )
            )
            row += _entry(
                nodes.literal(text=f["label"]),
                nodes.Text(" in "),
                nodes.reference(
                    "",
                    env.titles[d].astext() if d in env.titles else d,
                    refuri=_uri(app, fromdoc, d),
                    internal=True,
                ),
            )
            row += _entry(*_copy_inline(f["caption_nodes"]))
            links: list[nodes.Node] = []
            for text, target in f["downloads"]:
                rel, _ = env.relfn2path(target, d)
                entry = env.dlfiles.get(rel)
                if entry is None:
                    continue
                if links:
                    links.append(nodes.Text(" · "))
                links.append(
                    addnodes.download_reference(
                        "", "", nodes.literal(text, text), reftarget=target, filename=entry[1]
                    )
                )
            row += _entry(*links)
            tbody += row
    summary = nodes.paragraph(text=f"{n} labelled figures.")
    return [summary, table]


def _resolve(app: Sphinx, doctree: nodes.document, fromdoc: str) -> None:
    replaced = False
    for node in list(doctree.findall(claims_ledger)):
        node.replace_self(_render_claims(app, fromdoc))
        replaced = True
    for node in list(doctree.findall(figure_index)):
        node.replace_self(_render_figures(app, fromdoc))
        replaced = True
    if replaced and any(True for _ in doctree.findall(nodes.math)):
        # The math came from other pages: make Sphinx load MathJax on this one too.
        app.env.get_domain("math").data["has_equations"][fromdoc] = True


def _always_update(app: Sphinx, env) -> list[str]:
    """Pages with a ``claims-ledger`` or ``figure-index`` depend on every chapter: redo them."""
    return sorted(getattr(env, "book_site_pages", set()) & set(env.found_docs))


def _copy_inline(children: list[nodes.Node]) -> list[nodes.Node]:
    """Copies of nodes from another page, with cross-references flattened and ids dropped."""
    out = []
    for child in children:
        c = child.deepcopy()
        if isinstance(c, nodes.Element):
            # the node itself may be a reference (handled below): only its descendants here
            for x in list(c.findall(addnodes.pending_xref, include_self=False)):
                x.replace_self(x.children or [nodes.Text(x.astext())])
            for x in c.findall(nodes.Element):
                x["ids"] = []
            if isinstance(c, addnodes.pending_xref):
                out.extend(c.children or [nodes.Text(c.astext())])
                continue
        out.append(c)
    return out


# --------------------------------------------------------------------------- offline site


def _mathjax_source(app: Sphinx) -> Path:
    return Path(app.srcdir) / "node_modules" / "mathjax" / "es5"


def _config_inited(app: Sphinx, config) -> None:
    config.mathjax_path = MATHJAX_ENTRY


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Leave out scripts that would load code from the internet (Thebe)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    kept = []
    for js in scripts:
        filename = str(getattr(js, "filename", js) or "")
        attrs = getattr(js, "attributes", {}) or {}
        body = str(attrs.get("body", ""))
        if ("thebe" in filename or attrs.get("type") == "text/x-thebe-config"
                or "THEBE_JS_URL" in body or "://" in filename):  # fmt: skip
            continue
        kept.append(js)
    context["script_files"] = kept


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    src = _mathjax_source(app)
    if not (src / "tex-chtml.js").exists():
        logger.warning(
            "book_site: MathJax is not installed (node_modules/mathjax); run `make setup` "
            "(it runs `npm ci`) so that math renders without internet"
        )
    else:
        dest = static / "mathjax"
        for part in MATHJAX_PARTS:
            s, t = src / part, dest / part
            t.parent.mkdir(parents=True, exist_ok=True)
            if s.is_dir():
                shutil.copytree(s, t, dirs_exist_ok=True)
            else:
                shutil.copy2(s, t)
    claims, figures = _store(app.env)
    static.mkdir(parents=True, exist_ok=True)
    (static / "claims.json").write_text(json.dumps({
        "chapters": {d: {k: v for k, v in info.items() if k != "statements"}
                     for d, info in claims.items()},
    }, indent=1, allow_nan=True) + "\n")  # fmt: skip
    (static / "figures.json").write_text(json.dumps({
        "figures": [{k: v for k, v in f.items() if k != "caption_nodes"} | {"docname": d}
                    for d in _ordered(app, figures) for f in figures[d]],
    }, indent=1) + "\n")  # fmt: skip


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(claims_ledger)
    app.add_node(figure_index)
    app.add_directive("claims-ledger", ClaimsLedgerDirective)
    app.add_directive("figure-index", FigureIndexDirective)
    app.connect("config-inited", _config_inited)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-read", _collect)
    app.connect("env-get-updated", _always_update)
    app.connect("doctree-resolved", _resolve)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}  # fmt: skip
