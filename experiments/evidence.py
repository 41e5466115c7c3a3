"""Which files are accepted as evidence: decided by their first bytes and size, never by their name.

PDF, images (PNG, JPEG, GIF, WebP) and office documents (OOXML and OpenDocument, which are zip files,
and the older OLE formats). The name a browser sends is not trusted for anything: the stored file gets
a random name with the extension of the type its content shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


# (first bytes, what they are). Zip-based office documents are told apart by their name inside.
SIGNATURES: list[tuple[bytes, Kind]] = [
    (b"%PDF-", Kind("pdf", "application/pdf")),
    (b"\x89PNG\r\n\x1a\n", Kind("png", "image/png")),
    (b"\xff\xd8\xff", Kind("jpg", "image/jpeg")),
    (b"GIF87a", Kind("gif", "image/gif")),
    (b"GIF89a", Kind("gif", "image/gif")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Kind("doc", "application/msword")),
]
ZIP_KINDS = {
    b"word/": Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    b"xl/": Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    b"ppt/": Kind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    b"application/vnd.oasis.opendocument.text": Kind("odt", "application/vnd.oasis.opendocument.text"),
    b"application/vnd.oasis.opendocument.spreadsheet": Kind("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    b"application/vnd.oasis.opendocument.presentation": Kind("odp", "application/vnd.oasis.opendocument.presentation"),
}


def kind_of(upload: UploadedFile) -> Kind:
    """What the upload is, by its content; refuses what is too large or not on the allow-list."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large"
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind("webp", "image/webp")
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        for marker, kind in ZIP_KINDS.items():
            if marker in head:
                return kind
    raise ValidationError(
        _("This type of file is not accepted: send a PDF, an image or an office document."), code="refused_type"
    )
