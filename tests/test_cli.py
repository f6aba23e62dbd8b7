"""``python -m thermo sweep ...``: listing, dry runs, running, and helpful failures."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sweep_demo import demo

from thermo import catalog
from thermo.__main__ import main


@pytest.fixture
def demo_registered(monkeypatch):
    monkeypatch.setitem(catalog._REGISTRY, "99-demo/noisy-mean", "sweep_demo:demo")


def test_list_shows_published_sweeps(capsys):
    assert main(["sweep", "list"]) == 0
    out = capsys.readouterr().out
    for key in catalog.names():
        assert key in out


def test_unknown_sweep_exits_2_naming_known_ones(capsys):
    assert main(["sweep", "run", "no-such/sweep", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "unknown sweep 'no-such/sweep'" in err and "known sweeps" in err


def test_bad_workers_exits_2(capsys):
    assert main(["sweep", "run", "all", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["sweep", "run", "all", "--mode", "huge"], ["sweep", "frobnicate"]]
)
def test_bad_options_exit_nonzero(argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_dry_run_then_run(demo_registered, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THERMO_DATA_DIR", str(tmp_path))
    assert main(["sweep", "run", "99-demo/noisy-mean", "--dry-run"]) == 0
    assert "missing" in capsys.readouterr().out
    assert not (tmp_path / "99-demo").exists()
    assert main(["sweep", "run", "99-demo/noisy-mean", "--workers", "1", "--no-progress"]) == 0
    assert demo().status(tmp_path) == "fresh"
    assert main(["sweep", "run", "99-demo/noisy-mean", "--dry-run"]) == 0
    assert "skip" in capsys.readouterr().out


def test_module_entry_point_exit_code():
    proc = subprocess.run([sys.executable, "-m", "thermo", "sweep", "run", "nope/nope"],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 2 and "unknown sweep" in proc.stderr


def test_data_dir_option_and_estimate(demo_registered, tmp_path, capsys):
    argv = ["sweep", "run", "99-demo/noisy-mean", "--data-dir", str(tmp_path)]
    assert main([*argv, "--dry-run"]) == 0
    assert "estimated time: 0 s + unknown" in capsys.readouterr().out  # no calibration in dry run
    assert main([*argv, "--workers", "1", "--no-progress", "--no-calibrate"]) == 0
    assert "estimated time:" in capsys.readouterr().out
    assert demo().status(tmp_path) == "fresh"
    assert demo().estimate(tmp_path, calibrate=False) is not None
    assert main(["sweep", "status", "--data-dir", str(tmp_path)]) == 0


def test_failing_sweep_exits_1_and_keeps_journal(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(catalog._REGISTRY, "99-demo/noisy-mean", "tests_broken:demo")
    import types

    import sweep_demo

    mod = types.ModuleType("tests_broken")
    mod.demo = lambda mode="full": sweep_demo.demo(mode, broken=True)
    monkeypatch.setitem(sys.modules, "tests_broken", mod)
    argv = ["sweep", "run", "99-demo/noisy-mean", "--data-dir", str(tmp_path), "--workers", "1"]
    assert main([*argv, "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "failed" in err and "boom" in err
    assert (tmp_path / "99-demo/noisy-mean/journal.jsonl").exists()
    assert not (tmp_path / "99-demo/noisy-mean/results.csv").exists()


def test_calibrate_times_one_point():
    assert demo().calibrate() > 0
    assert demo().estimate("/nonexistent", workers=2) > 0
