"""Image handling: verifying uploads with Pillow, re-encoding them, list-sized renditions."""

import io
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> file extension that we store.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
LIST_SIZE = (360, 240)


def too_big_error() -> ValidationError:
    max_bytes = settings.PORTAL_IMAGE_MAX_BYTES
    return ValidationError(
        _("图片过大：不能超过 %(mb)s MB。") % {"mb": round(max_bytes / 1024 / 1024, 1)}
    )


def verified_image(upload) -> ContentFile:
    """Check an uploaded file is a real JPEG/PNG/GIF/WebP and return it re-encoded by Pillow.

    The stored file gets a generated name and the extension of its real format, so
    neither the uploader's file name nor bytes appended to the image reach the disk.
    Pixels are decoded only once the declared size is known to be within the limits.
    """
    if upload.size is not None and upload.size > settings.PORTAL_IMAGE_MAX_BYTES:
        raise too_big_error()
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(_("只支持 JPEG、PNG、GIF、WebP 格式的图片。"))
            _check_pixels(probe, fmt)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            data = _encode(image, fmt)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, for sizes far past ours: it refuses before reading pixels.
        raise ValidationError(
            _("图片尺寸过大：不能超过 %(mp)s 万像素。")
            % {"mp": settings.PORTAL_IMAGE_MAX_PIXELS // 10_000}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("无法识别的图片文件，请上传 JPEG、PNG、GIF 或 WebP 图片。")
        ) from None
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}")


def _check_pixels(image: Image.Image, fmt: str) -> None:
    """Refuse what would take too much memory or time to decode, from the header alone."""
    width, height = image.size
    if width * height > settings.PORTAL_IMAGE_MAX_PIXELS:
        raise ValidationError(_("图片尺寸过大（%(w)s×%(h)s 像素）。") % {"w": width, "h": height})
    # Every frame of an animated GIF is decoded and stored again (see _encode).
    frames = image.n_frames if fmt == "GIF" else 1
    if frames * width * height > settings.PORTAL_IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("动图过大（%(n)s 帧，每帧 %(w)s×%(h)s 像素），请减少帧数或缩小尺寸。")
            % {"n": frames, "w": width, "h": height}
        )


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Pixels only: metadata Pillow would carry over (JPEG and GIF comments) is left out."""
    out = io.BytesIO()
    if fmt == "JPEG":
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88, optimize=True, comment=b"")
    elif fmt == "GIF":
        save_all = getattr(image, "is_animated", False)
        image.save(out, "GIF", save_all=save_all, comment=b"")
    else:
        image.save(out, fmt)
    return out.getvalue()


def list_rendition(cover) -> ContentFile | str:
    """A cropped JPEG of LIST_SIZE for lists and the sidebar; '' if the cover can't be read."""
    try:
        cover.open("rb")
        with Image.open(cover) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            thumb = ImageOps.fit(image, LIST_SIZE, Image.Resampling.LANCZOS)
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=85, optimize=True)
    stem = PurePosixPath(cover.name).stem[:60]
    return ContentFile(out.getvalue(), name=f"{stem}_{LIST_SIZE[0]}x{LIST_SIZE[1]}.jpg")
