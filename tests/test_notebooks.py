"""Every chapter notebook in ``_toc.yml`` runs in quick mode and all its claims pass.

Each notebook is executed by papermill with ``mode="quick"`` in a temporary working
directory (its figures go there, not into ``chapters/``), and its claims ledger is
written to a temporary directory and checked.
"""

from __future__ import annotations

import json
import os

import nbformat
import pytest
from conftest import REPO, toc_notebooks

NOTEBOOKS = toc_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_source_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
        f"{path.name}: commit notebooks without outputs"
    )
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
    assert "mode" in params[0].source, f"{path.name}: the parameters cell must define `mode`"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_quick_mode(path, tmp_path, monkeypatch):
    import papermill as pm

    claims_dir = tmp_path / "claims"
    monkeypatch.setenv("THERMO_CLAIMS_DIR", str(claims_dir))
    monkeypatch.setenv("THERMO_SWEEP_COMPUTE", os.environ.get("THERMO_SWEEP_COMPUTE", "auto"))
    out = tmp_path / path.name
    pm.execute_notebook(
        str(path), str(out), parameters={"mode": "quick"}, cwd=str(tmp_path),
        kernel_name="python3", progress_bar=False, log_output=False,
    )  # fmt: skip
    ledger = claims_dir / f"{path.stem}.json"
    if path.parent.name != "chapters":  # appendix pages render results; they make no claims
        return
    assert ledger.exists(), f"{path.name} recorded no claims"
    records = json.loads(ledger.read_text())["claims"]
    assert records, f"{path.name} recorded no claims"
    failed = [f"{c['id']}: value {c['value']} vs {c['theory']} (se {c['se']}, {c['criterion']} "
              f"tol {c['tolerance']})" for c in records if not c["passed"]]  # fmt: skip
    assert not failed, f"{path.name}: failed claims in quick mode:\n" + "\n".join(failed)
    assert all(c["mode"] == "quick" for c in records)


def test_every_chapter_is_in_the_toc():
    listed = {p.name for p in NOTEBOOKS}
    on_disk = {p.name for p in (REPO / "chapters").glob("*.ipynb")}
    assert on_disk <= listed, f"notebooks missing from _toc.yml: {sorted(on_disk - listed)}"
