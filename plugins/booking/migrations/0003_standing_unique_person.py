from tortoise import migrations
from tortoise.migrations import operations as ops

# 0001 declares PersonStanding.person unique, but Tortoise 1.1.9 creates a foreign key
# declared unique=True without its unique index, so two first bookings of one person at once
# could each insert a standing row (get_or_create_row rests on the index). Rows already
# doubled are merged into the oldest first, keeping a ban and a contract if either row had it.
MERGE = [
    "UPDATE booking_person_standing SET "
    "banned_until = (SELECT MAX(d.banned_until) FROM booking_person_standing d "
    "WHERE d.person_id = booking_person_standing.person_id), "
    "family_doctor_contract = CASE WHEN EXISTS (SELECT 1 FROM booking_person_standing d "
    "WHERE d.person_id = booking_person_standing.person_id AND d.family_doctor_contract) "
    "THEN TRUE ELSE FALSE END "
    "WHERE id IN (SELECT MIN(id) FROM booking_person_standing GROUP BY person_id "
    "HAVING COUNT(*) > 1)",
    "DELETE FROM booking_person_standing WHERE id NOT IN "
    "(SELECT MIN(id) FROM booking_person_standing GROUP BY person_id)",
    "CREATE UNIQUE INDEX booking_person_standing_one_per_person "
    "ON booking_person_standing (person_id)",
]


class Migration(migrations.Migration):
    dependencies = [("booking", "0002_settings_in_core")]

    initial = False

    operations = [
        ops.RunSQL(MERGE, reverse_sql=["DROP INDEX booking_person_standing_one_per_person"]),
    ]
