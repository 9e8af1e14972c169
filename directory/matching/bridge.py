"""From database rows to the matcher's dataclasses, and back to a package.

Candidates are narrowed before the matcher sees them, in the search index (``candidates.py``): per
need, services naming the person's area in their catchment, the nearest near their home or where they
are now (and, for urgent needs, the nearest open now), and phone and online services.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import geography
from directory.hours import bank_holidays
from directory.labels import LANGUAGE_NAMES
from directory.matching.candidates import Seeker, candidate_ids
from directory.matching.loading import load_options
from directory.matching.options_cache import OPTIONS
from directory.matching.request import MatchInput
from directory.models import Need
from directory.search.index import current_index
from matcher import model as m
from matcher.engine import build_package
from matcher.geo import default_radius_km, is_rural_authority
from matcher.vocabulary import NeedRole, Probation, Setting

LIVE_STATUSES = (
    "active",
    "temporarily_closed",
    "inactive",
)  # the matcher explains why the last two are not offered
SEARCH_MARGIN = 2.0  # look further than the radius so the matcher can say "out of area" with an alternative


def _place(postcode: str | None) -> geography.Place | None:
    return geography.try_resolve(postcode)


def candidate_options(
    session: Session,
    needs: Sequence[tuple[str, bool]],
    seeker: Seeker,
    points: Iterable[tuple[float, float]],
    km: float,
    areas: Iterable[str],
    at: datetime,
    here: geography.Place | None = None,
) -> list[m.ServiceOption]:
    """Services that could meet any of ``needs`` (code, urgent) for ``seeker`` at ``points`` (within
    ``km``) or living in ``areas`` (local authority codes or postcode districts): a short list per need
    from the search index (:mod:`directory.matching.candidates`), as the matcher's dataclasses (kept
    between requests until the directory changes)."""
    index = current_index(session)
    here_point = (here.latitude, here.longitude) if here else None
    here_areas = (here.local_authority, here.postcode.district) if here else ()
    ids = candidate_ids(index, LIVE_STATUSES, needs, seeker, points, km, areas, at, here_point, here_areas)
    if not ids:
        return []
    return OPTIONS.get(index, list(ids), lambda missing: load_options(session, missing, index.need_codes))


def need_taxonomy(session: Session) -> dict[str, m.Need]:
    """Every need in the taxonomy by code, read once per session (one request)."""
    found: dict[str, m.Need] | None = session.info.get("need_taxonomy")
    if found is None:
        rows = session.execute(select(Need.code, Need.label, Need.group, Need.urgent, Need.basic, Need.roles))
        found = session.info["need_taxonomy"] = {
            code: m.Need(code, label, group, urgent, basic, frozenset(NeedRole(r) for r in roles))
            for code, label, group, urgent, basic, roles in rows
        }
    return found


def _point(place: geography.Place | None) -> m.GeoPoint | None:
    return m.GeoPoint(place.latitude, place.longitude) if place else None


def build_request(session: Session, data: MatchInput) -> m.MatchRequest:
    """Resolve places, load the needs and the candidate services, and assemble a MatchRequest."""
    home = _place(data.home_postcode)
    here = _place(data.where_postcode)
    gp = _place(data.gp_postcode)
    taxonomy = need_taxonomy(session)
    needs = tuple(taxonomy[c] for c in data.needs if c in taxonomy)
    origin = home or here
    origin_authority = origin.local_authority if origin else None
    rural = is_rural_authority(origin_authority)
    radius = default_radius_km(rural)
    points = [(p.latitude, p.longitude) for p in (home, here) if p]
    areas = [
        a
        for a in (
            home.local_authority if home else None,
            home.postcode.district if home else None,
            data.housing_authority,
            gp.local_authority if gp else None,
            gp.postcode.district if gp else None,
        )
        if a
    ]
    wanted = [(n.code, n.urgent) for n in needs]
    seeker = Seeker(age=data.age, gender=data.gender)
    options = candidate_options(session, wanted, seeker, points, radius * SEARCH_MARGIN, areas, data.at, here)
    person = m.Person(
        age=data.age,
        gender=data.gender,
        home_district=home.postcode.district if home else None,
        home_authority=home.local_authority if home else None,
        home_location=_point(home),
        housing_authority=data.housing_authority,
        gp_registered=data.gp_registered,
        gp_authority=gp.local_authority
        if gp
        else (home.local_authority if home and data.gp_registered else None),
        gp_district=gp.postcode.district if gp else None,
        probation=Probation(data.probation),  # checked by the form or the API's parser
        veteran=data.veteran,
        language=data.language,
        language_name=LANGUAGE_NAMES.get(data.language, ""),
        safe_contact_notes=data.safe_contact_notes,
    )
    where = m.Where(
        setting=Setting(data.setting),
        district=here.postcode.district if here else None,
        authority=here.local_authority if here else None,
        location=_point(here),
    )
    return m.MatchRequest(
        needs=needs,
        person=person,
        where=where,
        at=data.at,
        services=tuple(options),
        bank_holidays=bank_holidays(),
        rural=rural,
        taxonomy=tuple(taxonomy.values()),
    )


def match(session: Session, data: MatchInput) -> m.Package:
    """Build the package of support for ``data``."""
    return build_package(build_request(session, data))
