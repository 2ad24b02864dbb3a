"""The demo company's vocabulary: industries, countries, roles, products, reasons, name parts.

The demo company is *Lumora*, a B2B SaaS vendor of revenue-planning software that sells to small
businesses, mid-market and enterprise accounts in four sales regions.
"""

from __future__ import annotations

from dataclasses import dataclass

INDUSTRIES: tuple[str, ...] = (
    "software",
    "financial services",
    "healthcare",
    "manufacturing",
    "retail",
    "education",
    "logistics",
    "professional services",
    "media",
    "energy",
    "real estate",
    "hospitality",
)
INDUSTRY_WEIGHTS: tuple[float, ...] = (22, 12, 9, 11, 9, 5, 7, 10, 5, 3, 4, 3)

#: What the contact does. "Student / job seeker" leads get rejected by sales when they qualify.
JOB_ROLES: tuple[str, ...] = (
    "Marketing Manager",
    "Head of Marketing",
    "VP Sales",
    "Sales Operations Manager",
    "RevOps Lead",
    "CFO",
    "Finance Manager",
    "CEO / Founder",
    "Head of Growth",
    "Business Analyst",
    "IT Manager",
    "Student / job seeker",
)
JOB_ROLE_WEIGHTS: tuple[float, ...] = (16, 9, 8, 10, 7, 4, 8, 9, 6, 11, 7, 5)
STUDENT_ROLE = JOB_ROLES.index("Student / job seeker")


@dataclass(frozen=True)
class Region:
    """A sales region: its countries (ISO codes, weighted) and the time zones its reps work in."""

    name: str
    share: float
    countries: tuple[str, ...]
    country_weights: tuple[float, ...]
    timezones: tuple[str, ...]
    #: Hours from UTC of the leads' working day (for when forms get filled in).
    lead_utc_offset: int
    #: How much slower than usual this region's reps answer (1 = usual).
    response_slowness: float


REGIONS: tuple[Region, ...] = (
    Region(
        "North America",
        0.42,
        ("US", "CA"),
        (86, 14),
        ("America/New_York", "America/Chicago", "America/Los_Angeles", "America/Toronto"),
        -6,
        1.0,
    ),
    Region(
        "EMEA",
        0.33,
        ("GB", "DE", "ES", "FR", "NL", "IT", "SE", "IE"),
        (24, 19, 17, 14, 8, 8, 5, 5),
        ("Europe/Madrid", "Europe/London", "Europe/Berlin", "Europe/Paris"),
        1,
        1.0,
    ),
    Region(
        "LATAM",
        0.12,
        ("MX", "BR", "AR", "CO", "CL"),
        (38, 26, 20, 10, 6),
        ("America/Mexico_City", "America/Sao_Paulo", "America/Argentina/Buenos_Aires"),
        -4,
        1.0,
    ),
    Region(
        "APAC",
        0.13,
        ("AU", "SG", "JP", "IN", "NZ"),
        (34, 20, 18, 22, 6),
        ("Asia/Singapore", "Australia/Sydney", "Asia/Tokyo", "Asia/Kolkata"),
        8,
        # a small team covering many time zones: the slow region of the demo
        3.0,
    ),
)
REGION_NAMES: tuple[str, ...] = tuple(r.name for r in REGIONS)

#: Legal-form suffix of company names by country.
LEGAL_FORMS: dict[str, str] = {
    "US": "Inc.",
    "CA": "Inc.",
    "GB": "Ltd",
    "IE": "Ltd",
    "DE": "GmbH",
    "ES": "S.L.",
    "FR": "SAS",
    "NL": "B.V.",
    "IT": "S.r.l.",
    "SE": "AB",
    "MX": "S.A. de C.V.",
    "BR": "Ltda.",
    "AR": "S.A.",
    "CO": "S.A.S.",
    "CL": "SpA",
    "AU": "Pty Ltd",
    "SG": "Pte. Ltd.",
    "JP": "K.K.",
    "IN": "Pvt. Ltd.",
    "NZ": "Ltd",
}

NAME_STARTS: tuple[str, ...] = (
    "Al",
    "Bel",
    "Cor",
    "Dun",
    "Ev",
    "Fal",
    "Gra",
    "Hal",
    "Is",
    "Jun",
    "Kel",
    "Lum",
    "Mar",
    "Nor",
    "Or",
    "Pal",
    "Quin",
    "Ros",
    "Sol",
    "Tal",
    "Ul",
    "Ver",
    "Wil",
    "Xan",
    "Yar",
    "Zen",
    "Ar",
    "Bri",
    "Cas",
    "Del",
)
NAME_MIDDLES: tuple[str, ...] = (
    "a",
    "e",
    "i",
    "o",
    "u",
    "ar",
    "en",
    "is",
    "on",
    "ur",
    "el",
    "an",
    "ov",
    "ex",
    "ik",
    "um",
    "ir",
    "ol",
    "ad",
    "et",
    "ay",
)
NAME_ENDS: tuple[str, ...] = (
    "ta",
    "nix",
    "va",
    "ron",
    "dia",
    "lis",
    "tor",
    "mo",
    "via",
    "sa",
    "ko",
    "ra",
    "dex",
    "ly",
    "ton",
    "ris",
    "gen",
    "zo",
    "pha",
    "lo",
    "rex",
    "na",
    "to",
    "mir",
)
NAME_KINDS: tuple[str, ...] = (
    "Analytics",
    "Logistics",
    "Labs",
    "Systems",
    "Health",
    "Foods",
    "Capital",
    "Retail",
    "Industries",
    "Consulting",
    "Media",
    "Energy",
    "Software",
    "Partners",
    "Group",
    "Solutions",
    "Robotics",
    "Studios",
    "Networks",
    "Supply",
    "Learning",
    "Homes",
    "Travel",
    "Digital",
)

PRODUCTS: tuple[str, ...] = (
    "Lumora Essentials",
    "Lumora Growth",
    "Lumora Enterprise",
    "Forecasting add-on",
)

REJECT_REASONS: tuple[str, ...] = (
    "not a fit: too small",
    "student or job seeker",
    "competitor",
    "duplicate",
    "bad contact data",
)
REJECT_WEIGHTS: tuple[float, ...] = (38, 14, 8, 20, 20)
STUDENT_REASON = REJECT_REASONS.index("student or job seeker")

RECYCLE_REASONS: tuple[str, ...] = (
    "no budget this quarter",
    "not ready — nurture",
    "no response after attempts",
)
RECYCLE_WEIGHTS: tuple[float, ...] = (30, 35, 35)
NO_RESPONSE_REASON = RECYCLE_REASONS.index("no response after attempts")

LOST_REASONS: tuple[str, ...] = (
    "price",
    "chose competitor",
    "no decision",
    "timing",
    "missing feature",
)
LOST_WEIGHTS: tuple[float, ...] = (22, 27, 26, 13, 12)

#: Pipeline stages of an open deal, in order; closed deals are "closed won" or "closed lost".
OPEN_DEAL_STAGES: tuple[str, ...] = ("discovery", "demo", "proposal", "negotiation")

FIRST_NAMES: tuple[str, ...] = (
    "Ana",
    "Ben",
    "Carla",
    "Diego",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Irene",
    "Jonas",
    "Kenji",
    "Laura",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomás",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Lucía",
    "Pablo",
    "Aiko",
    "Liam",
    "Chloe",
    "Rafael",
    "Ingrid",
    "Kofi",
    "Marta",
    "Noah",
    "Sofía",
    "Arjun",
    "Emma",
    "Luca",
)
LAST_NAMES: tuple[str, ...] = (
    "García",
    "Smith",
    "Müller",
    "Rossi",
    "Dubois",
    "Tanaka",
    "Kowalski",
    "Silva",
    "Jensen",
    "Okafor",
    "Martín",
    "Brown",
    "Fernández",
    "Nguyen",
    "Schmidt",
    "López",
    "Walker",
    "Costa",
    "Haddad",
    "Moreau",
    "Sato",
    "Pérez",
    "Clarke",
    "Novak",
    "Romero",
    "Ivanova",
    "Santos",
    "Becker",
    "Rahman",
    "Gómez",
)
