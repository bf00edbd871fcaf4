from io import StringIO

import pytest
from django.core.management import call_command

from proposals.models import Proposal


@pytest.mark.django_db
def test_benchmark_measures_every_page_and_leaves_the_database_as_it_was():
    out = StringIO()
    call_command("benchmark", scale=5, repeat=1, stdout=out, stderr=out)
    text = out.getvalue()
    assert "Every page runs a constant number of queries." in text
    assert " 500 " not in text
    assert not Proposal.objects.exists()
