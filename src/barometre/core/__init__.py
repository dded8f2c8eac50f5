"""The pure core of Baromètre.

Nothing in this package imports Django (a test enforces it). Each sub-package
owns one responsibility: ``registry``, ``questionnaire``, ``stats``,
``indicators``, ``simulate``, ``diagnostic``, ``report``.
"""
