"""Search's tests that need real listings borrow the marketplace's fixtures."""

from marketplace.tests.conftest import fields, make_listing, photo_upload  # noqa: F401
