from django.urls import path

from . import facilitation_views, live_views, share_views, tailoring_views, turn_views, views

app_name = "alignment"

urlpatterns = [
    path("sessions/<int:number>/", views.session_page, name="session"),
    path("sessions/<int:number>/fields/<slug:field>/", views.session_field, name="session-field"),
    path("sessions/<int:number>/facilitate/", facilitation_views.agenda, name="facilitate"),
    path("sessions/<int:number>/facilitate/state.json", facilitation_views.timers, name="facilitate-state"),
    path("sessions/<int:number>/facilitate/<slug:topic>/timer/", facilitation_views.timer, name="facilitate-timer"),
    path("sessions/<int:number>/present/close/", facilitation_views.close, name="present-close"),
    path("sessions/<int:number>/present/<slug:topic>/", facilitation_views.present, name="present"),
    path("sessions/<int:number>/live/", live_views.session_live, name="session-live"),
    path("sessions/<int:number>/sign/", views.session_sign, name="session-sign"),
    path("sessions/<int:number>/topics/<slug:topic>/agree/", views.topic_agree, name="topic-agree"),
    path("sessions/<int:number>/minutes/<int:version>.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("sessions/<int:number>/template/", tailoring_views.session_template, name="session-template"),
    path("sessions/<int:number>/tailor/", tailoring_views.tailor, name="tailor"),
    path("sessions/<int:number>/tailor/propose/", tailoring_views.tailor_propose, name="tailor-propose"),
    path("sessions/3/support/", views.support_decide, name="support"),
    path("evidence/", views.evidence_list, name="evidence"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="evidence-edit"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("assumptions/", views.assumption_list, name="assumptions"),
    path("assumptions/<int:pk>/edit/", views.assumption_edit, name="assumption-edit"),
    path("assumptions/<int:pk>/delete/", views.assumption_delete, name="assumption-delete"),
    path("assumptions/<int:pk>/action/", views.assumption_action, name="assumption-action"),
    path("sessions/<int:number>/actions/", views.action_list, name="actions"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action-delete"),
    path("brief/", views.brief, name="brief"),
    path("share/", share_views.share_links, name="share-links"),
    path("share/<int:pk>/revoke/", share_views.share_revoke, name="share-revoke"),
    path("brief.pdf", views.brief_pdf, name="brief-pdf"),
    path("turn-email/", turn_views.turn_email, name="turn-email"),
]
