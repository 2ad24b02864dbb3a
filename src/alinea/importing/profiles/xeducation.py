"""``x-education``: the X Education lead-scoring export (one row per lead, ``leads.csv``).

Each lead yields a lead (source = ``Lead Source`` as written, channel from it), the stage change
``lead`` at its creation, ``customer`` 14 days later when ``Converted`` is 1, a first touchpoint
(type from ``Lead Origin``, channel from ``Lead Source``) and, when its ``Last Activity`` is a
marketing one, a touchpoint for it one day after creation. ``Select`` means "not answered".

The file has no timestamps. Creation times are synthetic but deterministic, so re-importing
changes nothing: ``2018-01-01T00:00Z`` plus ``Lead Number`` minutes (the leads keep their
numbering order and fall between February and April 2019).
"""

from __future__ import annotations

from alinea.importing.mapping import (
    FileMapping,
    Mapping,
    column,
    constant,
    one_of,
    output,
    present,
    template,
)

_CREATED = {"function": "sequence_time", "args": {"origin": "2018-01-01T00:00:00Z", "step": "PT1M"}}
_ID = column("Prospect ID")

CHANNELS = {
    "Google": "paid_search",
    "google": "paid_search",
    "bing": "paid_search",
    "Pay per Click Ads": "paid_search",
    "Organic Search": "organic_search",
    "Direct Traffic": "direct",
    "Olark Chat": "direct",
    "Live Chat": "direct",
    "Click2call": "direct",
    "Reference": "referral",
    "Referral Sites": "referral",
    "Welingak Website": "partners",
    "WeLearn": "partners",
    "welearnblog_Home": "partners",
    "Facebook": "paid_social",
    "Social Media": "paid_social",
    "youtubechannel": "paid_social",
    "blog": "organic_search",
    "Press_Release": "referral",
    "NC_EDM": "email",
    "testone": "",
}

ORIGIN_TYPES = {
    "Landing Page Submission": "form",
    "Lead Add Form": "form",
    "Quick Add Form": "form",
    "API": "visit",
    "Lead Import": "event",
}

EMAIL_ACTIVITIES = {
    "Email Opened": "email_open",
    "Email Link Clicked": "email_click",
    "View in browser link Clicked": "email_open",
}
WEB_ACTIVITIES = {"Page Visited on Website": "visit", "Form Submitted on Website": "form"}

COUNTRIES = {
    "India": "IN", "United States": "US", "United Arab Emirates": "AE", "Singapore": "SG",
    "Saudi Arabia": "SA", "United Kingdom": "GB", "Australia": "AU", "Qatar": "QA",
    "Hong Kong": "HK", "Bahrain": "BH", "Oman": "OM", "France": "FR", "Kuwait": "KW",
    "South Africa": "ZA", "Nigeria": "NG", "Germany": "DE", "Canada": "CA", "Sweden": "SE",
    "Italy": "IT", "Belgium": "BE", "Ghana": "GH", "Philippines": "PH", "Netherlands": "NL",
    "China": "CN", "Bangladesh": "BD", "Uganda": "UG", "Russia": "RU", "Sri Lanka": "LK",
    "Tanzania": "TZ", "Kenya": "KE", "Malaysia": "MY", "Liberia": "LR", "Denmark": "DK",
    "Switzerland": "CH", "Vietnam": "VN", "Indonesia": "ID",
}  # fmt: skip

LEADS = FileMapping(
    match="*.csv",
    outputs=(
        output(
            "leads",
            "one per lead",
            lead_id=_ID,
            created_at=column("Lead Number", **_CREATED),
            source=column("Lead Source"),
            channel=column("Lead Source", values=CHANNELS),
            country=column("Country", values=COUNTRIES, default=""),
            industry=column("Specialization"),
            region=column("City"),
            job_role=column("What is your current occupation"),
        ),
        output(
            "stage_changes",
            "lead when created",
            lead_id=_ID,
            stage=constant("lead"),
            changed_at=column("Lead Number", **_CREATED),
            changed_by=constant("x-education"),
        ),
        output(
            "stage_changes",
            "customer when converted",
            when=(one_of("Converted", "1"),),
            lead_id=_ID,
            stage=constant("customer"),
            changed_at=column("Lead Number", **_CREATED, shift="P14D"),
            changed_by=constant("x-education"),
        ),
        output(
            "touchpoints",
            "first touch",
            when=(present("Lead Source"),),
            touchpoint_id=template("{Prospect ID}:origin"),
            lead_id=_ID,
            occurred_at=column("Lead Number", **_CREATED),
            type=column("Lead Origin", values=ORIGIN_TYPES),
            channel=column("Lead Source", values=CHANNELS, default="direct"),
            source=column("Lead Source"),
        ),
        output(
            "touchpoints",
            "last activity by email",
            when=(one_of("Last Activity", *EMAIL_ACTIVITIES),),
            touchpoint_id=template("{Prospect ID}:last-activity"),
            lead_id=_ID,
            occurred_at=column("Lead Number", **_CREATED, shift="P1D"),
            type=column("Last Activity", values=EMAIL_ACTIVITIES),
            channel=constant("email"),
        ),
        output(
            "touchpoints",
            "last activity on the website",
            when=(one_of("Last Activity", *WEB_ACTIVITIES), present("Lead Source")),
            touchpoint_id=template("{Prospect ID}:last-activity"),
            lead_id=_ID,
            occurred_at=column("Lead Number", **_CREATED, shift="P1D"),
            type=column("Last Activity", values=WEB_ACTIVITIES),
            channel=column("Lead Source", values=CHANNELS, default="direct"),
            source=column("Lead Source"),
        ),
    ),
)

X_EDUCATION = Mapping(
    name="x-education",
    description="X Education leads: leads, touchpoints and conversions (synthetic times).",
    null_values=("", "Select"),
    files=(LEADS,),
)
