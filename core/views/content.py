"""Default views of each content type (what a visitor sees)."""

from pyramid.httpexceptions import HTTPFound
from pyramid.response import FileResponse, Response
from pyramid.view import view_config

from core.interfaces import IContent, IFile, IFolder, IImage, ILink, IPage, ISite
from core.permissions import VIEW

PAGE_SIZE = 20


@view_config(context=IPage, renderer="page.pt", permission=VIEW)
@view_config(context=IContent, renderer="item.pt", permission=VIEW)
def item_view(context, request):
    return {}


@view_config(context=IFolder, renderer="folder.pt", permission=VIEW)
@view_config(context=ISite, renderer="site.pt", permission=VIEW)
def folder_view(context, request):
    from core.batching import Batch

    visible = (obj for obj in context.values() if request.has_permission(VIEW, obj))
    return {"batch": Batch.from_iterable(visible, request, PAGE_SIZE)}


@view_config(context=ILink, renderer="link.pt", permission=VIEW)
def link_view(context, request):
    return {}


@view_config(context=IFile, renderer="file.pt", permission=VIEW)
@view_config(context=IImage, renderer="image.pt", permission=VIEW)
def file_view(context, request):
    return {}


@view_config(context=IFile, name="download", permission=VIEW)
def download(context, request):
    """The stored file, as an attachment (images inline)."""
    if not context.has_data():
        return Response(status=404)
    return blob_response(request, context.blob, context.content_type, context.filename, context.size)


@view_config(context=IImage, name="images", permission=VIEW)
def image_scale(context, request):
    """``@@images/<scale>``: a scaled copy of the image (thumb, preview, large)."""
    scale = request.subpath[0] if request.subpath else "preview"
    blob, _size, length = context.scale(scale)
    if blob is None:
        return Response(status=404)
    media = context.content_type if blob is context.blob else "image/jpeg"
    return blob_response(request, blob, media, None, length)


def blob_response(request, blob, content_type, filename, size):
    path = blob.committed() if blob._p_blob_committed else None
    if path:
        response = FileResponse(path, request=request, content_type=content_type)
    else:
        with blob.open("r") as handle:
            response = Response(body=handle.read(), content_type=content_type)
    if filename:
        inline = content_type.startswith("image/") or content_type == "application/pdf"
        from urllib.parse import quote

        kind = "inline" if inline else "attachment"
        response.headers["Content-Disposition"] = f"{kind}; filename*=UTF-8''{quote(filename)}"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response.cache_control.private = True
    del size
    return response


@view_config(context=ISite, name="resolveuid", permission=VIEW)
def resolve_uid(context, request):
    """``/resolveuid/<uid>``: redirect to the object that has this uid."""
    from core.uids import resolve

    obj = resolve(context, request.subpath[0]) if request.subpath else None
    if obj is None:
        from pyramid.httpexceptions import HTTPNotFound

        raise HTTPNotFound()
    return HTTPFound(request.resource_url(obj))
