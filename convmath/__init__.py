"""convmath: the exact arithmetic of convolutions and transposed convolutions.

Start with :func:`spec` (or :func:`transposed`) to check and resolve parameters,
then ask for values, the matrix C, connectivity, storyboards, transpose plans,
receptive fields or parameter counts. Never imports manim.
"""

from .errors import ConvError
from .spec import ConvSpec, effective_kernel, spec, tf_same_padding, transposed
from .values import (convolve, correlate, equivalent_direct_padding, insert_zeros, pad,
                     transposed_conv, transposed_direct, transposed_scatter)
from .matrix import (apply_matrix, conv_matrix_dense, conv_matrix_sparse, matrix_entries,
                     matrix_shape, tap_matrix, transposed_matrix)
from .connectivity import Link, feeds, links, overlap_map, reads, usage_count
from .storyboard import (CONVOLUTION, CORRELATION, direct_storyboard, storyboard,
                         superposition)
from .transpose import TransposePlan, plan_transpose
from .receptive import Layer, closed_form_size, receptive_field
from .params import compare_with_dense, conv_params, dense_params

__all__ = [name for name in dir() if not name.startswith("_")]
