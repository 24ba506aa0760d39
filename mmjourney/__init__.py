"""mmjourney: a terminal training game about the multiple myeloma patient journey."""

__version__ = "0.1.0"
