"""Default views of each content type (what a visitor sees), downloads and scales."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.view import view_config

from core.batching import Batch, batch_params
from core.blobs import blob_response
from core.formatting import human_size
from core.interfaces import (
    IContent,
    IFile,
    IFolder,
    IImage,
    ILink,
    INavigationRoot,
    IPage,
    IRichText,
    ISearch,
    ISite,
)
from core.permissions import EDIT, VIEW
from core.types import get_types

#: Items per page of a folder listing.
PAGE_SIZE = 20
#: How many sections (and loose items) the front page lists.
FRONT_PAGE_ITEMS = 24


@view_config(context=IContent, renderer="item.pt", permission=VIEW)
@view_config(context=IRichText, renderer="page.pt", permission=VIEW)
@view_config(context=IPage, renderer="page.pt", permission=VIEW)
def item_view(context, request):
    """A page (rich text) or any item without a view of its own."""
    return {"text": getattr(context, "text", "")}


@view_config(context=IFolder, renderer="folder.pt", permission=VIEW)
def folder_view(context, request):
    """A folder: its children the requester may view, in order, a page at a time
    (records of the :class:`~core.interfaces.ISearch`: the children are not loaded)."""
    start, size = batch_params(request, PAGE_SIZE)
    results = request.registry.getUtility(ISearch).children(request, context, start, size)
    return {"batch": Batch(results.records, results.total, start, size, request)}


@view_config(context=ISite, renderer="site.pt", permission=VIEW)
def site_view(context, request):
    """The portal's front page: the introduction, what plugins show there
    (``cong_front_page``), its sections and its other items. Subsites, sites of
    their own, are not sections: the children are found by the search, without
    them, so the page costs the same whatever the number of subsites."""
    types = tuple(
        ct.name
        for ct in get_types(request.registry).all()
        if not INavigationRoot.implementedBy(ct.factory)
    )
    found = request.registry.getUtility(ISearch).search(
        request,
        path="/",
        depth=1,
        types=types,
        sort_on="position",
        sort_order="ascending",
        size=FRONT_PAGE_ITEMS,
    )
    sections, items = [], []
    for record in found.records:
        obj = context.get(record.path.rsplit("/", 1)[-1])
        if obj is not None:
            (sections if IFolder.providedBy(obj) else items).append(obj)
    hook = request.registry.cong_plugins.hook.cong_front_page
    blocks = [html for result in hook(request=request, context=context) for html in result or ()]
    return {"sections": sections, "items": items, "blocks": blocks}


@view_config(context=ILink, renderer="link.pt", permission=VIEW)
def link_view(context, request):
    """A link: visitors go straight to its address; people who may edit it see the page."""
    if context.url and not request.has_permission(EDIT, context):
        return HTTPFound(location=context.url)
    return {}


@view_config(context=IFile, renderer="file.pt", permission=VIEW)
@view_config(context=IImage, renderer="image.pt", permission=VIEW)
def file_view(context, request):
    """A file or an image: what it is, how big, and a way to download it."""
    return {"size": human_size(context.size, request) if context.has_data() else ""}


@view_config(context=IFile, name="download", permission=VIEW)
def download(context, request):
    """The stored file, as an attachment (images and PDF inline)."""
    if not context.has_data():
        raise HTTPNotFound()
    return blob_response(request, context.blob, context.content_type, context.filename)


@view_config(context=IImage, name="images", permission=VIEW)
def image_scale(context, request):
    """``@@images/<scale>``: a scaled copy of the image (thumb, preview, large)."""
    from core.blobs import SCALES

    scale = request.subpath[0] if request.subpath else "preview"
    if scale not in SCALES or not context.has_data():
        raise HTTPNotFound()
    blob, _size, _length = context.scale(scale)
    media = context.content_type if blob is context.blob else "image/jpeg"
    return blob_response(request, blob, media, None)


@view_config(context=ISite, name="resolveuid", permission=VIEW)
def resolve_uid(context, request):
    """``/resolveuid/<uid>``: redirect to the object that has this uid, if the
    requester may view it (else not found: its path is not theirs to learn)."""
    from core.uids import resolve

    obj = resolve(context, request.subpath[0]) if request.subpath else None
    if obj is None or not request.has_permission(VIEW, obj):
        raise HTTPNotFound()
    return HTTPFound(request.resource_url(obj))
