"""The permission mechanism knows no feature: each registers its permissions with `grant`, and a
permission nobody registered is an error, never a silent "no"."""

from enum import StrEnum

import pytest

from cms.policy import PortalPerm
from marketplace.policy import MarketplacePerm
from missions.policy import MissionPerm
from search.policy import SearchPerm
from tenants import policy
from tenants.models import Role

pytestmark = pytest.mark.django_db


class Stray(StrEnum):
    NEVER = "stray.never_registered"


def test_an_unregistered_permission_is_an_error(member, malang, staff_user):
    user = member(malang, Role.ADMIN)
    with pytest.raises(policy.UnknownPermission):
        policy.has_perm(user, malang, Stray.NEVER)
    with pytest.raises(policy.UnknownPermission):
        policy.role_allows(Role.ADMIN, "listing.publsh")  # a typo
    with pytest.raises(policy.UnknownPermission):
        policy.has_platform_perm(staff_user, Stray.NEVER)


def test_every_feature_registered_its_own_permissions():
    known = policy.registered_permissions()
    for perms in (MarketplacePerm, MissionPerm, SearchPerm, PortalPerm, policy.Perm):
        assert {str(p) for p in perms} <= known
    assert MarketplacePerm.PUBLISH_LISTINGS in policy.ROLE_PERMS[Role.OPD]
    assert MarketplacePerm.PUBLISH_LISTINGS in policy.WRITE_PERMS
    assert SearchPerm.MANAGE_SYNONYMS in policy.PLATFORM_PERMS


def test_a_feature_grants_and_has_perm_answers(member, malang, monkeypatch):
    class Extra(StrEnum):
        DO = "extra.do"
        READ = "extra.read"

    monkeypatch.setattr(policy, "ROLE_PERMS", {**policy.ROLE_PERMS})
    monkeypatch.setattr(policy, "WRITE_PERMS", set(policy.WRITE_PERMS))
    monkeypatch.setattr(policy, "_KNOWN", dict(policy._KNOWN))
    policy.grant(Extra, role_perms={Role.OPD: {Extra.DO, Extra.READ}}, writes={Extra.DO})
    opd, viewer = member(malang, Role.OPD, opd="Bappeda"), member(malang, Role.VIEWER)
    assert policy.has_perm(opd, malang, Extra.DO)
    assert not policy.has_perm(viewer, malang, Extra.DO)
    assert {Extra.DO, Extra.READ} <= policy.permissions_for(opd, malang)
    with pytest.raises(ValueError, match="twice"):
        policy.grant(Extra)


def test_a_grant_naming_what_it_does_not_declare_is_refused():
    class Extra(StrEnum):
        DO = "extra2.do"

    with pytest.raises(ValueError, match="not declared"):
        policy.grant(Extra, writes={"extra2.other"})
    assert "extra2.do" not in policy.registered_permissions()
