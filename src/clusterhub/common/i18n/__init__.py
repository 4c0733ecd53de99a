"""The UI's translation catalogues, in pure Python (no GNU gettext needed on the machine).

- `extract.messages()` finds every translatable string of clusterhub: `gettext` and friends in
  Python files, `{% translate %}` / `{% blocktranslate %}` in templates (through Django's own
  `templatize`, as `makemessages` does).
- `catalogue` reads, updates and compiles the `.po` files under `clusterhub/locale/` with Babel,
  and checks them: every string translated, placeholders kept.

Commands: `translations_update` (new strings into the catalogues) and `translations_compile`
(`.po` -> `.mo`, run by `make install`). The test tests/i18n/test_catalogues.py fails when a UI
string is missing from a catalogue. docs/translations.md explains the workflow."""
