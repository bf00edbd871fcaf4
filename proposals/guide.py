"""The program guide's vocabulary (Guide PIC phase 2), in ONE place: the seven values, the
posture, the ÉDI axes, the three aims of evaluation and the capacity-building themes. The
proposal, the analysis and the reports take their choices and their « Repères du guide »
from here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EdiAxis(models.TextChoices):
    """« Plusieurs façons d'intégrer la perspective d'ÉDI à l'impact collectif » (guide 2.1)."""

    CAPACITY = "capacity", _("Capacité : bâtir la capacité à poser des actions vers l'ÉDI")
    ACTIONS = "actions", _("Actions : poser des actions qui ciblent l'ÉDI")
    REPRESENTATION = "representation", _(
        "Représentativité et inclusion : s'assurer de la représentativité et de l'inclusion")
    SYSTEMS = "systems", _("Changements systèmes : apporter des changements aux systèmes en place")
    POPULATIONS = "populations", _(
        "Changements populations : apporter des changements pour les populations concernées")


class EvaluationAim(models.TextChoices):
    """« Les initiatives d'impact collectif visent à : » (guide, apprentissages stratégiques)."""

    COLLABORATIVE = "collaborative", _("Innover par rapport aux pratiques collaboratives")
    PEOPLE = "people", _("Produire des effets directs sur des personnes qui vivent la pauvreté "
                         "et l'exclusion sociale")
    SYSTEMIC = "systemic", _("Contribuer aux changements systémiques")


class CapacityTheme(models.TextChoices):
    """The needs a neighbourhood may name for capacity building (guide 5.4)."""

    COLLECTIVE_IMPACT = "collective_impact", _("L'approche d'impact collectif")
    SYSTEMIC = "systemic", _("L'approche systémique")
    INCLUSIVE_MOBILISATION = "inclusive_mobilisation", _("La mobilisation inclusive")
    EDI = "edi", _("La perspective d'équité, de diversité et d'inclusion")
    SUSTAINABILITY = "sustainability", _("La pérennisation")
    EVALUATION = "evaluation", _("L'évaluation et la captation des apprentissages")
    OTHER = "other", _("Autre besoin de renforcement des compétences")


# The seven values (guide, « Valeurs fondamentales ») and the posture (« Posture générale »):
# guidance text shown beside the fields, never stored.
VALUES = (
    (_("La justice sociale"), _("Agir avec intégrité, sans discrimination; travailler pour la "
                                "réduction des inégalités et l'accès aux droits.")),
    (_("L'équité, la diversité et l'inclusion (ÉDI)"),
     _("Reconnaître que diverses caractéristiques influencent l'expérience et les conditions "
       "de vie des personnes.")),
    (_("L'apprentissage"), _("Apprendre en continu et intégrer les apprentissages pour ajuster "
                             "les projets.")),
    (_("La collaboration"), _("Reconnaître les forces de chacune et chacun et avancer ensemble "
                              "de manière inclusive.")),
    (_("La créativité"), _("Agir avec humilité, ouvert à l'innovation et à l'expérimentation.")),
    (_("L'engagement"), _("Participer activement et de manière soutenue vers des objectifs "
                          "partagés.")),
    (_("La transparence"), _("Maintenir des communications fluides et transparentes avec tous "
                             "les partenaires.")),
)
POSTURE = (
    _("Une approche bottom-up : partir des besoins des citoyennes et des citoyens."),
    _("Une perspective systémique : comprendre les causes profondes des dynamiques "
      "d'exclusion."),
    _("Une posture apprenante et une approche réflexive : tirer des apprentissages en continu "
      "et les réinvestir."),
)
# What each of the five conditions asks (the guide's one-line summaries), by field suffix.
CONDITION_GUIDANCE = {
    "engagement": _("Mobiliser les acteurs locaux, dont les premiers concernés, à différentes "
                    "étapes."),
    "aspirations": _("Forger une vision collective du changement et un plan commun."),
    "learning": _("Identifier les avancées et défis, ajuster les pratiques et partager les "
                  "apprentissages."),
    "influence": _("Augmenter la portée de l'initiative (acteurs, pratiques) et adopter une "
                   "approche systémique."),
    "support": _("Favoriser la mobilisation, le dialogue et la collaboration vers des "
                 "changements systémiques."),
}


def condition_guidance(name: str) -> str:
    """The guide's summary for a condition field (ci_engagement, assess_engagement…)."""
    return CONDITION_GUIDANCE.get(name.rsplit("_", 1)[-1], "")


CONDITION_TITLES = {
    "engagement": _("Mobilisation inclusive de la communauté"),
    "aspirations": _("Aspirations communes"),
    "learning": _("Apprentissage stratégique"),
    "influence": _("Stratégies de levier et d'influence"),
    "support": _("Structure de soutien rassembleuse"),
}


def guide_points(slug: str) -> tuple[str, list[tuple[str, str]]]:
    """The « Repères du guide » of a proposal's or a report's section: (an introduction,
    [(term, what the guide says)]); no points for a section the guide says nothing about."""
    if slug == "resume":
        return (_("Les sept valeurs et la posture que la communauté PIC s'engage à incarner."),
                [*((str(v), str(d)) for v, d in VALUES),
                 *((str(_("Posture")), str(p)) for p in POSTURE)])
    if slug == "conditions":
        return (_("Le « comment » est décidé par chaque milieu, selon ses priorités : ce sont "
                  "des points de repère, pas des règles."),
                [(str(CONDITION_TITLES[k]), str(v)) for k, v in CONDITION_GUIDANCE.items()])
    if slug == "edi":
        return (_("La perspective d'ÉDI se prend en compte dès le départ et à chaque étape, "
                  "autant dans le « comment » que dans le « quoi »."),
                [(str(label), "") for label in EdiAxis.labels])
    if slug == "evaluation":
        return (_("Chaque quartier choisit une ou plusieurs questions pour chacune des visées "
                  "les plus pertinentes pour son initiative."),
                [(str(label), "") for label in EvaluationAim.labels])
    if slug == "renforcement":
        return (_("Un budget pour le soutien par des partenaires externes de la liste du "
                  "programme; une partie peut servir à des ressources internes en évaluation, "
                  "et une portion additionnelle à d'autres renforcements."),
                [(str(label), "") for label in CapacityTheme.labels])
    if slug == "perennisation":
        return (_("À l'étape 2, planifier s'il y a lieu l'intensification ou la pérennisation; "
                  "à l'étape 3, concevoir la pérennisation de l'initiative."), [])
    return ("", [])
