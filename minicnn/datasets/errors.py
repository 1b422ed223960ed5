"""The one exception the datasets package raises for bad or missing data."""


class DatasetError(ValueError):
    """A data file is missing, damaged, or not what it claims to be.

    The message always names the file (or the places searched) and what is
    wrong, e.g. ``.../train-images-idx3-ubyte: truncated: the header says
    60000x28x28 = 47,040,000 bytes of uint8 data, the file has 47,039,000``.
    """
