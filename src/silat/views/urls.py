"""URLs of many objects on one page, cheaply."""
from pyramid.traversal import quote_path_segment


def child_urls(request):
    """A function ``url(obj, *names)`` giving what
    ``request.resource_url(obj, *names)`` gives for a plain traversal
    child, with each parent's URL made once per page (a worklist of many
    dossiers in the same folder asks for the same parent URL each row)."""
    parents = {}

    def url(obj, *names):
        parent = obj.__parent__
        base = parents.get(id(parent))
        if base is None:
            base = parents[id(parent)] = request.resource_url(parent)
        tail = "/".join(quote_path_segment(name) for name in names)
        return f"{base}{quote_path_segment(obj.__name__)}/{tail}"
    return url
