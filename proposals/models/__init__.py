"""The program as data (`program`: stages, prerequisites, windows), the neighbourhoods' files
(`files`: letters of intent, initiatives, contacts, proposals and their details) and their
plans de quartier (`plans`)."""

from .budgets import ProposalBudgetLine
from .extensions import WindowExtension
from .files import (
    CAPACITY_AMOUNTS,
    CI_CONDITIONS,
    INITIATIVE_READ_PERMISSION,
    Contact,
    EvaluationQuestion,
    Initiative,
    InitiativeGrantedQuerySet,
    InitiativeGroupObjectPermission,
    InitiativeUserObjectPermission,
    LetterOfIntent,
    NeighbourhoodOwnedQuerySet,
    PrerequisiteEvidence,
    Proposal,
    ProposalDocument,
    ProposalOwnedQuerySet,
    ProposalQuerySet,
    ProposalYear,
    StoredDocument,
)
from .plans import NeighbourhoodPlan, NeighbourhoodPlanDocument, PlanPriority
from .program import (
    BudgetCategory,
    DefaultBudgetCategory,
    ExternalPartner,
    IndicatorDefinition,
    PrerequisiteItem,
    Program,
    Stage,
    Window,
)
from .versions import ProposalVersion

__all__ = [
    "BudgetCategory", "DefaultBudgetCategory", "ExternalPartner", "IndicatorDefinition",
    "ProposalBudgetLine", "CAPACITY_AMOUNTS", "CI_CONDITIONS", "INITIATIVE_READ_PERMISSION",
    "Contact", "EvaluationQuestion", "Initiative",
    "InitiativeGrantedQuerySet", "InitiativeGroupObjectPermission",
    "InitiativeUserObjectPermission", "LetterOfIntent", "NeighbourhoodOwnedQuerySet",
    "NeighbourhoodPlan",
    "NeighbourhoodPlanDocument", "PlanPriority",
    "PrerequisiteEvidence", "PrerequisiteItem", "Program", "Proposal",
    "ProposalDocument", "ProposalOwnedQuerySet", "ProposalQuerySet", "ProposalVersion",
    "ProposalYear", "Stage", "StoredDocument", "Window", "WindowExtension",
]
