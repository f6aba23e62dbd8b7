"""Seeds, generators and chunking.

Every stochastic function in ``thermo`` takes ``seed``, which may be an ``int``, a
:class:`numpy.random.SeedSequence`, a :class:`numpy.random.Generator` or ``None``
(fresh operating-system entropy, not reproducible).

Kernels draw their normal numbers from numpy ``Generator`` objects passed into
numba (about 4x faster here than numba's own ``np.random`` and the same stream
as numpy). Work is split into chunks of a *fixed* size; chunk ``c`` gets the
``c``-th child of the seed's :class:`~numpy.random.SeedSequence`. The numbers
therefore depend only on the seed and on the problem size, never on the number
of threads that run the chunks.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np

__all__ = [
    "CHUNK_SIZE",
    "Chunk",
    "SeedLike",
    "as_generator",
    "as_seed_sequence",
    "chunks",
]

SeedLike = int | np.random.SeedSequence | np.random.Generator | None

#: Number of particles (or runs) that share one generator. Fixed, so results do
#: not depend on the thread count. 256 keeps >= 4 chunks at 10^3 particles.
CHUNK_SIZE = 256


def as_seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Turn any accepted ``seed`` into a :class:`numpy.random.SeedSequence`.

    A ``Generator`` is consumed: four 32-bit words are drawn from it and used as
    entropy, so the same generator state gives the same sequence, and repeated
    calls with one generator give different sequences.

    Raises
    ------
    ValueError
        If ``seed`` is negative, a bool, or of another type.
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        words = seed.integers(0, 2**32, size=4, dtype=np.uint64)
        return np.random.SeedSequence([int(w) for w in words])
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise ValueError(
            f"seed must be a non-negative int, a numpy SeedSequence, a numpy Generator "
            f"or None; got {seed!r} of type {type(seed).__name__}"
        )
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int (0 <= seed); got {seed}")
    return np.random.SeedSequence(int(seed))


def as_generator(seed: SeedLike) -> np.random.Generator:
    """A PCG64 :class:`numpy.random.Generator` from any accepted ``seed``.

    A ``Generator`` passed in is returned unchanged (so the caller's stream is used).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.Generator(np.random.PCG64(as_seed_sequence(seed)))


@dataclass(frozen=True)
class Chunk:
    """A contiguous block ``[start, stop)`` of particles with its own generator."""

    index: int
    start: int
    stop: int
    rng: np.random.Generator


def chunks(seed: SeedLike, n_items: int, chunk_size: int = CHUNK_SIZE) -> list[Chunk]:
    """Split ``n_items`` into fixed-size chunks, each with an independent generator.

    Parameters
    ----------
    seed : int, SeedSequence, Generator or None
        Root of the spawned streams.
    n_items : int
        Number of particles (>= 1).
    chunk_size : int
        Items per chunk (the last chunk may be shorter).
    """
    if n_items < 1:
        raise ValueError(f"n_items must be >= 1; got {n_items}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1; got {chunk_size}")
    root = as_seed_sequence(seed)
    n_chunks = -(-n_items // chunk_size)
    children = root.spawn(n_chunks)
    return [
        Chunk(
            index=c,
            start=c * chunk_size,
            stop=min((c + 1) * chunk_size, n_items),
            rng=np.random.Generator(np.random.PCG64(children[c])),
        )
        for c in range(n_chunks)
    ]
