"""What the demo's participants offer and look for, by organisation type, in the three languages
of the event (most in English, some in Norwegian and Ukrainian, as people really write), so the
matcher has complementary needs and offers to find across sectors and borders."""

from __future__ import annotations

from clusterhub.directory.models import OrganisationType as T

# The event's interest taxonomy (the organiser edits it in the back office).
# fmt: off
TAGS = (
    "AI diagnostics", "oncology", "immunotherapy", "clinical trials", "health data",
    "digital pathology", "medical imaging", "medtech regulation", "biobanking", "genomics",
    "precision medicine", "market access", "tech transfer", "STEM education", "EU funding",
    "cluster management", "procurement", "patient involvement", "Ukraine cooperation",
    "investment",
)
# fmt: on

# Per type: (offers, needs, objectives, preferred types). Phrases are short, as on a profile.
# fmt: off
PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    T.COMPANY: (
        ("AI software for digital pathology", "CE-marked decision support for radiology",
         "pilot-ready remote monitoring platform", "KI-basert bildeanalyse for kreftdiagnostikk",
         "data science team for clinical data"),
        ("clinical validation site", "hospital partner for a pilot study", "seed investment",
         "regulatory advice on the MDR", "partnere for klinisk utprøving",
         "доступ до клінічних даних для валідації"),
        ("partnering", "investment", "procurement"), (T.HOSPITAL, T.INVESTOR),
    ),
    T.INDUSTRY: (
        ("funding for investigator-initiated trials", "global market access expertise",
         "manufacturing and supply capacity", "partnering programme for start-ups"),
        ("early-stage assets in immunotherapy", "academic partners for translational research",
         "real-world evidence from Nordic registries",
         "oppstartsbedrifter innen presisjonsmedisin"),
        ("partnering", "research_collaboration", "investment"), (T.COMPANY, T.RESEARCH),
    ),
    T.RESEARCH: (
        ("biobank with annotated tumour samples", "genomics and sequencing platform",
         "expertise in bioinformatics pipelines", "forskningsgruppe innen immunterapi",
         "доступ до біобанку та генетичних даних"),
        ("industry partner to license a technology", "funding for translational research",
         "hospital data for validation", "partners for a Horizon Europe proposal"),
        ("research_collaboration", "partnering"), (T.INDUSTRY, T.COMPANY, T.HOSPITAL),
    ),
    T.UNIVERSITY: (
        ("student projects and industry PhDs", "teaching in health innovation",
         "medical imaging research lab", "veiledning av masterstudenter i helseteknologi"),
        ("industry cases for students", "internships in biotech companies",
         "partners for an EU training network", "співпраця з університетами Норвегії"),
        ("research_collaboration", "training_mentoring", "recruiting"), (T.COMPANY, T.INDUSTRY),
    ),
    T.HOSPITAL: (
        ("hospital test bed for digital pathology", "clinical validation of AI tools",
         "access to clinical trial units", "testarena for ny medisinsk teknologi på sykehus",
         "experienced clinical investigators"),
        ("AI tools that shorten diagnosis time", "remote patient monitoring solutions",
         "partners for innovation procurement", "цифрові рішення для лікарень"),
        ("procurement", "research_collaboration", "partnering"), (T.COMPANY, T.RESEARCH),
    ),
    T.CLUSTER: (
        ("access to a network of 250 health companies", "cluster management know-how",
         "matchmaking and partnering events", "досвід управління кластером в Україні"),
        ("partner clusters in other countries", "EU funding for cluster cooperation",
         "samarbeid med ukrainske klynger", "mentoring for cluster managers"),
        ("partnering", "policy_dialogue", "training_mentoring"), (T.CLUSTER, T.PUBLIC_AUTHORITY),
    ),
    T.PUBLIC_AUTHORITY: (
        ("innovation procurement programmes", "public funding for health innovation",
         "policy dialogue on health data", "offentlige innkjøp av innovative løsninger"),
        ("evidence on the impact of digital health", "industry input on regulation",
         "partners for cross-border pilots"),
        ("policy_dialogue", "procurement"), (T.CLUSTER, T.COMPANY),
    ),
    T.INVESTOR: (
        ("seed and series A investment in medtech", "venture capital for biotech start-ups",
         "board experience and scale-up coaching", "інвестиції в стартапи охорони здоров'я"),
        ("start-ups raising a seed round", "deal flow in diagnostics and AI",
         "co-investors in the Nordics"),
        ("investment", "training_mentoring"), (T.COMPANY,),
    ),
    T.SCHOOL: (
        ("motivated pupils for school projects", "teachers who bring science to the classroom",
         "elever som vil lære om helseteknologi"),
        ("industry visits for pupils", "scientists as role models in schools",
         "real cases from biotech companies for teaching"),
        ("training_mentoring", "recruiting"), (T.INDUSTRY, T.COMPANY, T.RESEARCH),
    ),
    T.PATIENT_ORG: (
        ("patient perspective in trial design", "patient panels for user testing",
         "brukermedvirkning i forskning"),
        ("researchers who involve patients early", "information about ongoing clinical trials"),
        ("research_collaboration", "policy_dialogue"), (T.HOSPITAL, T.RESEARCH),
    ),
    T.DIPLOMATIC: (
        ("contacts with ministries and agencies", "support for bilateral cooperation",
         "сприяння співпраці між Україною та Норвегією"),
        ("companies ready for Ukrainian partnerships", "clusters open to international projects"),
        ("policy_dialogue", "partnering"), (T.CLUSTER, T.COMPANY),
    ),
    T.OTHER: (
        ("consulting on medtech regulation", "communication for health start-ups"),
        ("clients among health start-ups", "partners for EU proposals"),
        ("partnering",), (T.COMPANY,),
    ),
}
# fmt: on
