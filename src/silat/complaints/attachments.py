"""One attached file on a complaint (the complainant's evidence) or an
information request (the documents answered), under the intake upload
rules (size limit, content sniffed, PDF or image only)."""
from pyramid.response import Response

from silat.intake.uploads import UploadRefused, inspect, max_bytes
from silat.resources.attachment import Document

KEY = "lampiran"


def attach(container, request, field, by):
    """Store ``field`` (a cgi FieldStorage or "") as the next version of the
    container's attachment. Returns None, or the refusal message."""
    if field is None or not hasattr(field, "file"):
        return None
    try:
        inspected = inspect(field.file, field.filename, max_bytes(request.registry.settings))
    except UploadRefused as refused:
        return refused.message
    document = container.get(KEY)
    if document is None:
        document = Document(KEY, "Lampiran")
        document.add_version(inspected.path, inspected.filename, inspected.mime, inspected.size,
                             inspected.sha256, by)
        container.add(KEY, document)
    else:
        document.add_version(inspected.path, inspected.filename, inspected.mime, inspected.size,
                             inspected.sha256, by)
    return None


def latest(container):
    document = container.get(KEY)
    return document.latest if document is not None else None


def download(container):
    version = latest(container)
    if version is None:
        return None
    with version.open() as handle:
        body = handle.read()
    return Response(body=body, content_type=version.mime,
                    content_disposition=f'attachment; filename="{version.filename}"')
