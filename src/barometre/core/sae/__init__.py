"""Small-area estimation: the Fay–Herriot area-level model (numbers identical to R ``sae``)."""

from barometre.core.sae.fayherriot import FHFit, fit_fh

__all__ = ["FHFit", "fit_fh"]
