"""Demo data for tenants: the real partners, the tables de quartier, the demo people."""

from allauth.account.models import EmailAddress
from django.utils.text import slugify

from pic.access import SYSTEM
from pic.models import User

from . import services
from .models import Membership, Neighbourhood, Organisation, StaffRole

DEMO_PASSWORD = "pic-demo-2026"  # noqa: S105 (documented in the README, demo only)

Category = Organisation.Category

ORGANISATIONS = [
    ("Centraide du Grand Montréal", "Centraide", Category.OPERATOR, False),
    ("Fondation de la famille Pathy", "Fondation Pathy", Category.PHILANTHROPIC, False),
    ("Fondation du Grand Montréal", "FGM", Category.PHILANTHROPIC, False),
    ("Fondation Lucie et André Chagnon", "Fondation Chagnon", Category.PHILANTHROPIC, False),
    ("Fondation Marcelle et Jean Coutu", "Fondation Coutu", Category.PHILANTHROPIC, False),
    ("Fondation McConnell", "McConnell", Category.PHILANTHROPIC, False),
    ("Fondation Mirella et Lino Saputo", "Fondation Saputo", Category.PHILANTHROPIC, False),
    ("Fondation Molson", "Fondation Molson", Category.PHILANTHROPIC, False),
    ("Ville de Montréal", "Ville de Montréal", Category.INSTITUTIONAL, False),
    ("Direction régionale de santé publique de Montréal", "DRSP", Category.INSTITUTIONAL, False),
    ("CIUSSS du Centre-Sud-de-l'Île-de-Montréal", "CIUSSS Centre-Sud", Category.INSTITUTIONAL,
     False),
    ("Coalition montréalaise des tables de quartier", "CMTQ", Category.COMMUNITY, True),
    ("Dynamo", "Dynamo", Category.EXTERNAL, False),
    ("Groupes de recherche universitaires en évaluation", "Recherche", Category.EXTERNAL, False),
]

# (neighbourhood, its table de quartier, borough or city)
TABLES_DE_QUARTIER = [
    ("Ahuntsic", "Solidarité Ahuntsic", "Ahuntsic-Cartierville"),
    ("Anjou", "Concertation Anjou", "Anjou"),
    ("Bordeaux-Cartierville", "Conseil local des intervenants communautaires de "
     "Bordeaux-Cartierville", "Ahuntsic-Cartierville"),
    ("Centre-Sud", "Table de développement social Centre-Sud", "Ville-Marie"),
    ("Côte-des-Neiges", "Corporation de développement communautaire de Côte-des-Neiges",
     "Côte-des-Neiges–Notre-Dame-de-Grâce"),
    ("Hochelaga-Maisonneuve", "La Table de quartier Hochelaga-Maisonneuve",
     "Mercier–Hochelaga-Maisonneuve"),
    ("Lachine", "Table de concertation de Lachine", "Lachine"),
    ("LaSalle", "Table de développement social de LaSalle", "LaSalle"),
    ("Mercier-Est", "Solidarité Mercier-Est", "Mercier–Hochelaga-Maisonneuve"),
    ("Mercier-Ouest", "Table de quartier de Mercier-Ouest", "Mercier–Hochelaga-Maisonneuve"),
    ("Montréal-Nord", "Table de quartier de Montréal-Nord", "Montréal-Nord"),
    ("Notre-Dame-de-Grâce", "Conseil communautaire Notre-Dame-de-Grâce",
     "Côte-des-Neiges–Notre-Dame-de-Grâce"),
    ("Parc-Extension", "Table de quartier de Parc-Extension",
     "Villeray–Saint-Michel–Parc-Extension"),
    ("Peter-McGill", "Table de quartier Peter-McGill", "Ville-Marie"),
    ("Petite-Bourgogne", "Coalition de la Petite-Bourgogne", "Le Sud-Ouest"),
    ("Petite-Patrie", "Table de quartier de La Petite-Patrie", "Rosemont–La Petite-Patrie"),
    ("Pierrefonds-Roxboro", "Table de quartier de Pierrefonds-Roxboro", "Pierrefonds-Roxboro"),
    ("Plateau-Mont-Royal", "CDC Action solidarité Grand Plateau", "Le Plateau-Mont-Royal"),
    ("Pointe-aux-Trembles", "Table de quartier de Pointe-aux-Trembles",
     "Rivière-des-Prairies–Pointe-aux-Trembles"),
    ("Pointe-Saint-Charles", "Action-Gardien", "Le Sud-Ouest"),
    ("Rivière-des-Prairies", "Table de quartier de Rivière-des-Prairies",
     "Rivière-des-Prairies–Pointe-aux-Trembles"),
    ("Rosemont", "Corporation de développement communautaire de Rosemont",
     "Rosemont–La Petite-Patrie"),
    ("Saint-Henri", "Solidarité Saint-Henri", "Le Sud-Ouest"),
    ("Saint-Laurent", "Comité des organismes sociaux de Saint-Laurent", "Saint-Laurent"),
    ("Saint-Léonard", "Concertation Saint-Léonard", "Saint-Léonard"),
    ("Saint-Michel", "Vivre Saint-Michel en santé", "Villeray–Saint-Michel–Parc-Extension"),
    ("Verdun", "Concertation en développement social de Verdun", "Verdun"),
    ("Ville-Émard–Côte-Saint-Paul", "Concertation Ville-Émard/Côte-Saint-Paul", "Le Sud-Ouest"),
    ("Villeray", "Table de quartier de Villeray", "Villeray–Saint-Michel–Parc-Extension"),
    ("Sud de l'Ouest-de-l'Île", "Table de quartier Sud de l'Ouest-de-l'Île",
     "Dorval, Pointe-Claire et Lachine"),
]

ADVISORS = {
    "conseillere.est@example.org": (
        "Geneviève Tremblay",
        ["Saint-Michel", "Hochelaga-Maisonneuve", "Mercier-Est", "Mercier-Ouest", "Anjou",
         "Saint-Léonard", "Montréal-Nord", "Rivière-des-Prairies", "Pointe-aux-Trembles",
         "Rosemont"],
    ),
    "conseiller.ouest@example.org": (
        "Marc-André Lefebvre",
        ["Verdun", "Lachine", "LaSalle", "Saint-Henri", "Pointe-Saint-Charles",
         "Petite-Bourgogne", "Ville-Émard–Côte-Saint-Paul", "Notre-Dame-de-Grâce",
         "Côte-des-Neiges", "Pierrefonds-Roxboro"],
    ),
    "conseillere.centre@example.org": (
        "Aminata Diallo",
        ["Centre-Sud", "Plateau-Mont-Royal", "Peter-McGill", "Sud de l'Ouest-de-l'Île",
         "Villeray", "Parc-Extension", "Petite-Patrie", "Ahuntsic", "Bordeaux-Cartierville",
         "Saint-Laurent"],
    ),
}

# (email, full name, neighbourhood, role)
NEIGHBOURHOOD_PEOPLE = [
    ("tq.saint-michel@example.org", "Nadia Benali", "Saint-Michel",
     Membership.Role.COORDINATOR),
    ("agente.saint-michel@example.org", "Julien Roy", "Saint-Michel", Membership.Role.MEMBER),
    ("tq.verdun@example.org", "Sophie Gagnon", "Verdun", Membership.Role.COORDINATOR),
    ("tq.hochelaga@example.org", "Karine Lavoie", "Hochelaga-Maisonneuve",
     Membership.Role.COORDINATOR),
    ("tq.lachine@example.org", "Pierre Bouchard", "Lachine", Membership.Role.COORDINATOR),
]


def demo_user(email: str, full_name: str) -> User:
    """The demo person, created once with the demo password and a verified address."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed() -> dict:
    organisations = {}
    for name, short, category, recused in ORGANISATIONS:
        organisations[short], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"short_name": short, "category": category,
                      "recused_from_investment_decisions": recused},
        )
    neighbourhoods = {}
    for name, table, borough in TABLES_DE_QUARTIER:
        organisation, _ = Organisation.objects.get_or_create(
            name=table, defaults={"category": Category.COMMUNITY}
        )
        neighbourhoods[name], _ = Neighbourhood.objects.get_or_create(
            slug=slugify(name),
            defaults={"name": name, "table_name": table, "borough": borough,
                      "organisation": organisation},
        )

    coordination = demo_user("coordination@example.org", "Isabelle Côté")
    services.staff_role_grant(user=coordination, role=StaffRole.Role.COORDINATION, actor=SYSTEM,
                              organisation=organisations["Centraide"])
    for email, (full_name, followed) in ADVISORS.items():
        advisor = demo_user(email, full_name)
        services.staff_role_grant(user=advisor, role=StaffRole.Role.ADVISOR, actor=SYSTEM,
                                  organisation=organisations["Centraide"])
        for name in followed:
            services.advisor_assign(advisor=advisor, neighbourhood=neighbourhoods[name],
                                    actor=SYSTEM)
    for email, full_name, name, role in NEIGHBOURHOOD_PEOPLE:
        services.membership_create(user=demo_user(email, full_name),
                                   neighbourhood=neighbourhoods[name], role=role, actor=SYSTEM)
    partner = demo_user("partenaire.mcconnell@example.org", "Hélène Martin")
    services.staff_role_grant(user=partner, role=StaffRole.Role.PARTNER, actor=SYSTEM,
                              organisation=organisations["McConnell"])
    return {"organisations": organisations, "neighbourhoods": neighbourhoods,
            "coordination": coordination}
