"""thermo: kernels and theory for the book *Stochastic Thermodynamics of Learning*.

Units throughout: k_B T = 1 (energies, work and heat in k_B T), mobility 1,
entropies and information in nats.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stl-thermo")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
