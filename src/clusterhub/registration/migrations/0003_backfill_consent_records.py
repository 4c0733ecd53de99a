"""One ConsentRecord for every consent given before consents were recorded: version
`unversioned` (nobody knows which wording those people saw), no text, source `backfill`,
at the time the registration stored."""

from django.db import migrations

FIELDS = {
    "privacy": "consent_privacy_at",
    "matchmaking": "consent_matchmaking_at",
    "photos": "consent_photos_at",
}


def backfill(apps, schema_editor):
    Registration = apps.get_model("registration", "Registration")
    ConsentRecord = apps.get_model("registration", "ConsentRecord")
    batch = []
    for row in Registration.objects.values("pk", *FIELDS.values()).iterator(chunk_size=2000):
        for kind, field in FIELDS.items():
            if row[field] is not None:
                batch.append(
                    ConsentRecord(
                        registration_id=row["pk"], kind=kind, given=True,
                        version="unversioned", text="", source="backfill", at=row[field],
                    )
                )  # fmt: skip
        if len(batch) >= 2000:
            ConsentRecord.objects.bulk_create(batch)
            batch = []
    ConsentRecord.objects.bulk_create(batch)


def forget(apps, schema_editor):
    apps.get_model("registration", "ConsentRecord").objects.filter(source="backfill").delete()


class Migration(migrations.Migration):
    dependencies = [("registration", "0002_consent_records_and_anonymisation")]

    operations = [migrations.RunPython(backfill, forget)]
