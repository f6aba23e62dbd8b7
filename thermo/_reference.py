"""Simple reference implementations of the kernels, in vectorised numpy.

They exist for two reasons: the tests check that the optimised numba kernels give the
same numbers (same random stream, same discrete chain), and the benchmarks compare the
kernels with the best plain-numpy implementation of the same step. They are not used
by the chapters.
"""

from __future__ import annotations

import numpy as np

from thermo.potentials import PolynomialPotential
from thermo.protocols import Protocol, n_steps_for
from thermo.random import chunks

__all__ = ["simulate_numpy"]


def simulate_numpy(
    potential: PolynomialPotential,
    protocol: Protocol,
    x0: np.ndarray,
    *,
    dt: float,
    seed,
    method: str = "euler",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Euler-Maruyama (or exact OU) chain with the kernel's work/heat bookkeeping.

    The particles are split into the same chunks as in :func:`thermo.langevin.simulate`
    and each chunk draws its normals in the kernel's order (pairs of particles, alternating
    within a pair at each step; an odd last particle on its own), so with the same chunk
    seeds the random numbers -- and hence the trajectories -- are those of the numba kernel.

    Returns
    -------
    work, heat, x_final : ndarray
    """
    n = n_steps_for(protocol.duration, dt)
    _, lam = protocol.table(dt)
    coef = potential.coefficients(lam)
    P = np.polynomial.polynomial
    x = np.array(x0, dtype=float)
    work = np.zeros_like(x)
    heat = np.zeros_like(x)
    for chunk in chunks(seed, x.size):
        s = slice(chunk.start, chunk.stop)
        m = chunk.stop - chunk.start
        pairs = chunk.rng.standard_normal((m // 2, n, 2))  # pair, step, member
        z_all = np.empty((m, n))
        z_all[0 : 2 * (m // 2) : 2] = pairs[:, :, 0]
        z_all[1 : 2 * (m // 2) : 2] = pairs[:, :, 1]
        if m % 2:
            z_all[-1] = chunk.rng.standard_normal(n)
        xc = x[s]
        v_prev = P.polyval(xc, coef[0])
        w = np.zeros_like(xc)
        q = np.zeros_like(xc)
        for k in range(n):
            c = coef[k + 1]
            v_a = P.polyval(xc, c)
            w += v_a - v_prev
            if method == "exact":
                kappa = 2.0 * c[2]
                centre = -c[1] / kappa
                a = np.exp(-kappa * dt)
                xc = centre + (xc - centre) * a + np.sqrt((1 - a * a) / kappa) * z_all[:, k]
            else:
                xc = xc - P.polyval(xc, P.polyder(c)) * dt + np.sqrt(2 * dt) * z_all[:, k]
            v_b = P.polyval(xc, c)
            q += v_a - v_b
            v_prev = v_b
        x[s], work[s], heat[s] = xc, w, q
    return work, heat, x
