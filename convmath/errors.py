"""The one error type convmath raises for impossible parameters."""


class ConvError(ValueError):
    """A convolution's parameters break a constraint.

    The message names the constraint and the numbers, in one line, so a command
    line tool can print it as it is, e.g.
    ``kernel 5 (dilated 9) is larger than padded input 7 on axis 0``.
    """
