"""Possible duplicate listings, scored with rapidfuzz on name, organisation, postcode, phone, website.

Names are compared first (rapidfuzz's ``process.extract`` in C, each name against the rest); only
pairs with similar names, or a shared phone number and fairly similar names, are scored on the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from directory import audit
from directory.listings.updates import save
from directory.models import (
    DuplicateDecision,
    ProblemReport,
    ProposedChange,
    Service,
    ServiceAtLocation,
    User,
)
from directory.models.base import utcnow
from matcher.vocabulary import ServiceStatus

WEIGHTS = {"name": 0.5, "organisation": 0.15, "postcode": 0.15, "phone": 0.1, "website": 0.1}
NAME_CUTOFF = 80  # rapidfuzz score (0-100) for names alone to make a pair worth scoring
NAME_CUTOFF_WITH_PHONE = 60
THRESHOLD = 0.72
_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Candidate:
    """One pair of live listings that may be the same service, with the evidence."""

    first: Service
    second: Service
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Features:
    name: str
    raw_name: str
    organisation_id: str | None
    organisation: str
    postcodes: frozenset[str]
    districts: frozenset[str]
    phones: frozenset[str]
    site: str
    host: str


def _normal(text: str) -> str:
    return " ".join(_WORD.sub(" ", text.lower()).split())


def _site(url: str | None) -> tuple[str, str]:
    if not url:
        return "", ""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}", host


def _features(service: Service) -> _Features:
    postcodes = {loc.postcode for loc in service.locations if loc.postcode and " " in loc.postcode}
    districts = {loc.postcode_district for loc in service.locations if loc.postcode_district}
    phones = {"".join(ch for ch in p.number if ch.isdigit())[-10:] for p in service.phones}
    site, host = _site(service.website)
    return _Features(
        name=_normal(service.name),
        raw_name=" ".join(service.name.split()),
        organisation_id=service.organization_id,
        organisation=_normal(service.organization.name),
        postcodes=frozenset(postcodes),
        districts=frozenset(districts),
        phones=frozenset(p for p in phones if len(p) >= 6),
        site=site,
        host=host,
    )


def pair_key(a: str, b: str) -> tuple[str, str]:
    """A pair of service ids in a stable order."""
    return (a, b) if a < b else (b, a)


def name_similarity(a: str, b: str) -> float:
    """0-100: how alike two normalised names are, judged on the words they do not share.

    "Lewisham Foodbank" and "Lewisham Food Bank" are alike; "CRS (London) accommodation" and "CRS
    (Devon) accommodation" are not, however many words they share.
    """
    words_a, words_b = a.split(), b.split()
    only_a = [w for w in words_a if w not in words_b]
    only_b = [w for w in words_b if w not in words_a]
    if not only_a and not only_b:
        return 100.0
    if only_a and only_b:
        # Spaces dropped, so "foodbank" matches "food bank"; either word order.
        rest = max(
            fuzz.ratio("".join(only_a), "".join(only_b)),
            fuzz.ratio("".join(sorted(only_a)), "".join(sorted(only_b))),
        )
        return float(min(fuzz.token_set_ratio(a, b), rest))
    return float(fuzz.token_sort_ratio(a, b))


def _name_reason(a: _Features, b: _Features) -> str:
    """What is true of the two names, never more."""
    if a.raw_name == b.raw_name:
        return "same name"
    if a.name == b.name:
        return "same name apart from capitals and punctuation"
    if sorted(a.name.split()) == sorted(b.name.split()):
        return "same words in the name, in another order"
    return "similar names"


def _organisation_reason(a: _Features, b: _Features, similarity: float) -> str | None:
    if a.organisation_id is not None and a.organisation_id == b.organisation_id:
        return "same organisation"
    if a.organisation == b.organisation:
        return "organisations with the same name"
    if similarity >= 0.9:
        return "similar organisation names"
    return None


def _score(a: _Features, b: _Features, name_score: float) -> tuple[float, tuple[str, ...]]:
    """The weighted score and the evidence, each reason naming exactly what matched."""
    parts = {"name": name_score / 100}
    reasons = [_name_reason(a, b)]
    organisation = fuzz.token_set_ratio(a.organisation, b.organisation) / 100
    parts["organisation"] = organisation
    organisation_reason = _organisation_reason(a, b, organisation)
    if organisation_reason:
        reasons.append(organisation_reason)
    if a.postcodes & b.postcodes:
        parts["postcode"] = 1.0
        reasons.append(f"same postcode ({', '.join(sorted(a.postcodes & b.postcodes))})")
    elif a.districts & b.districts:
        parts["postcode"] = 0.5
        reasons.append(f"same postcode district ({', '.join(sorted(a.districts & b.districts))})")
    if a.phones & b.phones:
        parts["phone"] = 1.0
        reasons.append("same phone number")
    if a.site and a.site == b.site:
        parts["website"] = 1.0
        reasons.append(f"same web page ({a.site})")
    elif a.host and a.host == b.host:
        parts["website"] = 0.5
        reasons.append(f"same website ({a.host})")
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    return score, tuple(reasons)


def decided_pairs(session: Session) -> set[tuple[str, str]]:
    """Pairs a curator has already dismissed or merged."""
    rows = session.execute(select(DuplicateDecision.first_service_id, DuplicateDecision.second_service_id))
    return {pair_key(a, b) for a, b in rows}


def possible_duplicates(session: Session, threshold: float = THRESHOLD, limit: int = 100) -> list[Candidate]:
    """Live listing pairs scoring at least ``threshold``, most alike first, without decided pairs."""
    services = list(
        session.scalars(
            select(Service)
            .where(Service.status != "defunct")
            .options(
                selectinload(Service.organization),
                selectinload(Service.phones),
                selectinload(Service.location_links).selectinload(ServiceAtLocation.location),
            )
            .order_by(Service.id)
        )
    )
    if len(services) < 2:
        return []
    features = [_features(s) for s in services]
    names = [f.name for f in features]
    decided = decided_pairs(session)
    found: list[Candidate] = []
    for i in range(len(services) - 1):
        similar = process.extract(
            names[i],
            names[i + 1 :],
            scorer=fuzz.token_set_ratio,
            score_cutoff=NAME_CUTOFF_WITH_PHONE,
            limit=None,
        )
        for _name, _rough, offset in similar:
            j = i + 1 + offset
            name_score = name_similarity(names[i], names[j])
            if name_score < NAME_CUTOFF_WITH_PHONE:
                continue
            if name_score < NAME_CUTOFF and not (features[i].phones & features[j].phones):
                continue
            if pair_key(services[i].id, services[j].id) in decided:
                continue
            score, reasons = _score(features[i], features[j], name_score)
            if score >= threshold:
                found.append(Candidate(services[i], services[j], round(score, 3), reasons))
    found.sort(key=lambda c: (-c.score, c.first.name))
    return found[:limit]


def dismiss(session: Session, actor: User, first: Service, second: Service) -> None:
    """Not duplicates: stop suggesting this pair."""
    a, b = pair_key(first.id, second.id)
    session.add(
        DuplicateDecision(
            first_service_id=a, second_service_id=b, decision="dismissed", decided_by_id=actor.id
        )
    )
    for service, other in ((first, second), (second, first)):
        audit.record(
            session,
            actor,
            "service.duplicate_dismissed",
            "service",
            service.id,
            service.name,
            reason=f"not a duplicate of {other.name}",
            related_id=other.id,
        )


@dataclass(frozen=True)
class MergePlan:
    """What merging ``retire`` into ``keep`` will do, for the curator to confirm first."""

    keep: Service
    retire: Service
    needs_gained: tuple[str, ...]
    problems_moved: int
    proposals_withdrawn: int


def plan_merge(session: Session, keep: Service, retire: Service) -> MergePlan:
    """What ``merge`` would change, without changing anything."""
    have = {n.code for n in keep.needs}
    problems = session.scalar(
        select(func.count())
        .select_from(ProblemReport)
        .where(ProblemReport.service_id == retire.id, ProblemReport.status == "open")
    )
    proposals = session.scalar(
        select(func.count())
        .select_from(ProposedChange)
        .where(ProposedChange.service_id == retire.id, ProposedChange.status == "pending")
    )
    return MergePlan(
        keep=keep,
        retire=retire,
        needs_gained=tuple(n.label for n in retire.needs if n.code not in have),
        problems_moved=int(problems or 0),
        proposals_withdrawn=int(proposals or 0),
    )


def merge(session: Session, actor: User, keep: Service, retire: Service) -> None:
    """Keep one listing; the other is retired (defunct, never deleted) and points at it.

    The kept listing gains the needs only the retired one covered; open problem reports move
    across; proposals pending on the retired listing are withdrawn.
    """
    if keep.id == retire.id:
        raise ValueError("a listing cannot be merged into itself")
    a, b = pair_key(keep.id, retire.id)
    needs_before = [n.code for n in keep.needs]
    for need in retire.needs:
        if need.code not in needs_before:
            keep.needs.append(need)
    needs_after = [n.code for n in keep.needs]
    for report in session.scalars(
        select(ProblemReport).where(ProblemReport.service_id == retire.id, ProblemReport.status == "open")
    ):
        report.service_id = keep.id
    for change in session.scalars(
        select(ProposedChange).where(
            ProposedChange.service_id == retire.id, ProposedChange.status == "pending"
        )
    ):
        change.status = "withdrawn"
        change.decided_by_id = actor.id
        change.decided_at = utcnow()
        change.decision_reason = f"The listing was merged into {keep.name}."
    status_before = retire.status
    retire.status = ServiceStatus.DEFUNCT
    save(session, retire)
    if needs_after != needs_before:
        save(session, keep)
    session.add(
        DuplicateDecision(
            first_service_id=a,
            second_service_id=b,
            decision="merged",
            kept_service_id=keep.id,
            decided_by_id=actor.id,
        )
    )
    audit.record(
        session,
        actor,
        "service.merged_away",
        "service",
        retire.id,
        retire.name,
        changes={"status": {"before": status_before, "after": "defunct"}},
        reason=f"duplicate of {keep.name}",
        related_id=keep.id,
    )
    audit.record(
        session,
        actor,
        "service.merged_into",
        "service",
        keep.id,
        keep.name,
        changes=audit.diff({"needs": needs_before}, {"needs": needs_after}),
        reason=f"absorbed the duplicate {retire.name}",
        related_id=retire.id,
    )
