"""Error pages: `{status}.html` first, `error.html` for every other status."""
from __future__ import annotations

from flask.testing import FlaskClient


def test_a_missing_page_uses_the_404_template(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Not found</h1>" in page and "Test Shelf" in page


def test_other_statuses_use_the_generic_error_page(client: FlaskClient) -> None:
    response = client.post("/")
    assert response.status_code == 405
    assert "<h1>405 · Method Not Allowed</h1>" in response.get_data(as_text=True)
