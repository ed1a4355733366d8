"""The convolution carried out on the grids: the three grids of a sliding-kernel scene, the
sliding kernel (narrated and quick), a transposed convolution's stamps, numbers flying into cells.
"""
