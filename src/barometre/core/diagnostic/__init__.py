"""Personal diagnostic of an authority: legal obligations, cyber action plan, regional CSIRT.

Pure Python (no Django). Data tables live in ``data/obligations.yaml``,
``data/csirt.yaml`` and ``data/cyber_actions.yaml``. See README.md in this folder.
"""

from barometre.core.diagnostic.profile import AuthorityProfile

__all__ = ["AuthorityProfile"]
