"""Imports never change governance facts (the CMTQ's withdrawal from investment decisions,
roles, staff flags); each imported row's changes are written to the audit log."""

import pytest
from django.core.exceptions import PermissionDenied

from neighbourhoods.models import Organisation
from neighbourhoods.services import organisation_recusal_set
from pic.models import AuditEvent, User
from reporting import exports
from reporting.resources import IMPORTS


def dataset(text: str):
    return exports.load_dataset(text.encode(), "csv")


@pytest.fixture
def cmtq(db):
    return Organisation.objects.create(
        name="Coalition montréalaise des tables de quartier", short_name="CMTQ",
        category=Organisation.Category.COMMUNITY, recused_from_investment_decisions=True)


@pytest.mark.parametrize("value", ["0", "1", "False"])
def test_an_import_row_cannot_change_the_recusal_flag(cmtq, coordination, value):
    result = exports.import_run(kind="organisations", dataset=dataset(
        "name,short_name,category,recused_from_investment_decisions\n"
        f"{cmtq.name},CMTQ2,community,{value}\n"), actor=coordination, dry_run=False)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 1
    [message] = invalid.error_dict["recused_from_investment_decisions"]
    assert "« recused_from_investment_decisions » ne s'importe pas" in message
    cmtq.refresh_from_db()
    assert cmtq.recused_from_investment_decisions is True
    assert cmtq.short_name == "CMTQ"  # nothing of the file is written


@pytest.mark.parametrize("column", ["is_staff", "is_superuser", "role", "committee", "seat"])
def test_an_import_row_cannot_give_a_role_or_a_staff_flag(coordination, column):
    result = exports.import_run(kind="people", dataset=dataset(
        f"email,full_name,language,{column}\nnew@example.org,Nouvelle,fr,1\n"),
        actor=coordination, dry_run=False)
    assert result.has_validation_errors()
    assert not User.objects.filter(email="new@example.org").exists()


def test_an_empty_governed_column_is_ignored(coordination):
    result = exports.import_run(kind="people", dataset=dataset(
        "email,full_name,language,is_staff\nnew@example.org,Nouvelle,fr,\n"),
        actor=coordination, dry_run=False)
    assert not result.has_validation_errors()
    assert not User.objects.get(email="new@example.org").is_staff


def test_no_import_resource_holds_a_governed_field():
    for resource in IMPORTS.values():
        attributes = {field.attribute for field in resource().get_import_fields()}
        assert not attributes & {"recused_from_investment_decisions", "is_staff",
                                 "is_superuser", "is_active", "password"}


def test_the_import_page_shows_the_refused_column(client, cmtq, coordination, send_import):
    client.force_login(coordination)
    _upload, response = send_import("organisations", (
        "name,short_name,category,recused_from_investment_decisions\n"
        f"{cmtq.name},CMTQ,community,0\n").encode(), "orgs.csv")
    page = response.content.decode()
    assert "Ligne 1" in page
    assert "ne s&#x27;importe pas" in page or "ne s'importe pas" in page
    assert "Confirmer" not in page


def test_each_imported_row_records_its_changes_in_the_audit_log(cmtq, coordination):
    Organisation.objects.create(name="Dynamo", short_name="Dyn", category="external")
    exports.import_run(kind="organisations", dataset=dataset(
        "name,short_name,category,website\n"
        f"{cmtq.name},CMTQ,community,https://cmtq.org\n"   # website added
        "Dynamo,Dyn,external,\n"                           # unchanged: no event
        "Centraide,CGM,philanthropic,\n"),                 # created
        actor=coordination, dry_run=False)
    updated = AuditEvent.objects.get(verb="import.row_updated")
    assert updated.actor == coordination
    assert updated.object_id == str(cmtq.pk)
    assert updated.details == {"kind": "organisations", "row": 1, "changes": {
        "website": {"before": "", "after": "https://cmtq.org"}}}
    created = AuditEvent.objects.get(verb="import.row_created")
    assert created.details["row"] == 3
    assert created.details["changes"]["short_name"] == {"before": None, "after": "CGM"}
    assert created.object_id == str(Organisation.objects.get(name="Centraide").pk)
    assert AuditEvent.objects.filter(verb="import.done").count() == 1


def test_a_dry_run_writes_no_row_event(coordination):
    exports.import_run(kind="people", dataset=dataset(
        "email,full_name,language\nnew@example.org,Nouvelle,fr\n"), actor=coordination,
        dry_run=True)
    assert not AuditEvent.objects.filter(verb__startswith="import.").exists()


def test_the_recusal_flag_changes_through_its_service_with_its_event(cmtq, coordination):
    organisation_recusal_set(organisation=cmtq, recused=False, actor=coordination)
    cmtq.refresh_from_db()
    assert cmtq.recused_from_investment_decisions is False
    event = AuditEvent.objects.get(verb="organisation.recusal_changed")
    assert event.details == {"before": True, "after": False}
    assert event.actor == coordination
    organisation_recusal_set(organisation=cmtq, recused=False, actor=coordination)
    assert AuditEvent.objects.filter(verb="organisation.recusal_changed").count() == 1


def test_only_coordination_changes_the_recusal_flag(cmtq, advisor_est):
    with pytest.raises(PermissionDenied):
        organisation_recusal_set(organisation=cmtq, recused=False, actor=advisor_est)
    cmtq.refresh_from_db()
    assert cmtq.recused_from_investment_decisions is True


def test_the_log_reads_an_imported_change_as_before_and_after(cmtq, coordination):
    from pic.audit_labels import details_display

    exports.import_run(kind="organisations", dataset=dataset(
        f"name,short_name,category,website\n{cmtq.name},CMTQ,community,https://cmtq.org\n"),
        actor=coordination, dry_run=False)
    event = AuditEvent.objects.get(verb="import.row_updated")
    assert ("modifications", "website — → https://cmtq.org") in details_display(
        event.verb, event.details)
