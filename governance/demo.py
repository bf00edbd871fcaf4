"""Demo data for governance: the three committees and their members."""

from neighbourhoods.demo import demo_user

from . import services
from .models import Committee

COMMITTEES = [
    (Committee.Kind.PARTENAIRES, "Comité des partenaires",
     "Niveau stratégique : entérine les décisions d'investissement. Un·e représentant·e "
     "senior par partenaire philanthropique et institutionnel, et la CMTQ."),
    (Committee.Kind.GESTION, "Comité de gestion",
     "Suit les initiatives locales et recommande les investissements. Un·e délégué·e par "
     "fondation, par partenaire institutionnel, et une gestionnaire de Centraide."),
    (Committee.Kind.GOUVERNANCE, "Comité de gouvernance",
     "Veille à la santé du partenariat : trois membres, un par groupe de partenaires."),
]

# (email, full name, organisation short name, chair?)
GESTION = [
    ("gestion.centraide@example.org", "Claire Dubois", "Centraide", True),
    ("gestion.chagnon@example.org", "François Bélanger", "Fondation Chagnon", False),
    ("gestion.ville@example.org", "Marie-Ève Pelletier", "Ville de Montréal", False),
    ("gestion.cmtq@example.org", "Samuel Ouellet", "CMTQ", False),
    ("gestion.mcconnell@example.org", "Olivia Grant", "McConnell", False),
    ("gestion.drsp@example.org", "Luc Morin", "DRSP", False),
]
PARTENAIRES = [
    ("partenaires.centraide@example.org", "Robert Fortin", "Centraide", True),
    ("partenaires.chagnon@example.org", "Lise Gauthier", "Fondation Chagnon", False),
    ("partenaires.ville@example.org", "Antoine Girard", "Ville de Montréal", False),
    ("partenaires.cmtq@example.org", "Mélanie Caron", "CMTQ", False),
]
GOUVERNANCE = [
    ("gouvernance.coutu@example.org", "Nathalie Roy", "Fondation Coutu", True),
    ("gouvernance.ville@example.org", "Éric Boucher", "Ville de Montréal", False),
    ("gouvernance.cmtq@example.org", "Fatima Haddad", "CMTQ", False),
]


def seed(organisations: dict) -> dict:
    committees = {}
    for kind, name, mandate in COMMITTEES:
        committees[kind], _ = Committee.objects.get_or_create(
            kind=kind, defaults={"name": name, "mandate": mandate}
        )
    for kind, people in ((Committee.Kind.GESTION, GESTION),
                         (Committee.Kind.PARTENAIRES, PARTENAIRES),
                         (Committee.Kind.GOUVERNANCE, GOUVERNANCE)):
        for email, full_name, org, chair in people:
            services.committee_member_seat(
                committee=committees[kind], user=demo_user(email, full_name),
                organisation=organisations[org], is_chair=chair, actor=None,
            )
    return {"committees": committees}
