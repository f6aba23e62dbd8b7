"""A tiny demo sweep for the engine and command-line tests (importable by worker processes)."""

from __future__ import annotations

import numpy as np

from thermo.sweep import Sweep


def noisy_mean(mu: float, n: int, *, seed) -> dict:
    """Mean of ``n`` standard normal numbers around ``mu``, with its standard error."""
    rng = np.random.default_rng(seed)
    x = rng.normal(mu, 1.0, n)
    return {"mean": float(x.mean()), "mean_se": float(x.std(ddof=1) / np.sqrt(n))}


def broken(mu: float, n: int, *, seed) -> dict:
    """Fails at ``mu > 1.5`` (for the failure exit code)."""
    if mu > 1.5:
        raise RuntimeError("boom")
    return noisy_mean(mu, n, seed=seed)


def demo(mode: str = "full", **overrides) -> Sweep:
    """The demo sweep: 4 points in quick mode, 6 in full mode."""
    mus = [0.0, 1.0] if mode == "quick" else [0.0, 1.0, 2.0]
    kw = dict(chapter="99-demo", name="noisy-mean", func=noisy_mean,
              grid={"mu": mus, "n": [100, 1000]}, seed=3, description="demo sweep")  # fmt: skip
    if overrides.pop("broken", False):
        kw["func"] = broken
    kw.update(overrides)
    return Sweep(**kw)


def dies(mu: float, n: int, *, seed) -> dict:
    """Kills its worker process at ``mu > 1.5`` while ``$THERMO_TEST_DIE`` is set."""
    import os

    if mu > 1.5 and os.environ.get("THERMO_TEST_DIE"):
        os._exit(3)
    return noisy_mean(mu, n, seed=seed)
