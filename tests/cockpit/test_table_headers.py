"""Every cockpit list's column headers start with a capital letter, as a French title
does ("Subdivision", not "subdivision")."""

import pytest

from domains.cockpit.registry import registry

pytestmark = pytest.mark.django_db


def test_every_column_header_of_every_screen_is_capitalised():
    lower = []
    for slug, screen in registry.screens.items():
        table = screen.table_class(screen.model.objects.none())
        for column in table.columns:
            header = str(column.header).strip()
            if header and header[0].isalpha() and not header[0].isupper():
                lower.append(f"{slug}: {header!r}")
    assert registry.screens  # the check ran over the screens
    assert lower == []
