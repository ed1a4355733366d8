"""Words, numbers and formulas: LaTeX and value formatting, on-screen words, large numbers,
formula cards, title cards and headings.
"""
