"""The portfolio's charts in a browser: at 200 % zoom (a 1280 px screen read at 640 px) nothing
is wider than the page, and in high-contrast mode (forced colours) the bars and their labels
take the system's colours instead of disappearing or keeping the brand blue."""

import pytest
from django.urls import reverse

from neighbourhoods.models import StaffRole
from neighbourhoods.services import staff_role_grant
from pic.access import SYSTEM
from reporting.services import allocations
from tests import factories
from tests.reporting.conftest import make_ratified

from .test_keyboard import deployment_stage, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def partner(settings, tmp_path, transactional_db):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PIC_REQUIRE_STAFF_MFA = False
    stage = deployment_stage()
    allocations.allocation_create_for_ratification(
        ratification=make_ratified(factories.NeighbourhoodFactory(name="Saint-Michel",
                                                                   borough="Villeray"), stage),
        actor=SYSTEM)
    user = factories.UserFactory(email="partenaire@example.org")
    staff_role_grant(user=user, role=StaffRole.Role.PARTNER, actor=SYSTEM)
    return user


def test_the_charts_fit_the_page_at_200_percent_zoom(page, partner):
    page.set_viewport_size({"width": 640, "height": 800})
    log_in(page, partner.email)
    page.goto(reverse("home"))
    assert page.locator("figure.chart-beside").count() == 3
    widths = page.evaluate("""() => ({page: document.documentElement.scrollWidth,
                                      screen: window.innerWidth,
                                      charts: [...document.querySelectorAll('.chart-beside svg')]
                                        .map(svg => svg.getBoundingClientRect().right)})""")
    assert widths["page"] <= widths["screen"]
    assert max(widths["charts"]) <= widths["screen"]
    assert page.locator(".chart-beside table").first.is_visible()


def test_the_charts_take_the_system_colours_in_high_contrast_mode(page, partner):
    log_in(page, partner.email)
    page.goto(reverse("home"))
    bar = page.locator(".chart-bar").first

    def colours():
        return bar.evaluate("""el => ({bar: getComputedStyle(el).fill,
            text: getComputedStyle(el.ownerSVGElement.querySelector('text')).fill,
            canvasText: (() => { const p = document.createElement('p');
                p.style.color = 'CanvasText'; document.body.append(p);
                const c = getComputedStyle(p).color; p.remove(); return c; })()})""")

    normal = colours()
    assert normal["bar"] == "rgb(31, 78, 121)"  # the brand blue
    page.emulate_media(forced_colors="active")
    forced = colours()
    assert forced["bar"] == forced["canvasText"] == forced["text"]
