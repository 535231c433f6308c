"""Review photos made safe to publish: metadata stripped, thumbnails made.

Photos are re-encoded from their pixels so that nothing of the original file's metadata
survives: EXIF (including GPS position, camera serial numbers, dates), XMP, IPTC and
comments are dropped. The EXIF orientation is applied to the pixels first, so the picture
stays upright without the tag. The ICC colour profile is kept (it carries no personal data
and without it colours shift); so is GIF/PNG transparency. Animated GIF/WebP keep only
their first frame.

Videos are NOT processed here: there is no video encoder (no ffmpeg) in reviewdesk, so a
video is stored as uploaded once ``reviewdesk.domain.media.sniff_media`` has accepted its
container. Its metadata (for instance a phone's recording location in an MP4 ``udta``
box) is therefore NOT stripped; the privacy notice on the review form must say so.

Both functions expect bytes that ``sniff_media`` accepted (size, type and pixel limits
are enforced there); they still refuse unreadable input with the same error codes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

from reviewdesk.errors import InvalidInput, TooLarge

ThumbnailFormat = Literal["JPEG", "WEBP"]

_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # the JPEG opener also yields MPO images
# Keys of Image.info that are not metadata about the person or the camera.
_KEPT_INFO = ("icc_profile", "transparency")
_JPEG_QUALITY = 90
_THUMBNAIL_QUALITY = 82


def strip_metadata(data: bytes) -> bytes:
    """Re-encode a photo in its own format without EXIF/XMP/IPTC/comments, upright."""
    with _open(data) as image:
        source_format = "JPEG" if image.format == "MPO" else (image.format or "JPEG")
        upright = ImageOps.exif_transpose(image)
        kept = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    upright.info = {}
    options: dict[str, object] = {}
    if "icc_profile" in kept:
        options["icc_profile"] = kept["icc_profile"]
    if "transparency" in kept and upright.mode in {"P", "L", "RGB"}:
        options["transparency"] = kept["transparency"]
    if source_format == "JPEG":
        options["quality"] = _JPEG_QUALITY
        if upright.mode not in {"RGB", "L", "CMYK"}:
            upright = upright.convert("RGB")
    elif source_format == "WEBP":
        options["quality"] = _JPEG_QUALITY
    output = io.BytesIO()
    upright.save(output, format=source_format, **options)
    return output.getvalue()


def make_thumbnail(
    data: bytes, max_side: int = 320, output_format: ThumbnailFormat = "JPEG"
) -> bytes:
    """A small upright RGB copy (JPEG or WEBP) whose longer side is at most ``max_side``."""
    if max_side < 1:
        raise ValueError(f"max_side must be positive, got {max_side}")
    with _open(data, draft_side=max_side) as image:
        upright = ImageOps.exif_transpose(image)
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    rgb = _flatten_to_rgb(upright)
    output = io.BytesIO()
    rgb.save(output, format=output_format, quality=_THUMBNAIL_QUALITY)
    return output.getvalue()


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    """RGB with transparent areas on white (thumbnails sit on light pages)."""
    if image.mode == "RGB":
        return image
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


@contextmanager
def _open(data: bytes, draft_side: int | None = None) -> Iterator[Image.Image]:
    """Open and decode a photo, turning Pillow's failures into reviewdesk errors."""
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
            if draft_side is not None and image.format in {"JPEG", "MPO"}:
                # Let the JPEG decoder scale down while decoding: far less memory.
                image.draft("RGB", (draft_side, draft_side))
            image.load()
            yield image
    except Image.DecompressionBombError as error:
        raise TooLarge(
            "image_too_large", f"the image declares too many pixels ({error})."
        ) from error
    except UnidentifiedImageError as error:
        raise InvalidInput(
            "unsupported_media_type", "the file is not a JPEG, PNG, WEBP or GIF image."
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise InvalidInput(
            "corrupt_media", f"the image is damaged or truncated ({error})."
        ) from error
