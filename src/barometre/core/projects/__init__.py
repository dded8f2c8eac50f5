"""Data and AI projects of local authorities: the catalogue's model, its curated examples, the OPSN
directory, text similarity ("who does the same as me") and member aggregates for pooling bodies.

Pure Python: the Django app ``apps/projects`` stores projects and serves the pages; this package
decides (codes and numbers) and never words anything.
"""
