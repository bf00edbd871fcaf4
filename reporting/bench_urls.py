"""The site's URLs plus a bare page, used only by `manage.py bench` (it switches ROOT_URLCONF
to this module for its own requests; nothing routes here otherwise).

The bare page is the floor a page is compared with: the base layout, one indexed query, the
same middleware and the same login as every measured page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from pic.models import User
from pic.urls import urlpatterns as site_urlpatterns


@login_required
def bare(request):
    User.objects.filter(pk=request.user.pk).values_list("email", flat=True).first()
    return render(request, "base.html", {})


urlpatterns = [path("__bench__/bare/", bare, name="bench-bare"), *site_urlpatterns]
