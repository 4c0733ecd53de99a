"""What the Oslo Deep Dive Days 2025 demo contains, as plain data (oslo.py builds it).

Source: Oslo Cancer Cluster's article on the event (10 December 2025, the project's seed
text). It names two speakers, Ketil Widerberg and Marine Jeanmougin of Oslo Cancer Cluster, who
opened Day 1; they appear here with that role only, no invented titles or contact details.
Every other person, and every organisation other than Oslo Cancer Cluster, Clusters4Health and
SINTEF, is fictitious. The times, rooms and seat numbers are plausible, not from the article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from clusterhub.directory.models import OrganisationType as O
from clusterhub.events.models import SessionRoleType as R
from clusterhub.events.models import SessionType as S

EVENT = {
    "name": "Oslo Deep Dive Days 2025",
    "slug": "oslo-deep-dive-days-2025",
    "tagline": "International cooperation and public-private partnerships for health innovation",
    "description": (
        "Two days at the Oslo Cancer Cluster Innovation Park, hosted by Oslo Cancer Cluster in "
        "partnership with the Clusters4Health project, for stakeholders from across the "
        "Norwegian and European health-innovation ecosystem: school teachers, biotech "
        "executives, diplomats, data scientists and hospital researchers from Norway, the EU "
        "and Ukraine. On the programme: voices from the Innovation Park, a two-part session on "
        "health innovation in times of crisis, three training modules for cluster leaders and a "
        "site visit to SINTEF.\n\n"
        "This is the clusterhub demo event. Apart from the two welcome speakers named in Oslo "
        "Cancer Cluster's article about the event, every person and most organisations here are "
        "fictitious."
    ),
    "start_date": date(2025, 12, 3),
    "end_date": date(2025, 12, 4),
    "timezone": "Europe/Oslo",
    "venue_name": "Oslo Cancer Cluster Innovation Park",
    "venue_address": "Ullernchausseen 64, 0379 Oslo",
    "city": "Oslo",
}

CLUSTER_SLUG = "oslo-cancer-cluster"
ORGANISER_EMAIL = "organiser@oslocancercluster.demo"
CHECKIN_EMAIL = "checkin@oslocancercluster.demo"


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    type: str
    country: str = ""
    website: str = ""
    description: str = ""


@dataclass(frozen=True)
class SpeakerSpec:
    first_name: str
    last_name: str
    org: str  # OrgSpec slug
    email: str = ""  # blank for the real people: we do not make up their addresses
    job_title: str = ""
    country: str = "NO"
    bio: str = ""
    expertise: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoomSpec:
    name: str
    capacity: int
    is_offsite: bool = False
    address: str = ""


@dataclass(frozen=True)
class SessionSpec:
    title: str
    type: str
    day: int  # 0 = Wednesday 3 December, 1 = Thursday 4 December
    start: str  # "HH:MM", Europe/Oslo
    end: str
    room: str
    description: str = ""
    themes: tuple[str, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()  # (speaker key, role)
    capacity: int | None = None
    signup_required: bool = False
    parts: tuple[SessionSpec, ...] = field(default=())


# fmt: off
HOST = OrgSpec(
    "oslo-cancer-cluster", "Oslo Cancer Cluster", O.CLUSTER, "NO",
    "https://oslocancercluster.no/",
    "Oncology research and industry cluster in Oslo, host of Oslo Deep Dive Days 2025.",
)
# Clusters4Health is an EU-funded project run by a consortium, not a legal body or a host
# cluster with a team of its own, so it is "other"; it spans several countries, so no country.
PARTNER = OrgSpec(
    "clusters4health", "Clusters4Health", O.OTHER, "",
    description="EU project on health clusters; partner of Oslo Deep Dive Days 2025.",
)

ORGANISATIONS = [
    HOST,
    PARTNER,
    OrgSpec("lindvika-upper-secondary-school", "Lindvika Upper Secondary School", O.SCHOOL, "NO"),
    OrgSpec("tindefjell-therapeutics-as", "Tindefjell Therapeutics AS", O.COMPANY, "NO"),
    OrgSpec("skogli-institute-for-translational-oncology",
            "Skogli Institute for Translational Oncology", O.RESEARCH, "NO"),
    OrgSpec("danish-delegation-for-health-cooperation",
            "Danish Delegation for Health Cooperation", O.DIPLOMATIC, "DK"),
    OrgSpec("fjordvang-university-hospital", "Fjordvang University Hospital", O.HOSPITAL, "NO"),
    OrgSpec("kuulas-resilience-analytics-oy", "Kuulas Resilience Analytics Oy", O.COMPANY, "FI"),
    OrgSpec("fjellstad-health-media-as", "Fjellstad Health Media AS", O.OTHER, "NO"),
    OrgSpec("zoriansk-medical-cluster", "Zoriansk Medical Cluster", O.CLUSTER, "UA"),
    OrgSpec("svitlohirsk-regional-cancer-centre", "Svitlohirsk Regional Cancer Centre",
            O.HOSPITAL, "UA"),
    OrgSpec("calanque-biopharma-sa", "Calanque Biopharma SA", O.INDUSTRY, "FR"),
    OrgSpec("granvik-innovation-consulting-as", "Granvik Innovation Consulting AS", O.OTHER, "NO"),
    OrgSpec("malarvik-life-science-cluster", "Mälarvik Life Science Cluster", O.CLUSTER, "SE"),
    OrgSpec("aurelia-eu-projects-srl", "Aurelia EU Projects S.r.l.", O.OTHER, "IT"),
]

_WELCOME_BIO = "Opened Oslo Deep Dive Days 2025 with a welcome on behalf of Oslo Cancer Cluster."
SPEAKERS: dict[str, SpeakerSpec] = {
    # The two real people, as the article names them.
    "widerberg": SpeakerSpec("Ketil", "Widerberg", HOST.slug, bio=_WELCOME_BIO),
    "jeanmougin": SpeakerSpec("Marine", "Jeanmougin", HOST.slug, bio=_WELCOME_BIO),
    # Everyone below is fictitious.
    "teacher": SpeakerSpec(
        "Silje", "Haugland", "lindvika-upper-secondary-school", "silje.haugland@example.net",
        "Science Teacher", bio="Teaches biology and runs a school partnership with "
        "life-science companies.", expertise=("STEM education",), languages=("nb", "en"),
    ),
    "biotech": SpeakerSpec(
        "Henrik", "Aasen", "tindefjell-therapeutics-as", "henrik.aasen@example.net",
        "Chief Executive Officer", bio="Leads a cancer immunotherapy start-up.",
        expertise=("immunotherapy", "oncology"), languages=("nb", "en"),
    ),
    "researcher": SpeakerSpec(
        "Maren", "Eide", "skogli-institute-for-translational-oncology", "maren.eide@example.net",
        "Senior Researcher", bio="Works on biomarkers for early cancer detection.",
        expertise=("oncology", "biobanking"), languages=("nb", "en"),
    ),
    "diplomat": SpeakerSpec(
        "Katrine", "Holmgaard", "danish-delegation-for-health-cooperation",
        "katrine.holmgaard@example.net", "Counsellor for Health Security", "DK",
        "Works on health security cooperation between the Nordic countries and Ukraine.",
        ("science diplomacy", "crisis preparedness"), ("da", "en"),
    ),
    "planner": SpeakerSpec(
        "Eirik", "Brenna", "fjordvang-university-hospital", "eirik.brenna@example.net",
        "Head of Emergency Preparedness", bio="Plans how the hospital keeps treating patients "
        "through mass-casualty events and supply shortages.",
        expertise=("crisis preparedness", "emergency medicine"), languages=("nb", "en"),
    ),
    "innovator": SpeakerSpec(
        "Tuuli", "Rautio", "kuulas-resilience-analytics-oy", "tuuli.rautio@example.net",
        "Founder and CEO", "FI", "Builds software that forecasts hospital capacity in a crisis.",
        ("health data", "crisis preparedness"), ("fi", "en"),
    ),
    "moderator": SpeakerSpec(
        "Ragnhild", "Tveit", "fjellstad-health-media-as", "ragnhild.tveit@example.net",
        "Health Innovation Editor", bio="Writes about the Nordic life-science industry.",
        expertise=("science communication",), languages=("nb", "en"),
    ),
    "ua_cluster": SpeakerSpec(
        "Olena", "Hnatiuk", "zoriansk-medical-cluster", "olena.hnatiuk@example.net",
        "Head of International Cooperation", "UA", "Connects Ukrainian medical companies and "
        "hospitals with European partners.", ("internationalisation", "oncology"), ("uk", "en"),
    ),
    "ua_oncologist": SpeakerSpec(
        "Andrii", "Savchenko", "svitlohirsk-regional-cancer-centre",
        "andrii.savchenko@example.net", "Oncologist and Clinical Researcher", "UA",
        "Treats cancer patients and runs clinical studies under wartime conditions.",
        ("oncology", "clinical trials"), ("uk", "en", "pl"),
    ),
    "oncologist": SpeakerSpec(
        "Magnus", "Rønning", "fjordvang-university-hospital", "magnus.ronning@example.net",
        "Consultant Oncologist", bio="Leads the hospital's early-phase cancer trials unit.",
        expertise=("oncology", "clinical trials"), languages=("nb", "en"),
    ),
    "industry": SpeakerSpec(
        "Camille", "Fontaine", "calanque-biopharma-sa", "camille.fontaine@example.net",
        "Head of Medical Affairs, Nordics", "FR", "Responsible for oncology partnerships with "
        "Nordic hospitals.", ("oncology", "market access"), ("fr", "en"),
    ),
    "trainer_grants": SpeakerSpec(
        "Kristian", "Vold", "granvik-innovation-consulting-as", "kristian.vold@example.net",
        "Senior Adviser, Innovation Funding", bio="Helps clusters and companies apply for "
        "national innovation grants.", expertise=("innovation grants", "dissemination"),
        languages=("nb", "en"),
    ),
    "trainer_cluster": SpeakerSpec(
        "Hanna", "Berglund", "malarvik-life-science-cluster", "hanna.berglund@example.net",
        "Cluster Manager", "SE", "Has grown a regional life-science cluster and its "
        "international projects.", ("cluster management", "internationalisation"), ("sv", "en"),
    ),
    "trainer_eu": SpeakerSpec(
        "Chiara", "Ferrante", "aurelia-eu-projects-srl", "chiara.ferrante@example.net",
        "EU Funding Adviser", "IT", "Writes and coaches Horizon Europe health proposals.",
        ("EU funding",), ("it", "en"),
    ),
}

AUDITORIUM, ATRIUM, LOUNGE, SEMINAR, SINTEF = (
    "Auditorium", "Atrium", "Partnering lounge", "Seminar room", "SINTEF, Forskningsveien",
)
ROOMS = [
    RoomSpec(AUDITORIUM, 220),
    RoomSpec(ATRIUM, 300),
    RoomSpec(LOUNGE, 80),
    RoomSpec(SEMINAR, 30),
    # SINTEF's Oslo site; the article names SINTEF as the site visit.
    RoomSpec(SINTEF, 40, is_offsite=True, address="Forskningsveien 1, 0373 Oslo"),
]

_TRAINING = "A training module for cluster leaders. Sign-up required; seats are limited."
PROGRAMME = [
    # --- Day 1, Wednesday 3 December ----------------------------------------------------------
    SessionSpec(
        "Registration and coffee", S.BREAK, 0, "08:30", "09:00", ATRIUM,
        "Pick up your badge and meet the other participants over coffee.",
    ),
    SessionSpec(
        "Welcome to Oslo Deep Dive Days", S.PLENARY, 0, "09:00", "09:30", AUDITORIUM,
        "Oslo Cancer Cluster opens the two days and sets their course: international "
        "cooperation and public-private partnerships as the way to build health innovation.",
        ("International cooperation", "Public-private partnership"),
        (("widerberg", R.SPEAKER), ("jeanmougin", R.SPEAKER)),
    ),
    SessionSpec(
        "Voices of the Innovation Park", S.SESSION, 0, "09:30", "10:45", AUDITORIUM,
        "A cross-section of the Oslo Cancer Cluster ecosystem: voices from education, industry "
        "and research on what the Innovation Park means to them, and why long-term "
        "partnerships are what builds innovation capacity.",
        ("Education", "Public-private partnership", "Oncology"),
        (("teacher", R.SPEAKER), ("biotech", R.SPEAKER), ("researcher", R.SPEAKER)),
    ),
    SessionSpec("Coffee break", S.BREAK, 0, "10:45", "11:15", ATRIUM),
    SessionSpec(
        "Networking: meet the ecosystem", S.NETWORKING, 0, "11:15", "12:15", LOUNGE,
        "Short one-to-one meetings with people you would not otherwise meet: book them in "
        "advance or find each other here.",
    ),
    SessionSpec("Lunch", S.BREAK, 0, "12:15", "13:15", ATRIUM),
    SessionSpec(
        "Joint Health Initiatives", S.SESSION, 0, "13:15", "16:15", AUDITORIUM,
        "A two-part session on health innovation in times of crisis: first preparedness, then "
        "cancer research and care when the context is unstable.",
        ("Crisis preparedness", "International cooperation"),
        parts=(
            SessionSpec(
                "Innovating for Crisis Preparedness", S.SESSION, 0, "13:15", "14:30", AUDITORIUM,
                "Where diplomacy, healthcare and innovation meet. Speakers from a diplomatic "
                "mission, a hospital's emergency planning and a health-data company on one "
                "message: collaborative health systems are more resilient in a crisis.",
                ("Crisis preparedness", "Digital health"),
                (("diplomat", R.SPEAKER), ("planner", R.SPEAKER), ("innovator", R.SPEAKER)),
            ),
            SessionSpec(
                "Cancer Research and Care in Times of Crisis", S.PANEL, 0, "14:45", "16:15",
                AUDITORIUM,
                "The lens turns to oncology. A panel of researchers, hospitals and companies, "
                "including a Ukrainian medical cluster, on how they can unite to meet the "
                "challenges cancer care faces in unstable contexts. Partnerships are not "
                "optional; they are essential.",
                ("Oncology", "Crisis preparedness", "Public-private partnership"),
                (("moderator", R.MODERATOR), ("ua_cluster", R.PANELIST),
                 ("ua_oncologist", R.PANELIST), ("oncologist", R.PANELIST),
                 ("industry", R.PANELIST)),
            ),
        ),
    ),
    SessionSpec("Afternoon coffee", S.BREAK, 0, "14:30", "14:45", ATRIUM),
    SessionSpec(
        "Networking reception", S.NETWORKING, 0, "16:15", "18:00", ATRIUM,
        "Drinks and conversation to close the first day.",
    ),
    # --- Day 2, Thursday 4 December -----------------------------------------------------------
    SessionSpec("Morning coffee", S.BREAK, 1, "08:30", "09:00", ATRIUM),
    SessionSpec(
        "Innovation Norway: grants and dissemination", S.TRAINING, 1, "09:00", "10:15", SEMINAR,
        f"{_TRAINING} How national innovation grants work, how to prepare a strong application "
        "and how to disseminate results.",
        ("Cluster development", "Public funding"),
        (("trainer_grants", R.SPEAKER),),
        capacity=25, signup_required=True,
    ),
    SessionSpec(
        "Partnering meetings", S.NETWORKING, 1, "09:00", "11:45", LOUNGE,
        "Pre-booked one-to-one meetings between participants.",
    ),
    SessionSpec("Mid-morning coffee", S.BREAK, 1, "10:15", "10:30", ATRIUM),
    SessionSpec(
        "Cluster development and internationalisation", S.TRAINING, 1, "10:30", "11:45",
        SEMINAR,
        f"{_TRAINING} Strategy for stronger, more adaptive clusters: serving members at "
        "home while building partnerships abroad.",
        ("Cluster development", "International cooperation"), (("trainer_cluster", R.SPEAKER),),
        capacity=25, signup_required=True,
    ),
    SessionSpec("Lunch and networking", S.BREAK, 1, "11:45", "12:45", ATRIUM),
    SessionSpec(
        "EU funding and Horizon Europe", S.TRAINING, 1, "12:45", "14:00", SEMINAR,
        f"{_TRAINING} Finding the right Horizon Europe and EU4Health calls, building a "
        "consortium and writing a proposal that gets funded.",
        ("EU funding", "Cluster development"), (("trainer_eu", R.SPEAKER),),
        capacity=25, signup_required=True,
    ),
    SessionSpec(
        "Site visit to SINTEF", S.SITE_VISIT, 1, "14:30", "16:30", SINTEF,
        "The programme ends at SINTEF, one of Europe's largest independent research "
        "organisations, to see how applied research and cross-institutional collaboration "
        "drive health outcomes. Transport leaves the Innovation Park at 14:15. Sign-up "
        "required; seats are limited.",
        ("Research and innovation",), capacity=30, signup_required=True,
    ),
]
# fmt: on
