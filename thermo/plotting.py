"""One look for every figure, and citable figure files.

* :func:`use_style` -- the book's matplotlib style: readable sizes, the
  colour-blind-safe Okabe-Ito palette, light grids.
* :func:`publish` -- saves a figure as PNG and PDF with its data as CSV and its
  provenance as JSON under ``figures/<label>.*`` (relative to the running
  notebook) and displays it as a numbered, labelled MyST figure whose caption
  carries the parameters, download links and provenance. Figures are referenced
  in the text as ``{numref}`fig-01-work```.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np

from thermo.provenance import provenance

__all__ = [
    "COLORS",
    "LABEL_PATTERN",
    "PublishedFigure",
    "publish",
    "use_style",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
COLORS: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Figure labels: ``fig-<chapter>-<topic>``; the chapter is its two-digit number, or a
#: lower-case word for appendix pages (e.g. ``fig-perf-scaling``).
LABEL_PATTERN = re.compile(r"^fig-(?:\d{2}|[a-z]+)-[a-z0-9]+(?:-[a-z0-9]+)*$")

_STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 110,
    "figure.constrained_layout.use": True,
    "savefig.dpi": 200,
    "font.size": 11,
    "axes.labelsize": 12,
    "axes.titlesize": 12,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "errorbar.capsize": 2.5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(
        color=[
            COLORS[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")
        ]
    ),
    "image.cmap": "viridis",
    "mathtext.fontset": "dejavusans",
    "pdf.fonttype": 42,
}


def use_style() -> None:
    """Apply the book's matplotlib style (idempotent)."""
    mpl.rcParams.update(_STYLE)


@dataclass(frozen=True)
class PublishedFigure:
    """Files written by :func:`publish` and the MyST markup that shows them."""

    label: str
    png: Path
    pdf: Path
    csv: Path
    json: Path
    markdown: str

    def _ipython_display_(self) -> None:
        """Show nothing: :func:`publish` has already displayed the figure."""


def _write_csv(path: Path, data: Mapping[str, Sequence[float] | np.ndarray]) -> None:
    columns = {k: np.atleast_1d(np.asarray(v)) for k, v in data.items()}
    if not columns:
        raise ValueError("data must contain at least one column")
    for name, col in columns.items():
        if col.ndim != 1:
            raise ValueError(f"data column {name!r} must be one-dimensional; got shape {col.shape}")
    n = max(col.size for col in columns.values())
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns.keys())
        for i in range(n):
            writer.writerow(
                [(repr(col[i].item()) if col.dtype.kind == "f" else col[i]) if i < col.size else ""
                 for col in columns.values()]
            )  # fmt: skip


def publish(
    fig: Any,
    label: str,
    *,
    caption: str,
    data: Mapping[str, Sequence[float] | np.ndarray],
    seed: int | None = None,
    parameters: Mapping[str, Any] | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
    directory: str | Path = "figures",
    display: bool = True,
) -> PublishedFigure:
    """Save ``fig`` with its data and provenance, and show it as a labelled figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (closed after saving).
    label : str
        ``fig-<chapter>-<topic>``, e.g. ``"fig-01-work-vs-tau"``; appendices use a word for
        the chapter (``"fig-perf-scaling"``). Unique in the book.
    caption : str
        MyST caption; state the parameters (compute them into the string).
    data : mapping of column name to 1-d array
        The numbers plotted, written to ``<label>.csv`` (columns may differ in length).
    seed : int, optional
        Seed of the simulation shown.
    parameters : mapping, optional
        Parameters stored in the provenance JSON.
    sources : sequence of mappings
        Provenance records of cached data used (e.g. ``SweepResult.provenance``).
    directory : path
        Output directory, relative to the working directory (the notebook's).
    display : bool
        Display the figure (MyST markup for the book, HTML for Jupyter).
    """
    if not LABEL_PATTERN.match(label):
        raise ValueError(
            f"label must look like 'fig-<chapter>-<topic>' with a two-digit chapter number "
            f"(or a lower-case appendix name) and a lower-case topic; got {label!r}"
        )
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = {ext: out / f"{label}.{ext}" for ext in ("png", "pdf", "csv", "json")}
    fig.savefig(paths["png"])
    fig.savefig(paths["pdf"])
    _write_csv(paths["csv"], data)
    record = provenance(
        label=label, caption=caption, seed=seed, parameters=dict(parameters or {}),
        sources=list(sources),
    )  # fmt: skip
    paths["json"].write_text(json.dumps(record, indent=2, default=str) + "\n")
    import matplotlib.pyplot as plt

    plt.close(fig)

    commit = record["git_commit"][:10] + ("+dirty" if record["git_dirty"] else "")
    prov = f"seed {seed}, " if seed is not None else ""
    prov += f"stl-thermo {record['package_version']}, commit {commit}"
    if sources:
        data_commits = sorted({str(s.get("git_commit", "unknown"))[:10] for s in sources})
        prov += f"; cached data from commit {', '.join(data_commits)}"
    rel = {k: p.as_posix() for k, p in paths.items()}
    downloads = (
        f"{{download}}`PNG <{rel['png']}>` · {{download}}`PDF <{rel['pdf']}>` · "
        f"{{download}}`data (CSV) <{rel['csv']}>` · {{download}}`provenance (JSON) <{rel['json']}>`"
    )
    markdown = (
        f"```{{figure}} {rel['png']}\n:name: {label}\n:width: 100%\n\n"
        f"{caption}\n\n*Downloads:* {downloads}. *Provenance:* {prov}.\n```\n"
    )
    published = PublishedFigure(label, *paths.values(), markdown=markdown)
    if display:
        from IPython.display import display as _display

        b64 = base64.b64encode(paths["png"].read_bytes()).decode()
        html_repr = (
            f'<figure id="{label}"><img src="data:image/png;base64,{b64}" style="max-width:100%"/>'
            f"<figcaption><b>{label}</b>: {html.escape(caption)}</figcaption></figure>"
        )
        _display({"text/markdown": markdown, "text/html": html_repr}, raw=True)
    return published
