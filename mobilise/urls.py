from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .auth import ThrottledAdminAuthenticationForm, ThrottledLoginView

admin.site.site_header = "Mobilise: advisory team"
admin.site.site_title = "Mobilise admin"
# The admin has its own log-in page: it gets the same throttle as /accounts/login/.
admin.site.login_form = ThrottledAdminAuthenticationForm

handler400 = "mobilise.errors.bad_request"
handler403 = "mobilise.errors.permission_denied"
handler404 = "mobilise.errors.page_not_found"
handler500 = "mobilise.errors.server_error"

urlpatterns = [
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("projects.urls")),
    path("", include("projects.plan.urls")),
    path("", include("projects.reports.urls")),
    path("", include("projects.exchange.urls")),
    path("", include("projects.advisory.urls")),
    path("projects/<slug:slug>/", include("alignment.urls")),
    path("", include("alignment.public_urls")),
    path("", include("alignment.template_urls")),
    path("projects/<slug:slug>/", include("raci.urls")),
    path("projects/<slug:slug>/", include("risks.urls")),
]
