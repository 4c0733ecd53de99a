"""Per-country word lists for synthetic people and organisations.

Every combination is fictional: first and last names are drawn independently, and the town and
brand stems are invented place-like words, so an organisation such as "Brekkevik University
Hospital" or "Tindra Genomics AS" does not name a real institution. Surnames and first names that
would pair into famous people (heads of government, athletes, the people the Oslo article names)
are left out on purpose, and so are brand stems that are known company names (Norrsken, Virta,
Solaria, Jutrzenka...): add to these lists with the same care.

Last names written "Kowalski/Kowalska" have a masculine and a feminine form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryWords:
    code: str  # ISO 3166 alpha-2
    adjective: str  # "Norwegian", used in diplomatic mission names
    languages: tuple[str, ...]  # native languages (ISO 639-1); one is picked per person
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    towns: tuple[str, ...]  # fictional towns: hospitals, universities, schools, authorities
    brands: tuple[str, ...]  # fictional brand stems: companies and industry
    legal: str  # legal form of a small company
    legal_large: str  # legal form of a listed or large company


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _c(text: str) -> tuple[str, ...]:
    """Comma-separated, for entries with spaces ("de Vries", "Val-Clair")."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


# fmt: off
COUNTRIES: dict[str, CountryWords] = {
    c.code: c
    for c in [
        CountryWords(
            "NO", "Norwegian", ("nb",),
            _w("Ingrid Kari Sigrid Ingeborg Marte Silje Hanne Ragnhild Tone Live Maren Eline "
               "Nora Amina Linh Guro Solveig Tuva"),
            _w("Ola Lars Magnus Eirik Sindre Håkon Kristian Vegard Torbjørn Anders Jørgen "
               "Even Omar Trygve Sverre Audun Øystein Knut"),
            _w("Hansen Johansen Olsen Andersen Berg Haugen Hagen Bakke Moe Lie Dahl Lund "
               "Strand Eide Nygaard Aasen Brekke Vik Rønning Tveit Sæther Haugland Myhre "
               "Ødegård Fossum Nguyen Hussain Lindahl Grønli Aune"),
            _w("Brekkevik Lysvik Fjellstad Granvik Tindvik Nordvoll Havbakken Solbrekke "
               "Elvheim Kvitnes Storlia Bjørkvang Skarvik Lyngmo"),
            _w("Tindra Havgløtt Nordlyng Brisvang Fjellmo Lysbro Skarvhavn Isbreen Myrull "
               "Furulys Vindra Kystlys"),
            "AS", "ASA",
        ),
        CountryWords(
            "SE", "Swedish", ("sv",),
            _w("Elsa Maja Astrid Linnea Klara Ebba Sara Elin Frida Tove"),
            _w("Oskar Erik Johan Axel Gustav Nils Henrik Viktor Emil Pontus"),
            _w("Lindqvist Bergström Nyberg Holm Ekström Sjöberg Lundgren Wallin Engström "
               "Björk Sandberg Hedlund Åberg Lindblom"),
            _w("Björkvik Ekholmen Sjövalla Granberga Norrhamn Ljusvik Mälarvik Stenåsa"),
            _w("Ljusa Fjällglans Fjällmo Ekvall Sjölund Granlys"),
            "AB", "AB (publ)",
        ),
        CountryWords(
            "DK", "Danish", ("da",),
            _w("Freja Ida Sofie Mette Camilla Line Signe Karen"),
            _w("Rasmus Mads Søren Jonas Kasper Frederik Morten Troels"),
            _w("Jensen Nielsen Pedersen Kristensen Madsen Sørensen Holmgaard Kjær Lauridsen "
               "Bech Dalsgaard Thygesen"),
            _w("Bøgerup Lindeholm Kildemose Søholt Engvang Fjordby"),
            _w("Bølgelys Kildevang Havtorn Engblå Lyngstrand"),
            "ApS", "A/S",
        ),
        CountryWords(
            "FI", "Finnish", ("fi", "sv"),
            _w("Aino Emilia Helmi Venla Siiri Elina Kaisa Noora"),
            _w("Juho Mikko Antti Eero Ville Lauri Tuomas Janne"),
            _w("Virtanen Mäkinen Nieminen Heikkinen Laine Järvinen Lehtonen Saarinen Kallio "
               "Rantanen Salonen Hakala"),
            _w("Koivuranta Kuusela Lumiranta Revontaka Järvenpelto Tähtilahti"),
            _w("Revontuli Kuulas Hallava Tähkä Kaisla"),
            "Oy", "Oyj",
        ),
        CountryWords(
            "DE", "German", ("de",),
            _w("Anna Lena Katharina Julia Miriam Johanna Svenja Carla"),
            _w("Lukas Felix Jonas Tobias Matthias Florian Jannik Moritz"),
            _w("Müller Schmidt Becker Wagner Keller Brandt Vogel Schuster Krüger Lehmann "
               "Hartmann Albrecht"),
            _w("Lindenfeld Eichhausen Birkenstadt Tannbrück Sonnwald Erlenbrunn"),
            _w("Lichtwerk Quellgrund Birkenlicht Sternau Quellhain"),
            "GmbH", "AG",
        ),
        CountryWords(
            "AT", "Austrian", ("de",),
            _w("Elisabeth Theresa Magdalena Sophie Valentina"),
            _w("Lukas Maximilian Stefan Florian David"),
            _w("Gruber Huber Bauer Wimmer Pichler Steiner Moser Hofer Leitner Eder"),
            _w("Almbach Lärchenau Edelhofen Steinwies"),
            _w("Almquell Bergklar Edelweg"),
            "GmbH", "AG",
        ),
        CountryWords(
            "FR", "French", ("fr",),
            _w("Camille Léa Manon Chloé Inès Claire Margaux Élodie"),
            _w("Julien Thomas Antoine Nicolas Hugo Mathieu Bastien Rémi"),
            _w("Martin Bernard Dubois Moreau Laurent Girard Fontaine Rousseau Lefèvre Mercier "
               "Blanchard Garnier"),
            _c("Val-Clair, Fontbelle, Roche-Claire, Montclair-Rivière, Lavandières, Beaulac"),
            _w("Clairval Lumière Calanque Azurine Vermeil"),
            "SAS", "SA",
        ),
        CountryWords(
            "BE", "Belgian", ("nl", "fr"),
            _w("Lotte Elise Marie Fien Charlotte Nathalie"),
            _w("Pieter Thomas Wout Arnaud Maxime Jeroen"),
            _w("Peeters Janssens Maes Jacobs Willems Claes Goossens Lambert Dupont Wouters"),
            _w("Lindeveld Beekhoven Hoogdonk Sartlez Valmont"),
            _w("Beekzicht Ardenlys Lindenhof Meuseval"),
            "BV", "NV",
        ),
        CountryWords(
            "NL", "Dutch", ("nl",),
            _w("Sanne Femke Lotte Anouk Iris Eva Marieke"),
            _w("Daan Bram Sem Thijs Ruben Joost Wouter"),
            _c("de Vries, van Dijk, Bakker, Visser, Smit, Meijer, de Boer, Mulder, Bos, Vos, "
               "van Leeuwen, Dekker"),
            _w("Waterveld Dijkhaven Lindendaal Oosterweide Zilverbeek"),
            _w("Polderlicht Duinzicht Helderwind Grachtwerk"),
            "B.V.", "N.V.",
        ),
        CountryWords(
            "ES", "Spanish", ("es",),
            _w("Lucía Carmen Elena Marta Paula Irene Nerea"),
            _w("Jorge Pablo Alejandro Diego Álvaro Iñigo Rubén"),
            _w("Fernández Martínez Romero Navarro Torres Domínguez Gil Ortega Castillo "
               "Serrano Molina Vidal"),
            _c("Sierraclara, Montealba, Valdelirio, Puertosol, Río Claro"),
            _w("Alborada Solcima Brisamar Lumbre"),
            "S.L.", "S.A.",
        ),
        CountryWords(
            "IT", "Italian", ("it",),
            _w("Giulia Chiara Francesca Sara Martina Elena Alessia"),
            _w("Luca Marco Andrea Davide Matteo Lorenzo Simone"),
            _w("Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Costa Fontana "
               "Esposito"),
            _w("Valbianca Castellargento Pietrasole Fontelieta Borgoluce"),
            _w("Aurelia Solvena Lucevia Ventoro"),
            "S.r.l.", "S.p.A.",
        ),
        CountryWords(
            "PL", "Polish", ("pl",),
            _w("Zofia Anna Katarzyna Agnieszka Magdalena Julia Aleksandra"),
            _w("Piotr Tomasz Paweł Michał Krzysztof Jakub Bartosz"),
            _w("Nowak Kowalski/Kowalska Wiśniewski/Wiśniewska Wójcik Kamiński/Kamińska "
               "Zieliński/Zielińska Szymański/Szymańska Woźniak Dąbrowski/Dąbrowska "
               "Kozłowski/Kozłowska Mazur Krawczyk"),
            _w("Jasnogród Lipogóra Dębowice Jeziorna Brzozolas"),
            _w("Brzaskowo Zorza Bursztyn Świetlik"),
            "sp. z o.o.", "S.A.",
        ),
        CountryWords(
            "EE", "Estonian", ("et",),
            _w("Kadri Liis Maarja Triin Kertu"),
            _w("Madis Rasmus Tanel Kristjan Siim"),
            _w("Tamm Saar Sepp Mägi Kask Kukk Rebane Pärn Koppel Lepik"),
            _w("Kuusevälja Kaseküla Liivaranna Tähesaare"),
            _w("Virmalis Kaseleht Merevalgus"),
            "OÜ", "AS",
        ),
        CountryWords(
            "LT", "Lithuanian", ("lt",),
            _w("Ieva Rūta Eglė Gintarė Lina"),
            _w("Mantas Tomas Lukas Darius Paulius"),
            _w("Kazlauskas/Kazlauskienė Petrauskas/Petrauskienė Jankauskas/Jankauskienė "
               "Stankevičius/Stankevičienė Vasiliauskas/Vasiliauskienė Žukauskas/Žukauskienė "
               "Butkus/Butkienė Paulauskas/Paulauskienė"),
            _w("Beržynai Ąžuolija Šilagiris Liepupis"),
            _w("Gintaras Aušrinė Žaibas"),
            "UAB", "AB",
        ),
        CountryWords(
            "IE", "Irish", (),
            _w("Aoife Siobhán Niamh Ciara Orla Sinéad"),
            _w("Cian Darragh Ronan Eoin Conor Declan"),
            _c("Murphy, Kelly, O'Brien, Walsh, Byrne, O'Sullivan, Doyle, McCarthy, Gallagher, "
               "Kavanagh, Brennan"),
            _w("Kilbrook Ardnaglen Drumcarra Glenbrack"),
            _w("Shannonlight Glenlight Corriblue"),
            "Ltd", "plc",
        ),
        CountryWords(
            "UA", "Ukrainian", ("uk",),
            _w("Olena Oksana Iryna Nataliia Yuliia Kateryna Tetiana Daria Sofiia Anastasiia "
               "Mariia Viktoriia"),
            _w("Oleksandr Andrii Dmytro Serhii Taras Bohdan Yurii Ivan Maksym Vasyl Roman "
               "Artem"),
            _w("Kovalenko Tkachenko Kravchenko Shevchuk Savchenko Rudenko Marchenko Hnatiuk "
               "Kravets Ponomarenko Tkachuk Danyliuk Ostapenko Petrenko"),
            _w("Zoriansk Svitlohirsk Vyshnohrad Yasnopil Dubovohrad Kalynohirsk"),
            _w("Zoria Kalyna Svitanok Dnipryk Soniakh"),
            "LLC", "PJSC",
        ),
    ]
}

# Three groups with the target shares of an Oslo event (DESIGN.md): Norway, the rest of the EU
# and the EEA, Ukraine. Inside "eu", the Nordic neighbours come more often than the rest.
COUNTRY_GROUPS: dict[str, float] = {"no": 0.55, "eu": 0.30, "ua": 0.15}
EU_COUNTRY_WEIGHTS: dict[str, float] = {
    "SE": 14, "DK": 11, "FI": 10, "DE": 12, "FR": 8, "NL": 8, "BE": 7, "ES": 6,
    "IT": 6, "PL": 6, "EE": 3, "LT": 3, "AT": 3, "IE": 3,
}
# fmt: on
GROUP_OF_COUNTRY: dict[str, str] = {"NO": "no", "UA": "ua"} | dict.fromkeys(
    EU_COUNTRY_WEIGHTS, "eu"
)
