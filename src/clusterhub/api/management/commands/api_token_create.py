"""`python -m clusterhub api_token_create EMAIL --name NAME [--write] [--cluster SLUG]`: create a
personal API token for the user with EMAIL and print its secret, once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clusterhub.api.models import ApiTokenScope
from clusterhub.api.services import api_token_create
from clusterhub.directory.models import Cluster, User


class Command(BaseCommand):
    help = (
        "Create a personal API token for the user with EMAIL and print its secret. The secret "
        "is shown only now; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", metavar="EMAIL")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument("--write", action="store_true", help="allow writes (default: read)")
        parser.add_argument("--cluster", metavar="SLUG", help="limit the token to this cluster")

    def handle(self, *args, email: str, name: str, write: bool, cluster: str | None, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the email “{email}”.")
        limit = None
        if cluster:
            limit = Cluster.objects.filter(slug=cluster).first()
            if limit is None:
                raise CommandError(f"No cluster with the short name “{cluster}”.")
        scopes = ApiTokenScope.READ_WRITE if write else ApiTokenScope.READ
        try:
            token, secret = api_token_create(
                user=user, name=name, scopes=scopes, cluster=limit, actor=None
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token “{token.name}” ({token.prefix}…, {token.scopes}) for {user.email}. "
            "Copy the secret now; it will not be shown again:"
        )
        self.stdout.write(secret)
