"""The ``barometre`` command line: one module per command group."""
