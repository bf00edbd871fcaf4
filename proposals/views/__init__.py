"""Pages. Each starts from a selector scoped with `visible_to(user)`: another neighbourhood's
objects are a 404, like missing ones. Each view validates a form, calls one service, adds a
message and redirects."""

from .access import InitiativeAccessGrantView, InitiativeAccessRevokeView
from .budget import ProposalBudgetView
from .edit import ProposalEditView
from .files import (
    ContactCreateView,
    InitiativeCreateView,
    InitiativeDetailView,
    LetterOfIntentAcknowledgeView,
    LetterOfIntentCreateView,
    NeighbourhoodFileView,
    NeighbourhoodPlanRecordView,
    PlanDocumentDownloadView,
)
from .lists import ProposalListView
from .program import (
    BudgetCategoryCreateView,
    BudgetCategoryUpdateView,
    ExternalPartnerCreateView,
    ExternalPartnerUpdateView,
    IndicatorDefinitionCreateView,
    IndicatorDefinitionUpdateView,
    PrerequisiteCreateView,
    PrerequisiteUpdateView,
    ProgramCreateView,
    ProgramUpdateView,
    ProgramView,
    StageCreateView,
    StageUpdateView,
    WindowCreateView,
    WindowExtensionCreateView,
    WindowUpdateView,
)
from .proposals import (
    DocumentDeleteView,
    DocumentDownloadView,
    ProposalCreateView,
    ProposalDetailView,
    ProposalLetterSentView,
    ProposalRequestChangesView,
    ProposalResubmitView,
    ProposalStartAnalysisView,
    ProposalSubmitView,
    ProposalWithdrawView,
    VersionCompareView,
)

__all__ = [
    "BudgetCategoryCreateView", "BudgetCategoryUpdateView",
    "ExternalPartnerCreateView", "ExternalPartnerUpdateView", "IndicatorDefinitionCreateView",
    "IndicatorDefinitionUpdateView", "ProposalBudgetView",
    "ContactCreateView", "DocumentDeleteView", "DocumentDownloadView", "InitiativeAccessGrantView",
    "InitiativeAccessRevokeView", "InitiativeCreateView",
    "InitiativeDetailView", "LetterOfIntentAcknowledgeView", "LetterOfIntentCreateView",
    "NeighbourhoodFileView", "NeighbourhoodPlanRecordView", "PlanDocumentDownloadView",
    "PrerequisiteCreateView", "PrerequisiteUpdateView",
    "ProgramCreateView", "ProgramUpdateView", "ProgramView", "ProposalCreateView",
    "ProposalDetailView", "ProposalEditView", "ProposalLetterSentView", "ProposalListView",
    "ProposalRequestChangesView", "ProposalResubmitView", "ProposalStartAnalysisView",
    "ProposalSubmitView", "ProposalWithdrawView", "StageCreateView", "StageUpdateView",
    "VersionCompareView", "WindowCreateView", "WindowExtensionCreateView", "WindowUpdateView",
]
