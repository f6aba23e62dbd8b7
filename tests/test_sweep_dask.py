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
