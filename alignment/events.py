"""Signals alignment sends for the areas above it, which it may not import (the layers in
pyproject.toml). A receiver that fails raises: the change that sent it is rolled back."""

from django.dispatch import Signal

# Sent inside the transaction that records session 3's support level, with session=, level=
# (a code of guidance.SUPPORT_LEVELS) and by= (the user). The advisory team's help requests
# receive it (projects/advisory/help.py).
support_chosen = Signal()
