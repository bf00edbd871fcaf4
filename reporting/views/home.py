from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from governance.models import Committee
from neighbourhoods import selectors as neighbourhood_selectors
from pic.access import roles_of
from proposals import selectors as proposal_selectors
from proposals.filters import AWAITING_DECISION

from .. import homes, portfolio

FOLLOWED_PROPOSALS = 20  # the latest files of the advisor's neighbourhoods; the list has the rest

# The first role the person has gives the home page (a person may have several).
HOME_TEMPLATES = [
    ("coordination", "reporting/home_coordination.html"),
    ("advisor", "reporting/home_advisor.html"),
    ("neighbourhood_member", "reporting/home_neighbourhood.html"),
    ("committee_member", "reporting/home_committee.html"),
    ("partner", "reporting/home_partner.html"),
]


def _member_files(user) -> dict:
    """A neighbourhood member's neighbourhoods and, for each, its file with the next steps."""
    neighbourhoods = neighbourhood_selectors.neighbourhoods_of_member(user=user)
    windows = proposal_selectors.open_window_list(today=timezone.localdate())
    files = []
    for neighbourhood in neighbourhoods:
        file = proposal_selectors.neighbourhood_file(user=user, neighbourhood=neighbourhood)
        file["next_steps"] = proposal_selectors.next_steps(file, open_windows=windows)
        files.append(file)
    return {"my_neighbourhoods": neighbourhoods, "files": files}


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role lands on its own home page."""

    def get_template_names(self):
        roles = roles_of(self.request.user)
        return [next((template for role, template in HOME_TEMPLATES if getattr(roles, role)),
                     "reporting/home_no_role.html")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today, query = self.request.user, timezone.localdate(), self.request.GET
        roles = roles_of(user)
        if roles.coordination:
            context.update(homes.coordination_home(user=user, today=today,
                                                   page=query.get("page")))
        elif roles.advisor:
            context.update(homes.advisor_home(user=user, today=today, sort=query.get("tri")))
            context["followed_proposals"] = proposal_selectors.followed_proposals(
                user=user, n=FOLLOWED_PROPOSALS)
            context["open_files_status"] = AWAITING_DECISION  # the list's filter value
        if roles.neighbourhood_member:
            context.update(_member_files(user))
        if roles.partner and not roles.coordination:
            context.update(portfolio.portfolio_home(user=user))
        if not (roles.coordination or roles.advisor or roles.neighbourhood_member):
            # Read access granted to one initiative (e.g. an external evaluator).
            context["granted_initiatives"] = proposal_selectors.initiative_list(user=user)
        if roles.committee_member:
            context["committees"] = Committee.objects.filter(pk__in=roles.committee_ids)
        return context
