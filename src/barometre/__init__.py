"""Baromètre: data, IA et cybersécurité des collectivités territoriales."""

__version__ = "0.1.0"
