"""The Subsite type: a unit's site, a folder that is a navigation root.

The type is registered through the kernel's type registry like the built-in types;
its add and edit forms are the kernel's generic forms and its JSON form the API's,
so every field below is validated the same way through both doors. What a field
cannot know alone (a host name another subsite has, the portal's own host, a field
only Managers may change) is refused by :func:`check_subsite`, before anything is
stored.

The site keeps three maps, created by an evolve step and kept by the event hooks of
this module and of :mod:`subsites.redirects`: ``site.hosts`` (host name -> subsite
uid), ``site.host_aliases`` (a host a subsite had -> its uid), ``site.unit_codes``
(administrative code -> subsite uid) and ``site.redirects`` (old path -> uid).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from BTrees.OOBTree import OOBTree
from pyramid.httpexceptions import HTTPForbidden
from zope.interface import implementer

from core.blobs import AttachedImage
from core.branding import COLOUR_RE
from core.content import Folder
from core.contenttypes import DESCRIPTION
from core.fields import (
    Bool,
    Choice,
    Field,
    ImageAttribute,
    Invalid,
    MultiChoice,
    Text,
    TextLine,
)
from core.hookspecs import hookimpl
from core.i18n import _
from core.theme import get_templates, theme_dir
from core.types import ContentType
from subsites.hosting import portal_hosts
from subsites.interfaces import ISubsite
from subsites.units import unit_kinds

#: The type's name.
TYPE_NAME = "Subsite"
#: Adding, deleting, renaming or moving a subsite; changing its host names, code,
#: kind or parent. Only Managers hold it (the site root gives them every permission).
MANAGE_SUBSITES = "manage_subsites"
#: Fields only holders of :data:`MANAGE_SUBSITES` may change (a SiteAdmin edits the
#: rest: names, contacts, look, plugins, and whether its items reach the portal).
MANAGER_FIELDS = ("unit_kind", "parent_code", "code", "hostnames")
#: The evolve step creating the site's maps (also run on new sites).
EVOLVE_STEP = "subsites-0001-maps"
#: Host names a subsite may have at most.
MAX_HOSTS = 20

HOST_RE = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)
CODE_RE = re.compile(r"^[0-9]{1,12}$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}\.[^@\s<>\"']+$")


#: The class of the logos and banners (and news articles' lead images) stored before
#: :class:`core.blobs.AttachedImage` took its place: stored objects name it.
SubsiteImage = AttachedImage


@implementer(ISubsite)
class Subsite(Folder):
    """A unit's site: its own navigation, look, admins and enabled plugins."""

    type_name = TYPE_NAME
    unit_kind = ""
    parent_code = ""
    code = ""
    hostnames: tuple[str, ...] = ()
    old_hostnames: tuple[str, ...] = ()
    address = ""
    phone = ""
    email = ""
    logo: AttachedImage | None = None
    banner: AttachedImage | None = None
    theme = ""
    colour = ""
    enabled_plugins: tuple[str, ...] = ()
    in_province_listings = True
    # what the site maps hold for it now (to update them when the fields change)
    _mapped_hosts: tuple[str, ...] = ()
    _mapped_code = ""


# fields ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hostnames(Field):
    """Host names, one a line in forms (a list or a text in JSON), stored as a tuple
    of lowercase names: ``tanphu.haiduong.gov.vn``."""

    widget: str = "textarea"
    default: Any = ()
    json_type = "array"
    factory = "List"

    def schema_details(self, request):
        return {"items": {"type": "string"}, "maxItems": MAX_HOSTS, "uniqueItems": True}

    def convert(self, raw, source):
        if isinstance(raw, str):
            raw = raw.replace(",", " ").split()
        if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
            raise Invalid(_("Phải là một danh sách tên miền."))
        hosts: list[str] = []
        for value in raw:
            host = value.strip().lower().rstrip(".")
            if not HOST_RE.match(host):
                raise Invalid(
                    _(
                        "“${host}” không phải là tên miền hợp lệ (ví dụ: tanphu.haiduong.gov.vn, "
                        "không có http:// hay dấu /).",
                        mapping={"host": value.strip()[:100]},
                    )
                )
            if host not in hosts:
                hosts.append(host)
        if len(hosts) > MAX_HOSTS:
            raise Invalid(_("Tối đa ${n} tên miền.", mapping={"n": MAX_HOSTS}))
        return tuple(hosts)

    def serialize(self, obj):
        return list(getattr(obj, self.name, ()) or ())


@dataclass(frozen=True)
class UnitCode(TextLine):
    """An administrative code: digits only (``25747``); empty for none."""

    default: Any = ""
    max_length: int = 12

    def convert(self, raw, source):
        value = super().convert(raw, source)
        if value and not CODE_RE.match(value):
            raise Invalid(_("Mã đơn vị chỉ gồm chữ số (ví dụ: 25747)."))
        return value


@dataclass(frozen=True)
class Colour(TextLine):
    """A CSS colour ``#rrggbb`` (stored lowercase); empty for the theme's."""

    default: Any = ""
    max_length: int = 50

    def convert(self, raw, source):
        value = super().convert(raw, source).lower()
        if value and not COLOUR_RE.match(value):
            raise Invalid(_("Màu phải có dạng #rrggbb, ví dụ #a50e0e."))
        return value


@dataclass(frozen=True)
class Email(TextLine):
    """An email address; empty for none."""

    default: Any = ""
    max_length: int = 200

    def convert(self, raw, source):
        value = super().convert(raw, source)
        if value and not EMAIL_RE.match(value):
            raise Invalid(_("Địa chỉ thư điện tử không hợp lệ (ví dụ: ubnd@tanphu.gov.vn)."))
        return value


def theme_names(registry) -> list[str]:
    """The themes a subsite may choose: the ``themes`` package's and the plugins'."""
    found = set(get_templates(registry).themes)
    folder = theme_dir("")
    if os.path.isdir(folder):
        found.update(
            name
            for name in os.listdir(folder)
            if os.path.isdir(os.path.join(folder, name)) and name.isidentifier()
        )
    return sorted(found)


def plugin_vocabulary(registry) -> tuple:
    """``(name, label)`` of each plugin running on the portal, in setting order."""
    from subsites.plugins import plugin_infos

    return tuple((info.name, info.label) for info in plugin_infos(registry))


def subsite_fields(registry) -> tuple[Field, ...]:
    """The fields of the Subsite type, with this application's kinds, themes and
    plugins as vocabularies."""
    kinds = tuple((k.name, k.label) for k in unit_kinds(registry))
    plugins = plugin_vocabulary(registry)
    return (
        TextLine("title", _("Tên đơn vị"), required=True, description=_("Ví dụ: UBND xã Tân Phú.")),
        DESCRIPTION,
        Choice("unit_kind", _("Loại đơn vị"), required=True, vocabulary=kinds),
        UnitCode(
            "parent_code",
            _("Mã đơn vị cấp trên"),
            description=_("Để trống nếu trực thuộc tỉnh."),
        ),
        UnitCode("code", _("Mã đơn vị hành chính"), description=_("Ví dụ: 25747.")),
        Hostnames(
            "hostnames",
            _("Tên miền"),
            description=_(
                "Mỗi dòng một tên miền, ví dụ: tanphu.haiduong.gov.vn. Tên miền bỏ đi "
                "vẫn được chuyển tiếp về tên miền mới."
            ),
        ),
        Text("address", _("Địa chỉ"), max_length=300, widget="text"),
        TextLine("phone", _("Điện thoại"), max_length=50, default=""),
        Email("email", _("Thư điện tử")),
        ImageAttribute("logo", _("Biểu trưng (logo)")),
        ImageAttribute("banner", _("Ảnh đầu trang (banner)")),
        Choice(
            "theme",
            _("Giao diện"),
            vocabulary=tuple((name, name) for name in theme_names(registry)),
            default="",
            description=_("Để trống để dùng giao diện của cổng."),
        ),
        Colour(
            "colour",
            _("Màu chủ đạo"),
            description=_("Dạng #rrggbb; để trống để dùng màu của giao diện."),
        ),
        MultiChoice(
            "enabled_plugins",
            _("Chức năng được bật"),
            vocabulary=plugins,
            default=tuple(name for name, _label in plugins),
        ),
        Bool(
            "in_province_listings",
            _("Hiện tin bài trên cổng tỉnh"),
            default=True,
            description=_(
                "Bỏ chọn để tin bài của đơn vị không hiện ở các danh sách của cổng tỉnh."
            ),
        ),
    )


def subsite_type(registry) -> ContentType:
    """The Subsite content type of this application."""
    return ContentType(
        TYPE_NAME,
        Subsite,
        _("Trang thành phần"),
        fields=subsite_fields(registry),
        addable_to=("Site", TYPE_NAME),
        add_permission=MANAGE_SUBSITES,
        workflow="one_state",
        description=_("Trang thông tin của một đơn vị: sở, ngành, xã, phường..."),
        check=check_subsite,
    )


# checks needing the site ------------------------------------------------------------
def check_parent_code(
    request, values: dict, known_codes: Iterable[str] = (), own_code: str = ""
) -> dict:
    """Errors for a ``parent_code`` that names no unit: it must be empty (the
    province), the code of an existing subsite or one of ``known_codes`` (units
    imported along with this one), and not the unit's own code (``values``'
    ``code``, else ``own_code``). The Subsite type's check asks this for every
    door (form, API, command line)."""
    parent_code = values.get("parent_code") or ""
    if not parent_code:
        return {}
    if parent_code == (values.get("code", own_code) or ""):
        return {"parent_code": _("Một đơn vị không thể trực thuộc chính nó.")}
    if parent_code in request.root.unit_codes or parent_code in set(known_codes):
        return {}
    return {
        "parent_code": _(
            "Không có đơn vị nào mang mã “${code}”; để trống nếu trực thuộc tỉnh.",
            mapping={"code": parent_code},
        )
    }


def check_subsite(request, folder, obj, values: dict) -> dict:
    """Errors for values each field accepts but the portal refuses: a host name of
    the portal or of another subsite, a code another subsite has, a parent code no
    unit has (:func:`check_parent_code`), and changes of
    :data:`MANAGER_FIELDS` by someone who is not a Manager."""
    site = request.root
    errors = {}
    uid = obj.uid if obj is not None else None
    if obj is not None and not request.has_permission(MANAGE_SUBSITES, obj):
        for name in MANAGER_FIELDS:
            if name in values and values[name] != getattr(obj, name):
                errors[name] = _("Chỉ quản trị hệ thống được thay đổi mục này.")
    own_hosts = portal_hosts(request)
    for host in values.get("hostnames", ()):
        if "hostnames" in errors:
            break
        if host in own_hosts:
            errors["hostnames"] = _("“${host}” là tên miền của cổng tỉnh.", mapping={"host": host})
            continue
        other = site.hosts.get(host)
        if other is not None and other != uid:
            errors["hostnames"] = _(
                "Tên miền “${host}” đã được dùng cho “${title}”.",
                mapping={"host": host, "title": _title_of(site, other)},
            )
    code = values.get("code")
    if code and "code" not in errors:
        other = site.unit_codes.get(code)
        if other is not None and other != uid:
            errors["code"] = _(
                "Mã “${code}” đã được dùng cho “${title}”.",
                mapping={"code": code, "title": _title_of(site, other)},
            )
    for name, message in check_parent_code(
        request, values, own_code=getattr(obj, "code", "")
    ).items():
        errors.setdefault(name, message)
    return errors


def _title_of(site, uid: str) -> str:
    obj = site.uids.get(uid)
    return (obj.title or obj.__name__) if obj is not None else uid


# the site maps --------------------------------------------------------------------------
def create_maps(site) -> None:
    """Evolve step: give the site its host, alias, code and redirect maps (filled
    from the subsites already there)."""
    from core.uids import walk

    for name in ("hosts", "host_aliases", "unit_codes", "redirects"):
        if getattr(site, name, None) is None:
            setattr(site, name, OOBTree())
    for obj in walk(site):
        if ISubsite.providedBy(obj):
            sync_maps(site, obj)


def sync_maps(site, subsite) -> None:
    """Make the site maps agree with ``subsite``'s host names and code: a host it
    no longer has becomes an alias that redirects to it, unless another subsite
    took it."""
    uid = subsite.uid
    hosts = tuple(subsite.hostnames or ())
    gone = [h for h in subsite._mapped_hosts if h not in hosts]
    for host in gone:
        if site.hosts.get(host) == uid:
            del site.hosts[host]
    old = [h for h in (*subsite.old_hostnames, *gone) if h not in hosts]
    subsite.old_hostnames = tuple(dict.fromkeys(old))
    for host in subsite.old_hostnames:
        if host not in site.hosts:
            site.host_aliases[host] = uid
    for host in hosts:
        previous = site.host_aliases.get(host)
        if previous is not None:
            del site.host_aliases[host]
            if previous != uid:
                _forget_old_host(site, previous, host)
        site.hosts[host] = uid
    if subsite._mapped_hosts != hosts:
        subsite._mapped_hosts = hosts
    code = subsite.code or ""
    if subsite._mapped_code != code:
        if subsite._mapped_code and site.unit_codes.get(subsite._mapped_code) == uid:
            del site.unit_codes[subsite._mapped_code]
        subsite._mapped_code = code
    if code:
        site.unit_codes[code] = uid


def _forget_old_host(site, uid: str, host: str) -> None:
    other = site.uids.get(uid)
    if other is not None and host in other.old_hostnames:
        other.old_hostnames = tuple(h for h in other.old_hostnames if h != host)


def drop_from_maps(site, subsite) -> None:
    """Remove a deleted subsite's hosts, aliases and code from the site maps."""
    uid = subsite.uid
    for host in (*subsite._mapped_hosts, *subsite.hostnames):
        if site.hosts.get(host) == uid:
            del site.hosts[host]
    for host in subsite.old_hostnames:
        if site.host_aliases.get(host) == uid:
            del site.host_aliases[host]
    for code in {subsite._mapped_code, subsite.code}:
        if code and site.unit_codes.get(code) == uid:
            del site.unit_codes[code]


def require_manager(request, obj) -> None:
    """403 unless the requester may manage subsites where ``obj`` is."""
    if not request.has_permission(MANAGE_SUBSITES, obj):
        raise HTTPForbidden()


# event hooks (this module is registered as a kernel plugin) -------------------------------
@hookimpl
def cong_object_added(request, obj, parent):
    if not ISubsite.providedBy(obj):
        return
    require_manager(request, parent)
    if obj._mapped_hosts or obj._mapped_code:  # a copy: hosts and code stay the original's
        obj.hostnames = obj.old_hostnames = obj._mapped_hosts = ()
        obj.code = obj._mapped_code = ""
    sync_maps(request.root, obj)


@hookimpl
def cong_object_modified(request, obj, fields):
    if ISubsite.providedBy(obj) and ({"hostnames", "code"} & set(fields)):
        sync_maps(request.root, obj)


@hookimpl
def cong_object_removed(request, obj, parent):
    if ISubsite.providedBy(obj):
        require_manager(request, obj)
        drop_from_maps(request.root, obj)


@hookimpl
def cong_object_moved(request, obj, old_parent, old_name, new_parent, new_name):
    if ISubsite.providedBy(obj) and (old_parent is not new_parent or old_name != new_name):
        require_manager(request, old_parent)
        require_manager(request, new_parent)
