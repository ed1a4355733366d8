"""The matrix C and vec(x), Cᵀ (entry by entry or as a heat map), sums of products written
out, checkerboard artifacts.
"""
