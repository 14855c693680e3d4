"""The database connection as django-tenants makes it, typed.

`django.db.connection` is django-tenants' wrapper at run time (settings' ENGINE), which adds the
schema it is set to and the calls that move it. Django's stubs only know the base wrapper, so
code that moves the schema imports `connection` from here: the same object, with the methods
django-tenants adds declared for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import connection as _connection

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    class TenantConnection(BaseDatabaseWrapper):
        schema_name: str
        tenant: Any

        def set_schema(self, schema_name: str, include_public: bool = ...) -> None: ...
        def set_schema_to_public(self) -> None: ...
        def set_tenant(self, tenant: Any, include_public: bool = ...) -> None: ...


connection = cast("TenantConnection", _connection)
