"""Evaluation questions as a formset: rows added without JavaScript (« Ajouter une ligne »),
deleted by a box, and errors shown on their row with everything typed kept."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def edit_url(proposal):
    return reverse("proposals:proposal-edit", args=[proposal.pk])


def questions_page(proposal):
    return reverse("proposals:proposal-edit-section", args=[proposal.pk, "evaluation"])


def rows(*questions, total=None, deleted=(), **extra):
    """POST data of the questions formset: one row per (question, data, target)."""
    data = {"title": "Titre", "questions-TOTAL_FORMS": str(total or len(questions)),
            "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000"}
    for i, (question, collected, target) in enumerate(questions):
        data.update({f"questions-{i}-question": question,
                     f"questions-{i}-data_to_collect": collected,
                     f"questions-{i}-target": target})
        if i in deleted:
            data[f"questions-{i}-DELETE"] = "on"
    data.update(extra)
    return data


THREE = [("Les familles mangent-elles mieux?", "Sondage", "60 %"),
         ("Les jardins sont-ils utilisés?", "Visites", "10 jardins"),
         ("Qui vient aux cuisines?", "Registre", "200 personnes")]


def saved(proposal):
    return list(proposal.evaluation_questions.order_by("position")
                .values_list("position", "question", "data_to_collect", "target"))


def test_three_questions_are_saved_in_their_order(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    response = client.post(edit_url(draft), rows(*THREE))
    assert response.status_code == 302
    assert saved(draft) == [(n, *q) for n, q in enumerate(THREE, start=1)]


def test_a_question_ticked_for_deletion_is_removed(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    client.post(edit_url(draft), rows(*THREE))
    response = client.post(edit_url(draft), rows(*THREE, deleted={1}))
    assert response.status_code == 302
    assert [q for _p, q, _d, _t in saved(draft)] == [THREE[0][0], THREE[2][0]]


def test_the_page_offers_three_rows_then_one_more_than_there_are_questions(
        client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    page = client.get(questions_page(draft)).content.decode()
    assert len(re.findall(r'name="questions-\d+-question"', page)) == 3
    client.post(edit_url(draft), rows(*THREE))
    page = client.get(questions_page(draft)).content.decode()
    assert len(re.findall(r'name="questions-\d+-question"', page)) == 4
    assert len(re.findall(r'name="questions-\d+-DELETE"', page)) == 4
    assert "Les jardins sont-ils utilisés?" in page


def test_adding_a_row_comes_back_with_one_more_empty_row_and_every_typed_value(
        client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    response = client.post(edit_url(draft), rows(*THREE, vision="Ma vision gardée",
                                                  add_row="questions"))
    assert response.status_code == 200
    page = response.content.decode()
    assert len(re.findall(r'name="questions-\d+-question"', page)) == 4
    assert 'name="questions-TOTAL_FORMS" value="4"' in page
    assert '<textarea name="questions-3-question"' in page
    assert "Ma vision gardée" in page
    for question, collected, target in THREE:
        assert question in page
        assert f'value="{collected}"' in page
        assert f'value="{target}"' in page
    assert "une ligne vide est ajoutée" in page
    assert len(saved(draft)) == 3  # and the draft is saved


def test_a_row_with_an_error_keeps_what_was_typed_and_is_summarised(
        client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    client.post(edit_url(draft), rows(THREE[0]))
    too_long = "x" * 2001
    response = client.post(edit_url(draft), rows(
        ("Nouvelle question", too_long, "Cible gardée"), ("", "", "Une cible sans question")))
    assert response.status_code == 400
    page = response.content.decode()
    assert too_long in page
    assert "Cible gardée" in page
    assert "Une cible sans question" in page
    assert "Écrivez la question, ou videz cette ligne." in page
    summary = page[page.index('id="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert 'href="#id_questions-0-data_to_collect"' in summary
    assert 'href="#id_questions-1-question"' in summary
    row = page[page.index('id="questions-0"'):page.index('id="questions-1"')]
    assert 'class="error"' in row  # the error beside its field, on its row
    assert [q for _p, q, _d, _t in saved(draft)] == [THREE[0][0]]  # nothing half-saved


def test_a_post_without_the_questions_leaves_them_as_they_are(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    client.post(edit_url(draft), rows(*THREE))
    client.post(edit_url(draft), {"title": "Autre titre"})
    assert len(saved(draft)) == 3


def test_a_forged_row_count_is_capped(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    before = saved(draft)
    response = client.post(edit_url(draft), rows(*THREE, total=5000))
    assert response.status_code == 400
    assert "20" in response.context["form"].question_formset.non_form_errors()[0]
    assert saved(draft) == before


def test_the_rows_speak_english_to_an_english_reader(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    # The language middleware activates English in this thread: give French back afterwards.
    with translation.override("fr"):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = client.post(edit_url(draft), rows(*THREE, add_row="questions"))
        page = response.content.decode()
        assert "Add a row" in page
        assert "Delete this question" in page
        assert "Draft saved; an empty row is added." in page
        response = client.post(edit_url(draft), rows(("", "", "A target alone")))
        assert "Write the question, or clear this row." in response.content.decode()
