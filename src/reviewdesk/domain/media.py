"""Review media rules: what a buyer may attach to a review (photos, at most one video).

The type of an upload is decided by its CONTENT only. The file name and the content type
the client sent are never trusted: a PNG named ``photo.jpg`` is a PNG, a ZIP named
``clip.mp4`` is refused. Images are opened and fully decoded with Pillow (so truncated or
corrupt files are refused here, not when a thumbnail is made later); videos are recognised
by their container header (ISO base media ``ftyp`` box for MP4/MOV, EBML header with its
``DocType`` for WebM). Without a video decoder, a video whose header is valid but whose
body is damaged is not detected here.

Pure: works on bytes in memory, no files, no network.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PIL import Image, UnidentifiedImageError

from reviewdesk.errors import InvalidInput, TooLarge

MediaKind = Literal["photo", "video"]

MIB = 1024 * 1024

# Pillow format name -> (mime type, canonical extension). MPO is how Pillow names the
# multi-picture JPEGs many phones write; its first picture is an ordinary JPEG.
_IMAGE_TYPES: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "MPO": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}

# Video container name -> (mime type, canonical extension).
_VIDEO_TYPES: dict[str, tuple[str, str]] = {
    "mp4": ("video/mp4", "mp4"),
    "mov": ("video/quicktime", "mov"),
    "webm": ("video/webm", "webm"),
}

# ISO base media brands that mean "an MP4 movie" when they are the major brand, or when
# they are compatible brands of an unknown (vendor) major brand.
_MP4_BRANDS = frozenset(
    {
        "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
        "mp41", "mp42", "avc1", "M4V ", "M4VH", "M4VP", "dash", "mmp4", "msnv",
        "XAVC", "MSNV", "NDSC", "NDSH", "NDSM", "NDSP", "NDSS", "NDXC", "NDXH",
        "NDXM", "NDXP", "NDXS", "f4v ",
    }
)  # fmt: skip
# Major brands of ISO base media files that are not movies we accept (still images,
# audio, 3GPP phone video, JPEG 2000, camera raw): their compatible brands often list
# "isom" or "mp42", so they must be refused before the compatible-brand fallback.
_NON_MOVIE_BRANDS: dict[str, str] = {
    **dict.fromkeys(("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"), "HEIF"),
    **dict.fromkeys(("avif", "avis"), "AVIF"),
    **dict.fromkeys(("M4A ", "M4B ", "M4P ", "F4A ", "F4B "), "MPEG-4 audio"),
    **dict.fromkeys(("3gp4", "3gp5", "3gp6", "3gp7", "3ge6", "3gg6", "3g2a", "3g2b"), "3GPP"),
    **dict.fromkeys(("jp2 ", "jpx ", "jpm ", "mjp2"), "JPEG 2000"),
    "crx ": "Canon raw",
}

# Leading bytes of the image formats we accept, to tell "damaged" from "not an image".
_IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "GIF": (b"GIF87a", b"GIF89a"),
}

_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_EBML_DOCTYPE_ID = 0x4282

# Recognisable non-media content, named in refusals so the buyer knows what went wrong.
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "an executable (Windows)"),
    (b"\xca\xfe\xba\xbe", "an executable (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "an executable (Mach-O)"),
    (b"#!", "a script"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"RIFF", "a RIFF file (AVI/WAV)"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg file"),
    (b"<", "an HTML/XML/SVG document"),
)


@dataclass(frozen=True, slots=True)
class MediaLimits:
    """Count, size and type limits for the media attached to one review."""

    max_photos: int = 6
    max_videos: int = 1
    max_photo_bytes: int = 10 * MIB
    max_video_bytes: int = 100 * MIB
    max_image_pixels: int = 40_000_000
    allowed_image_formats: frozenset[str] = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
    allowed_video_formats: frozenset[str] = frozenset({"mp4", "mov", "webm"})

    def max_bytes(self, kind: MediaKind) -> int:
        """The size limit in bytes for one item of this kind."""
        return self.max_photo_bytes if kind == "photo" else self.max_video_bytes


DEFAULT_MEDIA_LIMITS = MediaLimits()


@dataclass(frozen=True, slots=True)
class SniffedMedia:
    """What an upload really is, decided from its bytes."""

    kind: MediaKind
    format: str  # Pillow format name for photos ("JPEG"...), container for videos ("mp4"...)
    mime_type: str
    extension: str  # canonical, without the dot: "jpg", "png", "mp4"...
    size_bytes: int
    width: int | None = None
    height: int | None = None


def sniff_media(
    data: bytes,
    claimed_filename: str | None = None,
    *,
    limits: MediaLimits = DEFAULT_MEDIA_LIMITS,
) -> SniffedMedia:
    """Decide from the content alone what ``data`` is, and refuse it unless it is allowed.

    ``claimed_filename`` is only used to name the upload in error messages.
    """
    label = _label(claimed_filename)
    if not data:
        raise InvalidInput("unsupported_media_type", f"{label} is empty; {_allowed(limits)}.")
    video_format = _sniff_video_container(data, label, limits)
    if video_format is not None:
        return _accept_video(data, video_format, label, limits)
    return _sniff_image(data, label, limits)


def check_media_set(
    items: Sequence[SniffedMedia],
    sizes: Sequence[int] | None = None,
    limits: MediaLimits = DEFAULT_MEDIA_LIMITS,
) -> None:
    """Refuse a review's set of media that has too many photos/videos or an item too large.

    ``sizes`` (bytes, one per item) defaults to each item's ``size_bytes``.
    """
    if sizes is None:
        sizes = [item.size_bytes for item in items]
    if len(sizes) != len(items):
        raise ValueError(f"{len(items)} media items but {len(sizes)} sizes")
    for position, (item, size) in enumerate(zip(items, sizes, strict=True), start=1):
        _check_size(item.kind, size, f"item {position} ({item.kind}, {item.format})", limits)
    photos = sum(1 for item in items if item.kind == "photo")
    videos = sum(1 for item in items if item.kind == "video")
    if photos > limits.max_photos:
        raise InvalidInput(
            "too_many_photos",
            f"found {photos} photos; at most {limits.max_photos} allowed per review.",
            found=photos,
            allowed=limits.max_photos,
        )
    if videos > limits.max_videos:
        raise InvalidInput(
            "too_many_videos",
            f"found {videos} videos; at most {limits.max_videos} allowed per review.",
            found=videos,
            allowed=limits.max_videos,
        )


# --- videos -------------------------------------------------------------------------------


def _accept_video(data: bytes, video_format: str, label: str, limits: MediaLimits) -> SniffedMedia:
    if video_format not in limits.allowed_video_formats:
        raise InvalidInput(
            "unsupported_media_type",
            f"{label} is a {video_format.upper()} video; {_allowed(limits)}.",
            found=video_format,
        )
    _check_size("video", len(data), label, limits)
    mime_type, extension = _VIDEO_TYPES[video_format]
    return SniffedMedia("video", video_format, mime_type, extension, len(data))


def _sniff_video_container(data: bytes, label: str, limits: MediaLimits) -> str | None:
    """'mp4', 'mov' or 'webm' for a recognised video header, None when it is not a video.

    Raises for headers of video-like containers that are not accepted (Matroska, 3GPP...).
    """
    if len(data) >= 8 and data[4:8] == b"ftyp":
        return _sniff_iso_media(data, label, limits)
    if data.startswith(_EBML_MAGIC):
        return _sniff_ebml(data, label, limits)
    return None


def _sniff_iso_media(data: bytes, label: str, limits: MediaLimits) -> str:
    box_size = struct.unpack(">I", data[:4])[0]
    # ftyp = size, "ftyp", major brand, minor version, compatible brands (4 bytes each).
    if box_size < 16 or box_size > len(data) or box_size % 4 != 0 or box_size > 4096:
        raise InvalidInput("corrupt_media", f"{label} has a malformed MP4/QuickTime header.")
    major = data[8:12].decode("latin-1")
    compatible = {data[offset : offset + 4].decode("latin-1") for offset in range(16, box_size, 4)}
    if major == "qt  ":
        return "mov"
    if major in _MP4_BRANDS:
        return "mp4"
    if major in _NON_MOVIE_BRANDS:
        raise InvalidInput(
            "unsupported_media_type",
            f"{label} is {_NON_MOVIE_BRANDS[major]} content (brand {major.strip()!r}); "
            f"{_allowed(limits)}.",
            found=major.strip(),
        )
    if compatible & _MP4_BRANDS:
        return "mp4"
    if "qt  " in compatible:
        return "mov"
    raise InvalidInput(
        "unsupported_media_type",
        f"{label} is an ISO media file of unknown brand {major!r}; {_allowed(limits)}.",
        found=major,
    )


def _read_vint(data: bytes, offset: int, *, keep_marker: bool) -> tuple[int, int]:
    """Read an EBML variable-length integer at ``offset``: (value, offset after it)."""
    if offset >= len(data):
        raise ValueError("EBML header ends early")
    first = data[offset]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or offset + length > len(data):
        raise ValueError("bad EBML variable-length integer")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[offset + 1 : offset + length]:
        value = (value << 8) | byte
    return value, offset + length


def _sniff_ebml(data: bytes, label: str, limits: MediaLimits) -> str:
    try:
        header_size, position = _read_vint(data, len(_EBML_MAGIC), keep_marker=False)
        end = min(position + header_size, len(data))
        doctype: str | None = None
        while position < end:
            element_id, position = _read_vint(data, position, keep_marker=True)
            element_size, position = _read_vint(data, position, keep_marker=False)
            if position + element_size > end:
                raise ValueError("EBML element runs past the header")
            if element_id == _EBML_DOCTYPE_ID:
                raw = data[position : position + element_size].rstrip(b"\x00")
                doctype = raw.decode("ascii")
                break
            position += element_size
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(
            "corrupt_media", f"{label} has a malformed WebM/Matroska header ({error})."
        ) from error
    if doctype == "webm":
        return "webm"
    if doctype is None:
        raise InvalidInput("corrupt_media", f"{label} has an EBML header without a DocType.")
    found = "a Matroska (.mkv) video" if doctype == "matroska" else f"EBML type {doctype!r}"
    raise InvalidInput(
        "unsupported_media_type",
        f"{label} is {found}; {_allowed(limits)}.",
        found=doctype,
    )


# --- images -------------------------------------------------------------------------------


def _sniff_image(data: bytes, label: str, limits: MediaLimits) -> SniffedMedia:
    pillow_formats = sorted(_pillow_formats(limits))
    try:
        with Image.open(io.BytesIO(data), formats=pillow_formats) as image:
            image_format = image.format or ""
            width, height = image.size
            _check_pixels(width, height, image_format, label, limits)
            _check_size("photo", len(data), label, limits)
            image.verify()
        # verify() leaves the image unusable and does not decode pixel data (a truncated
        # JPEG passes it), so decode once in full from a fresh handle.
        with Image.open(io.BytesIO(data), formats=pillow_formats) as image:
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise TooLarge(
            "image_too_large",
            f"{label} declares too many pixels ({error}); "
            f"at most {limits.max_image_pixels:,} pixels allowed.",
            allowed=limits.max_image_pixels,
        ) from error
    except UnidentifiedImageError as error:
        if _looks_like(data, pillow_formats):
            raise InvalidInput(
                "corrupt_media", f"{label} looks like an image but cannot be read."
            ) from error
        raise InvalidInput(
            "unsupported_media_type",
            f"{label} is {_describe_other(data)}; {_allowed(limits)}.",
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as error:
        # Pillow signals truncated and corrupt files with these (SyntaxError for broken
        # headers, OSError "image file is truncated"...).
        raise InvalidInput(
            "corrupt_media", f"{label} is a damaged or truncated image ({error})."
        ) from error
    mime_type, extension = _IMAGE_TYPES[image_format]
    canonical_format = "JPEG" if image_format == "MPO" else image_format
    return SniffedMedia("photo", canonical_format, mime_type, extension, len(data), width, height)


def _pillow_formats(limits: MediaLimits) -> frozenset[str]:
    # "MPO" is not an opener of its own: Pillow's JPEG opener returns MPO images.
    return limits.allowed_image_formats & (_IMAGE_TYPES.keys() - {"MPO"})


def _looks_like(data: bytes, image_formats: Sequence[str]) -> bool:
    """Whether ``data`` starts like one of these image formats (so it is damaged if unread)."""
    for image_format in image_formats:
        if image_format == "WEBP" and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
            return True
        if data.startswith(_IMAGE_SIGNATURES.get(image_format, ())):
            return True
    return False


def _check_pixels(width: int, height: int, fmt: str, label: str, limits: MediaLimits) -> None:
    pixels = width * height
    if pixels > limits.max_image_pixels:
        raise TooLarge(
            "image_too_large",
            f"{label} is a {fmt} image of {width}x{height} ({pixels:,} pixels); "
            f"at most {limits.max_image_pixels:,} pixels allowed.",
            found=pixels,
            allowed=limits.max_image_pixels,
        )


def _describe_other(data: bytes) -> str:
    for signature, description in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return description
    # An image format Pillow knows but we do not accept (BMP, TIFF, ICO...).
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format:
                return f"a {image.format} image"
    except Exception:  # any failure only means "not an image Pillow can name"
        pass
    head = data[:512]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "unrecognised binary data"
    return "text"


# --- shared -------------------------------------------------------------------------------


def _check_size(kind: MediaKind, size: int, label: str, limits: MediaLimits) -> None:
    allowed = limits.max_bytes(kind)
    if size > allowed:
        raise TooLarge(
            "media_too_large",
            f"{label} is {_mib(size)}; a {kind} may be at most {_mib(allowed)}.",
            found=size,
            allowed=allowed,
        )


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB" if size >= MIB else f"{size:,} bytes"


def _label(claimed_filename: str | None) -> str:
    return f"the file {claimed_filename!r}" if claimed_filename else "the file"


def _allowed(limits: MediaLimits) -> str:
    images = ", ".join(sorted(limits.allowed_image_formats))
    videos = ", ".join(sorted(v.upper() for v in limits.allowed_video_formats))
    return f"allowed are photos ({images}) and videos ({videos})"
