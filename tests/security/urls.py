"""A test-only URLconf: the real one plus pages that fail on purpose."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from mobilise.urls import handler400, handler403, handler404, handler500  # noqa: F401
from mobilise.urls import urlpatterns as real_patterns


@login_not_required
def boom(request):
    raise RuntimeError("secret-internal-detail: the database password is hunter2")


urlpatterns = [path("boom/", boom, name="boom"), *real_patterns]
