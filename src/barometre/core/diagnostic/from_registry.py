"""Build an :class:`AuthorityProfile` from the registry (the survey frame).

Only INSEE's *population municipale* is in the frame. The EPCI files of the
source carry a *population totale* of another millésime (2021 against 2023):
mixing the two would give false certainty near a threshold, so the profile
leaves ``population_totale`` unknown and the obligation rules answer
"depends" where the difference could matter.
"""

from __future__ import annotations

from barometre.core.diagnostic.profile import AuthorityKind, AuthorityProfile
from barometre.core.registry import load_snapshot
from barometre.core.registry.model import Authority, AuthorityType, Frame, Kind

#: Types holding the départemental powers besides a conseil départemental.
DEPARTEMENT_POWERS = {
    AuthorityType.VILLE_DE_PARIS,
    AuthorityType.CORSE,
    AuthorityType.CTU,
    AuthorityType.MAYOTTE,
    AuthorityType.METROPOLE_LYON,
}
#: Types holding the regional powers besides a conseil régional.
REGION_POWERS = {AuthorityType.CORSE, AuthorityType.CTU, AuthorityType.MAYOTTE}


def profile_of(authority: Authority, frame: Frame) -> AuthorityProfile:
    kind: AuthorityKind
    if authority.type == AuthorityType.CEA:
        kind = "departement"  # the Collectivité européenne d'Alsace counts as a département
    else:
        kind = authority.kind.value
    members = frame.members(authority.code) if authority.kind in (Kind.EPCI, Kind.METROPOLE_LYON) else []
    return AuthorityProfile(
        code=authority.code,
        name=authority.name,
        kind=kind,
        population_municipale=authority.population_municipale,
        epci_type=authority.type if authority.kind is Kind.EPCI else None,  # type: ignore[arg-type]
        departement=authority.departement,
        region=authority.region,
        max_member_population=max((m.population_municipale for m in members), default=None),
        has_departement_powers=authority.type in DEPARTEMENT_POWERS,
        has_region_powers=authority.type in REGION_POWERS,
    )


def resolve_profile(code: str) -> AuthorityProfile:
    """The profile of the authority named by ``code``; raises NotFound for an unknown code."""
    frame = load_snapshot()
    return profile_of(frame.get(code), frame)
