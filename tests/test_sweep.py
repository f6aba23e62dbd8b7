"""The sweep engine: per-point seeds, storage, staleness, resumption, bad data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from thermo.sweep import DataError, StaleDataError, Sweep

CALLS = []


def noisy_mean(mu: float, n: int, label: str = "x", *, seed) -> dict:
    """A toy measurement: mean of n normal numbers around mu."""
    rng = np.random.default_rng(seed)
    x = rng.normal(mu, 1.0, n)
    return {"mean": float(x.mean()), "mean_se": float(x.std(ddof=1) / np.sqrt(n)), "tag": label}


def failing(mu: float, n: int, *, seed) -> dict:
    if mu > 1.5:
        raise RuntimeError("boom at mu=2")
    return noisy_mean(mu, n, seed=seed)


def make(func=noisy_mean, **kw):
    base = dict(chapter="99-test", name="toy", func=func, grid={"mu": [0.0, 1.0, 2.0]},
                fixed={"n": 1000}, seed=7)  # fmt: skip
    base.update(kw)
    return Sweep(**base)


def test_serial_and_process_pool_identical(tmp_path):
    a = make().run(workers=1, root=tmp_path / "a", progress=False)
    b = make().run(workers=2, root=tmp_path / "b", progress=False)
    np.testing.assert_array_equal(a["mean"], b["mean"])
    assert (tmp_path / "a/99-test/toy/results.csv").read_text() == (
        tmp_path / "b/99-test/toy/results.csv"
    ).read_text()


def test_point_seed_does_not_depend_on_grid_order(tmp_path):
    a = make().run(workers=1, root=tmp_path, save=False, progress=False)
    # The same point index gets the same seed: the first point of both grids agrees.
    b = make(grid={"mu": [0.0, 5.0]}).run(workers=1, root=tmp_path, save=False, progress=False)
    assert a["mean"][0] == b["mean"][0]


def test_provenance_sidecar(tmp_path):
    make().run(workers=1, root=tmp_path, progress=False)
    meta = json.loads((tmp_path / "99-test/toy/results.json").read_text())
    for key in ("spec", "git_commit", "package_version", "numpy", "numba", "wall_time_s", "date",
                "csv_sha256"):  # fmt: skip
        assert key in meta
    assert meta["spec"]["seed"] == 7 and meta["spec"]["fixed"] == {"n": 1000}


def test_status_and_staleness(tmp_path):
    sw = make()
    assert sw.status(tmp_path) == "missing"
    sw.run(workers=1, root=tmp_path, progress=False)
    assert sw.status(tmp_path) == "fresh"
    assert make(fixed={"n": 999}).status(tmp_path).startswith("stale")
    assert make(seed=8).status(tmp_path).startswith("stale")
    with pytest.raises(StaleDataError, match="python -m thermo sweep run 99-test/toy"):
        make(seed=8).load_or_run(compute="never", root=tmp_path)
    assert make().load_or_run(compute="never", root=tmp_path)["tag"][0] == "x"


def test_interrupted_sweep_keeps_previous_file_and_resumes(tmp_path):
    good = make().run(workers=1, root=tmp_path, progress=False)
    before = (tmp_path / "99-test/toy/results.csv").read_bytes()
    bad = make(func=failing)
    with pytest.raises(RuntimeError, match="boom"):
        bad.run(workers=1, root=tmp_path, progress=False)
    assert (tmp_path / "99-test/toy/results.csv").read_bytes() == before  # untouched
    journal = (tmp_path / "99-test/toy/journal.jsonl").read_text().splitlines()
    assert len(journal) == 2  # the two points before the failure are kept
    assert good is not None


def test_malformed_files_name_the_file(tmp_path):
    make().run(workers=1, root=tmp_path, progress=False)
    csv = tmp_path / "99-test/toy/results.csv"
    csv.write_text(csv.read_text()[:-20])  # truncate
    with pytest.raises(DataError, match=r"results\.csv"):
        make().load(tmp_path)
    (tmp_path / "99-test/toy/results.json").write_text("{")
    with pytest.raises(DataError, match=r"results\.json"):
        make().load(tmp_path)


def test_bad_sweep_definitions():
    with pytest.raises(ValueError, match="module-level"):
        make(func=lambda mu, n, seed: {})
    with pytest.raises(ValueError, match="seed"):
        make(seed=-1)
    with pytest.raises(ValueError, match="grid"):
        make(grid={})
    with pytest.raises(ValueError, match="both"):
        make(fixed={"mu": 1})


def test_code_change_raises_code_mismatch_naming_the_command(tmp_path, monkeypatch):
    from thermo.sweep import CodeMismatchError

    make().run(workers=1, root=tmp_path, progress=False)
    meta_path = tmp_path / "99-test/toy/results.json"
    meta = json.loads(meta_path.read_text())
    meta["spec"]["code_hash"] = "0" * 16
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(CodeMismatchError, match="python -m thermo sweep run 99-test/toy"):
        make().load_or_run(compute="never", root=tmp_path)
    assert issubclass(CodeMismatchError, StaleDataError)


def test_thermo_progress_env_disables_bar(monkeypatch):
    from thermo.sweep import _progress

    monkeypatch.setenv("THERMO_PROGRESS", "0")
    assert _progress(3, "x", True).disable


def test_journal_records_time_per_point(tmp_path):
    with pytest.raises(RuntimeError, match="boom"):
        make(func=failing).run(workers=1, root=tmp_path, progress=False)
    lines = (tmp_path / "99-test/toy/journal.jsonl").read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["index"] for e in entries] == [0, 1]
    assert all(e["seconds"] >= 0 for e in entries)


def test_killed_worker_leaves_consistent_files_and_resumes(tmp_path, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from sweep_demo import demo, dies

    reference = demo().run(workers=1, save=False, progress=False)
    monkeypatch.setenv("THERMO_TEST_DIE", "1")
    with pytest.raises(BrokenProcessPool):
        demo(func=dies).run(workers=2, root=tmp_path, progress=False)
    d = tmp_path / "99-demo/noisy-mean"
    assert not (d / "results.csv").exists() and not (d / "results.json").exists()
    for line in (d / "journal.jsonl").read_text().splitlines():
        json.loads(line)  # every journal line is complete
    monkeypatch.delenv("THERMO_TEST_DIE")
    resumed = demo(func=dies).run(workers=2, root=tmp_path, progress=False)
    np.testing.assert_array_equal(resumed["mean"], reference["mean"])
    assert not (d / "journal.jsonl").exists()


def test_apply_overrides_replaces_defaults_and_rejects_unknown_names():
    from thermo.sweep import apply_overrides

    overrides = {"tau": [1.0], "n_runs": 5}
    grid, fixed = apply_overrides({"tau": [1.0, 2.0]}, {"n_runs": 100, "dt": 0.1}, overrides)
    assert grid == {"tau": [1.0]} and fixed == {"n_runs": 5, "dt": 0.1}
    assert overrides == {}  # consumed
    with pytest.raises(ValueError, match="unknown sweep parameters: \\['taus'\\]"):
        apply_overrides({"tau": [1.0]}, {}, {"taus": [2.0]})
