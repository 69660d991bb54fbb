"""Small helpers to build pages in code (demo data, tests)."""

import json
import uuid

from wagtail.models import Page


def stream(*blocks: dict) -> str:
    """StreamField raw data from {"type", "value"} blocks (ids added)."""
    return json.dumps([{**b, "id": str(uuid.uuid4())} for b in blocks])


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
