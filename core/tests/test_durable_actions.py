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


@pytest.mark.django_db
def test_a_top_level_action_refuses_a_callers_transaction_and_its_inner_joins_it():
    from core.actions import top_level

    @top_level
    def act(value):
        """Doubles."""
        return value * 2

    assert act(2) == 4 and act.__doc__ == "Doubles."
    with transaction.atomic():
        with pytest.raises(RuntimeError, match="durable"):
            act(2)
        assert act.inner(3) == 6
