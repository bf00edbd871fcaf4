"""Law 25: the register of confidentiality incidents, for the coordination team, with the fields
the regulation requires, kept at least five years, exportable as formula-safe CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from pic.models import AuditEvent, ConfidentialityIncident
from pic.privacy import services

pytestmark = pytest.mark.django_db

FORM = {
    "summary": "Courriel envoyé à la mauvaise table",
    "information_involved": "Noms et courriels de 12 bénévoles",
    "circumstances": "Une liste jointe par erreur",
    "occurred_on": "2026-11-02", "occurred_until": "", "discovered_on": "2026-11-03",
    "people_affected": "12", "risk_assessment": "Renseignements peu sensibles",
    "serious_injury_risk": "", "cai_notified_on": "", "people_notified_on": "2026-11-05",
    "measures_taken": "Demande de suppression; double vérification des envois",
}


@pytest.fixture
def incident(coordination):
    return services.incident_record(
        actor=coordination, summary="=HYPERLINK(\"http://x\")", information_involved="Noms",
        circumstances="+ circonstance", occurred_on=datetime.date(2026, 10, 1),
        discovered_on=datetime.date(2026, 10, 2), people_affected=4,
        risk_assessment="-faible", serious_injury_risk=True,
        cai_notified_on=datetime.date(2026, 10, 3), measures_taken="@mesures")


def test_coordination_records_an_incident_with_every_required_field(client, coordination):
    client.force_login(coordination)
    assert client.get(reverse("privacy:incident-create")).status_code == 200
    response = client.post(reverse("privacy:incident-create"), FORM)
    incident = ConfidentialityIncident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:incident-detail", args=[incident.pk])
    assert incident.people_affected == 12
    assert incident.discovered_on == datetime.date(2026, 11, 3)
    assert incident.people_notified_on == datetime.date(2026, 11, 5)
    assert incident.cai_notified_on is None
    assert incident.serious_injury_risk is False
    assert incident.recorded_by == coordination
    assert AuditEvent.objects.for_object(incident).get().verb == "incident.recorded"
    page = client.get(response["Location"]).content.decode()
    for text in ("Noms et courriels de 12 bénévoles", "Une liste jointe par erreur",
                 "Non avisée", "Demande de suppression", "Incident de confidentialité consigné"):
        assert text in page, text


def test_a_form_with_errors_keeps_what_was_typed_and_sums_them_up(client, coordination):
    client.force_login(coordination)
    data = {**FORM, "discovered_on": "2026-10-01", "people_affected": ""}
    response = client.post(reverse("privacy:incident-create"), data)
    assert response.status_code == 200
    assert not ConfidentialityIncident.objects.exists()
    page = response.content.decode()
    assert 'id="form-errors"' in page
    assert 'href="#id_discovered_on"' in page
    assert 'href="#id_people_affected"' in page
    assert "La prise de connaissance précède l&#x27;incident." in page
    assert "Noms et courriels de 12 bénévoles" in page  # kept
    assert 'for="id_information_involved"' in page  # labelled


def test_coordination_edits_an_incident_and_the_change_is_audited(client, coordination,
                                                                  incident):
    client.force_login(coordination)
    url = reverse("privacy:incident-update", args=[incident.pk])
    assert "=HYPERLINK" in client.get(url).content.decode().replace("&quot;", '"')
    data = {**FORM, "people_notified_on": "2026-11-06"}
    client.post(url, data)
    incident.refresh_from_db()
    assert incident.people_notified_on == datetime.date(2026, 11, 6)
    event = AuditEvent.objects.for_object(incident).get(verb="incident.updated")
    assert "people_notified_on" in event.details["fields"]


def test_the_list_shows_the_register(client, coordination, incident):
    client.force_login(coordination)
    page = client.get(reverse("privacy:incident-list")).content.decode()
    assert reverse("privacy:incident-detail", args=[incident.pk]) in page
    assert reverse("privacy:incident-export") in page


def test_the_export_holds_every_field_and_no_live_formula(client, coordination, incident):
    client.force_login(coordination)
    response = client.get(reverse("privacy:incident-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    for label in ("renseignements personnels visés", "circonstances de l'incident",
                  "date de l'incident", "date de la prise de connaissance",
                  "nombre de personnes concernées", "évaluation du risque de préjudice sérieux",
                  "avis à la Commission d'accès à l'information le",
                  "avis aux personnes concernées le", "mesures prises"):
        assert label in header, label
    assert row["titre"] == "'=HYPERLINK(\"http://x\")"
    assert row["circonstances de l'incident"] == "'+ circonstance"
    assert row["évaluation du risque de préjudice sérieux"] == "'-faible"
    assert row["mesures prises"] == "'@mesures"
    assert row["nombre de personnes concernées"] == "4"
    assert row["date de la prise de connaissance"] == "2026-10-02"


@pytest.mark.parametrize("who", ["tq_saint_michel", "advisor_est"])
def test_only_coordination_reaches_the_register(client, request, who, incident):
    client.force_login(request.getfixturevalue(who))
    for url in (reverse("privacy:incident-list"), reverse("privacy:incident-create"),
                reverse("privacy:incident-export"),
                reverse("privacy:incident-detail", args=[incident.pk]),
                reverse("privacy:incident-update", args=[incident.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("privacy:incident-create"), FORM).status_code == 403
    assert client.post(reverse("privacy:incident-update", args=[incident.pk]),
                       FORM).status_code == 403
    assert ConfidentialityIncident.objects.count() == 1


def test_the_service_refuses_anyone_else(tq_saint_michel):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.incident_record(actor=tq_saint_michel, **{
            "summary": "x", "information_involved": "x", "circumstances": "x",
            "occurred_on": timezone.localdate(), "discovered_on": timezone.localdate(),
            "people_affected": 1, "risk_assessment": "x", "measures_taken": "x"})


def test_an_incident_is_kept_at_least_five_years(incident):
    with pytest.raises(RuntimeError, match="at least 5 years"):
        incident.delete()
    with pytest.raises(RuntimeError):
        ConfidentialityIncident.objects.all().delete()
    assert incident.keep_until == datetime.date(2031, 10, 2)
    assert ConfidentialityIncident.objects.count() == 1


def test_an_incident_older_than_five_years_may_be_deleted(coordination):
    old = ConfidentialityIncident.objects.create(
        summary="Ancien", information_involved="x", circumstances="x",
        occurred_on=datetime.date(2015, 1, 1), discovered_on=datetime.date(2015, 1, 2),
        people_affected=1, risk_assessment="x", measures_taken="x", recorded_by=coordination)
    old.delete()
    assert not ConfidentialityIncident.objects.exists()
