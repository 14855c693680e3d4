"""Top-level actions open `transaction.atomic(durable=True)`: they must never run inside a
caller's transaction (their e-mail and index work waits for their own commit). pytest-django's
`db` fixture wraps each test in Django's TestCase atomics, which Django marks so a durable block
is still allowed directly inside them; inside any other atomic it is refused."""

import pytest
from django.db import transaction


@pytest.mark.django_db
def test_a_durable_block_runs_inside_the_tests_transaction():
    with transaction.atomic(durable=True):
        ran = True
    assert ran


@pytest.mark.django_db
def test_a_durable_block_inside_another_atomic_is_refused():
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():  # noqa: SIM117
        with transaction.atomic(durable=True):
            pass
