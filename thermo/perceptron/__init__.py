"""Perceptrons whose weights follow overdamped Langevin dynamics (k_BT = 1, nats).

Submodules by learning task; each adds one re-export line below (merged line-wise by git).
"""

from thermo.perceptron.bookkeeping import *  # noqa: F403
from thermo.perceptron.random_labels import *  # noqa: F403
from thermo.perceptron.teacher import *  # noqa: F403
from thermo.perceptron.weight_entropy import *  # noqa: F403
