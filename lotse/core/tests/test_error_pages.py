from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_a_missing_page_keeps_the_lotse_frame_and_speaks_german(anna, client_for):
    response = client_for(anna).get("/people/p/P-0000-0000/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'lang="de"' in body
    assert "Zum Inhalt springen" in body or "Skip to main content" in body
    assert response.templates[0].name == "404.html"
