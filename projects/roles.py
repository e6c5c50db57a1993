"""Who counts as the advisory team. Below the models (Project.objects.visible_to asks it),
so it imports nothing from projects."""

ADVISORY_GROUP = "Advisory team"


def is_advisor(user) -> bool:
    if not (user.is_authenticated and user.is_staff):
        return False
    if not hasattr(user, "_is_advisor"):
        user._is_advisor = user.is_superuser or user.groups.filter(name=ADVISORY_GROUP).exists()
    return user._is_advisor
