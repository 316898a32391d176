"""deform + colander helpers shared by every form of SILAT.

Every form schema derives from ``CSRFSchema``: the hidden ``csrf_token``
field carries the session's token, which Pyramid checks on every POST
before a view runs. Forms render with the request's language.
"""
import os

import colander
import deform
from deform.template import ZPTRendererFactory, default_dir
from pyramid.csrf import get_csrf_token
from translationstring import ChameleonTranslate

from silat.i18n import _

# SILAT's own copies (templates/deform: Bootstrap 5 button classes, labelled
# sequence buttons) come before deform's.
_OWN = os.path.join(os.path.dirname(__file__), "templates", "deform")
_templates = ZPTRendererFactory((_OWN, default_dir), auto_reload=False)


class _RequestRenderer:
    """deform's renderer, translating into the request's language."""

    def __init__(self, request):
        self.translate = ChameleonTranslate(request.localizer.translate)

    def __call__(self, template_name, **kw):
        return _templates.load(template_name)(translate=self.translate, **kw)


@colander.deferred
def _csrf_default(node, kw):
    return get_csrf_token(kw["request"])


class CSRFSchema(colander.MappingSchema):
    csrf_token = colander.SchemaNode(
        colander.String(), widget=deform.widget.HiddenWidget(),
        default=_csrf_default, missing="")

    def __init__(self, *arg, **kw):
        super().__init__(*arg, **kw)
        # colander puts the very node objects declared on the class into
        # every instance: a view that sets a widget's choices or adds a
        # validator for one request would change them for all requests
        # (and threads). Each form gets its own copies.
        self.children = [child.clone() for child in self.children]


def make_form(request, schema, buttons=None, action="", **kw):
    """A bound deform Form in the request's language."""
    buttons = buttons or (deform.Button("simpan", _("Simpan")),)
    return deform.Form(schema.bind(request=request), buttons=buttons, action=action,
                       renderer=_RequestRenderer(request), **kw)


def handle_form(request, form, on_success, appstruct=colander.null, page=None, invalid_status=None):
    """Validate a POSTed form; call ``on_success(appstruct)`` when valid.

    Returns what the view should return: ``on_success``'s result, or a
    dict with the rendered form (with error messages when invalid). When
    the result is a dict, the values of ``page`` (a dict, or a callable
    returning one, called only then) are added to it without replacing
    what ``on_success`` put there: the page's title, intro and the like.
    ``invalid_status`` (e.g. 422) is the HTTP status of a form shown again
    because it did not validate.
    """
    if request.method == "POST" and any(b.name in request.POST for b in form.buttons):
        try:
            data = form.validate(request.POST.items())
        except deform.ValidationFailure as failure:
            if invalid_status:
                request.response.status_int = invalid_status
            result = {"form": failure.render()}
        else:
            data.pop("csrf_token", None)
            result = on_success(data)
    else:
        result = {"form": form.render(appstruct)}
    if isinstance(result, dict) and page:
        for key, value in (page() if callable(page) else page).items():
            result.setdefault(key, value)
    return result
