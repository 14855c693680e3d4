"""A missing test tool: a clear skip for a developer, a failure under `make test`."""

from __future__ import annotations

import pytest

from tests.tools import missing_tool


def test_a_missing_tool_is_a_skip_that_names_the_command(monkeypatch):
    monkeypatch.delenv("JEJARING_REQUIRE_TEST_TOOLS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="run `make html-checker`"):
        missing_tool("The HTML checker", "make html-checker")


def test_under_make_test_a_missing_tool_fails_the_run(monkeypatch):
    monkeypatch.setenv("JEJARING_REQUIRE_TEST_TOOLS", "1")
    with pytest.raises(pytest.fail.Exception, match="run `make browser`"):
        missing_tool("Chromium", "make browser")
