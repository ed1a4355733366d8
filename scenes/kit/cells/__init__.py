"""Grids of cells drawn from arrays, the kernel's footprint, legends, stacks of grids,
shape maps, spans over cells and settings lines.
"""
