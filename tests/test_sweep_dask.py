"""Dask distributed through ``Client.get_executor()`` gives the serial results exactly."""

from __future__ import annotations

import pytest
from sweep_demo import demo

distributed = pytest.importorskip("distributed")


def test_dask_local_cluster_identical_to_serial(tmp_path):
    serial = demo().run(workers=1, root=tmp_path / "serial", progress=False)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        dask = demo().run(executor=client.get_executor(), root=tmp_path / "dask", progress=False)
    csv = "99-demo/noisy-mean/results.csv"
    assert (tmp_path / "serial" / csv).read_bytes() == (tmp_path / "dask" / csv).read_bytes()
    assert dask.provenance["spec"] == serial.provenance["spec"]
    assert dask.provenance["engine"] != "serial"


def test_cli_scheduler_option(tmp_path, monkeypatch, capsys):
    from thermo import catalog
    from thermo.__main__ import main

    monkeypatch.setitem(catalog._REGISTRY, "99-demo/noisy-mean", "sweep_demo:demo")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        argv = ["sweep", "run", "99-demo/noisy-mean", "--data-dir", str(tmp_path)]
        rc = main([*argv, "--scheduler", cluster.scheduler_address, "--no-progress"])
    assert rc == 0
    assert demo().status(tmp_path) == "fresh"
