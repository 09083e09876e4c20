from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<id:pk>/", views.referral_detail, name="detail"),
    path("<id:pk>/<slug:step>/", views.referral_step, name="step"),
    path("new/<id:pk>/", views.referral_new, name="new"),
]
