"""The demo's highlights report: the words of Oslo Cancer Cluster's highlights article on the
Oslo Deep Dive Days 2025 (the project's seed text, paraphrased) as the report's introduction,
closing and key messages per session, published.

`load_demo` calls `report_demo_load` after the follow-up demo. Idempotent: an event that has a
report keeps it as it is (an organiser may have edited it); sessions are found by title, and
one that is missing is left out. Through the services, with their log lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from clusterhub.directory.models import User
from clusterhub.events.models import Event, Session
from clusterhub.reports import services
from clusterhub.reports.models import Report

INTRODUCTION = (
    "Stakeholders from across the Norwegian and European health innovation ecosystem gathered "
    "at the Oslo Cancer Cluster Innovation Park for two days on international cooperation and "
    "public-private partnerships.\n\n"
    "Talks, a two-part session on health innovation in times of crisis, training for cluster "
    "leaders, a site visit and one-to-one meetings brought together people who rarely share a "
    "room: school teachers and biotech executives, diplomats and data scientists, hospital "
    "researchers from Norway, the EU and Ukraine."
)
CLOSING = (
    "What made the Oslo Deep Dive Days stand out was the mix of contributors, from high school "
    "educators to biotech executives, from diplomats to data scientists. The future of health "
    "innovation relies not on silos, but on synergy.\n\n"
    "Whether it is building capacity in Ukrainian medical clusters or strengthening Europe's "
    "response to cancer, Oslo Cancer Cluster and its partners show what is possible when "
    "collaboration is made a priority."
)
KEY_MESSAGES = {
    "Welcome to Oslo Deep Dive Days": (
        "International cooperation and public-private partnerships set the course for the two days."
    ),
    "Voices of the Innovation Park": (
        "Education, industry and research each showed what the Innovation Park means to them.\n"
        "Long-term partnerships are what builds innovation capacity."
    ),
    "Joint Health Initiatives": "Health innovation in times of crisis, in two parts.",
    "Innovating for Crisis Preparedness": (
        "Diplomacy, healthcare and innovation meet in crisis preparedness.\n"
        "Collaborative health systems are more resilient in times of crisis."
    ),
    "Cancer Research and Care in Times of Crisis": (
        "Researchers, hospitals and companies can unite to meet the challenges cancer care "
        "faces in unstable contexts.\n"
        "Partnerships are not optional; they are essential."
    ),
    "Innovation Norway: grants and dissemination": (
        "How national innovation grants work, and how to turn results into impact through "
        "dissemination."
    ),
    "Cluster development and internationalisation": (
        "Stronger, more adaptive clusters serve local needs and global challenges at once."
    ),
    "EU funding and Horizon Europe": (
        "The right call, the right consortium: how clusters get EU health proposals funded."
    ),
    "Site visit to SINTEF": (
        "Applied research and cross-institutional collaboration drive meaningful health outcomes."
    ),
}


@dataclass
class ReportLoaded:
    created: Counter[str] = field(default_factory=Counter)


def report_demo_load(*, event: Event, organiser: User | None) -> ReportLoaded:
    """Write and publish the demo event's report when it has none (see the module docstring).
    Call it inside a transaction, after the demo's follow-up."""
    result = ReportLoaded()
    if Report.objects.filter(event=event).exists():
        return result
    services.report_update(
        event=event, actor=organiser, title="Highlights from Oslo Deep Dive Days",
        introduction=INTRODUCTION, closing=CLOSING,
    )  # fmt: skip
    result.created["reports"] += 1
    sessions = Session.objects.filter(event=event, title__in=KEY_MESSAGES).order_by("start", "pk")
    for session in sessions:
        services.session_highlight_set(
            event=event, session=session, key_messages=KEY_MESSAGES[session.title], actor=organiser
        )
        result.created["key messages"] += 1
    if event.is_published:
        services.report_publish(event=event, publish=True, actor=organiser)
        result.created["published"] += 1
    return result
