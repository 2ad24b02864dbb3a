"""The built-in profiles (named mappings), by name, and how a mapping is named on the CLI/API.

``resolve_mapping`` accepts a ``Mapping``, the name of a built-in profile, or the path of a JSON
file holding a mapping (as written by ``Mapping.to_json``), e.g. an edited copy of a profile.
"""

from __future__ import annotations

from pathlib import Path

from alinea.importing.mapping import Mapping, MappingError
from alinea.importing.profiles import hubspot, maven, salesforce, xeducation

PROFILES: dict[str, Mapping] = {
    m.name: m
    for m in (
        hubspot.CONTACTS,
        hubspot.DEALS,
        salesforce.LEADS,
        salesforce.OPPORTUNITIES,
        maven.MAVEN_CRM,
        xeducation.X_EDUCATION,
    )
}


def resolve_mapping(spec: Mapping | str | Path) -> Mapping:
    """The mapping ``spec`` names: itself, a built-in profile, or a mapping JSON file."""
    if isinstance(spec, Mapping):
        return spec
    if str(spec) in PROFILES:
        return PROFILES[str(spec)]
    path = Path(spec)
    if path.suffix.lower() == ".json" and path.is_file():
        return Mapping.from_json(path.read_text(encoding="utf-8"))
    raise MappingError(
        f"no profile called {str(spec)!r}; the built-in profiles are: {', '.join(PROFILES)} "
        "(or give the path of a mapping .json file)"
    )


__all__ = ["PROFILES", "resolve_mapping"]
