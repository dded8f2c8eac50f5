"""Personal diagnostic of an authority: obligations, maturity scores, peers, cyber action plan, CSIRT.

Pure Python (no Django). Data tables live in ``data/obligations.yaml``,
``data/csirt.yaml``, ``data/cyber_actions.yaml`` and ``data/maturity_grid.yaml``. See README.md in this folder.
"""

from barometre.core.diagnostic.profile import AuthorityProfile

__all__ = ["AuthorityProfile"]
