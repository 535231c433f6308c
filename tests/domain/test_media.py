"""Review media is typed by content, bounded in count, bytes and pixels."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from reviewdesk.domain.media import (
    MIB,
    MediaLimits,
    SniffedMedia,
    check_media_set,
    sniff_media,
)
from reviewdesk.errors import InvalidInput, ReviewdeskError, TooLarge

# --- sample files, built for real --------------------------------------------------------


def image_bytes(
    fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **options: object
) -> bytes:
    image = Image.new(mode, size, "red" if mode != "P" else 1)
    output = io.BytesIO()
    image.save(output, format=fmt, **options)
    return output.getvalue()


def noisy_jpeg(size: tuple[int, int] = (256, 256)) -> bytes:
    """A JPEG whose scan data is large, so cutting it in half really truncates pixels."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=95)
    return output.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    return image_bytes("JPEG", exif=exif)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_declaring(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims the given dimensions (a decompression bomb's calling card)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def iso_box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def ftyp_file(major: bytes, *compatible: bytes) -> bytes:
    """An ISO base media file: ftyp box (major brand, minor version, brands) then mdat."""
    ftyp = iso_box(b"ftyp", major + struct.pack(">I", 0x200) + b"".join(compatible))
    return ftyp + iso_box(b"mdat", os.urandom(256))


def ebml_element(element_id: bytes, payload: bytes) -> bytes:
    assert len(payload) < 0x7F
    return element_id + bytes([0x80 | len(payload)]) + payload


def ebml_file(doctype: bytes) -> bytes:
    """An EBML header (as WebM/Matroska start) followed by a Segment of unknown size."""
    header = b"".join(
        [
            ebml_element(b"\x42\x86", b"\x01"),  # EBMLVersion
            ebml_element(b"\x42\xf7", b"\x01"),  # EBMLReadVersion
            ebml_element(b"\x42\xf2", b"\x04"),  # EBMLMaxIDLength
            ebml_element(b"\x42\xf3", b"\x08"),  # EBMLMaxSizeLength
            ebml_element(b"\x42\x82", doctype),  # DocType
            ebml_element(b"\x42\x87", b"\x04"),  # DocTypeVersion
            ebml_element(b"\x42\x85", b"\x02"),  # DocTypeReadVersion
        ]
    )
    segment = b"\x18\x53\x80\x67" + b"\x01\xff\xff\xff\xff\xff\xff\xff" + os.urandom(128)
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(header)]) + header + segment


def zip_bytes() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + os.urandom(64))
    return output.getvalue()


def error_of(
    data: bytes, filename: str | None = None, limits: MediaLimits | None = None
) -> ReviewdeskError:
    with pytest.raises(ReviewdeskError) as caught:
        sniff_media(data, filename, limits=limits or MediaLimits())
    return caught.value


# --- photos ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mime_type", "extension"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("WEBP", "image/webp", "webp"),
        ("GIF", "image/gif", "gif"),
    ],
)
def test_allowed_photo_formats_are_recognised_with_type_extension_and_size(
    fmt: str, mime_type: str, extension: str
) -> None:
    data = image_bytes(fmt, (64, 48))
    sniffed = sniff_media(data, f"upload.{extension}")
    assert sniffed == SniffedMedia("photo", fmt, mime_type, extension, len(data), 64, 48)


def test_png_renamed_jpg_is_a_png() -> None:
    sniffed = sniff_media(image_bytes("PNG"), "holiday.jpg")
    assert (sniffed.format, sniffed.mime_type, sniffed.extension) == ("PNG", "image/png", "png")


def test_animated_gif_is_accepted_as_a_photo() -> None:
    frames = [Image.new("P", (30, 20), colour) for colour in (1, 2, 3)]
    output = io.BytesIO()
    frames[0].save(output, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    assert sniff_media(output.getvalue()).kind == "photo"


def test_jpeg_with_exif_is_accepted() -> None:
    sniffed = sniff_media(jpeg_with_gps())
    assert (sniffed.kind, sniffed.format) == ("photo", "JPEG")


def test_text_file_named_jpg_is_refused_as_unsupported_type() -> None:
    error = error_of(b"just some words, not a picture\n" * 10, "photo.jpg")
    assert isinstance(error, InvalidInput)
    assert error.code == "unsupported_media_type"
    assert "'photo.jpg' is text" in error.detail
    assert "JPEG" in error.detail and "MP4" in error.detail  # says what is allowed


def test_image_format_not_allowed_is_refused_and_named() -> None:
    error = error_of(image_bytes("BMP"), "scan.jpg")
    assert error.code == "unsupported_media_type"
    assert "BMP image" in error.detail


def test_format_can_be_narrowed_by_limits() -> None:
    with pytest.raises(InvalidInput) as caught:
        sniff_media(
            image_bytes("GIF"), limits=MediaLimits(allowed_image_formats=frozenset({"JPEG"}))
        )
    assert caught.value.code == "unsupported_media_type"


def test_truncated_jpeg_is_refused_as_corrupt() -> None:
    data = noisy_jpeg()
    error = error_of(data[: len(data) // 2], "cut.jpg")
    assert isinstance(error, InvalidInput)
    assert error.code == "corrupt_media"
    assert "truncated" in error.detail


def test_png_with_a_broken_checksum_is_refused_as_corrupt() -> None:
    data = bytearray(image_bytes("PNG"))
    data[-20] ^= 0xFF  # inside the IDAT chunk: its CRC no longer matches
    assert error_of(bytes(data)).code == "corrupt_media"


def test_jpeg_signature_without_an_image_is_refused_as_corrupt() -> None:
    assert error_of(b"\xff\xd8\xff" + b"\x00" * 40).code == "corrupt_media"


def test_decompression_bomb_png_is_refused_before_decoding() -> None:
    error = error_of(png_header_declaring(100_000, 100_000), "bomb.png")
    assert isinstance(error, TooLarge)
    assert error.code == "image_too_large"
    assert "40,000,000" in error.detail


def test_image_over_the_pixel_limit_is_refused_with_its_dimensions() -> None:
    error = error_of(png_header_declaring(8000, 6000))
    assert isinstance(error, TooLarge)
    assert error.code == "image_too_large"
    assert "8000x6000" in error.detail and "48,000,000" in error.detail


def test_pixel_limit_is_configurable() -> None:
    assert error_of(
        image_bytes("PNG", (101, 100)), limits=MediaLimits(max_image_pixels=10_000)
    ).code == ("image_too_large")
    assert sniff_media(image_bytes("PNG", (100, 100)), limits=MediaLimits(max_image_pixels=10_000))


def test_photo_over_the_byte_limit_is_refused() -> None:
    data = noisy_jpeg((64, 64))
    error = error_of(data, "big.jpg", limits=MediaLimits(max_photo_bytes=1000))
    assert isinstance(error, TooLarge)
    assert error.code == "media_too_large"
    assert "1,000 bytes" in error.detail


def test_empty_upload_is_refused() -> None:
    assert error_of(b"").code == "unsupported_media_type"


# --- videos ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "container", "mime_type"),
    [
        (ftyp_file(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "mp4", "video/mp4"),
        (ftyp_file(b"mp42", b"mp42", b"isom"), "mp4", "video/mp4"),
        (ftyp_file(b"qt  ", b"qt  "), "mov", "video/quicktime"),
        (ftyp_file(b"XYZW", b"XYZW", b"isom"), "mp4", "video/mp4"),  # vendor brand
        (ebml_file(b"webm"), "webm", "video/webm"),
    ],
)
def test_allowed_video_containers_are_recognised_by_header(
    data: bytes, container: str, mime_type: str
) -> None:
    sniffed = sniff_media(data, "clip.bin")
    assert sniffed == SniffedMedia("video", container, mime_type, container, len(data))


def test_webm_renamed_mp4_is_webm() -> None:
    assert sniff_media(ebml_file(b"webm"), "clip.mp4").mime_type == "video/webm"


def test_matroska_is_refused_and_named() -> None:
    error = error_of(ebml_file(b"matroska"), "film.webm")
    assert error.code == "unsupported_media_type"
    assert "Matroska" in error.detail


@pytest.mark.parametrize(
    ("major", "named"),
    [(b"heic", "HEIF"), (b"M4A ", "MPEG-4 audio"), (b"3gp4", "3GPP"), (b"avif", "AVIF")],
)
def test_iso_media_that_is_not_an_accepted_movie_is_refused(major: bytes, named: str) -> None:
    error = error_of(ftyp_file(major, major, b"mif1", b"isom", b"mp42"))
    assert error.code == "unsupported_media_type"
    assert named in error.detail


def test_zip_named_mp4_is_refused_as_an_archive() -> None:
    error = error_of(zip_bytes(), "clip.mp4")
    assert error.code == "unsupported_media_type"
    assert "ZIP archive" in error.detail


def test_executable_named_mp4_is_refused_as_an_executable() -> None:
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + os.urandom(200)
    error = error_of(elf, "clip.mp4")
    assert error.code == "unsupported_media_type"
    assert "executable" in error.detail


def test_malformed_ftyp_box_is_refused_as_corrupt() -> None:
    assert error_of(b"\x00\x00\x00\x07ftypisom" + b"\x00" * 20).code == "corrupt_media"


def test_ebml_header_without_doctype_is_refused_as_corrupt() -> None:
    data = b"\x1a\x45\xdf\xa3\x84" + ebml_element(b"\x42\x86", b"\x01") + b"\x00" * 20
    assert error_of(data).code == "corrupt_media"


def test_video_over_the_byte_limit_is_refused() -> None:
    error = error_of(ftyp_file(b"isom", b"isom"), limits=MediaLimits(max_video_bytes=100))
    assert isinstance(error, TooLarge)
    assert error.code == "media_too_large"


def test_video_container_can_be_disallowed_by_limits() -> None:
    with pytest.raises(InvalidInput) as caught:
        sniff_media(
            ftyp_file(b"qt  "), limits=MediaLimits(allowed_video_formats=frozenset({"mp4"}))
        )
    assert caught.value.code == "unsupported_media_type"
    assert "MOV video" in caught.value.detail


# --- the set of media of one review ------------------------------------------------------


def photo(size: int = 1000) -> SniffedMedia:
    return SniffedMedia("photo", "JPEG", "image/jpeg", "jpg", size, 10, 10)


def video(size: int = 1000) -> SniffedMedia:
    return SniffedMedia("video", "mp4", "video/mp4", "mp4", size)


def test_six_photos_and_one_video_are_allowed() -> None:
    check_media_set([photo()] * 6 + [video()])


def test_no_media_is_allowed() -> None:
    check_media_set([])


def test_seventh_photo_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_media_set([photo()] * 7)
    assert caught.value.code == "too_many_photos"
    assert "found 7 photos; at most 6" in caught.value.detail


def test_second_video_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_media_set([photo(), video(), video()])
    assert caught.value.code == "too_many_videos"
    assert "found 2 videos; at most 1" in caught.value.detail


def test_counts_follow_the_configured_limits() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_media_set([photo()] * 3, limits=MediaLimits(max_photos=2))
    assert caught.value.code == "too_many_photos"


def test_sizes_given_separately_are_checked_per_kind() -> None:
    check_media_set([photo(), video()], sizes=[10 * MIB, 100 * MIB])
    with pytest.raises(TooLarge) as caught:
        check_media_set([photo(), video()], sizes=[10 * MIB + 1, 1])
    assert caught.value.code == "media_too_large"
    assert "item 1 (photo, JPEG) is 10.0 MiB" in caught.value.detail


def test_video_size_from_the_item_is_checked() -> None:
    with pytest.raises(TooLarge) as caught:
        check_media_set([video(100 * MIB + 1)])
    assert caught.value.code == "media_too_large"


def test_sizes_must_match_items() -> None:
    with pytest.raises(ValueError):
        check_media_set([photo()], sizes=[1, 2])


# --- robustness --------------------------------------------------------------------------

MAGIC_PREFIXES = [
    b"",
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"GIF89a",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"\x00\x00\x00\x18ftyp",
    b"\x00\x00\x00\x14ftypisom",
    b"\x1a\x45\xdf\xa3",
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82",
    b"BM",
    b"PK\x03\x04",
]


@settings(max_examples=300, deadline=None)
@given(prefix=st.sampled_from(MAGIC_PREFIXES), rest=st.binary(max_size=2048))
def test_arbitrary_bytes_never_crash_the_sniffer(prefix: bytes, rest: bytes) -> None:
    try:
        sniffed = sniff_media(prefix + rest, "anything.jpg")
    except (InvalidInput, TooLarge) as error:
        assert error.code in {
            "unsupported_media_type",
            "corrupt_media",
            "image_too_large",
            "media_too_large",
        }
    else:
        assert sniffed.kind in {"photo", "video"}
