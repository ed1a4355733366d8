"""Connectivity diagrams (which inputs each output reads), the marks written on them, and
stacks of layers for receptive fields.
"""
