"""Panels for one case of the output-size formulas: a convolution's relationships (1–7, 15)
and a transposed convolution's (8–14).
"""
