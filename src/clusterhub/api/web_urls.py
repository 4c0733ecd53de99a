"""The account page for personal API tokens (included at /account/api-tokens/, namespace
`api_tokens`)."""

from django.urls import path

from clusterhub.api import views

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
