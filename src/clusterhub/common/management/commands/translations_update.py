"""`python -m clusterhub translations_update [--check]`: bring the catalogues up to date with the
code. New strings are added untranslated, strings the code dropped are removed, translations
are kept. With `--check` nothing is written: it lists every string missing or untranslated in a
catalogue and fails (what tests/i18n/test_catalogues.py asserts)."""

from django.core.management.base import BaseCommand, CommandError

from clusterhub.common.i18n.catalogue import LANGUAGES, check, update
from clusterhub.common.i18n.extract import messages


class Command(BaseCommand):
    help = "Add the code's new translatable strings to the nb and uk catalogues (or --check)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only list what is missing, and fail if anything"
        )

    def handle(self, *args, **options):
        found = messages()
        if options["check"]:
            problems = [p for language in LANGUAGES for p in check(language, found)]
            if problems:
                raise CommandError(
                    f"{len(problems)} translation problem(s):\n" + "\n".join(map(str, problems))
                )
            self.stdout.write(f"{len(found)} strings, translated in {', '.join(LANGUAGES)}")
            return
        for language in LANGUAGES:
            added, removed = update(language, found)
            self.stdout.write(f"{language}: {added} new string(s) to translate, {removed} removed")
