"""Private uploads never answer at a media address: only the views that check who asks
serve them. The public site's images do."""

import pytest

pytestmark = pytest.mark.django_db

PRIVATE = [
    "appariement/1/2/cv.pdf",  # matching candidacy: CV, cover letter, contract
    "agrements/1/2/rapport.pdf",  # accreditation pieces
    "situations/3/certificat.pdf",  # special situations' justifications
    "imports/ab/abcdef/internes.xlsx",  # legacy spreadsheets and their reports
    "imports/reports/rapport.xlsx",
    "helpdesk/attachments/dem-1/1/capture.png",  # support attachments
    "documents/note-interne.pdf",  # Wagtail documents (served by Wagtail's view)
    "images/../agrements/1/2/rapport.pdf",  # not an image once normalised
    "images/%2e%2e/agrements/1/2/rapport.pdf",
]


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    for name in [p for p in PRIVATE if ".." not in p and "%" not in p] + [
        "original_images/affiche.png",
        "images/affiche.width-800.png",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"secret")
    return tmp_path


@pytest.mark.parametrize("path", PRIVATE)
def test_a_private_upload_is_not_served_by_its_address(client, media, path):
    response = client.get(f"/media/{path}")
    assert response.status_code == 404
    assert b"secret" not in b"".join(getattr(response, "streaming_content", [b""]))


@pytest.mark.parametrize(
    "path", ["original_images/affiche.png", "images/affiche.width-800.png"]
)
def test_the_public_site_images_are(client, media, path):
    response = client.get(f"/media/{path}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"


def test_debug_does_not_open_the_media_folder(client, media, settings):
    """The development server used to serve all of /media/ when DEBUG was on."""
    import importlib

    from django.urls import clear_url_caches

    import config.urls

    settings.DEBUG = True
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        assert client.get("/media/agrements/1/2/rapport.pdf").status_code == 404
        assert client.get("/media/images/affiche.width-800.png").status_code == 200
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()
