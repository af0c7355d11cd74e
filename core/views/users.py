"""User and group management for Managers (the ``manage_users`` permission).

Users and groups have the same pages, drawn by one class, :class:`PrincipalPages`,
whose two subclasses say what differs (names, fields, the rules they apply):
``@@users``, ``@@user-add``, ``@@user-edit?login=``, ``@@user-delete`` (POST);
``@@groups``, ``@@group-add``, ``@@group-edit?id=``, ``@@group-delete`` (POST).
Every change is checked completely before anything is stored, by the rules of
:mod:`core.accounts`. Passwords are never put into a page.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.i18n import TranslationString
from pyramid.request import Request

from core import accounts
from core.accounts import AccountError, global_roles
from core.batching import Batch
from core.i18n import _
from core.interfaces import ISite
from core.passwords import min_length
from core.permissions import MANAGE_USERS
from core.principals import Group, Principals, User
from core.roles import get_roles
from core.views.auth import flash

PAGE_SIZE = 50
FORM_ERROR = _("Chưa lưu được: xem các lỗi bên dưới.")
#: The methods of a form's page, and of its submission.
SHOW, SUBMIT = ("GET", "HEAD"), "POST"


def ticked(request, name: str) -> set[str]:
    """The ticked values of checkbox ``name``."""
    return {v for v in request.POST.getall(name) if isinstance(v, str)}


def text(request, name: str) -> str:
    value = request.POST.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def check_password_pair(request, errors: dict, required: bool) -> str:
    """The new password typed twice, or '' when optional and left empty."""
    password = request.POST.get("password", "")
    repeat = request.POST.get("repeat", "")
    password = password if isinstance(password, str) else ""
    if not password and not required:
        return ""
    if not password:
        errors["password"] = _("Vui lòng nhập mật khẩu.")
    elif password != repeat:
        errors["repeat"] = _("Hai lần nhập mật khẩu không khớp nhau.")
    return password


def refused(request, values: dict, exc: AccountError) -> dict:
    """The form again with the errors of a refused change, as a 400."""
    request.response.status = 400
    return dict(values, errors=exc.errors, message=exc.message or FORM_ERROR)


class PrincipalPages(ABC):
    """The pages of one kind of principal: the list (50 a page, searched), the
    forms to add and to change one, and its deletion. A subclass names the kind
    and gives what differs: its form's fields and the rules of
    :mod:`core.accounts` it applies."""

    #: The kind in page names: ``@@<plural>``, ``@@<singular>-add``, ``-edit`` and
    #: ``-delete``; templates ``<plural>.pt`` (the list), ``<singular>_form.pt``.
    singular: str
    plural: str
    #: The query parameter naming one (``@@user-edit?login=``), also the name of
    #: the mapping in the messages below; the attribute holding that name.
    key: str
    name_attr: str
    #: The messages once one is added, changed or deleted.
    created: TranslationString
    saved: TranslationString
    deleted: TranslationString
    #: ``find(principals, query)``: those whose names hold ``query``, in order.
    find: Callable[[Principals, str], Iterator[User | Group]]
    #: ``get(principals, name)``: the one of that name, or None.
    get: Callable[[Principals, str], User | Group | None]
    #: ``remove(request, principal)``: delete it (AccountError when refused).
    remove: Callable[[Request, User | Group], None]

    @abstractmethod
    def form_values(self, request, principal: User | Group | None, **values) -> dict:
        """What the form template needs to show ``principal`` (None: a new one)."""

    @abstractmethod
    def submitted(self, request, principal: User | Group | None) -> dict:
        """The fields of the submitted form (changing ``principal``, or a new one)."""

    @abstractmethod
    def create(self, request, data: dict) -> User | Group:
        """Add the one ``data`` describes; AccountError when refused."""

    @abstractmethod
    def update(self, request, principal: User | Group, data: dict) -> None:
        """Change ``principal`` as ``data`` says; AccountError when refused."""

    def next_url(self, request, principal: User | Group) -> str:
        """Where the browser goes once ``principal`` is added or changed: the list."""
        return self.list_url(request)

    def list_url(self, request) -> str:
        return request.resource_url(request.context, f"@@{self.plural}")

    # the pages ------------------------------------------------------------------
    def listing(self, context, request) -> dict:
        """The list, 50 a page, filtered by ``?q=``."""
        query = request.GET.get("q", "")
        query = query.strip() if isinstance(query, str) else ""
        return {
            "batch": Batch.from_iterable(self.find(context.principals, query), request, PAGE_SIZE),
            "query": query,
            "role_labels": {r.name: r.label for r in get_roles(request.registry).values()},
        }

    def add_form(self, context, request) -> dict:
        return self.form_values(request, None)

    def add_submit(self, context, request):
        data = self.submitted(request, None)
        try:
            principal = self.create(request, data)
        except AccountError as exc:
            return refused(request, self.form_values(request, None, data=data), exc)
        return self.done(request, self.created, principal, self.next_url(request, principal))

    def edit_form(self, context, request) -> dict:
        return self.form_values(request, self.from_query(request))

    def edit_submit(self, context, request):
        principal = self.from_query(request)
        data = self.submitted(request, principal)
        try:
            self.update(request, principal, data)
        except AccountError as exc:
            data["roles"] |= accounts.unoffered_roles(request.registry, principal)
            return refused(request, self.form_values(request, principal, data=data), exc)
        return self.done(request, self.saved, principal, self.next_url(request, principal))

    def delete(self, context, request):
        principal = self.from_query(request)
        try:
            self.remove(request, principal)
        except AccountError as exc:
            return refused(request, self.form_values(request, principal), exc)
        return self.done(request, self.deleted, principal, self.list_url(request))

    def from_query(self, request) -> User | Group:
        """The one the query names; 404 when there is none."""
        principal = self.get(request.root.principals, request.params.get(self.key, ""))
        if principal is None:
            raise HTTPNotFound()
        return principal

    def done(self, request, message: TranslationString, principal, url: str) -> HTTPFound:
        """Say ``message`` on the next page, at ``url``."""
        flash(request, _(message, mapping={self.key: getattr(principal, self.name_attr)}))
        return HTTPFound(url)

    def register(self, config) -> None:
        """Register the pages on the site."""
        form = f"{self.singular}_form.pt"
        pages = (
            (self.listing, self.plural, f"{self.plural}.pt", None),
            (self.add_form, f"{self.singular}-add", form, SHOW),
            (self.add_submit, f"{self.singular}-add", form, SUBMIT),
            (self.edit_form, f"{self.singular}-edit", form, SHOW),
            (self.edit_submit, f"{self.singular}-edit", form, SUBMIT),
            (self.delete, f"{self.singular}-delete", form, SUBMIT),
        )
        for view, name, renderer, methods in pages:
            config.add_view(
                view,
                context=ISite,
                name=name,
                renderer=renderer,
                permission=MANAGE_USERS,
                request_method=methods,
            )


class UserPages(PrincipalPages):
    """Users: login, name, email address, password, roles and groups; ``admin``
    and the last Manager cannot be deleted."""

    singular, plural, key, name_attr = "user", "users", "login", "login"
    created = _("Đã tạo người dùng ${login}.")
    saved = _("Đã lưu người dùng ${login}.")
    deleted = _("Đã xoá người dùng ${login}.")
    find = staticmethod(accounts.find_users)
    get = staticmethod(Principals.get_user)
    remove = staticmethod(accounts.delete_user)

    def form_values(self, request, principal, **values):
        user = principal
        base = {
            "user": user,
            "roles": global_roles(request.registry),
            "groups": list(request.root.principals.groups.values()),
            "data": {
                "login": user.login if user else "",
                "fullname": user.fullname if user else "",
                "email": user.email if user else "",
                "roles": set(user.roles) if user else set(),
                "groups": set(user.groups) if user else set(),
            },
            "errors": {},
            "message": None,
            "protected": user is not None and user.login == accounts.PROTECTED_USER,
            "min_length": min_length(request.registry),
        }
        return dict(base, **values)

    def submitted(self, request, principal):
        return {
            "login": principal.login if principal else text(request, "login"),
            "fullname": text(request, "fullname"),
            "email": text(request, "email"),
            "roles": ticked(request, "roles"),
            "groups": ticked(request, "groups"),
        }

    def create(self, request, data):
        """With its password, roles and groups."""
        password = self.checked_password(request, data, required=True)
        return accounts.create_user(request, data, password)

    def update(self, request, principal, data):
        """Details, roles, groups and, when typed, the password."""
        password = self.checked_password(request, data, required=False)
        accounts.update_user(request, principal, data, password)

    def checked_password(self, request, data: dict, required: bool) -> str:
        """The password typed twice, once ``data`` and it are found right."""
        errors = accounts.user_errors(request, data)
        password = check_password_pair(request, errors, required)
        if errors:
            raise AccountError(errors)
        return password


class GroupPages(PrincipalPages):
    """Groups: id, title, roles and members (ticked to remove, typed to add); a
    new group is shown to add members. Its members stay when it is deleted."""

    singular, plural, key, name_attr = "group", "groups", "id", "gid"
    created = _("Đã tạo nhóm ${id}.")
    saved = _("Đã lưu nhóm ${id}.")
    deleted = _("Đã xoá nhóm ${id}.")
    find = staticmethod(accounts.find_groups)
    get = staticmethod(Principals.get_group)
    remove = staticmethod(accounts.delete_group)

    def form_values(self, request, principal, **values):
        group, users = principal, request.root.principals.users
        base = {
            "group": group,
            "roles": global_roles(request.registry),
            "members": [users[m] for m in group.members if m in users] if group else [],
            "data": {
                "id": group.gid if group else "",
                "title": group.title if group else "",
                "roles": set(group.roles) if group else set(),
                "add_members": "",
            },
            "errors": {},
            "message": None,
        }
        return dict(base, **values)

    def submitted(self, request, principal):
        return {
            "id": text(request, "id"),
            "title": text(request, "title"),
            "roles": ticked(request, "roles"),
            "add_members": text(request, "add_members"),
        }

    def create(self, request, data):
        return accounts.create_group(request, data["id"], data["title"], data["roles"])

    def update(self, request, principal, data):
        """Title and roles; the members ticked are removed, those typed added."""
        removed = ticked(request, "remove") & set(principal.members)
        added = set(re.split(r"[\s,;]+", data["add_members"].lower())) - {""}
        members = (set(principal.members) - removed) | added
        accounts.update_group(request, principal, data["title"], data["roles"], members)

    def next_url(self, request, principal):
        return request.resource_url(request.context, "@@group-edit", query={"id": principal.gid})


def includeme(config) -> None:
    UserPages().register(config)
    GroupPages().register(config)
