"""The invented sector the demo seeds: its companies, where they work and how the spring of 2020
went for them.

Everything here is data, not logic, so that the shape of the demo can be read (and tuned) in one
place. The companies are invented; the proportions follow what the association published: about
80,000 jobs, twenty large members employing some 80% of them, more than 500 small structures,
11 bn MAD of export revenue a year.
"""

import datetime
from dataclasses import dataclass

SEED = "amrc-demo-2020"

# ---------------------------------------------------------------------------------------------
# Geography: the regions where the sector really is, and the cities of their call centres.
# ---------------------------------------------------------------------------------------------

CITY_REGIONS = {
    "Casablanca": "MA-06",
    "Mohammedia": "MA-06",
    "El Jadida": "MA-06",
    "Rabat": "MA-04",
    "Salé": "MA-04",
    "Kénitra": "MA-04",
    "Témara": "MA-04",
    "Fès": "MA-03",
    "Meknès": "MA-03",
    "Tanger": "MA-01",
    "Tétouan": "MA-01",
    "Marrakech": "MA-07",
    "Safi": "MA-07",
    "Oujda": "MA-02",
    "Nador": "MA-02",
    "Agadir": "MA-09",
}

# Where small operators set up, by weight: closer to the big cities than the large members are.
SMALL_OPERATOR_CITIES = {
    "Casablanca": 30,
    "Mohammedia": 5,
    "El Jadida": 3,
    "Rabat": 10,
    "Salé": 5,
    "Kénitra": 4,
    "Témara": 3,
    "Fès": 8,
    "Meknès": 4,
    "Tanger": 6,
    "Tétouan": 2,
    "Marrakech": 7,
    "Safi": 2,
    "Oujda": 4,
    "Nador": 2,
    "Agadir": 5,
}

# ---------------------------------------------------------------------------------------------
# The registry.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberSpec:
    trade_name: str
    legal_form: str
    mail_domain: str
    headcount: int
    # (site name, city, share of the company's workstations); the first is the head office.
    sites: tuple[tuple[str, str, float], ...]


# Twenty AMRC members: one or two of several thousand staff, most between 1,000 and 5,000.
MEMBERS = (
    MemberSpec(
        "Anfa Téléservices",
        "SA",
        "anfa-demo.ma",
        7490,
        (
            ("Casablanca Sidi Maârouf", "Casablanca", 0.42),
            ("Casablanca Casanearshore", "Casablanca", 0.18),
            ("Rabat Technopolis", "Salé", 0.16),
            ("Tanger Centre", "Tanger", 0.12),
            ("Marrakech Guéliz", "Marrakech", 0.12),
        ),
    ),
    MemberSpec(
        "Bouregreg Contact",
        "SA",
        "bouregreg-demo.ma",
        6180,
        (
            ("Rabat Hay Riad", "Rabat", 0.48),
            ("Casablanca Ain Sebaâ", "Casablanca", 0.32),
            ("Kénitra Atlantic Free Zone", "Kénitra", 0.20),
        ),
    ),
    MemberSpec(
        "Sahel Customer Care",
        "SA",
        "sahel-demo.ma",
        4680,
        (
            ("Casablanca Maârif", "Casablanca", 0.55),
            ("Rabat Agdal", "Rabat", 0.25),
            ("Agadir Founty", "Agadir", 0.20),
        ),
    ),
    MemberSpec(
        "Atlas Relation Client",
        "SA",
        "atlas-demo.ma",
        4430,
        (
            ("Casablanca Casanearshore", "Casablanca", 0.60),
            ("Fès Route d'Imouzzer", "Fès", 0.25),
            ("Oujda Technopole", "Oujda", 0.15),
        ),
    ),
    MemberSpec(
        "Zellige Connect",
        "SA",
        "zellige-demo.ma",
        4160,
        (
            ("Casablanca Roches Noires", "Casablanca", 0.65),
            ("Mohammedia Centre", "Mohammedia", 0.15),
            ("Meknès Hamria", "Meknès", 0.20),
        ),
    ),
    MemberSpec(
        "Argan Outsourcing",
        "SA",
        "argan-demo.ma",
        3790,
        (
            ("Casablanca Bouskoura", "Casablanca", 0.70),
            ("Agadir Centre", "Agadir", 0.30),
        ),
    ),
    MemberSpec(
        "Volubilis Voice",
        "SARL",
        "volubilis-demo.ma",
        3540,
        (
            ("Fès Fès Shore", "Fès", 0.55),
            ("Meknès Ville Nouvelle", "Meknès", 0.25),
            ("Casablanca Derb Ghallef", "Casablanca", 0.20),
        ),
    ),
    MemberSpec(
        "Oasis Multicanal",
        "SA",
        "oasis-demo.ma",
        3310,
        (
            ("Casablanca Belvédère", "Casablanca", 0.75),
            ("Rabat Souissi", "Rabat", 0.25),
        ),
    ),
    MemberSpec(
        "Tingis Services Clients",
        "SARL",
        "tingis-demo.ma",
        3160,
        (
            ("Tanger Boukhalef", "Tanger", 0.60),
            ("Tétouan Shore", "Tétouan", 0.25),
            ("Casablanca Sidi Othmane", "Casablanca", 0.15),
        ),
    ),
    MemberSpec(
        "Menara Contact",
        "SARL",
        "menara-demo.ma",
        2930,
        (
            ("Marrakech Sidi Ghanem", "Marrakech", 0.70),
            ("Safi Centre", "Safi", 0.30),
        ),
    ),
    MemberSpec(
        "Cèdre Relation Clients",
        "SA",
        "cedre-demo.ma",
        2750,
        (
            ("Rabat Hassan", "Rabat", 0.60),
            ("Témara Centre", "Témara", 0.20),
            ("Casablanca Oulfa", "Casablanca", 0.20),
        ),
    ),
    MemberSpec(
        "Kasbah Interactive",
        "SARL",
        "kasbah-demo.ma",
        2580,
        (
            ("Casablanca Bourgogne", "Casablanca", 0.80),
            ("El Jadida Centre", "El Jadida", 0.20),
        ),
    ),
    MemberSpec(
        "Chellah Call Center",
        "SARL",
        "chellah-demo.ma",
        2340,
        (
            ("Rabat Océan", "Rabat", 0.65),
            ("Salé Tabriquet", "Salé", 0.35),
        ),
    ),
    MemberSpec(
        "Palmeraie Teleservices",
        "SARL",
        "palmeraie-demo.ma",
        2140,
        (
            ("Marrakech Palmeraie", "Marrakech", 0.75),
            ("Casablanca Gauthier", "Casablanca", 0.25),
        ),
    ),
    MemberSpec(
        "Toubkal Care",
        "SARL",
        "toubkal-demo.ma",
        1970,
        (
            ("Casablanca Mers Sultan", "Casablanca", 0.70),
            ("Kénitra Centre", "Kénitra", 0.30),
        ),
    ),
    MemberSpec(
        "Mogador Connect",
        "SARL",
        "mogador-demo.ma",
        1750,
        (("Casablanca Hay Hassani", "Casablanca", 1.0),),
    ),
    MemberSpec(
        "Dadès Relation Client",
        "SARL",
        "dades-demo.ma",
        1590,
        (
            ("Casablanca Californie", "Casablanca", 0.70),
            ("Fès Saïss", "Fès", 0.30),
        ),
    ),
    MemberSpec(
        "Ifrane Contact Center",
        "SARL",
        "ifrane-demo.ma",
        1380,
        (("Rabat Agdal", "Rabat", 1.0),),
    ),
    MemberSpec(
        "Safran Multiservices",
        "SARL",
        "safran-demo.ma",
        1260,
        (
            ("Casablanca Sidi Belyout", "Casablanca", 0.75),
            ("Nador Centre", "Nador", 0.25),
        ),
    ),
    MemberSpec(
        "Ourika Voice",
        "SARL",
        "ourika-demo.ma",
        1160,
        (
            ("Oujda Technopole", "Oujda", 0.70),
            ("Casablanca Ain Chock", "Casablanca", 0.30),
        ),
    ),
)

# The member whose declarant and administrator log in to the demo.
DEMO_MEMBER = "Atlas Relation Client"
# The member that keeps exactly 12% of its staff on site from TWELVE_PERCENT_FROM_WEEK on: the
# case every aggregate must get right (issue 4 tests it by hand).
TWELVE_PERCENT_MEMBER = "Bouregreg Contact"
TWELVE_PERCENT_FROM_WEEK = 2  # the third week, 30 March 2020
TWELVE_PERCENT = 12
TWELVE_PERCENT_MEMBER_UNEMPLOYMENT = 0.05
TWELVE_PERCENT_MEMBER_OTHER_ABSENCE = 0.04

# The small operator whose declarant logs in to the demo: always listed first among the small.
DEMO_SMALL_OPERATOR = ("Nour Appels", "nour-demo.ma", "Fès", 45)

SMALL_OPERATOR_COUNT = 500
# Small operators employ 5 to 150 people; the median one about 25.
SMALL_HEADCOUNT_RANGE = (5, 150)
SMALL_HEADCOUNT_MEDIAN = 25
SMALL_HEADCOUNT_SPREAD = 0.75  # sigma of the log-normal
SMALL_INFORMAL_SHARE = 0.15
SMALL_UNVERIFIED_SHARE = 0.20

SMALL_NAME_FIRST = (
    "Nour", "Amal", "Yasmine", "Baraka", "Rif", "Saada", "Najah", "Wafa", "Iris", "Horizon",
    "Azur", "Jasmin", "Safa", "Ilham", "Lina", "Ryad", "Narjis", "Zitoune", "Majd", "Tafraout",
    "Sebou", "Moulouya", "Tensift", "Oum Rabia", "Draa", "Ziz", "Ouzoud", "Akchour", "Chefchaouen",
    "Essaouira", "Tiznit", "Larache", "Asilah", "Azrou", "Sefrou", "Ksar", "Riad", "Dar", "Bab",
    "Fennec", "Atlal", "Marjane Bleu", "Nakhil", "Zahra", "Andalous",
)  # fmt: skip
SMALL_NAME_SECOND = (
    "Appels", "Contact", "Call", "Relation Client", "Téléservices", "Phone", "Connect",
    "Services", "Center", "Voice", "Com", "Line",
)  # fmt: skip

CONTACT_FIRST_NAMES = (
    "Amina", "Karim", "Salma", "Youssef", "Imane", "Mehdi", "Khadija", "Omar", "Nadia", "Hamza",
    "Fatima Zahra", "Rachid", "Sanae", "Anas", "Hind", "Othmane", "Meryem", "Ayoub", "Loubna", "Reda",
)  # fmt: skip
CONTACT_LAST_NAMES = (
    "Bennani", "El Idrissi", "Alaoui", "Tazi", "Berrada", "Chraibi", "El Fassi", "Benjelloun",
    "Lahlou", "Amrani", "Ouazzani", "Kettani", "Bouzid", "Sqalli", "Naciri", "Ziani", "Haddad",
    "El Mansouri", "Benkirane", "Filali",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Accounts.
# ---------------------------------------------------------------------------------------------

STAFF_EMAIL = "staff@amrc.ma"
STAFF_NAME = "Salma Bennani (AMRC)"
# One password for every demo login, easy to type in a demo and strong enough for the password
# validators (tested), so the accounts look like real ones.
DEMO_PASSWORD = "Secteur-Relation-2020"
# The staff account's second factor, published like the password so that a newcomer can open the
# admin: an authenticator application's key (base 32) and single-use backup codes. Demo only.
DEMO_TOTP_KEY = "AMRC DEMO AMRC DEMO AMRC DEMO AMRC DEMO"
DEMO_BACKUP_CODES = tuple(f"amrc-demo-{n:02d}" for n in range(1, 11))
# Accounts get these dates, not the day of the seeding, so that two runs write the same rows.
REGISTRY_DATE = datetime.datetime(2020, 3, 2, 9, 30)

# ---------------------------------------------------------------------------------------------
# The campaigns and the spring of 2020, week by week.
# ---------------------------------------------------------------------------------------------

FIRST_WEEK = datetime.date(2020, 3, 16)
WEEK_COUNT = 10
OPENS_AFTER_PERIOD_DAYS = 1
DUE_AFTER_OPENING_DAYS = 3
LOCKS_AFTER_DUE_DAYS = 7
DEMO_CAMPAIGN_TITLE = "Campagne de démonstration"

# Sector shares of the workforce, one value per closed week then one for the demo campaign, which
# continues the story: telework climbs from a few percent to most of the workforce, technical
# unemployment rises then stabilises, on site falls (it is what remains).
TELEWORK = (0.04, 0.13, 0.27, 0.39, 0.48, 0.55, 0.60, 0.63, 0.65, 0.66, 0.67)
TECHNICAL_UNEMPLOYMENT = (0.01, 0.07, 0.14, 0.19, 0.21, 0.22, 0.22, 0.22, 0.21, 0.21, 0.21)
OTHER_ABSENCE = (0.05, 0.08, 0.08, 0.07, 0.06, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05)
# Share of the clients' activity maintained (%), for the sector.
ACTIVITY = (96, 86, 74, 67, 63, 62, 63, 65, 67, 69, 70)
# Weekly movements as a share of the headcount: hiring freezes then restarts; turnover, high in
# call centres (about 30% a year), rises a little.
HIRES_RATE = (0.006, 0.003, 0.001, 0.0006, 0.0005, 0.0005, 0.0007, 0.001, 0.0015, 0.002, 0.002)
SEPARATIONS_RATE = (0.006, 0.008, 0.009, 0.008, 0.007, 0.007, 0.006, 0.006, 0.006, 0.006, 0.006)
# Of the separations, the share that are dismissals: members rarely dismiss (the CNSS allowance
# requires keeping staff), small operators more often.
DISMISSAL_SHARE = {"member": 0.08, "small": 0.30}
# 11 bn MAD of exports a year for 80,000 jobs is about 2,650 MAD per employee and per week.
EXPORT_REVENUE_PER_EMPLOYEE_WEEK = 2650

# Who answers, and how the review goes.
MEMBER_RESPONSE_RATE = 0.97
DEMO_CAMPAIGN_MEMBER_RESPONSE_RATE = 0.8
DEMO_CAMPAIGN_SMALL_RESPONSE_FACTOR = 0.7
LATE_RATE = {"member": 0.06, "small": 0.12}
# Closed weeks: (pending review, returned and never corrected, returned then approved); the
# rest is approved. The last two weeks still have more declarations waiting for review.
CLOSED_REVIEW_OUTCOMES = (0.02, 0.03, 0.05)
RECENT_CLOSED_REVIEW_OUTCOMES = (0.12, 0.04, 0.04)
RECENT_WEEKS = 2
# The open demo campaign: (draft, submitted, returned); the rest is approved.
DEMO_CAMPAIGN_OUTCOMES = (0.20, 0.35, 0.10)

RETURN_COMMENTS = (
    "Le détail par région ne correspond pas à vos sites : merci de vérifier la répartition.",
    "Le chiffre d'affaires à l'export paraît très bas par rapport à la semaine précédente : "
    "pouvez-vous confirmer le montant ?",
    "Le nombre de salariés en arrêt technique ne correspond pas aux déclarations CNSS : merci de corriger.",
    "Les licenciements déclarés semblent élevés : s'agit-il de fins de période d'essai ?",
    "Merci de préciser les fonctions maintenues sur site.",
)
DIFFICULTIES = (
    "Certains clients donneurs d'ordre refusent le télétravail pour des raisons de sécurité des données.",
    "Manque d'ordinateurs portables pour équiper les conseillers à domicile.",
    "Connexion internet instable chez une partie des salariés en télétravail.",
    "Retards de paiement de plusieurs clients européens.",
    "Transport du personnel plus coûteux avec la distanciation dans les navettes.",
    "Délais de traitement des dossiers d'indemnité CNSS.",
    "Baisse des volumes d'appels entrants dans le tourisme et le transport aérien.",
)

# ---------------------------------------------------------------------------------------------
# Measures: how fast each one is adopted, and whom it concerns.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adoption:
    """A member's chance of having the measure in place, from the first week to the fifth and
    after (small operators: SMALL_ADOPTION_FACTOR of it), and of planning or asking for it
    otherwise. `needs` names the figure without which the measure is not applicable."""

    first: float
    settled: float
    planned: float
    needs: str = ""


ADOPTION_SETTLES_AFTER_WEEKS = 5
SMALL_ADOPTION_FACTOR = 0.7
DEFAULT_ADOPTION = Adoption(0.2, 0.5, 0.3)
ADOPTION = {
    "hygiene-protocol": Adoption(0.6, 0.97, 0.8, needs="on_site"),
    "workstation-distancing": Adoption(0.4, 0.92, 0.8, needs="on_site"),
    "masks": Adoption(0.2, 0.95, 0.9, needs="on_site"),
    "hand-sanitiser": Adoption(0.7, 0.98, 0.9, needs="on_site"),
    "temperature-checks": Adoption(0.2, 0.85, 0.6, needs="on_site"),
    "disinfection": Adoption(0.5, 0.95, 0.8, needs="on_site"),
    "personal-headsets": Adoption(0.5, 0.9, 0.6, needs="on_site"),
    "staff-transport": Adoption(0.3, 0.7, 0.4, needs="on_site"),
    "covid-referent": Adoption(0.2, 0.8, 0.6),
    "telework-equipment": Adoption(0.5, 0.95, 0.7, needs="telework"),
    "telework-connectivity": Adoption(0.3, 0.8, 0.6, needs="telework"),
    "telework-security": Adoption(0.4, 0.9, 0.7, needs="telework"),
    "telework-supervision": Adoption(0.2, 0.85, 0.6, needs="telework"),
    "paid-leave": Adoption(0.5, 0.3, 0.1),
    "shift-rotation": Adoption(0.3, 0.7, 0.3, needs="on_site"),
    "hiring-freeze": Adoption(0.2, 0.6, 0.2),
    "cnss-allowance": Adoption(0.6, 0.95, 0.9, needs="technical_unemployment"),
    "social-charges-deferral": Adoption(0.1, 0.5, 0.5),
    "tax-deferral": Adoption(0.1, 0.4, 0.5),
    "guaranteed-credit": Adoption(0.02, 0.25, 0.4),
    "loan-moratorium": Adoption(0.05, 0.35, 0.4),
    "telework-support": Adoption(0.0, 0.05, 0.5),
}

# Whom a measure concerns, as (figure, share of it): masks go to everyone on site, the CNSS
# allowance to everyone on technical unemployment. Measures not listed concern the headcount.
EMPLOYEES_CONCERNED = {
    "masks": ("on_site", 1.0),
    "staff-transport": ("on_site", 0.6),
    "telework-equipment": ("telework", 1.0),
    "telework-connectivity": ("telework", 0.7),
    "paid-leave": ("headcount", 0.1),
    "shift-rotation": ("on_site", 1.0),
    "cnss-allowance": ("technical_unemployment", 1.0),
}

# ---------------------------------------------------------------------------------------------
# Staff messages.
# ---------------------------------------------------------------------------------------------

MESSAGE_TO_ALL = (
    "Déclaration hebdomadaire COVID-19",
    "Chaque lundi, une nouvelle campagne s'ouvre pour la semaine écoulée. Déclarez vos effectifs, "
    "leur répartition et les mesures prises avant le jeudi : le bulletin du secteur en dépend, et "
    "aucun chiffre individuel n'y est jamais publié.",
)
MESSAGE_TO_DEMO_MEMBER = (
    "Merci pour votre régularité",
    "Vos déclarations sont arrivées à l'heure chaque semaine. Pensez à détailler vos sites de Fès "
    "et d'Oujda dans la répartition régionale.",
)
MESSAGE_TO_DEMO_SMALL_OPERATOR = (
    "Pièces justificatives de votre inscription",
    "Pour passer au statut « formelle (vérifiée) », envoyez-nous votre attestation d'affiliation "
    "CNSS et votre extrait du registre du commerce.",
)
