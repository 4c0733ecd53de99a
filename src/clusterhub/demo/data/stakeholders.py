"""Per stakeholder type: how common it is at a health-innovation event, how organisations of that
type are named, what their people are called and what they know about.

Templates take `{town}`, `{brand}`, `{adj}` (country adjective), `{legal}` and `{legal_large}`
from `countries.CountryWords`, `{sector}` from `SECTORS` and `{tail}` from `TAILS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from clusterhub.directory.models import OrganisationType as T


@dataclass(frozen=True)
class StakeholderWords:
    weight: float  # share of participants of this type
    new_org: float  # chance that a participant brings an organisation not seen yet (1/size)
    names: tuple[str, ...]  # organisation name templates
    titles: tuple[str, ...]  # job titles
    expertise: tuple[str, ...]  # tags people of this type usually have
    pitch: tuple[str, ...]  # second sentence of a bio; `{tag}` is one of the person's tags


# fmt: off
SECTORS = (
    "Biotech", "Diagnostics", "Therapeutics", "Medtech", "Health Analytics", "Imaging",
    "Digital Health", "Genomics", "Biologics", "Care Robotics", "Health Data", "Radiopharma",
    "Bioinformatics", "Cell Therapy", "Oncology", "Vaccines", "Biosensors", "Drug Delivery",
    "Medical Devices", "Precision Medicine",
)
# After a brand stem: "Tindra Med AS", "Lysbro Scan AS".
TAILS = ("Med", "Gen", "Cura", "Scan", "Sense", "Cell", "Path", "Logic", "Vita", "Bio")

# A realistic room at an Oslo cluster event: many companies and researchers, a good share of
# hospitals and universities, few diplomats. The weights add up to 100.
STAKEHOLDERS: dict[str, StakeholderWords] = {
    T.COMPANY: StakeholderWords(
        24, 0.40,
        ("{brand} {sector} {legal}", "{town} {sector} {legal}", "{brand} {tail} {legal}"),
        ("Chief Executive Officer", "Chief Technology Officer", "Co-founder",
         "Head of Business Development", "Regulatory Affairs Manager", "Data Scientist",
         "Product Manager", "Clinical Project Manager", "Medical Device Engineer"),
        ("AI diagnostics", "medtech regulation", "digital health", "health data",
         "clinical trials", "market access", "medical imaging", "cell therapy"),
        ("Looking for hospital partners to validate {tag} solutions.",
         "Building a product in {tag} and scouting for pilot sites.",
         "Keen to meet investors and clinicians working on {tag}."),
    ),
    T.INDUSTRY: StakeholderWords(
        9, 0.15,
        ("{brand} Pharma {legal_large}", "{brand} Biopharma {legal_large}",
         "{brand} Medical Systems {legal_large}", "{brand} Life Sciences {legal_large}"),
        ("Director of Medical Affairs", "Head of R&D Partnerships", "Market Access Manager",
         "Clinical Operations Lead", "Country Manager", "Head of External Innovation",
         "Regulatory Strategy Director"),
        ("oncology", "immunotherapy", "clinical trials", "market access", "radiopharmaceuticals",
         "precision medicine", "supply-chain resilience"),
        ("Scouts start-ups and academic groups for partnerships in {tag}.",
         "Responsible for collaborations with Nordic hospitals on {tag}."),
    ),
    T.RESEARCH: StakeholderWords(
        15, 0.25,
        ("{town} Institute for Cancer Research", "{town} Institute of Molecular Medicine",
         "{town} Centre for Health Data Science", "{brand} Research Institute"),
        ("Senior Researcher", "Principal Investigator", "Postdoctoral Fellow",
         "Research Director", "Data Scientist", "Biobank Manager", "Technology Transfer Officer"),
        ("oncology", "immunotherapy", "biobanking", "genomics", "bioinformatics", "health data",
         "tech transfer", "precision medicine"),
        ("Interested in {tag} collaborations with industry and hospitals.",
         "Leads a group whose work on {tag} is ready for partners."),
    ),
    T.UNIVERSITY: StakeholderWords(
        11, 0.20,
        ("University of {town}", "{town} University of Technology", "{town} Medical University"),
        ("Professor of Oncology", "Associate Professor", "PhD Candidate",
         "Head of Innovation Office", "Lecturer in Biomedical Engineering", "Dean of Medicine"),
        ("oncology", "bioinformatics", "tech transfer", "STEM education", "medical imaging",
         "health economics", "AI diagnostics"),
        ("Teaches and researches {tag}, and supervises industry PhDs.",
         "Looking for partners for a joint proposal in {tag}."),
    ),
    T.HOSPITAL: StakeholderWords(
        12, 0.20,
        ("{town} University Hospital", "{town} Regional Hospital", "{town} Cancer Centre",
         "{town} Children's Hospital"),
        ("Consultant Oncologist", "Head of Clinical Research", "Research Nurse",
         "Innovation Manager", "Head of Emergency Preparedness", "Chief Medical Officer",
         "Pathologist", "Radiologist"),
        ("oncology", "clinical trials", "crisis preparedness", "emergency medicine", "pathology",
         "telemedicine", "patient engagement"),
        ("Brings new {tag} solutions into daily care.",
         "Runs hospital projects on {tag} with companies and researchers."),
    ),
    T.CLUSTER: StakeholderWords(
        6, 0.30,
        ("{town} Health Cluster", "{town} Life Science Cluster", "{brand} Medtech Cluster",
         "{town} Medical Cluster"),
        ("Cluster Manager", "Head of International Projects", "Innovation Adviser",
         "Business Developer", "Communications Lead", "EU Project Manager"),
        ("cluster management", "internationalisation", "EU funding",
         "public-private partnership", "tech transfer"),
        ("Connects member companies with partners abroad, especially in {tag}.",
         "Runs the cluster's work on {tag}."),
    ),
    T.PUBLIC_AUTHORITY: StakeholderWords(
        6, 0.30,
        ("{town} Municipality Health Department", "{town} Regional Health Authority",
         "{town} Innovation Agency"),
        ("Senior Adviser", "Head of Health Innovation", "Policy Officer",
         "Procurement Specialist", "Programme Officer, EU funding",
         "Emergency Planning Coordinator"),
        ("public procurement", "crisis preparedness", "EU funding", "health data",
         "public-private partnership"),
        ("Works on {tag} for the region's health services.",
         "Funds and buys innovation; currently focused on {tag}."),
    ),
    T.INVESTOR: StakeholderWords(
        4, 0.40,
        ("{brand} Ventures", "{brand} Capital", "{town} Health Angels"),
        ("Partner", "Investment Manager", "Venture Analyst", "Principal", "Managing Director"),
        ("venture capital", "market access", "medtech regulation", "oncology"),
        ("Invests in early-stage companies in {tag}.",
         "Looking for seed and series A opportunities in {tag}."),
    ),
    T.SCHOOL: StakeholderWords(
        3, 0.50,
        ("{town} Upper Secondary School", "{town} Science Gymnasium", "{town} STEM Academy"),
        ("Science Teacher", "Head of STEM", "Biology Teacher", "Headteacher",
         "Career Counsellor"),
        ("STEM education", "science communication", "life-science careers"),
        ("Brings students into contact with the life-science ecosystem.",
         "Builds school projects with companies and researchers in {tag}."),
    ),
    T.PATIENT_ORG: StakeholderWords(
        3, 0.45,
        ("{town} Cancer Patients' Association", "{town} Rare Disease Network",
         "{town} Patient Voice"),
        ("Secretary General", "Patient Advocate", "Policy Adviser",
         "Head of Research Engagement"),
        ("patient engagement", "oncology", "clinical trials", "health data"),
        ("Makes sure patients have a say in {tag}.",),
    ),
    T.DIPLOMATIC: StakeholderWords(
        2.5, 0.30,
        ("{adj} Delegation for Health Cooperation", "{adj} Science and Health Attaché Office"),
        ("Counsellor for Science and Health", "Health Attaché", "Trade and Innovation Officer",
         "First Secretary"),
        ("science diplomacy", "crisis preparedness", "internationalisation"),
        ("Connects health innovators across borders, with a focus on {tag}.",),
    ),
    T.OTHER: StakeholderWords(
        4.5, 0.50,
        ("{brand} Health Consulting", "{brand} Media", "{town} Science Foundation"),
        ("Consultant", "Journalist", "Science Communicator", "Project Officer",
         "Foundation Director"),
        ("science communication", "EU funding", "health economics", "digital health"),
        ("Follows {tag} closely and writes about it.", "Advises clients on {tag}."),
    ),
}

# Everyone may also know something outside their type's usual tags.
EXPERTISE = (
    "oncology", "immunotherapy", "AI diagnostics", "medtech regulation", "clinical trials",
    "biobanking", "health data", "crisis preparedness", "EU funding", "tech transfer",
    "STEM education", "precision medicine", "digital health", "public procurement",
    "market access", "patient engagement", "cell therapy", "radiopharmaceuticals",
    "health economics", "cybersecurity in health", "telemedicine", "genomics", "bioinformatics",
    "medical imaging", "public-private partnership", "science diplomacy",
)

BIO_OPENINGS = (
    "{title} at {org}.",
    "{title} at {org}, working on {tag}.",
    "{title} at {org}, with a background in {tag}.",
)
# fmt: on
