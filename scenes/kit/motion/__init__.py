"""Moving, fading, clearing and revealing mobjects without copying them (what keeps
renders fast), and handing the screen from one picture to the next.
"""
