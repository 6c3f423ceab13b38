"""A reduced copy of the vector matrix for the first pass of "For you" in large libraries.

At 100,000 items one exact pass over the 384-d matrix costs about as much as the whole
latency budget, and a new like needs two (the refit preference model, the new item's
similarities). Projected on the library's main directions (PCA), the same scores cost a
third of that, and only the best few thousand candidates are then scored exactly; so the
order shown is exact, the candidate cut approximate (tests/test_curation_recommend.py
checks it agrees with the exact ranking).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ivf import principal_directions

COARSE_FROM = 20_000  # items: below this one exact pass is cheap enough
DIMS = 96
SAMPLE = 4000  # rows the principal directions are estimated from
POOL = 3000  # candidates re-scored exactly
SCALE_SAMPLE = 2000


@dataclass
class Coarse:
    basis: np.ndarray  # d x r, orthonormal columns
    reduced: np.ndarray  # n x r: matrix @ basis
    sample_vectors: np.ndarray  # rows whose exact scores set the scale of exact re-scoring

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Vectors (d or k x d) in the reduced space."""
        return (vectors @ self.basis).astype(np.float32)

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Approximate matrix @ vector for every row."""
        return self.reduced @ self.project(vector)


def build(matrix: np.ndarray, dims: int = DIMS, seed: int = 0) -> Coarse:
    """Principal directions of a sample of rows (uncentred: the scores are dot products)."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(matrix), size=min(SAMPLE, len(matrix)), replace=False)
    basis = principal_directions(matrix[np.sort(rows)], dims)
    scale_rows = np.sort(rng.choice(len(matrix), size=min(SCALE_SAMPLE, len(matrix)), replace=False))
    return Coarse(basis, np.ascontiguousarray(matrix @ basis), matrix[scale_rows])
