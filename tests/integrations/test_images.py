"""Published photos carry no metadata, stay upright, and get small thumbnails."""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile, IptcImagePlugin, PngImagePlugin

from reviewdesk.errors import InvalidInput
from reviewdesk.integrations.images import make_thumbnail, strip_metadata

RED = (255, 0, 0)
BLUE = (0, 0, 255)
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">buyer-home-52.52N</x:xmpmeta>'


def left_red_right_blue(size: tuple[int, int] = (80, 40), mode: str = "RGB") -> Image.Image:
    """Red on the left half, blue on the right: shows where a rotation took each side."""
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 36.0)
    return exif


def with_iptc(jpeg: bytes) -> bytes:
    """Insert a Photoshop APP13 segment holding an IPTC by-line right after the SOI marker."""
    by_line = b"Jane Buyer"
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(by_line)) + by_line
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    payload = b"Photoshop 3.0\x00" + resource + iptc + (b"\x00" if len(iptc) % 2 else b"")
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    output = io.BytesIO()
    image.save(output, format=fmt, **options)
    return output.getvalue()


def camera_jpeg(orientation: int = 1) -> bytes:
    jpeg = saved(
        left_red_right_blue(),
        "JPEG",
        exif=gps_exif(orientation),
        xmp=XMP,
        comment=b"taken at Jane's home",
        quality=95,
    )
    return with_iptc(jpeg)


def reopen(data: bytes) -> ImageFile.ImageFile:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def near(pixel: object, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def assert_no_metadata(image: Image.Image, raw: bytes) -> None:
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"} & image.info.keys()
    for leaked in (b"Exif\x00\x00", b"PhoneMaker", b"SN-123456", b"buyer-home", b"Jane"):
        assert leaked not in raw


def test_sample_camera_jpeg_really_carries_gps_xmp_iptc_and_comment() -> None:
    image = reopen(camera_jpeg())
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert image.info["xmp"] == XMP
    assert image.info["comment"] == b"taken at Jane's home"
    assert IptcImagePlugin.getiptcinfo(image) == {(2, 80): b"Jane Buyer"}


def test_strip_metadata_removes_gps_exif_xmp_iptc_and_comments_from_jpeg() -> None:
    stripped = strip_metadata(camera_jpeg())
    image = reopen(stripped)
    assert image.format == "JPEG"
    assert_no_metadata(image, stripped)
    assert IptcImagePlugin.getiptcinfo(image) is None


def test_strip_metadata_applies_orientation_so_the_photo_stays_upright() -> None:
    # Orientation 6: the camera was turned, the picture must be rotated 90 degrees clockwise,
    # which moves the red left half to the top.
    image = reopen(strip_metadata(camera_jpeg(orientation=6)))
    assert image.size == (40, 80)
    assert near(image.getpixel((20, 10)), RED)
    assert near(image.getpixel((20, 70)), BLUE)


def test_strip_metadata_keeps_an_unrotated_photo_as_it_is() -> None:
    image = reopen(strip_metadata(camera_jpeg(orientation=1)))
    assert image.size == (80, 40)
    assert near(image.getpixel((10, 20)), RED)
    assert near(image.getpixel((70, 20)), BLUE)


def test_strip_metadata_removes_exif_and_text_chunks_from_png_and_keeps_transparency() -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jane Buyer")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    source = left_red_right_blue(mode="RGBA")
    source.putpixel((0, 0), (0, 0, 0, 0))
    original = saved(source, "PNG", exif=gps_exif(), pnginfo=text)
    assert reopen(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    stripped = strip_metadata(original)
    image = reopen(stripped)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0)) == (0, 0, 0, 0)
    assert "Author" not in image.info
    assert_no_metadata(image, stripped)


def test_strip_metadata_removes_exif_and_xmp_from_webp() -> None:
    original = saved(left_red_right_blue(), "WEBP", exif=gps_exif(orientation=6), xmp=XMP)
    assert reopen(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"buyer-home" in original
    stripped = strip_metadata(original)
    image = reopen(stripped)
    assert image.format == "WEBP"
    assert image.size == (40, 80)
    assert_no_metadata(image, stripped)


def test_strip_metadata_keeps_gif_with_its_transparency_and_drops_comments() -> None:
    source = Image.new("P", (20, 10), 1)
    source.putpixel((0, 0), 0)
    stripped = strip_metadata(saved(source, "GIF", transparency=0, comment=b"Jane's cat"))
    image = reopen(stripped)
    assert image.format == "GIF"
    assert image.info.get("transparency") == 0
    assert "comment" not in image.info
    assert b"Jane" not in stripped


def test_strip_metadata_keeps_the_icc_colour_profile() -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = saved(left_red_right_blue(), "JPEG", icc_profile=profile, exif=gps_exif())
    image = reopen(strip_metadata(source))
    assert image.info["icc_profile"] == profile
    assert len(image.getexif()) == 0


def test_thumbnail_is_bounded_rgb_jpeg_without_metadata() -> None:
    big = saved(Image.new("RGB", (2000, 1000), RED), "JPEG", exif=gps_exif())
    thumbnail = make_thumbnail(big)
    image = reopen(thumbnail)
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (320, 160))
    assert_no_metadata(image, thumbnail)


def test_thumbnail_size_follows_max_side_and_can_be_webp() -> None:
    image = reopen(make_thumbnail(saved(Image.new("RGB", (300, 900)), "PNG"), 120, "WEBP"))
    assert (image.format, image.mode) == ("WEBP", "RGB")
    assert image.size == (40, 120)


def test_thumbnail_applies_orientation() -> None:
    image = reopen(make_thumbnail(camera_jpeg(orientation=6), max_side=40))
    assert image.size == (20, 40)
    assert near(image.getpixel((10, 5)), RED)
    assert near(image.getpixel((10, 35)), BLUE)


def test_thumbnail_never_enlarges_a_small_photo() -> None:
    assert reopen(make_thumbnail(saved(Image.new("RGB", (50, 30)), "PNG"))).size == (50, 30)


def test_thumbnail_of_transparent_png_is_flattened_on_white() -> None:
    source = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image = reopen(make_thumbnail(saved(source, "PNG")))
    assert image.mode == "RGB"
    assert near(image.getpixel((50, 50)), (255, 255, 255), tolerance=5)


def test_thumbnail_of_palette_gif_is_rgb() -> None:
    image = reopen(make_thumbnail(saved(Image.new("P", (64, 64), 3), "GIF")))
    assert image.mode == "RGB"


def test_thumbnail_of_a_large_noisy_jpeg_uses_a_scaled_decode_and_stays_bounded() -> None:
    noisy = Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3))
    image = reopen(make_thumbnail(saved(noisy, "JPEG"), max_side=200))
    assert max(image.size) == 200


@pytest.mark.parametrize("process", [strip_metadata, make_thumbnail])
def test_unreadable_input_is_refused_with_stable_codes(process: Callable[[bytes], bytes]) -> None:
    truncated = saved(Image.frombytes("RGB", (128, 128), os.urandom(128 * 128 * 3)), "JPEG")
    with pytest.raises(InvalidInput) as caught:
        process(truncated[: len(truncated) // 2])
    assert caught.value.code == "corrupt_media"
    with pytest.raises(InvalidInput) as caught:
        process(b"plain text, not an image")
    assert caught.value.code == "unsupported_media_type"
