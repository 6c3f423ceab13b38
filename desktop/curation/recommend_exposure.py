"""What the user takes from what For you shows: a preference model over the items shown.

The main preference model (recommend._content) contrasts the liked items with a sample of
the whole library, so what it learns first is which topics the user reads. Inside those
topics, what sets the items a user takes apart from the ones passed over is a finer
direction of the embedding space, which a few dozen judgements against the whole library
barely show. The items For you displayed give exactly that contrast: all of them were
offered, some were taken (opened, read, liked) and the rest passed over or judged down.
A ridge regression centred on those items (with an intercept, so the topics they share
cancel out) learns the direction that separates the two. Passed-over items are weak
labels (people skip a fair share of what they like too), but there are several per page
for every judgement, so a catalog used by one person still has behaviour to learn from.
"""

from __future__ import annotations

import numpy as np

PASSED_WEIGHT = 0.3  # per impression without a reaction (a like weighs 1)
MAX_PASSES = 3  # impressions of one item that add weight; more say nothing new
TAKEN_AT = 0.5  # feedback signal (recommend's scale) that counts as fully taken: a long read
L2 = 1.0
MAX_ITEMS = 1500  # the strongest labels at most: bounded cost at any library size


def fit(matrix: np.ndarray, rows: np.ndarray, signal: np.ndarray,
        passes: np.ndarray) -> np.ndarray | None:
    """Weights w such that matrix @ w ranks items like the ones taken above the ones passed
    over (up to a constant), or None without both kinds among the rows.

    rows: the items' rows in `matrix`; signal: their summed feedback (recommend's scale:
    a like 1, a dislike -1); passes: impressions without a reaction per item (0: reacted)."""
    passed = passes > 0
    if len(rows) > MAX_ITEMS:  # the clearest labels: likes, dislikes, repeated passes
        keep = np.argsort(-(np.abs(signal) + passes), kind="stable")[:MAX_ITEMS]
        rows, signal, passes, passed = rows[keep], signal[keep], passes[keep], passed[keep]
    y = np.where(passed, -1.0, np.clip(signal / TAKEN_AT, -1.0, 1.0))
    weight = np.where(passed, PASSED_WEIGHT * np.minimum(passes, MAX_PASSES), 1.0)
    if not (y > 0).any() or not (y < 0).any():
        return None
    x = matrix[rows].astype(np.float64)
    total = weight.sum()
    xc = x - (weight @ x) / total  # the intercept: centred on the items shown
    yc = y - (weight @ y) / total
    xw = xc * weight[:, None]
    a = xw.T @ xc + L2 * np.eye(x.shape[1])
    return np.linalg.solve(a, xw.T @ yc).astype(np.float32)
