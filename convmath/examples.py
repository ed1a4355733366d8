"""Example values for scenes and clips: reproducible, small, easy to read on screen."""

from __future__ import annotations

import numpy as np

# The numerical example of the guide's Figure 1.1 (Dumoulin & Visin): a 5×5 input and a
# 3×3 kernel; without padding and with stride 1 the output is [[12, 12, 17], [10, 17, 19],
# [9, 6, 14]].
PAPER_INPUT = np.array([[3, 3, 2, 1, 0],
                        [0, 0, 1, 3, 1],
                        [3, 1, 2, 2, 3],
                        [2, 0, 0, 2, 2],
                        [2, 0, 0, 0, 1]], dtype=np.int64)
PAPER_KERNEL = np.array([[0, 1, 2],
                         [2, 2, 0],
                         [0, 1, 2]], dtype=np.int64)


def example_values(shape, seed: int = 0, low: int = 0, high: int = 3) -> np.ndarray:
    """Integers in [low, high] of the given shape, the same for the same seed."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    rng = np.random.default_rng(seed)
    return rng.integers(low, high + 1, size=shape, dtype=np.int64)


def example_input(shape, seed: int = 0) -> np.ndarray:
    """An input: the guide's 5×5 example when the shape fits, else digits 0–3."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if len(shape) == 2 and shape[0] <= 5 and shape[1] <= 5 and seed == 0:
        return PAPER_INPUT[:shape[0], :shape[1]].copy()
    return example_values(shape, seed, 0, 3)


def example_kernel(shape, seed: int = 0) -> np.ndarray:
    """A kernel: the guide's 3×3 example when the shape fits, else digits 0–2."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if len(shape) == 2 and shape[0] <= 3 and shape[1] <= 3 and seed == 0:
        return PAPER_KERNEL[:shape[0], :shape[1]].copy()
    return example_values(shape, seed + 1, 0, 2)
