import pytest


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """These tests read the English source texts (the catalogues' completeness is tested in
    portal/tests)."""
    settings.LANGUAGE_CODE = "en"
