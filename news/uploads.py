"""Uploaded files on their way in (a size limit while they stream) and out (media serving)."""

import io
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.views.static import serve

from . import images

# What an uploaded file may be served as; everything else is offered as a download.
MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed PORTAL_IMAGE_MAX_BYTES: its name and size, no bytes.

    ``verified_image`` refuses it by its size. Django's ImageField reads an upload outside
    its own error handling, so reading raises the "too big" error: the admin form then
    shows it on the cover field instead of calling the image broken.
    """

    def __init__(self, name, content_type, size, charset, content_type_extra):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)

    def read(self, *args, **kwargs):
        raise images.too_big_error()


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops keeping a file's bytes once it passes PORTAL_IMAGE_MAX_BYTES.

    Must come first in FILE_UPLOAD_HANDLERS: the handlers after it (memory, temporary
    file) get nothing more of that file, and the request gets an ``OversizedUpload`` in
    its place, so the view or the form can tell the editor why. What they already hold
    (at most the limit) goes with the request. The rest of the request is still read, so
    the form's other fields are kept, but the file's bytes are dropped as they arrive.
    """

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)
        self.limit = settings.PORTAL_IMAGE_MAX_BYTES
        self.oversized = content_length is not None and content_length > self.limit

    def receive_data_chunk(self, raw_data, start):
        if self.oversized:
            return None
        if start + len(raw_data) > self.limit:
            self.oversized = True
            return None
        return raw_data

    def file_complete(self, file_size):
        if not self.oversized:
            return None  # the next handler completes the file
        return OversizedUpload(
            self.file_name, self.content_type, file_size, self.charset, self.content_type_extra
        )


def serve_media(request, path):
    """Uploaded files, for the embedded default (SERVE_MEDIA): images as images, never pages.

    Only the image types the portal stores get their own content type; any other file
    that found its way into MEDIA_ROOT (an .html, an .svg) is sent as a download, so a
    browser never runs it on the site's origin.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = MEDIA_TYPES.get(PurePosixPath(path).suffix.lower())
    if response.status_code == 200:
        if content_type is None:
            response.headers.pop("Content-Encoding", None)
            response.headers["Content-Type"] = "application/octet-stream"
            response.headers["Content-Disposition"] = "attachment"
        else:
            response.headers["Content-Type"] = content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
