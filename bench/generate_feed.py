"""Write a synthetic national Open Referral UK (HSDS 3.0) feed: N services over every GB postcode district.

    python bench/generate_feed.py --services 100000 -o bench/out/feed.json

Realistic shape: organisations with one to three places and one to six services, names and descriptions
built from local-authority names and real service kinds, weekly schedules and the odd closure, public
phones, Open Eligibility terms and our own needs and fields as attributes. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GEOGRAPHY = ROOT / "seeds" / "geography"
NAMESPACE = uuid.UUID("0c7a6f9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f")

KINDS = [  # name pattern, needs, Open Eligibility term, description
    (
        "{area} Food Bank",
        ["FOOD_ESSENTIALS"],
        ("1120", "Emergency Food"),
        "Emergency food parcels for people in crisis, with a referral voucher.",
    ),
    (
        "{area} Housing Options",
        ["HOUSING_RISK", "NO_BED_TONIGHT"],
        ("1136", "Help Find Housing"),
        "Advice and assessment for anyone homeless or at risk of losing their home.",
    ),
    (
        "{area} Night Shelter",
        ["NO_BED_TONIGHT"],
        ("1121", "Emergency Shelter"),
        "Beds for the night, a hot meal and a shower for people sleeping rough.",
    ),
    (
        "{area} Talking Therapies",
        ["MH_COMMON"],
        ("1220", "Counseling"),
        "Free NHS talking therapies for anxiety and depression; refer yourself online.",
    ),
    (
        "{area} Drug and Alcohol Service",
        ["SUBST_DRUGS", "SUBST_ALCOHOL"],
        ("1178", "Addiction & Recovery"),
        "Treatment, prescribing and recovery support for adults.",
    ),
    (
        "{area} Citizens Advice",
        ["DEBT", "INCOME_BENEFITS"],
        ("1262", "Financial Education"),
        "Free, confidential advice on benefits, debt, housing and work.",
    ),
    (
        "{area} Domestic Abuse Service",
        ["DA_HIGH", "DA_STANDARD"],
        ("1124", "Help Escape Violence"),
        "Independent domestic violence advisers and safety planning.",
    ),
    (
        "{area} Employment Support",
        ["ETE"],
        ("1357", "Help Find Work"),
        "One-to-one help into work, training and volunteering.",
    ),
    (
        "{area} Veterans' Hub",
        ["VETERAN"],
        ("20010", "Veterans"),
        "Support for people who have served in the armed forces and their families.",
    ),
    (
        "{area} Crisis Café",
        ["MH_CRISIS", "RISK_SELFHARM"],
        ("1126", "Psychiatric Emergency Services"),
        "An evening safe space for people in emotional crisis.",
    ),
    (
        "{area} Community Health Team",
        ["PHYS_HEALTH", "GP_UNREGISTERED"],
        ("1206", "Medical Care"),
        "Nurses and GPs for people who find it hard to use a surgery.",
    ),
    (
        "{area} Family Support",
        ["FAMILY_RELATIONSHIPS"],
        ("1312", "Support Groups"),
        "Parenting support, peer groups and help with family breakdown.",
    ),
]
ORG_WORDS = [
    "Trust",
    "Partnership",
    "Council",
    "Community Interest Company",
    "Charity",
    "Foundation",
    "NHS Trust",
    "Network",
]
ROUTES = ["self", "professional", "probation", "gp", "drop_in"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def stable(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(map(str, parts))))


def districts() -> list[dict[str, str]]:
    with (GEOGRAPHY / "postcode_districts.csv").open(newline="") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["local_authority"][:1] in ("E", "W", "S")
            and re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?", r["district"])
        ]
    with (GEOGRAPHY / "local_authorities.csv").open(newline="") as handle:
        names = {r["code"]: r["name"] for r in csv.DictReader(handle)}
    for row in rows:
        row["authority_name"] = names.get(row["local_authority"], row["district"])
    return rows


def attribute(
    service_id: str, taxonomy: str, code: str, name: str, value: str | None = None
) -> dict[str, Any]:
    term_id = stable("term", taxonomy, code) if taxonomy != "diversion-directory-needs" else None
    term: dict[str, Any] = {
        "id": term_id or stable("need", code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": taxonomy,
    }
    found: dict[str, Any] = {
        "id": stable(service_id, taxonomy, code, value),
        "link_id": service_id,
        "link_type": code,
        "link_entity": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value is not None:
        found["value"] = value
    return found


def services(count: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    places = districts()
    made = 0
    org_number = 0
    while made < count:
        org_number += 1
        home = rng.choice(places)
        area = home["authority_name"]
        org_id = stable("org", org_number)
        organization = {
            "id": org_id,
            "name": f"{area} {rng.choice(ORG_WORDS)} {org_number}",
            "description": f"A local organisation serving {area}.",
            "website": f"https://www.example-{org_number}.org.uk",
        }
        locations = []
        for n in range(rng.randint(1, 3)):
            place = rng.choice([home, *rng.sample(places, 1)]) if n else home
            inward = (
                f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            )
            locations.append(
                {
                    "id": stable("location", org_number, n),
                    "location_type": "physical",
                    "name": f"{area} {rng.choice(['Centre', 'Hub', 'House', 'Office', 'Clinic'])}",
                    "addresses": [
                        {
                            "id": stable("address", org_number, n),
                            "address_1": f"{rng.randint(1, 300)} {rng.choice(['High Street', 'Church Road', 'Station Road', 'Victoria Road', 'Mill Lane'])}",
                            "city": place["authority_name"],
                            "state_province": place["authority_name"],
                            "postal_code": f"{place['district']} {inward}",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                }
            )
        for _ in range(rng.randint(1, 6)):
            if made >= count:
                break
            made += 1
            pattern, needs, (oe_code, oe_name), description = rng.choice(KINDS)
            service_id = stable("service", made)
            open_at = rng.choice([8, 9, 10])
            weekly = [
                {
                    "id": stable(service_id, "weekly"),
                    "freq": "WEEKLY",
                    "byday": ",".join(DAYS[: rng.choice([5, 5, 5, 6, 7])]),
                    "opens_at": f"{open_at:02d}:00",
                    "closes_at": f"{open_at + rng.choice([4, 8, 9]):02d}:00",
                }
            ]
            if rng.random() < 0.3:
                weekly.append(
                    {
                        "id": stable(service_id, "evening"),
                        "freq": "WEEKLY",
                        "byday": rng.choice(DAYS[:5]),
                        "opens_at": "17:00",
                        "closes_at": "20:00",
                        "attending_type": "drop-in",
                    }
                )
            if rng.random() < 0.2:
                weekly.append(
                    {
                        "id": stable(service_id, "xmas"),
                        "valid_from": "2026-12-24",
                        "valid_to": "2026-12-24",
                        "notes": "Christmas Eve",
                    }
                )
            attributes = [attribute(service_id, "diversion-directory-needs", code, code) for code in needs]
            attributes.append(attribute(service_id, "openeligibility", oe_code, oe_name))
            attributes += [
                attribute(service_id, "diversion-directory-fields", "referral_route", "Referral route", route)
                for route in rng.sample(ROUTES, rng.randint(1, 3))
            ]
            attributes.append(
                attribute(
                    service_id, "diversion-directory-fields", "delivery_mode", "Delivery mode", "in_person"
                )
            )
            attributes.append(
                attribute(
                    service_id, "diversion-directory-fields", "catchment_type", "Catchment type", "residence"
                )
            )
            attributes.append(
                attribute(
                    service_id,
                    "diversion-directory-fields",
                    "catchment_area",
                    "Catchment area",
                    home["local_authority"],
                )
            )
            attributes.append(
                attribute(
                    service_id,
                    "diversion-directory-fields",
                    "capacity_status",
                    "Capacity",
                    rng.choice(["accepting", "accepting", "waiting_list"]),
                )
            )
            yield {
                "id": service_id,
                "name": pattern.format(area=area)
                + (
                    ""
                    if rng.random() < 0.7
                    else f" ({rng.choice(['North', 'South', 'East', 'West', 'Central'])})"
                ),
                "description": description,
                "status": "active" if rng.random() < 0.95 else "temporarily closed",
                "url": f"https://www.example-{org_number}.org.uk/service-{made}",
                "application_process": rng.choice(
                    [
                        "Walk in.",
                        "Phone to book.",
                        "Ask your L&D worker to refer you.",
                        "Refer yourself online.",
                    ]
                ),
                "eligibility_description": f"Adults living in {area}.",
                "minimum_age": rng.choice([None, 16, 18, 18, 18]),
                "assured_date": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
                "fees_description": "Free",
                "organization": organization,
                "phones": [
                    {
                        "id": stable(service_id, "phone", n),
                        "number": f"0{rng.randint(1000, 9999)} {rng.randint(100000, 999999)}",
                        "description": label,
                    }
                    for n, label in enumerate(
                        rng.sample(["Main line", "Helpline", "Bookings"], rng.randint(1, 2))
                    )
                ],
                "schedules": [s for s in weekly if s],
                "service_at_locations": [
                    {"id": stable(service_id, "at", loc["id"]), "location": loc}
                    for loc in rng.sample(locations, rng.randint(1, len(locations)))
                ],
                "languages": [{"id": stable(service_id, "en"), "code": "en", "name": "English"}],
                "attributes": attributes,
            }


def write(path: Path, count: int, seed: int = 1) -> None:
    """The feed as a JSON list, written as a stream."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for n, item in enumerate(services(count, seed)):
            handle.write(",\n" if n else "\n")
            handle.write(json.dumps({k: v for k, v in item.items() if v is not None}, ensure_ascii=False))
        handle.write("\n]\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "bench" / "out" / "feed.json")
    args = parser.parse_args()
    write(args.output, args.services, args.seed)
    print(f"Wrote {args.services} services to {args.output} ({args.output.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
