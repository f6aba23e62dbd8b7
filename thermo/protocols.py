"""Protocols: the control parameters ``lam(t)`` on ``0 <= t <= duration``.

A protocol is evaluated once on the time grid ``t_k = k dt`` (:meth:`Protocol.table`);
kernels never call back into Python. Every protocol has a time-reversed form,
``lam~(t) = lam(duration - t)``, for Crooks-type comparisons.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from thermo._validate import check_finite, check_positive

__all__ = [
    "Constant",
    "FunctionProtocol",
    "LinearDrag",
    "PiecewiseLinear",
    "Protocol",
    "Reversed",
    "n_steps_for",
]


def n_steps_for(duration: float, dt: float) -> int:
    """Number of steps of size ``dt`` in ``duration``; they must divide evenly.

    Raises
    ------
    ValueError
        If ``dt`` is not positive and finite, or ``duration / dt`` is not an integer
        (to a relative tolerance of 1e-9).
    """
    check_positive("dt", dt)
    check_positive("duration", duration)
    ratio = duration / dt
    n = round(ratio)
    if n < 1 or abs(ratio - n) > 1e-9 * max(1.0, ratio):
        raise ValueError(
            f"dt must divide the protocol duration into a whole number of steps; "
            f"duration/dt = {duration}/{dt} = {ratio}"
        )
    return int(n)


class Protocol(ABC):
    """Control parameters as a function of time on ``[0, duration]``."""

    duration: float
    n_controls: int

    @abstractmethod
    def values(self, t: np.ndarray) -> np.ndarray:
        """``lam(t)`` for an array of times; shape ``(len(t), n_controls)``."""

    def table(self, dt: float) -> tuple[np.ndarray, np.ndarray]:
        """Times ``t_k = k dt`` (k = 0..n) and ``lam(t_k)``, shape ``(n + 1, n_controls)``."""
        n = n_steps_for(self.duration, dt)
        t = np.arange(n + 1) * (self.duration / n)
        lam = np.asarray(self.values(t), dtype=float).reshape(n + 1, self.n_controls)
        if not np.all(np.isfinite(lam)):
            raise ValueError("protocol values must be finite at every time step")
        return t, lam

    def reversed(self) -> Protocol:
        """The time-reversed protocol ``lam(duration - t)``."""
        return Reversed(self)


@dataclass(frozen=True)
class Reversed(Protocol):
    """Time reverse of another protocol."""

    forward: Protocol

    @property
    def duration(self) -> float:  # type: ignore[override]
        return self.forward.duration

    @property
    def n_controls(self) -> int:  # type: ignore[override]
        return self.forward.n_controls

    def values(self, t: np.ndarray) -> np.ndarray:
        return self.forward.values(self.forward.duration - np.asarray(t, dtype=float))

    def reversed(self) -> Protocol:
        return self.forward


@dataclass(frozen=True)
class Constant(Protocol):
    """Controls held fixed at ``value`` for ``duration``."""

    value: tuple[float, ...]
    duration: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", tuple(float(v) for v in np.atleast_1d(self.value)))
        check_positive("duration", self.duration)
        for v in self.value:
            check_finite("value", v)

    @property
    def n_controls(self) -> int:  # type: ignore[override]
        return len(self.value)

    def values(self, t: np.ndarray) -> np.ndarray:
        return np.tile(np.asarray(self.value), (np.size(t), 1))


@dataclass(frozen=True)
class LinearDrag(Protocol):
    """A single control moved at constant speed: ``lam(t) = start + v t``.

    Parameters
    ----------
    v : float
        Speed (length per unit time), finite.
    duration : float
        Protocol length (> 0).
    start : float
        ``lam(0)``.
    """

    v: float
    duration: float
    start: float = 0.0
    n_controls: int = 1

    def __post_init__(self) -> None:
        check_finite("v", self.v)
        check_positive("duration", self.duration)
        check_finite("start", self.start)

    def values(self, t: np.ndarray) -> np.ndarray:
        return (self.start + self.v * np.asarray(t, dtype=float)).reshape(-1, 1)


@dataclass(frozen=True)
class PiecewiseLinear(Protocol):
    """Controls interpolated linearly between knots.

    Parameters
    ----------
    knots : sequence of float
        Increasing times, ``knots[0] = 0`` and ``knots[-1] = duration``.
    knot_values : array_like, shape (len(knots), n_controls)
        Controls at the knots.
    """

    knots: tuple[float, ...]
    knot_values: tuple[tuple[float, ...], ...]

    def __post_init__(self) -> None:
        knots = tuple(float(k) for k in self.knots)
        vals = np.asarray(self.knot_values, dtype=float)
        if vals.ndim == 1:
            vals = vals.reshape(-1, 1)
        if len(knots) < 2 or knots[0] != 0.0 or np.any(np.diff(knots) <= 0):
            raise ValueError(f"knots must increase strictly from 0; got {knots}")
        if vals.shape[0] != len(knots) or not np.all(np.isfinite(vals)):
            raise ValueError(
                f"knot_values must be finite with one row per knot ({len(knots)}); "
                f"got shape {vals.shape}"
            )
        object.__setattr__(self, "knots", knots)
        object.__setattr__(self, "knot_values", tuple(map(tuple, vals)))

    @property
    def duration(self) -> float:  # type: ignore[override]
        return self.knots[-1]

    @property
    def n_controls(self) -> int:  # type: ignore[override]
        return len(self.knot_values[0])

    def values(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        vals = np.asarray(self.knot_values)
        return np.stack(
            [np.interp(t, self.knots, vals[:, j]) for j in range(vals.shape[1])], axis=1
        )

    def scaled(self, duration: float) -> PiecewiseLinear:
        """The same shape stretched to a new ``duration``."""
        check_positive("duration", duration)
        factor = duration / self.duration
        return PiecewiseLinear(tuple(k * factor for k in self.knots), self.knot_values)


@dataclass(frozen=True)
class FunctionProtocol(Protocol):
    """Protocol from a vectorised numpy function ``fn(t) -> (len(t), n_controls)``."""

    fn: Callable[[np.ndarray], np.ndarray]
    duration: float
    n_controls: int = 1

    def __post_init__(self) -> None:
        check_positive("duration", self.duration)

    def values(self, t: np.ndarray) -> np.ndarray:
        return np.asarray(self.fn(np.asarray(t, dtype=float)), dtype=float).reshape(
            np.size(t), self.n_controls
        )
