"""What changed between two frames (an update of the snapshot)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from barometre.core.registry.model import Authority, Frame


@dataclass(frozen=True)
class Change:
    old: Authority
    new: Authority

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.new.code,
            "old_code": self.old.code,
            "kind": self.new.kind.value,
            "old_name": self.old.name,
            "new_name": self.new.name,
            "old_type": self.old.type,
            "new_type": self.new.type,
            "old_population_municipale": self.old.population_municipale,
            "new_population_municipale": self.new.population_municipale,
            "old_epci": self.old.epci,
            "new_epci": self.new.epci,
        }


@dataclass(frozen=True)
class FrameDiff:
    added: list[Authority] = field(default_factory=list)
    removed: list[Authority] = field(default_factory=list)
    #: Old commune → the current commune that lists its code among its former codes.
    merged: list[Change] = field(default_factory=list)
    renamed: list[Change] = field(default_factory=list)
    type_changed: list[Change] = field(default_factory=list)
    epci_changed: list[Change] = field(default_factory=list)
    population_changed: list[Change] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.merged,
                self.renamed,
                self.type_changed,
                self.epci_changed,
                self.population_changed,
            )
        )

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "merged": len(self.merged),
            "renamed": len(self.renamed),
            "type_changed": len(self.type_changed),
            "epci_changed": len(self.epci_changed),
            "population_changed": len(self.population_changed),
        }

    def to_dict(self) -> dict[str, Any]:
        def brief(a: Authority) -> dict[str, Any]:
            return {"code": a.code, "name": a.name, "kind": a.kind.value, "type": a.type}

        return {
            "counts": self.counts(),
            "added": [brief(a) for a in self.added],
            "removed": [brief(a) for a in self.removed],
            "merged": [c.to_dict() for c in self.merged],
            "renamed": [c.to_dict() for c in self.renamed],
            "type_changed": [c.to_dict() for c in self.type_changed],
            "epci_changed": [c.to_dict() for c in self.epci_changed],
            "population_changed": [c.to_dict() for c in self.population_changed],
        }


def diff_frames(old: Frame, new: Frame) -> FrameDiff:
    """Compare two frames by canonical code; detect merges through the new frame's former codes."""
    old_by = {a.code: a for a in old}
    new_by = {a.code: a for a in new}
    diff = FrameDiff()
    for code, a in sorted(old_by.items()):
        if code in new_by:
            b = new_by[code]
            change = Change(a, b)
            if a.name != b.name:
                diff.renamed.append(change)
            if a.type != b.type or a.kind is not b.kind:
                diff.type_changed.append(change)
            if a.epci != b.epci:
                diff.epci_changed.append(change)
            if a.population_municipale != b.population_municipale:
                diff.population_changed.append(change)
            continue
        absorbing = new.former(code)
        if absorbing is not None:
            diff.merged.append(Change(a, absorbing))
        else:
            diff.removed.append(a)
    diff.added.extend(b for code, b in sorted(new_by.items()) if code not in old_by)
    diff.population_changed.sort(key=lambda c: -abs(c.new.population_municipale - c.old.population_municipale))
    return diff
