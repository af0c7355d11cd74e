"""Views of news and announcements."""

from pyramid.view import view_config

from core.permissions import VIEW
from plugins.news import IAnnouncement, INews


@view_config(context=INews, renderer="news.pt", permission=VIEW)
@view_config(context=IAnnouncement, renderer="news.pt", permission=VIEW)
def news_view(context, request):
    return {}
