# ruff: noqa: E501  (the lexicon is a data table: one concept per line reads best)
"""A small multilingual concept lexicon for health innovation (English, Norwegian Bokmål, Ukrainian).

Each concept has an id, an English label (used in reasons) and surface forms in the three
languages. Forms are matched on *stemmed* words (the first six characters of each word), which
absorbs most Ukrainian inflection ("клінічне"/"клінічного") and Norwegian plural/definite forms.
"""

from __future__ import annotations

from functools import lru_cache

STEM = 6

# id, English label, forms separated by "|" (en | nb | uk, any number of each)
# fmt: off
_RAW: tuple[tuple[str, str, str], ...] = (
    ("clinical_trial", "clinical trials", "clinical trial|clinical study|klinisk studie|klinisk utprøving|клінічне дослідження|клінічні випробування"),
    ("clinical_validation", "clinical validation", "clinical validation|klinisk validering|клінічна валідація"),
    ("biobank", "biobanking", "biobank|biobanking|biobankering|біобанк"),
    ("digital_pathology", "digital pathology", "digital pathology|pathology images|digital patologi|patologibilder|цифрова патологія|патологічні зображення"),
    ("pathology", "pathology", "pathology|patologi|патологія"),
    ("test_bed", "test beds", "test bed|testbed|testing facility|validation site|clinical validation site|test site|utprøvingssted|testarena|testsenter|випробувальний майданчик|тестовий майданчик"),
    ("investment", "investment", "investment|investor|venture capital|seed funding|investering|investor|kapital|інвестиції|інвестор|венчурний капітал"),
    ("funding", "funding", "funding|grant|grants|finansiering|tilskudd|фінансування|грант|гранти"),
    ("ai", "AI", "ai|artificial intelligence|machine learning|deep learning|kunstig intelligens|maskinlæring|штучний інтелект|ші|машинне навчання"),
    ("data_science", "data science", "data science|data analytics|data analysis|dataanalyse|datavitenskap|аналіз даних|наука про дані"),
    ("crisis_preparedness", "crisis preparedness", "crisis preparedness|emergency preparedness|preparedness|beredskap|krisehåndtering|готовність до криз|кризова готовність"),
    ("oncology", "oncology", "oncology|cancer|tumour|tumor|onkologi|kreft|kreftbehandling|онкологія|рак|пухлина"),
    ("immunotherapy", "immunotherapy", "immunotherapy|immunoterapi|імунотерапія"),
    ("precision_medicine", "precision medicine", "precision medicine|personalised medicine|personalized medicine|presisjonsmedisin|persontilpasset medisin|персоналізована медицина|прецизійна медицина"),
    ("genomics", "genomics", "genomics|genome sequencing|gene sequencing|genomikk|gensekvensering|геноміка|секвенування геному"),
    ("diagnostics", "diagnostics", "diagnostics|diagnostic|diagnostikk|діагностика"),
    ("medical_imaging", "medical imaging", "medical imaging|radiology|medisinsk bildediagnostikk|radiologi|медична візуалізація|радіологія"),
    ("medtech", "medical devices", "medical device|medical devices|medtech|medisinsk utstyr|медичні вироби|медичне обладнання"),
    ("digital_health", "digital health", "digital health|ehealth|e-health|digital helse|e-helse|цифрове здоров'я|цифрова медицина"),
    ("telemedicine", "telemedicine", "telemedicine|remote monitoring|telemedisin|fjernoppfølging|телемедицина|дистанційний моніторинг"),
    ("health_data", "health data", "health data|patient data|health registry|helsedata|pasientdata|helseregister|медичні дані|дані пацієнтів"),
    ("interoperability", "interoperability", "interoperability|fhir|samhandling|interoperabilitet|сумісність|інтероперабельність"),
    ("cybersecurity", "cybersecurity", "cybersecurity|cyber security|information security|cybersikkerhet|informasjonssikkerhet|кібербезпека"),
    ("regulatory", "regulatory affairs", "regulatory|regulatory affairs|ce marking|mdr|regulatorisk|regelverk|регуляторні питання|сертифікація"),
    ("market_access", "market access", "market access|go to market|markedstilgang|доступ до ринку|вихід на ринок"),
    ("procurement", "procurement", "procurement|public procurement|tender|innkjøp|offentlige anskaffelser|anskaffelse|закупівлі|тендер"),
    ("innovation_procurement", "innovation procurement", "innovation procurement|innovative procurement|innovasjonsanskaffelse|інноваційні закупівлі"),
    ("pilot", "pilot projects", "pilot|pilot project|piloting|pilotprosjekt|utprøving|пілотний проєкт|пілотний проект|пілотування"),
    ("startup", "start-ups", "startup|start-up|spin-off|oppstartsselskap|gründer|стартап"),
    ("incubator", "incubation and acceleration", "incubator|accelerator|inkubator|akselerator|інкубатор|акселератор"),
    ("cluster_management", "cluster management", "cluster management|cluster manager|klyngeledelse|klyngeleder|управління кластером|менеджер кластера"),
    ("cluster", "clusters", "cluster|clusters|klynge|klynger|кластер|кластери"),
    ("partnership", "partnerships", "partnership|partner|partners|partnerskap|samarbeidspartner|партнерство|партнер|партнери"),
    ("research", "research", "research|forskning|дослідження|наукові дослідження"),
    ("research_collaboration", "research collaboration", "research collaboration|joint research|forskningssamarbeid|наукова співпраця|спільні дослідження"),
    ("horizon_europe", "EU programmes", "horizon europe|eu4health|eu funding|eu programme|eu-midler|horisont europa|горизонт європа|програми єс"),
    ("consortium", "consortia", "consortium|joint proposal|konsortium|felles søknad|консорціум|спільна заявка"),
    ("education", "education", "education|school|schools|teaching|utdanning|skole|skoler|undervisning|освіта|школа|школи|навчання"),
    ("stem_education", "science education", "stem education|science education|realfag|naturfag|природничі науки|stem освіта"),
    ("training", "training", "training|mentoring|capacity building|opplæring|kurs|mentorordning|тренінги|менторство|підвищення кваліфікації"),
    ("recruiting", "recruiting and talent", "recruiting|recruitment|talent|hiring|rekruttering|talenter|рекрутинг|пошук талантів|найм"),
    ("hospital", "hospitals", "hospital|hospitals|university hospital|sykehus|universitetssykehus|лікарня|лікарні|госпіталь"),
    ("primary_care", "primary care", "primary care|general practice|primærhelsetjeneste|fastlege|первинна допомога|сімейна медицина"),
    ("elderly_care", "elderly care", "elderly care|ageing|aging|eldreomsorg|omsorg for eldre|догляд за літніми|старіння"),
    ("mental_health", "mental health", "mental health|psychiatry|psykisk helse|psykiatri|психічне здоров'я|психіатрія"),
    ("rehabilitation", "rehabilitation", "rehabilitation|rehabilitering|реабілітація"),
    ("trauma_care", "trauma care", "trauma care|war trauma|emergency medicine|traumebehandling|akuttmedisin|травматологія|бойова травма|екстрена медицина"),
    ("prosthetics", "prosthetics", "prosthetics|prosthesis|protese|proteser|протезування|протези"),
    ("pharma", "pharmaceuticals", "pharmaceutical|pharma|drug development|legemiddel|legemidler|legemiddelutvikling|фармацевтика|розробка ліків|ліки"),
    ("biotech", "biotechnology", "biotech|biotechnology|bioteknologi|біотехнології|біотехнологія"),
    ("vaccines", "vaccines", "vaccine|vaccines|vaksine|vaksiner|вакцини|вакцина"),
    ("infectious_disease", "infectious diseases", "infectious disease|infection|antimicrobial resistance|infeksjon|smittsomme sykdommer|antibiotikaresistens|інфекційні захворювання|антимікробна резистентність"),
    ("screening", "screening", "screening|early detection|tidlig oppdagelse|скринінг|раннє виявлення"),
    ("patient_engagement", "patient involvement", "patient involvement|patient engagement|patient organisation|brukermedvirkning|pasientorganisasjon|залучення пацієнтів|пацієнтська організація"),
    ("policy", "health policy", "policy|health policy|policy dialogue|helsepolitikk|politikk|політика охорони здоров'я|політичний діалог"),
    ("diplomacy", "science diplomacy", "diplomacy|embassy|science diplomacy|diplomati|ambassade|дипломатія|посольство"),
    ("reconstruction", "reconstruction of Ukraine", "reconstruction|rebuilding ukraine|gjenoppbygging|gjenoppbygging av ukraina|відбудова|відновлення україни"),
    ("tech_transfer", "technology transfer", "technology transfer|tech transfer|commercialisation|commercialization|teknologioverføring|kommersialisering|трансфер технологій|комерціалізація"),
    ("ip", "intellectual property", "intellectual property|patent|patents|immaterielle rettigheter|patenter|інтелектуальна власність|патент|патенти"),
    ("manufacturing", "manufacturing", "manufacturing|production|produksjon|tilvirkning|виробництво"),
    ("supply_chain", "supply chains", "supply chain|logistics|forsyningskjede|logistikk|ланцюг постачання|логістика"),
    ("real_world_evidence", "real-world evidence", "real world evidence|real world data|registry data|registerdata|реальні клінічні дані"),
    ("health_economics", "health economics", "health economics|health technology assessment|hta|helseøkonomi|metodevurdering|економіка охорони здоров'я|оцінка медичних технологій"),
    ("sensors", "sensors and wearables", "sensor|sensors|wearable|wearables|sensorer|bærbare|сенсори|датчики|носимі пристрої"),
    ("robotics", "robotics", "robotics|robot|robots|robotikk|роботи|робототехніка"),
    ("cloud", "cloud and computing", "cloud|cloud computing|high performance computing|skytjenester|databehandling|хмарні обчислення|хмара"),
    ("software", "software development", "software|software development|app development|programvare|programvareutvikling|програмне забезпечення|розробка програм"),
    ("nutrition", "nutrition", "nutrition|diet|ernæring|kosthold|харчування|дієта"),
    ("sustainability", "sustainability", "sustainability|green|bærekraft|grønn|сталий розвиток|зелений"),
    ("womens_health", "women's health", "women's health|womens health|kvinnehelse|жіноче здоров'я"),
    ("cardiology", "cardiology", "cardiology|heart disease|cardiovascular|kardiologi|hjertesykdom|кардіологія|серцеві захворювання"),
    ("diabetes", "diabetes", "diabetes|diabetic|діабет|цукровий діабет"),
    ("rare_diseases", "rare diseases", "rare disease|rare diseases|sjeldne sykdommer|рідкісні захворювання"),
    ("laboratory", "laboratory services", "laboratory|lab|lab services|laboratorium|laboratorietjenester|лабораторія|лабораторні послуги"),
    ("internationalisation", "internationalisation", "internationalisation|internationalization|export|international expansion|internasjonalisering|eksport|інтернаціоналізація|експорт|вихід на міжнародний ринок"),
)
# fmt: on


def stem_words(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w[:STEM] for w in words)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, ...], str], int]:
    index: dict[tuple[str, ...], str] = {}
    longest = 1
    for cid, _label, forms in _RAW:
        for form in forms.split("|"):
            key = stem_words(form.replace("'", " ").replace("-", " ").split())
            index.setdefault(key, cid)
            longest = max(longest, len(key))
    return index, longest


CONCEPT_IDS: tuple[str, ...] = tuple(c for c, _, _ in _RAW)
LABELS: dict[str, str] = {c: label for c, label, _ in _RAW}


def concept_forms(cid: str) -> tuple[str, ...]:
    """All surface forms of a concept (the benchmark uses them to write in other languages)."""
    return next(tuple(f.split("|")) for c, _, f in _RAW if c == cid)


def concepts_in(words: tuple[str, ...]) -> list[str]:
    """Concept ids whose forms occur in the (normalised) words, longest match first, in order."""
    index, longest = _index()
    stems = stem_words(words)
    found: list[str] = []
    i = 0
    while i < len(stems):
        for n in range(min(longest, len(stems) - i), 0, -1):
            cid = index.get(stems[i : i + n])
            if cid is not None:
                if cid not in found:
                    found.append(cid)
                i += n - 1
                break
        i += 1
    return found
