"""A person's own data, under /account/my-data/ (namespace `privacy`). Login required."""

from django.urls import path

from clusterhub.privacy import views

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("download/", views.my_data_download, name="download"),
    path("erase/", views.erase, name="erase"),
]
