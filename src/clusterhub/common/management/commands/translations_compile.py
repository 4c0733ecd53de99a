"""`python -m clusterhub translations_compile`: the `.po` catalogues to the `.mo` files Django
reads (pure Python, Babel; `make install` runs it)."""

from django.core.management.base import BaseCommand

from clusterhub.common.i18n.catalogue import compile_all


class Command(BaseCommand):
    help = "Compile the nb and uk catalogues (clusterhub/locale/*/LC_MESSAGES/django.po) to .mo."

    def handle(self, *args, **options):
        for path in compile_all():
            self.stdout.write(f"compiled {path}")
