"""Who edits which part of the portal, in Wagtail's own terms. The decision (who may hold the
editor permission, who grants it) is in tenants/policy.py; here it becomes Wagtail's groups:

- each region has a group whose page permissions (add, edit, publish) are on the region's
  section (its RegionPage and what lies beneath) and whose collection permissions are on the
  region's own collection of images and documents; its editors are members of that group;
- the platform's editors (one group, given by platform staff in Wagtail's admin) hold the same
  permissions on the portal's other sections and the platform's collection.

Wagtail's page and collection permissions then decide everything in the admin (its explorer,
editor, moderation, images and documents), without a hand-written check."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from core.errors import Conflict, Forbidden, field_error
from tenants import audit
from tenants.models import Membership
from tenants.policy import has_perm

from .policy import PortalPerm, can_be_portal_editor

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", ("add", "change", "choose")),
    ("wagtaildocs", "document", ("add", "change", "choose")),
)
PLATFORM_EDITORS = "Penyunting platform"
PLATFORM_COLLECTION = "Platform"


def _portal_editor(sentence):
    def describe(data, names):
        return str(sentence) % {"email": data["email"]}

    return describe


# The history's events of this module, registered in the one audit registry (their texts live
# in this app's catalogue).
audit.register(
    "portal.editor_granted",
    gettext_lazy("Portal editor added"),
    _portal_editor(gettext_lazy("%(email)s may now edit the region's section of the portal.")),
)
audit.register(
    "portal.editor_revoked",
    gettext_lazy("Portal editor removed"),
    _portal_editor(gettext_lazy("%(email)s no longer edits the region's section of the portal.")),
)


class EditorError:
    NOT_ELIGIBLE = "portal_editor_not_eligible"
    NO_SECTION = "portal_section_missing"


def _grant_section(group: Group, page: Page, collection: Collection) -> None:
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    page_type = ContentType.objects.get_for_model(Page)
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type=page_type, codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    for app_label, model, actions in COLLECTION_PERMISSIONS:
        for action in actions:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def _child_collection(name: str) -> Collection:
    # Wagtail's migrations make the root collection (a flushed database has none).
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def region_editors(page) -> Group:
    """The region's group of editors, made (with its permissions and its collection) on first
    use. Idempotent."""
    from .models import RegionPage

    with transaction.atomic():
        page = RegionPage.objects.select_for_update().select_related("region").get(pk=page.pk)
        group = (
            page.editors
            or Group.objects.get_or_create(name=f"Penyunting portal {page.region.code}")[0]
        )
        collection = page.collection or _child_collection(page.region.full_name)
        _grant_section(group, page, collection)
        if page.editors_id != group.pk or page.collection_id != collection.pk:
            RegionPage.objects.filter(pk=page.pk).update(editors=group, collection=collection)
    return group


def platform_editors() -> Group:
    """The platform editors' group, with permissions on every section of the portal but the
    regions' (and on the platform's collection). Idempotent; staff add people to it."""
    from .models import HomePage, RegionPage

    group, _created = Group.objects.get_or_create(name=PLATFORM_EDITORS)
    collection = _child_collection(PLATFORM_COLLECTION)
    home = HomePage.objects.first()
    if home is not None:
        for section in Page.objects.child_of(home).not_type(RegionPage):
            _grant_section(group, section, collection)
    return group


def _section_for(membership: Membership):
    from .models import RegionPage

    page = RegionPage.objects.filter(region_id=membership.tenant.region_id).first()
    if page is None:
        raise Conflict(
            _("%(region)s has no section on the public portal yet.")
            % {"region": membership.tenant.name},
            code=EditorError.NO_SECTION,
        )
    return page


def is_editor(membership: Membership, page=None) -> bool:
    from .models import RegionPage

    page = page or RegionPage.objects.filter(region_id=membership.tenant.region_id).first()
    return (
        page is not None
        and page.editors_id is not None
        and membership.user.groups.filter(pk=page.editors_id).exists()
    )


def editor_user_ids(page) -> set[int]:
    if page is None or page.editors_id is None:
        return set()
    return set(Group.objects.get(pk=page.editors_id).user_set.values_list("pk", flat=True))


def _require_manager(acting_user, membership: Membership) -> None:
    if not has_perm(acting_user, membership.tenant, PortalPerm.MANAGE_PORTAL_EDITORS):
        raise Forbidden(_("Only the region's administrators choose its portal editors."))


def grant_editor(*, membership: Membership, acting_user) -> None:
    """Let a member of the region edit the region's section of the portal."""
    _require_manager(acting_user, membership)
    if not can_be_portal_editor(membership):
        raise field_error(
            None,
            _(
                "%(email)s is %(role)s: only administrators, TKKSD members and OPD staff edit "
                "the region's section of the portal. Change their role first."
            )
            % {"email": membership.user.email, "role": membership.get_role_display()},
            EditorError.NOT_ELIGIBLE,
        )
    page = _section_for(membership)
    with transaction.atomic():
        group = region_editors(page)
        membership.user.groups.add(group)
        audit.record(
            "portal.editor_granted",
            actor=acting_user,
            tenant=membership.tenant,
            obj=membership,
            data={"email": membership.user.email},
        )


def revoke_editor(*, membership: Membership, acting_user) -> None:
    """The office withdraws a member's editor permission."""
    _require_manager(acting_user, membership)
    page = _section_for(membership)
    with transaction.atomic():
        if page.editors_id is None or not _leave(membership.user, page):
            return
        audit.record(
            "portal.editor_revoked",
            actor=acting_user,
            tenant=membership.tenant,
            obj=membership,
            data={"email": membership.user.email},
        )


def _leave(user, page) -> bool:
    if not user.groups.filter(pk=page.editors_id).exists():
        return False
    user.groups.remove(page.editors_id)
    return True


def _withdraw(membership: Membership) -> None:
    """Leaving the region, or a role that may not hold the permission, withdraws it (the
    membership's own event, member.removed or member.role_changed, is in the history)."""
    from .models import RegionPage

    page = (
        RegionPage.objects.filter(region_id=membership.tenant.region_id, editors__isnull=False)
        .only("pk", "editors_id")
        .first()
    )
    if page is not None:
        _leave(membership.user, page)


def on_membership_saved(sender, instance: Membership, **kwargs) -> None:
    if not can_be_portal_editor(instance):
        _withdraw(instance)


def on_membership_deleted(sender, instance: Membership, **kwargs) -> None:
    _withdraw(instance)
