from django.db import migrations

STANDARD_CHANNELS = (
    ("telefoon", "Telefoon"),
    ("balie", "Balie"),
    ("email", "E-mail"),
    ("brief", "Brief (scan)"),
    ("webformulier", "Webformulier"),
    ("chat", "Chat / app"),
    ("sociale-media", "Sociale media"),
)


def seed(apps, schema_editor):
    channel = apps.get_model("contacts", "Channel")
    for order, (code, name) in enumerate(STANDARD_CHANNELS, start=1):
        channel.objects.get_or_create(code=code, defaults={"name": name, "display_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
