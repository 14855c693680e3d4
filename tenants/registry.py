"""The old name of tenants/region_codes.py (the Kemendagri region codes loader), kept for
tenants/migrations/0002_load_provinces_and_regencies.py only: a migration is history and keeps the
import it was written with. Everything else imports tenants.region_codes ("registry" on its own
means the public register of agreements, public_registry/)."""

from .region_codes import TENANT_LEVELS, upsert_level

__all__ = ["TENANT_LEVELS", "upsert_level"]
