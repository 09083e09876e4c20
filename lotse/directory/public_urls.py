from django.urls import path  # noqa: F401 - filled by the public directory

app_name = "public"
urlpatterns: list = []
