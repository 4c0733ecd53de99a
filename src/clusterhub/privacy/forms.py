"""The confirmation an erasure asks for: the account's email address, typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import User


class EraseConfirmForm(forms.Form):
    email = forms.CharField(
        label=_("Type your email address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, data=None, *, user: User) -> None:
        super().__init__(data)
        self.user = user

    def clean_email(self) -> str:
        typed = self.cleaned_data["email"].strip()
        if typed.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("This is not your email address: nothing was erased."), code="mismatch"
            )
        return typed
