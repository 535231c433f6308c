"""Vocabulary and deterministic generators for the ``reviewdesk demo`` data set.

Everything here is written for this project (no public data set is copied) and is
driven only by the ``random.Random`` instance passed in: the same seed always yields
the same shops, catalogue, buyers and review texts. Nothing performs I/O.

Review fragments may carry a trait marker such as ``[zip]``: such a fragment is only
used for products whose ``traits`` contain that trait. Placeholders in braces are
filled per review: ``{item}``, ``{brand}``, ``{colour}``, ``{size}``, ``{other_size}``,
``{days}``, ``{fast_days}``, ``{slow_days}`` and ``{weeks}``.
"""

from __future__ import annotations

import random
import re
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from functools import cached_property, lru_cache

from stdnum import ean

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "LANGUAGES",
    "RATING_WEIGHTS",
    "NO_TEXT_SHARE",
    "TONES",
    "LANGUAGE_WEIGHTS",
    "DemoVariant",
    "DemoProduct",
    "DemoMember",
    "DemoSeller",
    "DemoShop",
    "DemoBuyer",
    "DemoReview",
    "catalog",
    "shops",
    "sellers",
    "buyers",
    "rating",
    "language",
    "review_text",
    "review",
    "fragment_templates",
    "title_templates",
]

# --------------------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoVariant:
    """One purchasable variant of a demo product."""

    sku: str
    option: str
    size: str | None
    colour: str | None
    gtin: str | None
    price_cents: int


@dataclass(frozen=True)
class DemoProduct:
    """A demo catalogue product; ``gtin`` is the GTIN-13 of its first variant, if any."""

    slug: str
    name: str
    brand: str
    category: str
    kind: str
    shop_slug: str
    description: str
    price_cents: int
    gtin: str | None
    variants: tuple[DemoVariant, ...]
    traits: tuple[str, ...] = ()

    @cached_property
    def sizes(self) -> tuple[str, ...]:
        """Distinct variant sizes in catalogue order."""
        return tuple(dict.fromkeys(v.size for v in self.variants if v.size))

    @cached_property
    def colours(self) -> tuple[str, ...]:
        """Distinct variant colours in catalogue order."""
        return tuple(dict.fromkeys(v.colour for v in self.variants if v.colour))


@dataclass(frozen=True)
class DemoMember:
    """A person with a login for a seller account."""

    full_name: str
    email: str
    role: str


@dataclass(frozen=True)
class DemoSeller:
    """A seller organisation owning one or more shops."""

    slug: str
    name: str
    country: str
    members: tuple[DemoMember, ...]


@dataclass(frozen=True)
class DemoShop:
    """A storefront of a seller with the categories it sells."""

    slug: str
    name: str
    description: str
    seller: DemoSeller
    categories: tuple[str, ...]
    members: tuple[DemoMember, ...]


@dataclass(frozen=True)
class DemoBuyer:
    """A buyer with seeded personal data (unique name, e-mail and E.164 phone)."""

    full_name: str
    given_name: str
    family_name: str
    email: str
    phone: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class DemoReview:
    """A generated rating with its optional title and text."""

    rating: int
    language: str
    title: str | None
    text: str | None


# --------------------------------------------------------------------------------------
# Shops and sellers
# --------------------------------------------------------------------------------------

CATEGORIES: tuple[str, ...] = (
    "apparel",
    "shoes",
    "electronics",
    "kitchen",
    "beauty",
    "food",
    "home",
    "toys",
    "books",
)

CATEGORY_NAMES: dict[str, str] = {
    "apparel": "Apparel",
    "shoes": "Shoes",
    "electronics": "Electronics accessories",
    "kitchen": "Kitchen",
    "beauty": "Beauty & skincare",
    "food": "Snacks & coffee",
    "home": "Home",
    "toys": "Toys",
    "books": "Books",
}

_NUSANTARA = DemoSeller(
    slug="nusantara-goods",
    name="Nusantara Goods",
    country="ID",
    members=(
        DemoMember("Ratna Wulandari", "ratna.wulandari@nusantara-goods.example.com", "owner"),
        DemoMember("Agus Prasetyo", "agus.prasetyo@nusantara-goods.example.com", "manager"),
        DemoMember("Yohana Sinaga", "yohana.sinaga@nusantara-goods.example.com", "support"),
    ),
)

_NORTHWIND = DemoSeller(
    slug="northwind-outfitters",
    name="Northwind Outfitters",
    country="GB",
    members=(
        DemoMember(
            "Eleanor Whitcombe", "eleanor.whitcombe@northwind-outfitters.example.com", "owner"
        ),
        DemoMember(
            "Tobias Hadfield", "tobias.hadfield@northwind-outfitters.example.com", "manager"
        ),
        DemoMember(
            "Priya Ramanathan", "priya.ramanathan@northwind-outfitters.example.com", "support"
        ),
    ),
)

_SHOPS: tuple[DemoShop, ...] = (
    DemoShop(
        slug="batik-house",
        name="Batik House",
        description="Hand-stamped batik shirts, home textiles and botanical skincare.",
        seller=_NUSANTARA,
        categories=("apparel", "home", "beauty"),
        members=(_NUSANTARA.members[0], _NUSANTARA.members[2]),
    ),
    DemoShop(
        slug="kopi-corner",
        name="Kopi Corner",
        description="Single-origin coffee, island snacks and kitchen tools to go with them.",
        seller=_NUSANTARA,
        categories=("food", "kitchen"),
        members=(_NUSANTARA.members[0], _NUSANTARA.members[1]),
    ),
    DemoShop(
        slug="northwind-apparel",
        name="Northwind Apparel",
        description="Everyday clothing and footwear built for wind, rain and long walks.",
        seller=_NORTHWIND,
        categories=("apparel", "shoes"),
        members=(_NORTHWIND.members[0], _NORTHWIND.members[2]),
    ),
    DemoShop(
        slug="northwind-gear",
        name="Northwind Gear",
        description="Chargers, audio, toys and books for people on the move.",
        seller=_NORTHWIND,
        categories=("electronics", "toys", "books"),
        members=(_NORTHWIND.members[0], _NORTHWIND.members[1]),
    ),
)


def sellers() -> list[DemoSeller]:
    """Return the two demo sellers."""
    return [_NUSANTARA, _NORTHWIND]


def shops() -> list[DemoShop]:
    """Return the demo shops, each linked to its seller and member accounts."""
    return list(_SHOPS)


# --------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------

# fmt: off
_APPAREL_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
_SHOE_SIZES = tuple(f"EU {n}" for n in range(36, 47))

_COLOURS: dict[str, tuple[str, ...]] = {
    "apparel": (
        "Indigo", "Navy", "Charcoal", "Off-white", "Olive", "Terracotta", "Sage",
        "Mustard", "Maroon", "Sky Blue", "Sand", "Black",
    ),
    "shoes": ("Black", "White", "Tan", "Navy", "Stone Grey", "Forest Green", "Brown"),
    "electronics": ("Black", "White", "Graphite", "Sage Green", "Midnight Blue", "Coral"),
    "home": ("Natural", "Ivory", "Slate", "Rust", "Teal", "Mustard", "Charcoal"),
    "kitchen": ("Stainless", "Matte Black", "Cream", "Sage"),
    "toys": ("Red", "Blue", "Yellow", "Green"),
}

# brand -> (category, shop slug, GS1 / ISBN prefix used for its GTINs)
_BRANDS: dict[str, tuple[str, str, str]] = {
    "Kawung Atelier": ("apparel", "batik-house", "899"),
    "Tenun Raya": ("apparel", "batik-house", "899"),
    "Northwind": ("apparel", "northwind-apparel", "503"),
    "Harbour & Pine": ("apparel", "northwind-apparel", "506"),
    "Stridewell": ("shoes", "northwind-apparel", "505"),
    "Northwind Trail": ("shoes", "northwind-apparel", "503"),
    "Voltrana": ("electronics", "northwind-gear", "471"),
    "Kilowave": ("electronics", "northwind-gear", "693"),
    "Pocketcell": ("electronics", "northwind-gear", "471"),
    "Dapur Baja": ("kitchen", "kopi-corner", "899"),
    "Copperleaf Kitchen": ("kitchen", "kopi-corner", "880"),
    "Kembang Skin": ("beauty", "batik-house", "899"),
    "Dewdrop Botanica": ("beauty", "batik-house", "885"),
    "Kopi Corner Roastery": ("food", "kopi-corner", "899"),
    "Gayo Highlands": ("food", "kopi-corner", "899"),
    "Renyah Snacks": ("food", "kopi-corner", "899"),
    "Dalat Farm Pantry": ("food", "kopi-corner", "893"),
    "Rumah Rotan": ("home", "batik-house", "899"),
    "Lantern & Loom": ("home", "batik-house", "955"),
    "Little Banyan": ("toys", "northwind-gear", "955"),
    "Brightbox Toys": ("toys", "northwind-gear", "509"),
    "Lontar Lane Press": ("books", "northwind-gear", "978602"),
    "Harbour Light Books": ("books", "northwind-gear", "9781"),
}

# (display name, kind noun, traits, option kind, option values)
_TypeSpec = tuple[str, str, tuple[str, ...], str, tuple[str, ...]]


def _t(
    name: str, kind: str, traits: str, option_kind: str, values: tuple[str, ...] = ()
) -> _TypeSpec:
    return (name, kind, tuple(sorted(traits.split())), option_kind, values)


_TYPES: dict[str, tuple[_TypeSpec, ...]] = {
    "apparel": (
        _t("Linen Shirt", "shirt", "button", "apparel"),
        _t("Batik Shirt", "shirt", "button", "apparel"),
        _t("Cotton T-Shirt", "T-shirt", "", "apparel"),
        _t("Zip Hoodie", "hoodie", "zip pockets", "apparel"),
        _t("Chino Trousers", "pair of trousers", "button pockets", "apparel"),
        _t("Denim Jacket", "jacket", "button pockets", "apparel"),
        _t("Rain Jacket", "jacket", "zip pockets", "apparel"),
        _t("Polo Shirt", "polo shirt", "button", "apparel"),
        _t("Wrap Dress", "dress", "", "apparel"),
        _t("Knit Cardigan", "cardigan", "button pockets", "apparel"),
        _t("Batik Sarong", "sarong", "", "apparel"),
    ),
    "shoes": (
        _t("Running Shoes", "pair of shoes", "laces", "shoes"),
        _t("Canvas Sneakers", "pair of sneakers", "laces", "shoes"),
        _t("Leather Loafers", "pair of loafers", "", "shoes"),
        _t("Hiking Boots", "pair of boots", "laces", "shoes"),
        _t("Slide Sandals", "pair of sandals", "", "shoes"),
        _t("Slip-on Trainers", "pair of trainers", "", "shoes"),
    ),
    "electronics": (
        _t("65W USB-C Charger", "charger", "charging cable", "colour"),
        _t("10000 mAh Power Bank", "power bank", "battery charging", "colour"),
        _t("Wireless Earbuds", "pair of earbuds", "battery charging wireless", "colour"),
        _t("Braided USB-C Cable", "cable", "charging cable", "colour"),
        _t("Bluetooth Speaker", "speaker", "battery charging wireless", "colour"),
        _t("Wireless Charging Pad", "charging pad", "charging", "colour"),
        _t("Dual Car Charger", "car charger", "charging", "colour"),
        _t("Silent Wireless Mouse", "mouse", "battery wireless", "colour"),
        _t("Neckband Headphones", "pair of headphones", "battery charging wireless", "colour"),
        _t("Rechargeable Desk Fan", "desk fan", "battery charging", "colour"),
    ),
    "kitchen": (
        _t("Chef's Knife", "knife", "blade", "size", ("18 cm", "20 cm", "23 cm")),
        _t("Non-stick Frying Pan", "frying pan", "cookware", "size", ("24 cm", "28 cm", "32 cm")),
        _t("Carbon Steel Wok", "wok", "cookware", "size", ("30 cm", "34 cm")),
        _t("Gooseneck Kettle", "kettle", "kettle", "colour"),
        _t("Teak Cutting Board", "cutting board", "board", "size", ("Small", "Medium", "Large")),
        _t("Glass Food Containers", "set of containers", "lid", "size", ("Set of 3", "Set of 5")),
        _t("Insulated Tumbler", "tumbler", "lid", "colour"),
        _t("Stainless Saucepan", "saucepan", "cookware lid", "size", ("16 cm", "18 cm", "20 cm")),
        _t("Vegetable Peeler Set", "peeler set", "blade", "single"),
    ),
    "beauty": (
        _t("Hydrating Serum", "serum", "skin", "volume", ("15 ml", "30 ml", "50 ml")),
        _t("Daily Sunscreen SPF 50", "sunscreen", "skin", "volume", ("50 ml", "100 ml")),
        _t("Gel Moisturiser", "moisturiser", "skin", "volume", ("30 ml", "50 ml")),
        _t("Gentle Cleanser", "cleanser", "skin", "volume", ("100 ml", "200 ml")),
        _t("Rice Water Toner", "toner", "skin", "volume", ("100 ml", "150 ml")),
        _t("Kaolin Clay Mask", "face mask", "skin", "volume", ("50 g", "100 g")),
        _t("Coconut Body Lotion", "body lotion", "skin", "volume", ("200 ml", "400 ml")),
        _t("Tinted Lip Balm", "lip balm", "", "colour"),
    ),
    "food": (
        _t("Arabica Coffee Beans", "bag of coffee", "coffee", "weight", ("250 g", "500 g", "1 kg")),
        _t("Robusta Ground Coffee", "bag of coffee", "coffee", "weight", ("200 g", "500 g")),
        _t("Toraja Drip Bags", "box of drip bags", "coffee", "weight", ("Box of 10", "Box of 20")),
        _t("Cassava Chips", "bag of chips", "snack", "flavour", ("Original", "Balado", "Cheese")),
        _t("Banana Chips", "bag of chips", "snack", "weight", ("150 g", "300 g")),
        _t("Coconut Cookies", "jar of cookies", "snack", "weight", ("250 g", "500 g")),
        _t("Dried Mango Slices", "bag of dried mango", "snack", "weight", ("100 g", "250 g")),
        _t("Spicy Roasted Peanuts", "jar of peanuts", "snack", "weight", ("200 g", "400 g")),
        _t("Palm Sugar Blocks", "pack of palm sugar", "sweet", "weight", ("250 g", "500 g")),
        _t("Pandan Coffee Candy", "bag of candy", "snack sweet", "weight", ("100 g", "250 g")),
    ),
    "home": (
        _t("Cotton Throw", "throw", "textile", "colour"),
        _t("Linen Cushion Cover", "cushion cover", "textile", "colour"),
        _t("Rattan Storage Basket", "basket", "decor", "size", ("Small", "Medium", "Large")),
        _t("Ceramic Bud Vase", "vase", "decor fragile", "colour"),
        _t("Bath Towel Set", "towel set", "textile", "colour"),
        _t("Blackout Curtain", "curtain", "textile", "colour"),
        _t("Teak Side Table", "side table", "assembly", "colour"),
        _t("Bamboo Bookshelf", "bookshelf", "assembly", "colour"),
        _t("Soy Wax Candle", "candle", "scent", "colour"),
    ),
    "toys": (
        _t("Wooden Train Set", "train set", "pieces wheels", "single"),
        _t("Building Blocks Tub", "set of blocks", "pieces", "size", ("80 pieces", "150 pieces")),
        _t("Plush Elephant", "plush toy", "plush", "colour"),
        _t("Remote Control Truck", "truck", "battery wheels", "colour"),
        _t("Jigsaw Puzzle", "puzzle", "pieces", "size", ("500 pieces", "1000 pieces")),
        _t("Kids' Drawing Kit", "drawing kit", "pieces", "single"),
        _t("Stacking Rainbow", "stacking toy", "pieces", "single"),
    ),
    "books": (),  # generated separately
}

_NAME_LINES: dict[str, tuple[str, ...]] = {
    "apparel": (
        "Everyday", "Breeze", "Heritage", "Harbour", "Monsoon", "Parang", "Relaxed",
        "Coastline", "Sunday", "Kawung", "Weekend", "Tidal",
    ),
    "shoes": ("Cloudstep", "Ridge", "Harbour", "Drift", "Summit", "Metro", "Canal"),
    "electronics": ("Go", "Pro", "Mini", "Max", "Air", "Lite", "Flex"),
    "kitchen": ("Classic", "Pro", "Everyday", "Heritage", "Forged", "Market"),
    "beauty": ("Daily", "Calm", "Glow", "Pure", "Botanical", "Dewy"),
    "food": ("Highland", "Village", "Morning", "Island", "Estate", "Harvest"),
    "home": ("Lagoon", "Ubud", "Nordic", "Harbour", "Terrace", "Courtyard"),
    "toys": ("Tiny", "Happy", "Jungle", "Rainbow", "Busy", "Little"),
}

_BOOK_ADJ = (
    "Quiet", "Paper", "Salt", "Hidden", "Lantern", "Monsoon", "Copper", "Borrowed",
    "Tidewater", "Midnight", "Second", "Crooked",
)
_BOOK_NOUN = (
    "Cartographer", "Harbour", "Orchard", "Ferryman", "Archive", "Garden", "Lighthouse",
    "Weaver", "Market", "Island", "Letters", "Kitchen",
)
_COOKBOOKS = (
    "Sambal Every Day", "Weeknight Rice Bowls", "The Kopi Table", "Coconut and Lime",
    "Street Food at Home", "One-Pan Island Suppers", "The Noodle Notebook",
    "Soups for Rainy Season", "Fresh Rolls and Dipping Sauces", "Bakery Mornings",
)
_AUTHORS = (
    "Laras Kinanti", "Minh Chau Vo", "Idris Haziq", "Harriet Ellsworth", "Kanokwan Sriprasert",
    "Bernard Ashcombe", "Sekartaji Wening", "Delphine Marlowe", "Thu Ha Dinh",
)

_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "apparel": (
        "Cut from breathable fabric for humid days.",
        "A relaxed everyday fit that works from office to weekend.",
        "Garment-washed for a soft hand feel from the first wear.",
    ),
    "shoes": (
        "Cushioned footbed and a grippy rubber outsole.",
        "Built for long days on your feet.",
        "Lightweight upper with a padded collar.",
    ),
    "electronics": (
        "Compact, travel-friendly and built with over-current protection.",
        "Works with phones, tablets and most USB-C laptops.",
        "Tested for everyday carry and daily charging.",
    ),
    "kitchen": (
        "Made for everyday home cooking.",
        "Easy to clean and built to last for years.",
        "A sturdy tool for busy kitchens.",
    ),
    "beauty": (
        "Fragrance-light formula suitable for daily use.",
        "Lightweight texture that layers well under sunscreen.",
        "Made with botanical extracts and no added colourants.",
    ),
    "food": (
        "Roasted and packed in small batches.",
        "Made with locally sourced ingredients.",
        "Sealed fresh in a resealable pouch.",
    ),
    "home": (
        "Natural materials with a calm, simple look.",
        "Adds warmth and texture to any room.",
        "Made by small workshops in the archipelago.",
    ),
    "toys": (
        "Designed for curious hands aged three and up.",
        "Rounded edges and non-toxic finishes.",
        "Encourages open-ended, screen-free play.",
    ),
    "books": (
        "A new edition with a fresh cover design.",
        "Printed on responsibly sourced paper.",
        "A favourite of our bookshop staff.",
    ),
}

_PRICE_RANGES: dict[str, tuple[int, int]] = {
    "apparel": (1500, 7500),
    "shoes": (3500, 14000),
    "electronics": (900, 9000),
    "kitchen": (500, 9500),
    "beauty": (600, 3500),
    "food": (300, 2500),
    "home": (900, 18000),
    "toys": (800, 6500),
    "books": (900, 3500),
}

_CATEGORY_WEIGHTS: dict[str, int] = {
    "apparel": 22,
    "shoes": 10,
    "electronics": 14,
    "kitchen": 10,
    "beauty": 10,
    "food": 12,
    "home": 10,
    "toys": 6,
    "books": 6,
}

_CAT_CODES: dict[str, str] = {
    "apparel": "APP",
    "shoes": "SHO",
    "electronics": "ELC",
    "kitchen": "KIT",
    "beauty": "BTY",
    "food": "FOD",
    "home": "HOM",
    "toys": "TOY",
    "books": "BK",
}

_SHOP_CODES: dict[str, str] = {
    "batik-house": "BH",
    "kopi-corner": "KC",
    "northwind-apparel": "NWA",
    "northwind-gear": "NWG",
}
# fmt: on


def _slugify(text: str) -> str:
    ascii_text = _ascii_fold(text).lower().replace("&", "and").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _code(text: str) -> str:
    words: list[str] = re.findall(r"[A-Z0-9]+", _ascii_fold(text).upper())
    if len(words) == 1:
        return words[0][:5]
    return "".join(w if w.isdigit() else w[:3] for w in words) or "X"


class _GtinFactory:
    """Hands out unique, valid GTIN-13 numbers per brand."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._company: dict[str, str] = {}
        self._next_item: dict[str, int] = {}
        self._issued: set[str] = set()

    def issue(self, brand: str) -> str:
        prefix = _BRANDS[brand][2]
        if brand not in self._company:
            company_len = 9 - len(prefix) if prefix.startswith("978") else 5
            while True:
                company = "".join(str(self._rng.randrange(10)) for _ in range(company_len))
                if prefix + company not in self._company.values():
                    break
            self._company[brand] = prefix + company
            self._next_item[brand] = self._rng.randrange(10, 400)
        base = self._company[brand]
        while True:
            item = self._next_item[brand]
            self._next_item[brand] = item + self._rng.randint(1, 7)
            body = base + str(item).zfill(12 - len(base))[-(12 - len(base)) :]
            gtin = body + str(ean.calc_check_digit(body))
            if gtin not in self._issued:
                self._issued.add(gtin)
                return gtin


def _options(
    rng: random.Random, category: str, option_kind: str, values: tuple[str, ...]
) -> list[tuple[str | None, str | None]]:
    """Return (size, colour) pairs for a product's variants."""
    if option_kind in ("apparel", "shoes"):
        pool = _APPAREL_SIZES if option_kind == "apparel" else _SHOE_SIZES
        count = rng.randint(4, 6) if option_kind == "apparel" else rng.randint(5, 8)
        start = rng.randint(0, len(pool) - count)
        sizes = pool[start : start + count]
        colours = rng.sample(_COLOURS[category], rng.randint(1, 2))
        return [(s, c) for c in colours for s in sizes]
    if option_kind == "colour":
        palette = _COLOURS.get(category, _COLOURS["electronics"])
        return [(None, c) for c in rng.sample(palette, rng.randint(1, 3))]
    if option_kind in ("size", "volume", "weight", "flavour", "format"):
        return [(v, None) for v in values]
    return [(None, None)]


def _book(rng: random.Random, used: set[str]) -> tuple[str, str, str, tuple[str, ...]]:
    """Return (title, kind, publisher, traits) for a new book."""
    for attempt in range(50):
        if rng.random() < 0.35:
            title, traits = rng.choice(_COOKBOOKS), ("recipe",)
        else:
            title = f"The {rng.choice(_BOOK_ADJ)} {rng.choice(_BOOK_NOUN)}"
            traits = ("story",)
        if attempt > 25:
            title = f"{title}: Volume {attempt - 24}"
        if title not in used:
            break
    publisher = rng.choice(("Lontar Lane Press", "Harbour Light Books"))
    return title, "book", publisher, traits


def catalog(rng: random.Random, n_products: int) -> list[DemoProduct]:
    """Generate ``n_products`` demo products with variants, SKUs and (for ~60%) GTIN-13s."""
    gtins = _GtinFactory(rng)
    cats = list(CATEGORIES)
    rng.shuffle(cats)
    weights = [_CATEGORY_WEIGHTS[c] for c in CATEGORIES]
    while len(cats) < n_products:
        cats.append(rng.choices(CATEGORIES, weights=weights)[0])
    cats = cats[:n_products]

    used_names: set[str] = set()
    used_slugs: set[str] = set()
    products: list[DemoProduct] = []
    for index, category in enumerate(cats, start=1):
        if category == "books":
            title, kind, brand, traits = _book(rng, used_names)
            name = title
            author = rng.choice(_AUTHORS)
            option_kind = "format"
            options: list[tuple[str | None, str | None]] = [("Paperback", None)]
            if rng.random() < 0.4:
                options.append(("Hardcover", None))
            description = f"By {author}. {rng.choice(_DESCRIPTIONS['books'])}"
        else:
            brands = [b for b, spec in _BRANDS.items() if spec[0] == category]
            for attempt in range(40):
                brand = rng.choice(brands)
                type_name, kind, traits, option_kind, values = rng.choice(_TYPES[category])
                line = rng.choice(_NAME_LINES[category])
                name = f"{brand} {line} {type_name}"
                if attempt > 30:
                    name = f"{name} {rng.choice('ABCDEFGHJKLMNPRSTUVWXZ')}{rng.randint(2, 99)}"
                if name not in used_names:
                    break
            options = _options(rng, category, option_kind, values)
            description = rng.choice(_DESCRIPTIONS[category])
        used_names.add(name)
        shop_slug = _BRANDS[brand][1]
        slug = _slugify(name)
        if slug in used_slugs:
            slug = f"{slug}-{index}"
        used_slugs.add(slug)

        low, high = _PRICE_RANGES[category]
        price = rng.randrange(low, high, 50) - 1  # prices end in .49 / .99
        with_gtin = rng.random() < 0.6
        base_sku = f"{_SHOP_CODES[shop_slug]}-{_CAT_CODES[category]}-{index:04d}"
        variants: list[DemoVariant] = []
        seen_skus: set[str] = set()
        for number, (size, colour) in enumerate(options):
            parts = [p for p in (size, colour) if p]
            sku = "-".join([base_sku, *(_code(p) for p in parts)]) if parts else base_sku
            if sku in seen_skus:
                sku = f"{sku}-{number}"
            seen_skus.add(sku)
            scaled = option_kind in ("size", "volume", "weight", "format")
            step = number * (price // 3 // 50 * 50) if scaled else 0
            variants.append(
                DemoVariant(
                    sku=sku,
                    option=" / ".join(parts) if parts else "Standard",
                    size=size,
                    colour=colour,
                    gtin=gtins.issue(brand) if with_gtin else None,
                    price_cents=price + step,
                )
            )
        products.append(
            DemoProduct(
                slug=slug,
                name=name,
                brand=brand,
                category=category,
                kind=kind,
                shop_slug=shop_slug,
                description=description,
                price_cents=price,
                gtin=variants[0].gtin,
                variants=tuple(variants),
                traits=traits,
            )
        )
    return products


# --------------------------------------------------------------------------------------
# Buyers
# --------------------------------------------------------------------------------------


def _ascii_fold(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# fmt: off
_ID_GIVEN = (
    "Budi", "Siti", "Dimas", "Putri", "Wahyu", "Indah", "Rizky", "Fajar", "Nurul", "Hendra",
    "Bayu", "Intan", "Yusuf", "Melati", "Arief", "Galih", "Wulan", "Anisa", "Reza", "Citra",
    "Eko", "Fitri", "Gilang", "Hana", "Irfan", "Joko", "Kartika", "Lukman", "Maya", "Nanda",
    "Pandu", "Rahmat", "Sari", "Teguh", "Vina", "Wisnu", "Yulia", "Zahra", "Dian", "Ratih",
    "Bambang", "Endah", "Gita", "Hesti", "Imam", "Krisna", "Laksmi", "Novi", "Oktavia", "Tegar",
)
_ID_MIDDLE = ("Adi", "Ayu", "Dwi", "Eka", "Nur", "Sri", "Dewi", "Putra", "Indra", "Tri", "Surya")
_ID_FAMILY = (
    "Santoso", "Wijaya", "Pratama", "Hidayat", "Saputra", "Kusuma", "Nugroho", "Siregar",
    "Simanjuntak", "Hasibuan", "Setiawan", "Halim", "Gunawan", "Purnomo", "Permana",
    "Sitompul", "Lubis", "Nasution", "Harahap", "Suryadi", "Hartono", "Wibowo", "Susanto",
    "Kurniawan", "Rahayu", "Maharani", "Anggraini", "Firmansyah", "Ramadhan", "Syahputra",
    "Manurung", "Panjaitan", "Sembiring", "Ginting", "Tarigan", "Pangaribuan", "Wirawan",
    "Hakim", "Utomo", "Sulistyo",
)
_VI_FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Tạ",
)
_VI_MIDDLE = (
    "Văn", "Thị", "Minh", "Thanh", "Đức", "Ngọc", "Hữu", "Thu", "Quốc", "Bảo", "Gia", "Hoài",
    "Kim", "Xuân", "Công", "Mỹ",
)
_VI_GIVEN = (
    "Anh", "Lan", "Hùng", "Linh", "Tuấn", "Hương", "Dũng", "Trang", "Phương", "Khoa", "Thảo",
    "Quân", "Nhung", "Hải", "Vy", "Long", "Sơn", "Nam", "Yến", "Hiếu", "Tâm", "Trí", "Ngân",
    "Phúc", "Thắng", "Hạnh", "Duy", "Nhi", "Khánh", "Tùng", "Diệp", "Quyên",
)
_MALAY_MALE = (
    "Ahmad", "Muhammad Hafiz", "Amirul", "Syafiq", "Farhan", "Haziq", "Aiman", "Danial",
    "Faizal", "Khairul", "Luqman", "Nazri", "Rizal", "Zulkifli", "Hakimi", "Azlan", "Firdaus",
    "Adam", "Aqil", "Iskandar", "Shahrul", "Syahmi",
)
_MALAY_FEMALE = (
    "Nurul Aina", "Siti Aishah", "Nur Izzati", "Aisyah", "Farah", "Nabila", "Syazwani",
    "Amira", "Balqis", "Hani", "Liyana", "Sofea", "Zulaikha", "Aqilah", "Nadhirah", "Wardah",
    "Alya", "Damia", "Hidayah", "Izzah", "Maisarah",
)
_MALAY_FATHER = (
    "Hassan", "Ismail", "Abdullah", "Razak", "Osman", "Yusof", "Rahman", "Kamal", "Ibrahim",
    "Salleh", "Mokhtar", "Hamid", "Aziz", "Jamil", "Sulaiman", "Zakaria", "Harun", "Mansor",
    "Shukor", "Latif", "Rashid", "Hashim", "Nordin", "Zainal", "Ramli", "Omar", "Bakar",
    "Daud", "Idris", "Musa",
)
_CN_FAMILY = (
    "Tan", "Lim", "Lee", "Ong", "Wong", "Goh", "Chua", "Chan", "Koh", "Teo", "Yeo", "Low",
    "Sim", "Chong", "Foo", "Yap", "Khoo", "Lau", "Quek", "Heng",
)
_CN_SYLLABLE_1 = (
    "Wei", "Jia", "Hui", "Zhi", "Xin", "Kah", "Mei", "Chee", "Siew", "Jun", "Boon", "Pei",
    "Kok", "Jing", "Zhen", "Shu", "Kai", "Ming", "Yong", "Seng", "Li", "Shi",
)
_CN_SYLLABLE_2 = (
    "Ling", "Hui", "Jie", "Min", "Hao", "Wai", "Keong", "Lan", "Xuan", "Kiat", "Shan", "Ying",
    "Wen", "Yu", "Fen", "Xiang", "Hong", "Qi", "Ting", "Han", "Rong", "Yee",
)
_IN_GIVEN = (
    "Arjun", "Kavitha", "Suresh", "Priyanka", "Rajesh", "Deepa", "Vikram", "Lakshmi", "Ganesh",
    "Meena", "Karthik", "Anitha", "Ravi", "Shalini", "Naveen", "Sangeetha", "Anand", "Divya",
    "Harish", "Janani", "Latha", "Mohan", "Nirmala", "Prakash", "Revathi", "Saravanan", "Uma",
    "Yogesh",
)
_IN_FAMILY = (
    "Raman", "Pillai", "Nair", "Subramaniam", "Krishnan", "Menon", "Rajan", "Govindasamy",
    "Muthu", "Selvaraj", "Naidu", "Chandran", "Balakrishnan", "Veerappan", "Ramasamy",
    "Arumugam", "Perumal", "Sundram", "Thangaraj", "Iyer", "Kannan", "Ganesan", "Murugan",
)
_TH_GIVEN = (
    "Somchai", "Siriporn", "Nattapong", "Kanya", "Thanawat", "Pimchanok", "Arthit", "Ratchanee",
    "Kittisak", "Supaporn", "Chaiwat", "Wanida", "Narong", "Pornthip", "Apinya", "Sakda",
    "Jiraporn", "Worawit", "Chutima", "Teerapat", "Nipaporn", "Phongsak", "Sasithorn", "Anucha",
    "Duangjai", "Ekkachai", "Thitima", "Panupong",
)
_TH_FAMILY = (
    "Srisuk", "Wongsawat", "Chaiyaporn", "Rattanakorn", "Boonmee", "Thongdee", "Saetang",
    "Kittikhun", "Phromma", "Suwannarat", "Jaidee", "Sombat", "Charoensuk", "Intarasuk",
    "Pattanapong", "Yodsuwan", "Kongkaew", "Siriwat", "Thammasak", "Wattanachai", "Bunyasarn",
    "Chantharat", "Kaewmanee", "Prasertsri",
)
_PH_GIVEN = (
    "Maria Cristina", "Jose Miguel", "Angelica", "Paolo", "Rhea", "Mark Anthony", "Joy",
    "Carlo", "Kristine", "Rommel", "Jerome", "Lovely", "Mary Grace", "Jan Carlo", "Patricia",
    "Ramon", "Bea", "Rodel", "Ana Marie", "Jericho", "Maricel", "Danilo", "Rowena", "Arnel",
    "Princess", "Nestor", "Marites", "Junjun", "Liezl", "Efren",
)
_PH_FAMILY = (
    "Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Villanueva", "Mendoza", "Aquino",
    "Ramos", "Castillo", "Navarro", "Soriano", "Manalo", "Pascual", "Dizon", "Salazar",
    "Macaraeg", "Tolentino", "Gatchalian", "Lacson", "Magbanua", "Panganiban", "Evangelista",
    "Buenaventura", "Sarmiento", "Lagman",
)
_EN_GIVEN = (
    "Oliver", "Charlotte", "Harry", "Amelia", "Jack", "Isla", "George", "Sophie", "Thomas",
    "Grace", "Liam", "Chloe", "Noah", "Matilda", "Oscar", "Freya", "Alfie", "Poppy", "Henry",
    "Imogen", "Archie", "Ruby", "Lachlan", "Harper", "Edward", "Beatrice", "Samuel", "Evie",
    "Callum", "Niamh",
)
_EN_FAMILY = (
    "Whitaker", "Harrington", "Fletcher", "Pemberton", "Ashworth", "Thornton", "Caldwell",
    "Redfern", "Blackwood", "Hollis", "Marsden", "Kingsley", "Lockwood", "Fairbairn",
    "Holloway", "Prescott", "Radcliffe", "Somerville", "Whitmore", "Aldridge", "Bramwell",
    "Cartwright", "Dunmore", "Featherstone", "Gillespie", "Hargreaves", "McAllister",
    "Templeton", "Wakefield", "Ellison",
)
_EN_MIDDLE = ("James", "Rose", "Louise", "William", "Mae", "Alexander", "Jane", "Robert")
# fmt: on


def _person(rng: random.Random, culture: str, extended: bool) -> tuple[str, str, str]:
    """Return (full name, given name, family name) for a culture."""
    if culture == "indonesian":
        given, family = rng.choice(_ID_GIVEN), rng.choice(_ID_FAMILY)
        if extended or rng.random() < 0.3:
            given = f"{given} {rng.choice(_ID_MIDDLE)}"
        return f"{given} {family}", given, family
    if culture == "vietnamese":
        family = rng.choice(_VI_FAMILY)
        given = f"{rng.choice(_VI_MIDDLE)} {rng.choice(_VI_GIVEN)}"
        if extended:
            given = f"{rng.choice(_VI_MIDDLE)} {given}"
        return f"{family} {given}", given, family
    if culture == "malay":
        male = rng.random() < 0.5
        given = rng.choice(_MALAY_MALE if male else _MALAY_FEMALE)
        father = rng.choice(_MALAY_FATHER)
        if extended:
            father = f"{father} {rng.choice(_MALAY_FATHER)}"
        return f"{given} {'bin' if male else 'binti'} {father}", given, father
    if culture == "chinese":
        family = rng.choice(_CN_FAMILY)
        first, second = rng.choice(_CN_SYLLABLE_1), rng.choice(_CN_SYLLABLE_2)
        given = f"{first} {second}" if first != second else f"{first} {second.lower()}"
        if extended:  # an English name in front, as is common in Singapore and Malaysia
            english = rng.choice(_EN_GIVEN)
            return f"{english} {family} {given}", f"{english} {given}", family
        return f"{family} {given}", given, family
    if culture == "indian":
        given, family = rng.choice(_IN_GIVEN), rng.choice(_IN_FAMILY)
        if extended:
            family = f"{rng.choice(_IN_FAMILY)} {family}"
        return f"{given} {family}", given, family
    if culture == "thai":
        given, family = rng.choice(_TH_GIVEN), rng.choice(_TH_FAMILY)
        if extended:
            family = f"{family}{rng.choice(('chai', 'sakul', 'wong', 'porn'))}"
        return f"{given} {family}", given, family
    if culture == "filipino":
        given, family = rng.choice(_PH_GIVEN), rng.choice(_PH_FAMILY)
        if extended:
            given = f"{given} {rng.choice(_PH_FAMILY)}"  # maternal surname as middle name
        return f"{given} {family}", given, family
    given, family = rng.choice(_EN_GIVEN), rng.choice(_EN_FAMILY)
    if extended or rng.random() < 0.2:
        given = f"{given} {rng.choice(_EN_MIDDLE)}"
    return f"{given} {family}", given, family


# fmt: off
# country -> (weight, cultures with weights)
_COUNTRIES: dict[str, tuple[int, tuple[tuple[str, int], ...]]] = {
    "ID": (34, (("indonesian", 1),)),
    "VN": (14, (("vietnamese", 1),)),
    "MY": (12, (("malay", 55), ("chinese", 30), ("indian", 15))),
    "TH": (9, (("thai", 1),)),
    "SG": (7, (("chinese", 65), ("malay", 15), ("indian", 15), ("english", 5))),
    "PH": (8, (("filipino", 1),)),
    "GB": (9, (("english", 85), ("indian", 15))),
    "AU": (7, (("english", 80), ("vietnamese", 10), ("chinese", 10))),
}

# country -> (calling code, mobile prefixes, subscriber digits)
_PHONE_PLANS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "ID": (
        "62",
        (
            "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816",
            "855", "856", "857", "858", "817", "818", "819", "859", "877", "878", "831", "832",
            "838", "895", "896", "897", "898", "899", "881", "882", "887", "888", "889",
        ),
        8,
    ),
    "VN": (
        "84",
        (
            "32", "33", "34", "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81",
            "82", "83", "84", "85", "86", "88", "90", "91", "93", "94", "96", "97", "98",
        ),
        7,
    ),
    "MY": ("60", ("12", "13", "16", "17", "19"), 7),
    "TH": (
        "66",
        (
            "61", "62", "63", "64", "65", "80", "81", "82", "83", "84", "85", "86", "87", "88",
            "89", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99",
        ),
        7,
    ),
    "SG": ("65", ("81", "82", "83", "84", "85", "86", "87", "88", "90", "91", "92", "93"), 6),
    "PH": (
        "63",
        (
            "905", "906", "915", "916", "917", "926", "927", "935", "945", "955", "956", "965",
            "966", "975", "977", "995", "997", "908", "918", "919", "920", "921", "928", "929",
            "939", "947", "949", "951", "998", "999",
        ),
        7,
    ),
    "GB": (
        "44",
        (
            "7400", "7401", "7402", "7403", "7405", "7407", "7412", "7415", "7421", "7427",
            "7432", "7438", "7441", "7447", "7455", "7466", "7470", "7481", "7490", "7500",
            "7511", "7530", "7548", "7564", "7577", "7588", "7590", "7701", "7712", "7723",
            "7734", "7745", "7756", "7767", "7775", "7786", "7801", "7815", "7824", "7837",
            "7846", "7852", "7865", "7877", "7882", "7894", "7903", "7912", "7921", "7946",
            "7955", "7968", "7971", "7984", "7999",
        ),
        6,
    ),
    "AU": (
        "61",
        (
            "400", "401", "402", "403", "404", "405", "406", "407", "408", "409", "410", "411",
            "412", "413", "414", "415", "416", "417", "418", "419", "420", "421", "422", "423",
            "424", "425", "426", "427", "428", "429", "430", "431", "432", "433", "434", "435",
            "438", "439", "447", "448", "449", "450", "451", "452", "455", "456", "457", "458",
        ),
        6,
    ),
}

# country -> cities as (city, region, postal prefix); street patterns use {n}, {m}, {k}
_CITIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "ID": (
        ("Jakarta Selatan", "DKI Jakarta", "121"), ("Bandung", "Jawa Barat", "401"),
        ("Surabaya", "Jawa Timur", "602"), ("Yogyakarta", "DI Yogyakarta", "552"),
        ("Medan", "Sumatera Utara", "201"), ("Denpasar", "Bali", "801"),
        ("Makassar", "Sulawesi Selatan", "902"), ("Semarang", "Jawa Tengah", "502"),
        ("Malang", "Jawa Timur", "651"), ("Bekasi", "Jawa Barat", "171"),
        ("Depok", "Jawa Barat", "164"), ("Palembang", "Sumatera Selatan", "301"),
    ),
    "VN": (
        ("Hà Nội", "Hà Nội", "100"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh", "700"),
        ("Đà Nẵng", "Đà Nẵng", "500"), ("Hải Phòng", "Hải Phòng", "180"),
        ("Cần Thơ", "Cần Thơ", "940"), ("Huế", "Thừa Thiên Huế", "490"),
        ("Nha Trang", "Khánh Hòa", "650"),
    ),
    "MY": (
        ("Kuala Lumpur", "Wilayah Persekutuan", "50"), ("Petaling Jaya", "Selangor", "47"),
        ("George Town", "Pulau Pinang", "10"), ("Johor Bahru", "Johor", "80"),
        ("Ipoh", "Perak", "30"), ("Kota Kinabalu", "Sabah", "88"),
        ("Shah Alam", "Selangor", "40"), ("Kuching", "Sarawak", "93"),
    ),
    "TH": (
        ("Bangkok", "Bangkok", "10"), ("Chiang Mai", "Chiang Mai", "50"),
        ("Phuket", "Phuket", "83"), ("Khon Kaen", "Khon Kaen", "40"),
        ("Nonthaburi", "Nonthaburi", "11"), ("Hat Yai", "Songkhla", "90"),
    ),
    "SG": (("Singapore", "", ""),),
    "PH": (
        ("Quezon City", "Metro Manila", "11"), ("Makati", "Metro Manila", "12"),
        ("Cebu City", "Cebu", "60"), ("Davao City", "Davao del Sur", "80"),
        ("Pasig", "Metro Manila", "16"), ("Iloilo City", "Iloilo", "50"),
    ),
    "GB": (
        ("London", "England", "N1 N16 SE15 E8 SW11 NW5"), ("Manchester", "England", "M14 M20 M4"),
        ("Leeds", "England", "LS6 LS8"), ("Bristol", "England", "BS6 BS7"),
        ("Edinburgh", "Scotland", "EH6 EH9"), ("Cardiff", "Wales", "CF24 CF5"),
        ("Norwich", "England", "NR2 NR3"), ("York", "England", "YO10 YO31"),
    ),
    "AU": (
        ("Sydney", "NSW", "20 21"), ("Melbourne", "VIC", "30 31"), ("Brisbane", "QLD", "40 41"),
        ("Perth", "WA", "60 61"), ("Adelaide", "SA", "50"), ("Hobart", "TAS", "70"),
        ("Canberra", "ACT", "26"),
    ),
}

_STREETS: dict[str, tuple[str, ...]] = {
    "ID": (
        "Jl. Melati No. {n}", "Jl. Kenanga No. {n}", "Jl. Cempaka Putih No. {n}",
        "Jl. Pahlawan No. {n}, RT {k:02d}/RW {m:02d}", "Jl. Merdeka No. {n}",
        "Jl. Diponegoro No. {n}", "Jl. Kaliurang Km {k}, No. {n}", "Jl. Veteran No. {n}",
        "Jl. Anggrek No. {n}, RT {k:02d}/RW {m:02d}", "Jl. Flamboyan No. {n}",
        "Jl. Cendana No. {n}", "Gg. Mawar No. {n}, RT {k:02d}/RW {m:02d}",
    ),
    "VN": (
        "{n} Lê Lợi", "{n} Nguyễn Huệ", "{n} Trần Hưng Đạo", "{n} Hai Bà Trưng",
        "{n} Lý Thường Kiệt", "{n}/{m} Điện Biên Phủ", "{n} Phan Đình Phùng",
        "{n} Võ Văn Tần, Phường {k}", "Số {n} ngõ {m} Nguyễn Trãi", "{n} Hoàng Diệu",
        "{n} Bạch Đằng", "{n}/{m} Pasteur, Phường {k}",
    ),
    "MY": (
        "No. {n}, Jalan Bukit Bintang", "No. {n}, Jalan SS {k}/{m}", "No. {n}, Jalan Ampang",
        "{n}, Lorong Maarof", "No. {n}, Jalan Burma", "No. {n}, Jalan Gasing",
        "No. {n}, Jalan Kenari {k}", "{n}, Persiaran Gurney", "No. {n}, Jalan Dato Onn",
    ),
    "TH": (
        "{n}/{m} Sukhumvit Soi {k}", "{n} Ratchadaphisek Road", "{n}/{m} Phahonyothin Road",
        "{n} Nimmanhaemin Road", "{n} Charoen Krung Road", "{n}/{m} Thonglor Soi {k}",
        "{n} Rama IV Road", "{n}/{m} Lat Phrao Soi {k}",
    ),
    "SG": (
        "Blk {n} Ang Mo Kio Avenue {k}, #{m:02d}-{n:02d}|56",
        "Blk {n} Tampines Street {k}, #{m:02d}-{k:02d}|52",
        "{n} Jurong West Street {k}, #{m:02d}-{n:02d}|64",
        "Blk {n} Bedok North Road, #{m:02d}-{k:02d}|46",
        "Blk {n} Toa Payoh Lorong {k}, #{m:02d}-{n:02d}|31",
        "Blk {n} Yishun Ring Road, #{m:02d}-{k:02d}|76",
    ),
    "PH": (
        "{n} Rizal Street, Barangay San Antonio", "{n} Mabini Street, Poblacion",
        "{n} Bonifacio Avenue, Barangay Santa Cruz", "Unit {k}, {n} Katipunan Avenue",
        "{n} Osmeña Boulevard", "{n} Mango Avenue, Barangay San Isidro",
        "{n} Aguinaldo Street, Barangay Bagong Silang",
    ),
    "GB": (
        "{n} Albert Road", "{n} Victoria Street", "{n} Church Lane", "{n} Station Road",
        "Flat {k}, {n} Mill Lane", "{n} Park Avenue", "{n} Queens Drive", "{n} Elm Grove",
        "{n} Holly Close", "Flat {k}, {n} Chapel Street", "{n} Orchard Way",
        "{n} Beech Crescent",
    ),
    "AU": (
        "{n} Wattle Street", "{n} Banksia Avenue", "Unit {k}/{n} Jacaranda Crescent",
        "{n} Ocean Parade", "{n} Bellbird Close", "{n} Waratah Street",
        "Unit {k}/{n} Kookaburra Drive", "{n} Lorikeet Way", "{n} Eucalyptus Grove",
    ),
}

_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# fmt: on


def _address(rng: random.Random, country: str) -> tuple[str, str, str, str]:
    """Return (street, city, region, postal code) for a country."""
    city, region, postal = rng.choice(_CITIES[country])
    pattern = rng.choice(_STREETS[country])
    street_pattern, _, sg_prefix = pattern.partition("|")
    street = street_pattern.format(
        n=rng.randint(1, 199), m=rng.randint(1, 24), k=rng.randint(1, 12)
    )
    if country == "SG":
        code = f"{sg_prefix}{rng.randint(0, 9999):04d}"
    elif country == "GB":
        outward = rng.choice(postal.split())
        code = f"{outward} {rng.randint(1, 9)}{''.join(rng.sample(_POSTCODE_LETTERS, 2))}"
    elif country in ("AU", "PH"):
        code = f"{rng.choice(postal.split())}{rng.randint(0, 99):02d}"
    elif country == "TH":
        code = f"{postal}{rng.randint(10, 99)}0"
    elif country == "MY":
        code = f"{postal}{rng.randint(0, 999):03d}"
    else:
        code = f"{postal}{rng.randint(0, 99):02d}"
    return street, city, region, code


def _phone(rng: random.Random, country: str) -> str:
    code, prefixes, digits = _PHONE_PLANS[country]
    subscriber = rng.randint(10 ** (digits - 1), 10**digits - 1)
    return f"+{code}{rng.choice(prefixes)}{subscriber}"


def _email_local(rng: random.Random, given: str, family: str) -> str:
    g = re.sub(r"[^a-z]", "", _ascii_fold(given).lower())
    f = re.sub(r"[^a-z]", "", _ascii_fold(family).lower())
    first = re.sub(r"[^a-z]", "", _ascii_fold(given.split()[0]).lower())
    pattern = rng.randrange(7)
    if pattern == 0:
        local = f"{g}.{f}"
    elif pattern == 1:
        local = f"{first}{f}"
    elif pattern == 2:
        local = f"{first}_{f}{rng.randint(70, 99)}"
    elif pattern == 3:
        local = f"{f}.{first}"
    elif pattern == 4:
        local = f"{first}.{f}{rng.randint(1, 999)}"
    elif pattern == 5:
        local = f"{first[0]}{f}.{rng.randint(10, 99)}"
    else:
        local = f"{first}.{f[:3]}{rng.randint(1980, 2006)}"
    if len(local) < 8:
        local = f"{local}{rng.randint(10, 999)}"
    return local


class _NameRegistry:
    """Tracks issued names so that no name is a substring of another (case-insensitive)."""

    def __init__(self, reserved: list[str]) -> None:
        self._names: set[str] = set()
        # If "w1 ... wk" occurs inside another name, wk starts one of that name's later words,
        # so names are indexed by the first two and three letters of their non-first words.
        self._by_prefix: dict[str, list[str]] = {}
        for name in reserved:
            self.add(name)

    def taken(self, name: str) -> bool:
        low = name.casefold()
        last = low.rsplit(" ", 1)[-1]
        if any(low in other for other in self._by_prefix.get(last[:3], ())):
            return True
        # every issued name contains a space, so only slices spanning a space can match
        first_space, last_space, size = low.index(" "), low.rindex(" "), len(low)
        return any(
            low[i:j] in self._names
            for i in range(last_space)
            for j in range(max(i, first_space) + 2, size + 1)
        )

    def add(self, name: str) -> None:
        low = name.casefold()
        self._names.add(low)
        for word in set(low.split()[1:]):
            for key in {word[:2], word[:3]}:
                self._by_prefix.setdefault(key, []).append(low)


def buyers(rng: random.Random, n: int) -> list[DemoBuyer]:
    """Generate ``n`` buyers whose full names, e-mails and phones are unique and distinctive."""
    countries = list(_COUNTRIES)
    country_weights = [_COUNTRIES[c][0] for c in countries]
    names = _NameRegistry([m.full_name for s in sellers() for m in s.members] + list(_AUTHORS))
    emails: set[str] = set()
    email_suffixes: set[str] = set()
    phones: set[str] = set()
    phone_prefixes: set[str] = set()

    result: list[DemoBuyer] = []
    for _ in range(n):
        country = rng.choices(countries, weights=country_weights)[0]
        cultures = _COUNTRIES[country][1]
        culture = rng.choices([c for c, _ in cultures], weights=[w for _, w in cultures])[0]

        for attempt in range(300):
            full, given, family = _person(rng, culture, extended=attempt >= 2)
            if attempt >= 100:  # last resort: a middle initial
                first, _, rest = full.partition(" ")
                full = f"{first} {rng.choice('ABCDEFGHIJKLMNOPRSTUVWY')}. {rest}"
            if not names.taken(full):
                break
        else:
            raise ValueError(f"cannot generate {n} distinct buyer names")
        names.add(full)

        domain = rng.choice(_EMAIL_DOMAINS)
        local = _email_local(rng, given, family)
        email = f"{local}@{domain}"
        while email in email_suffixes or any(
            f"{local[i:]}@{domain}" in emails for i in range(1, len(local))
        ):
            local = f"{local}{rng.randint(0, 9)}"
            email = f"{local}@{domain}"
        emails.add(email)
        email_suffixes.update(f"{local[i:]}@{domain}" for i in range(len(local)))

        phone = _phone(rng, country)
        while phone in phone_prefixes or any(phone[:i] in phones for i in range(4, len(phone))):
            phone = _phone(rng, country)
        phones.add(phone)
        phone_prefixes.update(phone[:i] for i in range(4, len(phone) + 1))

        street, city, region, postal_code = _address(rng, country)
        result.append(
            DemoBuyer(
                full_name=full,
                given_name=given,
                family_name=family,
                email=email,
                phone=phone,
                street=street,
                city=city,
                region=region,
                postal_code=postal_code,
                country=country,
            )
        )
    return result


# --------------------------------------------------------------------------------------
# Review vocabulary (written for this project)
# --------------------------------------------------------------------------------------

LANGUAGES: tuple[str, ...] = ("en", "id", "vi")
LANGUAGE_WEIGHTS: dict[str, int] = {"en": 80, "id": 12, "vi": 8}
RATING_WEIGHTS: dict[int, int] = {5: 55, 4: 20, 3: 9, 2: 6, 1: 10}
NO_TEXT_SHARE = 0.08
TONES: tuple[str, ...] = ("praise", "minor", "neutral", "mixed", "complaint", "context")

_Pool = dict[str, tuple[str, ...]]

# fmt: off
_EN: dict[str, _Pool] = {
    "general": {
        "praise": (
            "Arrived in {fast_days} days, faster than the estimate.",
            "Shipping was quick and the tracking updates were accurate.",
            "Delivered a day earlier than promised.",
            "Came the very next day, which I did not expect at all.",
            "Fast dispatch, it left the warehouse the same afternoon I paid.",
            "Packed really well with plenty of padding.",
            "The box was sturdy and nothing inside was dented.",
            "Neat packaging, and the seller even added a handwritten thank-you card.",
            "Double-boxed and wrapped in bubble wrap, it arrived in perfect condition.",
            "Very little plastic in the packaging, which I appreciate.",
            "The seller answered my question within an hour.",
            "Friendly seller, they confirmed the details with me before shipping.",
            "Customer service was patient and helpful when I had questions.",
            "The shop kept me updated the whole way.",
            "Great value for the price.",
            "Honestly worth every cent.",
            "Cheaper than at the mall and the same quality.",
            "For this price I expected much less, so I was pleasantly surprised.",
            "Exactly as described in the listing.",
            "Looks just like the photos.",
            "Quality feels premium.",
            "Better than I hoped.",
            "My whole family loves it.",
            "Already ordered a second one for my sister.",
            "Good quality control, everything was checked before sending.",
            "Easily the best purchase I have made this month.",
            "{brand} has become my go-to brand.",
            "Everything about this order went smoothly.",
        ),
        "minor": (
            "Delivery took {days} days, a little slower than I hoped.",
            "The box was slightly dented but the contents were fine.",
            "Price is on the high side, though I think it is fair.",
            "The instructions could be clearer.",
            "It took the seller a day to reply, but they sorted it out.",
            "I only wish it came in more colours.",
            "The courier left it at the gate instead of knocking.",
            "There was a bit of a wait before it shipped.",
        ),
        "neutral": (
            "It does the job, nothing special.",
            "Average quality for the price.",
            "Not bad, not amazing either.",
            "About what I expected for the money.",
            "Delivery was on time, no more, no less.",
            "Packaging was basic but adequate.",
            "I am still deciding whether I like it.",
            "Fine for everyday use.",
            "Decent, but I have seen better at this price.",
            "Neither good nor bad, just okay.",
            "It is acceptable if you are not too picky.",
        ),
        "complaint": (
            "Delivery took {slow_days} days even though the listing promised two or three.",
            "The parcel sat at the sorting centre for over a week.",
            "Arrived {weeks} weeks late with no explanation.",
            "Tracking said delivered, but nothing came until five days later.",
            "The box was crushed and soaking wet when it arrived.",
            "No padding at all, it was just thrown into a thin plastic bag.",
            "The package had clearly been opened before it reached me.",
            "The seller replied rudely when I asked for help.",
            "My messages to the seller were ignored for days.",
            "The shop kept asking for more photos instead of fixing the problem.",
            "The reply I got was copy-pasted and did not address my issue.",
            "Still waiting for my refund after {weeks} weeks.",
            "Getting a refund was a nightmare of forms and excuses.",
            "They offered a voucher instead of the refund I asked for.",
            "I had to pay for return shipping even though the mistake was theirs.",
            "Not worth the money at all.",
            "Overpriced for what you actually get.",
            "Feels cheap, much worse than the photos suggest.",
            "Nothing like the photos in the listing.",
            "Received a different variant from the one I ordered.",
            "The wrong item was sent, not what I ordered at all.",
            "The invoice in the box was for someone else's order.",
            "Cancelled my second order after seeing this one.",
        ),
        "mixed": (
            "Shipping was fast, but the packaging was flimsy.",
            "Good price, but the seller took ages to reply.",
            "Decent product, shame about the {slow_days}-day delivery.",
            "The seller was kind, but the courier was a disaster.",
            "Nice enough product, but it came in a box that was falling apart.",
        ),
        "context": (
            "Bought it as a gift for my mother.",
            "Ordered during the payday sale.",
            "This was my first order from {brand}.",
            "Picked one up for my flatmate as well.",
            "I compared a few shops before choosing this one.",
            "Second time ordering from this shop.",
            "Ordered it for a trip next month.",
            "Bought this to replace an old one that finally gave up.",
            "A colleague pointed me to this shop.",
        ),
    },
    "apparel": {
        "praise": (
            "The fabric is soft and breathable, perfect for hot days.",
            "True to size, I ordered my usual {size} and it fits perfectly.",
            "The {colour} is even nicer in person.",
            "Stitching is neat and there are no loose threads.",
            "Washed it several times and it has not faded or shrunk.",
            "The cut is flattering without being too tight.",
            "Comfortable enough to wear all day at the office.",
            "[pockets] The pockets are deep enough for a phone, which is rare.",
            "Got lots of compliments the first time I wore it.",
            "[zip] The zip runs smoothly and feels sturdy.",
            "[batik] The batik pattern is crisp and the colours are rich.",
        ),
        "minor": (
            "Runs slightly large, so consider sizing down.",
            "A little long for me, but nothing a tailor cannot fix.",
            "Needs ironing after every wash.",
            "The {colour} is a shade darker than in the photos.",
        ),
        "neutral": (
            "The fabric is thinner than I expected.",
            "The fit is okay but a bit boxy in the shoulders.",
        ),
        "complaint": (
            "I ordered {size} but received {other_size}.",
            "Shrank a full size after the first wash.",
            "The seams started coming apart after two wears.",
            "[zip] The zip broke the first time I used it.",
            "The colour bled onto my other clothes in the wash.",
            "Way too small, the size chart is completely wrong.",
            "It smells odd, like chemicals, even after washing.",
            "There was a stain on the front when it arrived.",
            "[button] A button was missing and there was no spare.",
        ),
        "mixed": (
            "[zip] Love the {colour} but the zip broke within a week.",
            "Nice fabric, but the sizing runs two sizes small.",
            "Great design, shame the stitching is so uneven.",
        ),
    },
    "shoes": {
        "praise": (
            "Comfortable straight out of the box, no break-in needed.",
            "Fits true to size, my usual {size} is spot on.",
            "Great grip, even on wet tiles.",
            "Walked ten kilometres on the first day with no blisters.",
            "The sole has good cushioning for long shifts.",
            "Smart enough for work and casual enough for weekends.",
            "Lightweight, and the {colour} goes with everything.",
        ),
        "minor": (
            "Needed a few days to break in.",
            "Slightly narrow at the toe, fine after a week.",
            "[laces] The laces are a bit short.",
        ),
        "neutral": (
            "Comfort is fine for short walks, less so for long days.",
            "They look decent, but the insole is quite thin.",
        ),
        "complaint": (
            "I ordered {size} but the box said {other_size}.",
            "The sole started peeling off after two weeks.",
            "Gave me blisters on the very first walk.",
            "The pair was mismatched, one shoe was half a size bigger.",
            "Squeaks loudly with every step.",
            "The glue smell was so strong I had to leave them outside.",
            "Far too narrow, the size guide is misleading.",
            "[laces] One of the eyelets ripped out on day three.",
        ),
        "mixed": (
            "Love the look, but they pinch at the heel.",
            "Comfortable, but the {colour} looks very different in person.",
        ),
    },
    "electronics": {
        "praise": (
            "[charger] Charges my phone from empty to full in about an hour.",
            "[battery] Battery lasts a full day of heavy use.",
            "[wireless] Paired with my phone instantly.",
            "[cable] Solid build, the cable feels like it will last.",
            "[charger] Stays cool even while fast charging.",
            "[charger] Works with both my laptop and my phone.",
            "[audio] Sound is clear with decent bass for the size.",
            "[wireless] The connection never drops, even two rooms away.",
            "The {colour} finish does not pick up fingerprints.",
            "Compact enough to slip into any bag.",
            "[rechargeable] Tops up quickly over USB-C.",
        ),
        "minor": (
            "[charger] Gets a little warm when charging.",
            "[cable] The cable is shorter than I would like.",
            "[wireless] Pairing took two tries the first time.",
            "The status light is quite bright at night.",
        ),
        "neutral": (
            "[charger] Charging speed is average, not quite the fast charging advertised.",
            "[battery] Battery life is okay, roughly what you would expect.",
            "[audio] Sound is fine for podcasts, flat for music.",
        ),
        "complaint": (
            "Stopped working after {days} days.",
            "Arrived broken, the casing was cracked and it would not turn on.",
            "[battery] Battery drains in a couple of hours.",
            "[charger] Gets dangerously hot while charging.",
            "[wireless] Keeps disconnecting every few minutes.",
            "[rechargeable] The charging cable was missing from the box.",
            "[charger] Charges at a snail's pace, nowhere near the advertised speed.",
            "[cable] The plug is loose and keeps falling out of the port.",
            "[rechargeable] Will not hold a charge overnight.",
            "[audio] Crackling sound on the left side from day one.",
        ),
        "mixed": (
            "[cable] Charges fast, but the cable frayed within a month.",
            "[battery] Good battery life, though the buttons feel flimsy.",
            "[audio] Great sound, but the battery barely lasts a film.",
        ),
    },
    "kitchen": {
        "praise": (
            "[cookware] Heats evenly and nothing sticks.",
            "[blade] Sharp right out of the box, slices tomatoes paper thin.",
            "Easy to clean, a quick rinse and it is done.",
            "Feels sturdy and well balanced in the hand.",
            "Survived the dishwasher many times without a mark.",
            "[cookware] The handle stays cool on the stove.",
            "Makes cooking for the whole family much easier.",
            "[kettle] Boils quickly and pours precisely.",
            "[board] Heavy enough that it does not slide around the counter.",
            "[lid] The lid seals tight, nothing leaks in my bag.",
        ),
        "minor": (
            "A bit heavier than expected.",
            "[lid] The lid rattles slightly.",
            "Hand washing is recommended, which is a small hassle.",
        ),
        "neutral": (
            "Works fine, but the material feels thin.",
            "Does what a {item} should, nothing more.",
        ),
        "complaint": (
            "Rust spots appeared after the first wash.",
            "[cookware] The non-stick coating started flaking within weeks.",
            "The handle came loose after a few uses.",
            "[cookware] Arrived with a deep dent on one side.",
            "[lid] The lid was missing from the box.",
            "[blade] Blunt out of the box, could not even cut bread.",
            "[kettle] Leaks from the bottom.",
            "Plastic smell that gets into the food.",
            "[board] Cracked along the grain after a week.",
        ),
        "mixed": (
            "[cookware] Cooks well, but the handle gets very hot.",
            "Nice design, though rust showed up after a month.",
        ),
    },
    "beauty": {
        "praise": (
            "Absorbs quickly and does not feel sticky.",
            "[skin] My skin feels softer after just a week.",
            "The scent is light and pleasant.",
            "[skin] No breakouts, even on my sensitive skin.",
            "A little goes a long way, this will last for months.",
            "[skin] Works well under makeup.",
            "[skin] My dark spots look lighter after a month.",
        ),
        "minor": (
            "The scent is a bit strong for me.",
            "Takes a while to absorb.",
        ),
        "neutral": (
            "I have not noticed much difference yet.",
            "Texture is fine, results are so-so.",
        ),
        "complaint": (
            "[skin] Broke me out within two days.",
            "It smells odd, like it has gone off.",
            "The bottle leaked all over the parcel.",
            "The seal was already broken when it arrived.",
            "[skin] Made my skin red and itchy.",
            "The expiry date was only a month away.",
            "Feels greasy and never absorbs.",
        ),
        "mixed": (
            "Smells lovely, but it left my skin dry.",
            "Nice texture, though the pump stopped working halfway.",
        ),
    },
    "food": {
        "praise": (
            "Fresh, fragrant and full of flavour.",
            "[coffee] The coffee has a lovely chocolatey finish.",
            "[coffee] The roast date was just a week before delivery, very fresh.",
            "[coffee] The aroma filled the kitchen as soon as I opened the bag.",
            "[coffee] Makes a smooth cup even with my cheap drip filter.",
            "[snack] Crunchy and not too salty.",
            "[snack] My kids finished the whole {item} in one evening.",
            "[snack] Perfect with afternoon tea.",
            "[sweet] Sweet but not sickly, just right.",
            "Well sealed and still fresh when opened.",
        ),
        "minor": (
            "A little sweeter than I like.",
            "The {item} is smaller than it looks in the photos.",
            "[coffee] The roast is slightly darker than described.",
        ),
        "neutral": (
            "Taste is okay, nothing memorable.",
            "[coffee] Fine for the price, but not as fresh as a local roaster.",
        ),
        "complaint": (
            "Tasted stale, like it had been sitting on a shelf for months.",
            "Expired two weeks before it even arrived.",
            "The packet was torn and half the contents had spilled.",
            "[snack] Way too salty to finish.",
            "[snack] Soft and chewy instead of crunchy.",
            "[coffee] The coffee tastes burnt and bitter.",
            "Smells odd, almost musty.",
            "[sweet] Hard as a rock and impossible to chew.",
        ),
        "mixed": (
            "Tastes great, but the packet arrived half crushed.",
            "[coffee] Lovely aroma, shame the roast date was months old.",
        ),
    },
    "home": {
        "praise": (
            "Makes the room feel so much cosier.",
            "The {colour} matches my living room perfectly.",
            "Solid and well made, not flimsy at all.",
            "[assembly] Easy to put together in under ten minutes.",
            "[textile] Washes well and stays soft.",
            "Looks far more expensive than it was.",
            "[scent] Smells lovely and burns evenly for hours.",
        ),
        "minor": (
            "The colour is slightly lighter than in the photo.",
            "[assembly] The assembly instructions were a bit confusing.",
        ),
        "neutral": (
            "Looks fine, but the material feels a little cheap.",
            "Smaller than I pictured from the photos.",
        ),
        "complaint": (
            "[fragile] Arrived broken in several pieces.",
            "[assembly] Two screws were missing, so I could not assemble it.",
            "Strong chemical smell that would not go away.",
            "[assembly] Wobbles no matter how I set it up.",
            "The {colour} is completely different from the photos.",
            "[textile] Threads came loose after the first wash.",
            "[scent] Barely any scent once lit.",
        ),
        "mixed": (
            "[assembly] Beautiful design, but one leg is shorter than the others.",
            "Lovely colour, though it arrived with a scratch.",
        ),
    },
    "toys": {
        "praise": (
            "My daughter has played with it every day since it arrived.",
            "Sturdy enough to survive my toddler.",
            "[pieces] The pieces fit together nicely and nothing feels sharp.",
            "Kept the kids busy for hours.",
            "[pieces] Great for developing fine motor skills.",
            "A hit at the birthday party.",
            "[plush] So soft, it goes everywhere with my son.",
        ),
        "minor": (
            "[battery] Batteries are not included, so check before gifting.",
            "The box was a bit battered, the toy was fine.",
        ),
        "neutral": (
            "The kids played with it for a day and moved on.",
            "Okay, but smaller than expected.",
        ),
        "complaint": (
            "[pieces] Several pieces were missing from the box.",
            "Broke within an hour of play.",
            "The paint started chipping straight away, not safe for small kids.",
            "[battery] The remote stopped working after two days.",
            "Sharp edges on the plastic, I had to sand them down.",
            "The box was opened and it looked used.",
            "[plush] The seams split and the stuffing is coming out.",
        ),
        "mixed": (
            "[wheels] The kids adore it, but one wheel fell off already.",
            "Fun idea, though the instructions were useless.",
        ),
    },
    "books": {
        "praise": (
            "[story] Could not put it down, finished it in two evenings.",
            "The print is crisp and the paper feels thick.",
            "Beautifully bound, it will last on my shelf.",
            "[recipe] The recipes are easy to follow and actually work.",
            "Arrived in mint condition, no bent corners.",
            "[story] A thoughtful read, I keep recommending it to friends.",
            "[recipe] The photos make me want to cook everything.",
        ),
        "minor": (
            "The font is a little small.",
            "The cover had a tiny crease.",
        ),
        "neutral": (
            "[story] The first half is slow, but it picks up.",
            "[story] Interesting, though not what I expected from the blurb.",
            "[recipe] Some ingredients are hard to find outside Indonesia.",
        ),
        "complaint": (
            "Pages were printed upside down in the middle section.",
            "Arrived with the cover torn and pages bent.",
            "Several pages were missing.",
            "The print is blurry and hard to read.",
            "It was a different edition from the one listed.",
            "Water damaged, the pages were stuck together.",
            "[recipe] Half the recipes have wrong measurements.",
        ),
        "mixed": (
            "[story] Great story, but the binding came apart.",
            "Useful content, though the print quality is poor.",
        ),
    },
}

_ID: dict[str, _Pool] = {
    "general": {
        "praise": (
            "Pengiriman cepat, {fast_days} hari sudah sampai.",
            "Barang sesuai deskripsi dan foto.",
            "Packing rapi dan aman, pakai bubble wrap tebal.",
            "Penjual ramah dan fast response.",
            "Harga bersahabat, kualitas oke banget.",
            "Kualitasnya bagus, tidak mengecewakan.",
            "Terima kasih, barang sampai dengan selamat.",
            "Sudah kedua kalinya beli di toko ini dan tetap puas.",
            "Worth it banget untuk harga segini.",
            "Kurirnya juga ramah.",
            "Mantap, sesuai ekspektasi.",
            "Dikirim di hari yang sama setelah bayar.",
            "Admin tokonya sabar menjawab pertanyaan.",
        ),
        "minor": (
            "Pengiriman agak lama, {days} hari baru sampai.",
            "Kardusnya sedikit penyok, tapi isinya aman.",
            "Harganya agak mahal, tapi sepadan.",
            "Balasan chat penjual agak lambat.",
        ),
        "neutral": (
            "Lumayan untuk harga segini.",
            "Biasa saja, tidak terlalu istimewa.",
            "Kualitas standar, sesuai harga.",
            "Pengiriman sesuai estimasi.",
        ),
        "complaint": (
            "Pengiriman lama sekali, hampir {weeks} minggu baru sampai.",
            "Paket datang dalam keadaan rusak dan basah.",
            "Penjual tidak membalas chat sama sekali.",
            "Jawaban penjual ketus waktu saya komplain.",
            "Sudah {weeks} minggu refund belum juga diproses.",
            "Barang tidak sesuai foto, kecewa berat.",
            "Packing asal-asalan, cuma dibungkus plastik tipis.",
            "Tidak akan beli di sini lagi.",
            "Rugi beli, buang-buang uang.",
            "Barang yang dikirim salah, bukan yang saya pesan.",
            "Pengajuan retur ditolak tanpa alasan jelas.",
        ),
        "mixed": (
            "Pengiriman cepat, tapi packing kurang rapi.",
            "Barangnya oke, sayang penjualnya lama balas chat.",
        ),
        "context": (
            "Beli untuk kado ulang tahun adik.",
            "Belinya pas promo gajian.",
            "Pertama kali belanja di toko ini.",
            "Dapat rekomendasi dari teman kantor.",
        ),
    },
    "apparel": {
        "praise": (
            "Bahannya adem dan nyaman dipakai seharian.",
            "Ukuran pas, saya pakai {size} dan sesuai size chart.",
            "Jahitannya rapi, tidak ada benang keluar.",
            "Warnanya cantik, sama seperti di foto.",
            "Sudah dicuci berkali-kali tidak luntur.",
            "[batik] Motif batiknya halus dan warnanya tegas.",
        ),
        "minor": (
            "Ukurannya sedikit besar, sebaiknya pilih satu ukuran di bawahnya.",
            "Bahannya agak tipis tapi masih oke.",
        ),
        "neutral": ("Bahannya biasa saja, sesuai harga.",),
        "complaint": (
            "Pesan ukuran {size} tapi yang datang {other_size}.",
            "Baru sekali cuci langsung luntur.",
            "[zip] Resletingnya rusak di pemakaian pertama.",
            "Jahitannya lepas setelah dua kali pakai.",
            "Ukurannya kekecilan, jauh dari size chart.",
            "Bau apek waktu dibuka.",
        ),
        "mixed": (
            "[zip] Warnanya suka, tapi resletingnya cepat rusak.",
            "Bahannya enak, sayang ukurannya kekecilan.",
        ),
    },
    "shoes": {
        "praise": (
            "Sepatunya empuk dan enak dipakai jalan jauh.",
            "Ukuran pas, {size} sesuai dengan kaki saya.",
            "Solnya tidak licin, aman dipakai saat hujan.",
        ),
        "minor": ("Agak sempit di awal, lama-lama pas.",),
        "neutral": ("Nyaman untuk jalan sebentar saja.",),
        "complaint": (
            "Solnya mengelupas setelah dua minggu.",
            "Pesan {size} yang datang {other_size}.",
            "Kaki lecet di hari pertama pemakaian.",
            "Bau lemnya menyengat sekali.",
        ),
        "mixed": ("Modelnya keren, tapi bagian tumit agak sakit.",),
    },
    "electronics": {
        "praise": (
            "[charger] Ngecas cepat, satu jam HP sudah penuh.",
            "[battery] Baterainya awet seharian.",
            "[wireless] Langsung terhubung ke HP tanpa ribet.",
            "Build quality kokoh, tidak terasa murahan.",
        ),
        "minor": ("[charger] Agak hangat waktu dipakai ngecas.",),
        "neutral": ("[charger] Kecepatan ngecasnya biasa saja.",),
        "complaint": (
            "Mati total setelah {days} hari dipakai.",
            "Barang datang pecah dan tidak bisa menyala.",
            "[battery] Baterainya cepat habis.",
            "[charger] Panas sekali waktu dipakai ngecas, jadi takut pakai.",
            "[wireless] Koneksinya sering putus-putus.",
            "[rechargeable] Kabel casnya tidak ada di dalam kotak.",
        ),
        "mixed": ("[cable] Ngecasnya cepat, tapi kabelnya cepat rusak.",),
    },
    "kitchen": {
        "praise": (
            "[cookware] Panasnya rata dan tidak lengket.",
            "[blade] Tajam sekali, potong sayur jadi gampang.",
            "Mudah dibersihkan.",
            "Kokoh dan tidak gampang penyok.",
        ),
        "minor": ("Sedikit lebih berat dari perkiraan.",),
        "neutral": ("Fungsinya oke, tapi bahannya terasa tipis.",),
        "complaint": (
            "Muncul karat setelah dicuci sekali.",
            "[cookware] Lapisan anti lengketnya mengelupas.",
            "Gagangnya goyang setelah beberapa kali pakai.",
            "[lid] Tutupnya tidak ada di dalam paket.",
        ),
        "mixed": ("[cookware] Masak jadi lebih cepat, tapi gagangnya panas sekali.",),
    },
    "beauty": {
        "praise": (
            "Cepat meresap dan tidak lengket.",
            "[skin] Kulit terasa lebih lembap setelah seminggu pakai.",
            "Wanginya lembut, tidak menyengat.",
            "[skin] Aman di kulit sensitif saya, tidak jerawatan.",
        ),
        "minor": ("Wanginya agak kuat buat saya.",),
        "neutral": ("Belum terlihat hasilnya, masih saya coba.",),
        "complaint": (
            "[skin] Malah bikin jerawatan.",
            "Baunya aneh, seperti sudah basi.",
            "Botolnya bocor, isinya tumpah di paket.",
            "Segelnya sudah terbuka waktu diterima.",
            "[skin] Kulit jadi merah dan gatal.",
        ),
        "mixed": ("Wanginya enak, tapi bikin kulit kering.",),
    },
    "food": {
        "praise": (
            "[coffee] Aromanya harum sekali begitu dibuka.",
            "[coffee] Rasa kopinya mantap, ada sedikit rasa cokelat.",
            "[snack] Renyah dan bumbunya pas.",
            "Masih fresh dan kemasannya tersegel rapat.",
            "[snack] Anak-anak suka, sekali makan langsung habis.",
        ),
        "minor": ("Sedikit terlalu manis untuk selera saya.",),
        "neutral": ("Rasanya biasa saja.",),
        "complaint": (
            "Rasanya apek, seperti sudah lama disimpan.",
            "Sudah kedaluwarsa waktu sampai.",
            "Kemasannya sobek dan isinya tumpah.",
            "[snack] Keripiknya melempem, tidak renyah sama sekali.",
            "[coffee] Kopinya pahit dan gosong.",
        ),
        "mixed": ("Rasanya enak, tapi kemasannya penyok parah.",),
    },
    "home": {
        "praise": (
            "Bikin ruangan jadi lebih cantik.",
            "Kokoh dan rapi, tidak terlihat murahan.",
            "[assembly] Gampang dirakit, sepuluh menit selesai.",
            "[textile] Lembut dan tidak luntur setelah dicuci.",
        ),
        "minor": ("Warnanya sedikit beda dengan foto.",),
        "neutral": ("Lumayan, tapi lebih kecil dari bayangan saya.",),
        "complaint": (
            "[fragile] Datang dalam keadaan pecah.",
            "[assembly] Bautnya kurang dua, jadi tidak bisa dirakit.",
            "Bau kimianya menyengat dan tidak hilang-hilang.",
            "Warnanya jauh beda dengan foto.",
        ),
        "mixed": ("Desainnya cantik, tapi ada goresan waktu datang.",),
    },
    "toys": {
        "praise": (
            "Anak saya main setiap hari, suka sekali.",
            "Kokoh, tidak gampang rusak walau dibanting.",
            "Bikin anak betah main berjam-jam.",
        ),
        "minor": ("[battery] Baterai tidak termasuk, jadi harus beli sendiri.",),
        "neutral": ("Anak main sebentar lalu bosan.",),
        "complaint": (
            "[pieces] Ada beberapa bagian yang hilang.",
            "Rusak dalam satu jam dimainkan.",
            "Catnya mengelupas, tidak aman untuk balita.",
            "[battery] Remotnya mati setelah dua hari.",
        ),
        "mixed": ("[wheels] Anak suka, tapi rodanya sudah copot.",),
    },
    "books": {
        "praise": (
            "Cetakannya jelas dan kertasnya tebal.",
            "[story] Ceritanya seru, selesai dibaca dalam dua hari.",
            "[recipe] Resepnya mudah diikuti dan hasilnya enak.",
            "Sampai dalam kondisi mulus, tidak ada yang terlipat.",
        ),
        "minor": ("Hurufnya agak kecil.",),
        "neutral": ("[story] Awalnya agak lambat, tapi lumayan.",),
        "complaint": (
            "Beberapa halaman hilang.",
            "Sampulnya sobek dan halamannya terlipat.",
            "Cetakannya buram dan susah dibaca.",
            "Halamannya kena air dan lengket.",
        ),
        "mixed": ("Isinya bagus, tapi jilidannya lepas.",),
    },
}

_VI: dict[str, _Pool] = {
    "general": {
        "praise": (
            "Giao hàng nhanh, {fast_days} ngày là nhận được.",
            "Hàng giống mô tả và hình ảnh.",
            "Đóng gói cẩn thận, có bọc chống sốc.",
            "Shop tư vấn nhiệt tình, trả lời tin nhắn nhanh.",
            "Giá hợp lý, chất lượng tốt.",
            "Sẽ ủng hộ shop lần sau.",
            "Rất đáng tiền.",
            "Chất lượng vượt mong đợi.",
            "Mua lần thứ hai rồi, vẫn rất hài lòng.",
            "Shipper thân thiện, giao đúng hẹn.",
            "Sản phẩm y hình, không có gì để chê.",
            "Hàng được kiểm tra kỹ trước khi gửi.",
        ),
        "minor": (
            "Giao hàng hơi chậm, {days} ngày mới nhận được.",
            "Hộp bị móp một chút nhưng hàng bên trong vẫn ổn.",
            "Giá hơi cao nhưng chấp nhận được.",
            "Shop trả lời tin nhắn hơi chậm.",
            "Hướng dẫn sử dụng hơi khó hiểu.",
        ),
        "neutral": (
            "Tạm ổn so với giá tiền.",
            "Bình thường, không có gì đặc biệt.",
            "Chất lượng trung bình.",
            "Giao hàng đúng thời gian dự kiến.",
            "Dùng tạm được.",
        ),
        "complaint": (
            "Giao hàng quá chậm, gần {weeks} tuần mới nhận được.",
            "Hộp bị bẹp và ướt khi nhận hàng.",
            "Nhắn tin cho shop mà không ai trả lời.",
            "Shop trả lời rất thô lỗ khi tôi khiếu nại.",
            "Đã {weeks} tuần mà vẫn chưa được hoàn tiền.",
            "Hàng không giống hình, rất thất vọng.",
            "Đóng gói sơ sài, chỉ bọc một lớp túi nilon mỏng.",
            "Sẽ không mua lại ở shop này.",
            "Phí tiền, không nên mua.",
            "Giao sai hàng, không phải món tôi đặt.",
            "Yêu cầu trả hàng mà shop cứ hẹn lần hẹn lữa.",
            "Chất lượng quá kém so với giá tiền.",
        ),
        "mixed": (
            "Giao hàng nhanh nhưng đóng gói hơi ẩu.",
            "Sản phẩm ổn nhưng shop trả lời chậm.",
        ),
        "context": (
            "Mua làm quà tặng mẹ.",
            "Đặt hàng trong đợt giảm giá.",
            "Lần đầu mua ở shop này.",
            "Mua theo lời giới thiệu của bạn.",
        ),
    },
    "apparel": {
        "praise": (
            "Vải mềm, mặc mát và thoải mái.",
            "Mặc vừa in, tôi lấy size {size} đúng bảng size.",
            "Đường may chắc chắn, không bị chỉ thừa.",
            "Màu đẹp y như hình.",
            "Giặt nhiều lần không bị phai màu.",
        ),
        "minor": (
            "Form hơi rộng, nên lấy nhỏ hơn một size.",
            "Vải hơi mỏng nhưng vẫn ổn.",
        ),
        "neutral": ("Chất vải bình thường, đúng với giá.",),
        "complaint": (
            "Đặt size {size} mà giao size {other_size}.",
            "Giặt lần đầu đã bị phai màu.",
            "[zip] Khóa kéo bị hỏng ngay lần đầu mặc.",
            "Đường may bị bung sau hai lần mặc.",
            "Sản phẩm có mùi hôi khó chịu khi mở ra.",
        ),
        "mixed": (
            "Màu đẹp nhưng size nhỏ hơn bảng size.",
            "[zip] Thích màu này nhưng khóa kéo nhanh hỏng.",
        ),
    },
    "shoes": {
        "praise": (
            "Đi êm chân, đi bộ cả ngày không bị đau.",
            "Size {size} vừa vặn với chân tôi.",
            "Đế bám tốt, không bị trơn.",
        ),
        "minor": ("Lúc đầu hơi chật, đi vài ngày thì vừa.",),
        "neutral": ("Đi tạm được, đế hơi mỏng.",),
        "complaint": (
            "Đế bị bong keo sau hai tuần.",
            "Đặt size {size} mà nhận size {other_size}.",
            "Đi ngày đầu đã bị phồng chân.",
            "Mùi keo rất nồng.",
        ),
        "mixed": ("Kiểu dáng đẹp nhưng đi lâu bị đau gót.",),
    },
    "electronics": {
        "praise": (
            "[charger] Sạc nhanh, khoảng một tiếng là đầy pin điện thoại.",
            "[battery] Pin dùng được cả ngày.",
            "[wireless] Kết nối với điện thoại rất nhanh.",
            "Cầm chắc tay, hoàn thiện tốt.",
        ),
        "minor": ("[charger] Hơi nóng khi sạc.",),
        "neutral": ("[charger] Tốc độ sạc bình thường.",),
        "complaint": (
            "Dùng được {days} ngày thì hỏng.",
            "Nhận hàng bị vỡ, không lên nguồn.",
            "[battery] Pin tụt rất nhanh.",
            "[charger] Sạc rất nóng, không dám dùng tiếp.",
            "[wireless] Kết nối chập chờn, hay bị ngắt.",
            "[rechargeable] Thiếu dây sạc trong hộp.",
        ),
        "mixed": ("[cable] Sạc nhanh nhưng dây nhanh bị hỏng.",),
    },
    "kitchen": {
        "praise": (
            "[cookware] Nóng đều, không bị dính.",
            "[blade] Dao rất sắc, thái rau rất nhanh.",
            "Dễ vệ sinh.",
            "Chắc chắn, dùng rất thích.",
        ),
        "minor": ("Hơi nặng hơn tôi nghĩ.",),
        "neutral": ("Dùng tạm ổn nhưng chất liệu hơi mỏng.",),
        "complaint": (
            "Bị gỉ sét sau lần rửa đầu tiên.",
            "[cookware] Lớp chống dính bị bong tróc.",
            "Tay cầm bị lỏng sau vài lần dùng.",
            "[lid] Thiếu nắp trong hộp.",
        ),
        "mixed": ("[cookware] Nấu ăn tốt nhưng tay cầm rất nóng.",),
    },
    "beauty": {
        "praise": (
            "Thấm nhanh, không bị bết dính.",
            "[skin] Da mềm mịn hơn sau một tuần dùng.",
            "Mùi hương nhẹ nhàng, dễ chịu.",
            "[skin] Da nhạy cảm của tôi dùng không bị kích ứng.",
        ),
        "minor": ("Mùi hơi nồng với tôi.",),
        "neutral": ("Chưa thấy hiệu quả rõ rệt.",),
        "complaint": (
            "[skin] Dùng xong bị nổi mụn.",
            "Có mùi lạ, như bị hỏng.",
            "Chai bị rò rỉ, đổ hết ra hộp.",
            "Nhận hàng thì tem niêm phong đã bị bóc.",
            "[skin] Da bị đỏ và ngứa.",
        ),
        "mixed": ("Mùi thơm nhưng làm da bị khô.",),
    },
    "food": {
        "praise": (
            "[coffee] Cà phê thơm, vị đậm đà.",
            "[coffee] Mở túi ra là thơm cả bếp.",
            "[snack] Giòn, vị vừa ăn.",
            "Còn mới, đóng gói kín.",
            "[snack] Bọn trẻ nhà tôi rất thích.",
        ),
        "minor": ("Hơi ngọt so với khẩu vị của tôi.",),
        "neutral": ("Vị bình thường.",),
        "complaint": (
            "Bị ỉu và có mùi cũ.",
            "Hàng đã hết hạn khi nhận.",
            "Túi bị rách, đồ ăn đổ ra ngoài.",
            "[coffee] Cà phê bị khét và đắng.",
            "[snack] Quá mặn, không ăn nổi.",
        ),
        "mixed": ("Ăn ngon nhưng túi bị móp.",),
    },
    "home": {
        "praise": (
            "Căn phòng trông ấm cúng hơn hẳn.",
            "Chắc chắn, nhìn không hề rẻ tiền.",
            "[assembly] Lắp ráp dễ, mười phút là xong.",
            "[textile] Mềm và không phai màu sau khi giặt.",
        ),
        "minor": ("Màu hơi khác so với hình.",),
        "neutral": ("Tạm được nhưng nhỏ hơn tôi tưởng.",),
        "complaint": (
            "[fragile] Nhận hàng bị vỡ.",
            "[assembly] Thiếu ốc vít nên không lắp được.",
            "Mùi hóa chất nồng, mãi không hết.",
            "Màu sắc khác hẳn hình.",
        ),
        "mixed": ("Thiết kế đẹp nhưng bị trầy khi nhận.",),
    },
    "toys": {
        "praise": (
            "Con tôi chơi mỗi ngày, rất thích.",
            "Chắc chắn, bé quăng cũng không hỏng.",
            "Bé chơi được hàng giờ liền.",
        ),
        "minor": ("[battery] Không kèm pin, phải mua thêm.",),
        "neutral": ("Bé chơi một lúc rồi chán.",),
        "complaint": (
            "[pieces] Thiếu mấy chi tiết trong hộp.",
            "Chơi chưa được một tiếng đã hỏng.",
            "Sơn bị bong, không an toàn cho trẻ nhỏ.",
            "[battery] Điều khiển hỏng sau hai ngày.",
        ),
        "mixed": ("[wheels] Bé thích nhưng bánh xe đã bị rơi ra.",),
    },
    "books": {
        "praise": (
            "In rõ nét, giấy dày.",
            "[story] Truyện hay, đọc hai ngày là xong.",
            "[recipe] Công thức dễ làm, món nào cũng ngon.",
            "Sách mới tinh, không bị quăn góc.",
        ),
        "minor": ("Chữ hơi nhỏ.",),
        "neutral": ("[story] Đoạn đầu hơi chậm nhưng cũng được.",),
        "complaint": (
            "Bị thiếu mấy trang.",
            "Bìa bị rách, sách bị gấp mép.",
            "In mờ, khó đọc.",
            "Sách bị dính nước, các trang dính vào nhau.",
        ),
        "mixed": ("[story] Nội dung hay nhưng gáy sách bị bung.",),
    },
}

_OPENERS: dict[str, _Pool] = {
    "en": {
        "praise": (
            "Really pleased with this {item}.",
            "Bought this {item} after reading the reviews and I am glad I did.",
            "I use this {item} every day now.",
            "Such a lovely {item}.",
            "Happy customer here.",
        ),
        "neutral": (
            "Mixed feelings about this one.",
            "I have been using this {item} for {weeks} weeks now.",
            "Some good, some bad.",
            "Honest review after a few weeks of use.",
        ),
        "complaint": (
            "I really regret buying this {item}.",
            "I wanted to like this {item}, I really did.",
            "Where do I even start.",
            "This {item} was a mistake.",
            "Very disappointed with this order.",
        ),
    },
    "id": {
        "praise": ("Puas banget sama barangnya.", "Akhirnya nemu toko yang amanah."),
        "neutral": ("Sudah dipakai beberapa minggu, ini review jujur saya.",),
        "complaint": ("Nyesel beli di sini.", "Kecewa banget sama pesanan ini."),
    },
    "vi": {
        "praise": ("Rất ưng ý với sản phẩm này.", "Mua về dùng thử và rất hài lòng."),
        "neutral": ("Dùng được vài tuần rồi, nhận xét thật lòng.",),
        "complaint": ("Thật sự thất vọng với đơn hàng này.", "Lần đầu mua mà gặp phải chuyện này."),
    },
}

_CLOSERS: dict[str, _Pool] = {
    "en": {
        "praise": (
            "Highly recommended.",
            "Would happily buy from this shop again.",
            "Five stars from me.",
            "Thank you, {brand}!",
            "Ten out of ten, no complaints.",
        ),
        "neutral": (
            "Might try a different brand next time.",
            "Worth it on sale, maybe not at full price.",
        ),
        "complaint": (
            "Save your money.",
            "I would not buy from this shop again.",
            "Do not recommend.",
            "Returning it.",
            "Really not happy.",
        ),
    },
    "id": {
        "praise": ("Sukses terus untuk tokonya!", "Pokoknya recommended.", "Makasih kak!"),
        "neutral": ("Mungkin lain kali coba merek lain.",),
        "complaint": ("Jangan beli di sini.", "Kapok belanja di toko ini."),
    },
    "vi": {
        "praise": ("Mọi người nên mua nhé.", "Cảm ơn shop!", "Năm sao cho shop."),
        "neutral": ("Lần sau chắc sẽ thử hãng khác.",),
        "complaint": ("Mọi người cân nhắc trước khi mua.", "Không bao giờ mua lại."),
    },
}

_TITLES: dict[str, _Pool] = {
    "en": {
        "praise": (
            "Love it", "Exactly as described", "Great value", "Really happy with this",
            "Excellent quality", "Would buy again", "Perfect gift", "Superb",
            "Better than expected", "Fantastic purchase", "Highly recommend", "Brilliant",
        ),
        "minor": (
            "Very good, small niggles", "Almost there", "Good, with one caveat",
            "Pretty good overall", "Nearly perfect",
        ),
        "neutral": (
            "It's okay", "Average", "Does the job", "Mixed feelings", "Fine for the price",
            "Nothing special", "So-so",
        ),
        "complaint": (
            "Disappointed", "Arrived damaged", "Do not buy", "Wrong item sent", "Waste of money",
            "Poor quality", "Terrible service", "Still waiting for a refund", "Not as described",
            "Very unhappy", "Late and damaged", "Never again",
        ),
    },
    "id": {
        "praise": ("Mantap!", "Sangat puas", "Sesuai pesanan", "Recommended", "Bagus banget"),
        "minor": ("Bagus, ada sedikit kekurangan", "Cukup puas"),
        "neutral": ("Lumayan", "Biasa saja", "Standar"),
        "complaint": (
            "Kecewa", "Barang rusak", "Jangan beli di sini", "Salah kirim", "Refund dipersulit",
        ),
    },
    "vi": {
        "praise": ("Rất hài lòng", "Tuyệt vời", "Đáng mua", "Hàng chất lượng", "Sẽ mua lại"),
        "minor": ("Khá tốt", "Tốt nhưng còn vài điểm nhỏ"),
        "neutral": ("Tạm được", "Bình thường"),
        "complaint": (
            "Thất vọng", "Hàng bị hỏng", "Không nên mua", "Giao sai hàng", "Hoàn tiền quá chậm",
        ),
    },
}

# fmt: on

_VOCAB: dict[str, dict[str, _Pool]] = {"en": _EN, "id": _ID, "vi": _VI}

_TRAIT = re.compile(r"^\[(\w+)\] ")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _strip(template: str) -> tuple[str | None, str]:
    match = _TRAIT.match(template)
    return (match.group(1), template[match.end() :]) if match else (None, template)


def fragment_templates(language: str, tone: str) -> frozenset[str]:
    """Return every body, opener and closer template of a language and tone (markers removed)."""
    found: set[str] = set()
    for pools in _VOCAB[language].values():
        found.update(_strip(t)[1] for t in pools.get(tone, ()))
    found.update(_OPENERS[language].get(tone, ()))
    found.update(_CLOSERS[language].get(tone, ()))
    return frozenset(found)


def title_templates(language: str, tone: str) -> frozenset[str]:
    """Return the review titles of a language and tone."""
    return frozenset(_TITLES[language].get(tone, ()))


def _usable(template: str, traits: tuple[str, ...], sizes: bool, colours: bool) -> str | None:
    trait, text = _strip(template)
    if trait is not None and trait not in traits:
        return None
    needs = set(_PLACEHOLDER.findall(text))
    if not sizes and needs & {"size", "other_size"}:
        return None
    if not colours and "colour" in needs:
        return None
    return text


@lru_cache(maxsize=1024)
def _pools(
    language: str, category: str, traits: tuple[str, ...], sizes: bool, colours: bool
) -> dict[tuple[str, str], tuple[str, ...]]:
    """Usable templates keyed by (scope, tone) for one kind of product."""
    vocab = _VOCAB[language]
    result: dict[tuple[str, str], tuple[str, ...]] = {}
    for scope, pools in (("cat", vocab.get(category, {})), ("gen", vocab["general"])):
        for tone in TONES:
            kept = [_usable(t, traits, sizes, colours) for t in pools.get(tone, ())]
            result[scope, tone] = tuple(t for t in kept if t is not None)
    for scope, table in (("open", _OPENERS), ("close", _CLOSERS), ("title", _TITLES)):
        for tone in TONES:
            result[scope, tone] = table[language].get(tone, ())
    return result


# A weighted table is (values, cumulative weights); draws use one ``rng.random()`` call.
_Weighted = tuple[tuple[str, ...], tuple[float, ...]]


def _weighted(pairs: dict[str, int]) -> _Weighted:
    total = sum(pairs.values())
    cumulative: list[float] = []
    running = 0
    for weight in pairs.values():
        running += weight
        cumulative.append(running / total)
    return tuple(pairs), tuple(cumulative)


def _draw(rng: random.Random, table: _Weighted) -> str:
    values, cumulative = table
    return values[bisect(cumulative, rng.random() * cumulative[-1])]


def _choice(rng: random.Random, seq: tuple[str, ...]) -> str:
    return seq[int(rng.random() * len(seq))]


# per rating: the tone of the first body fragment, then weighted tones for the others
_FIRST_TONE: dict[int, _Weighted] = {
    5: _weighted({"praise": 1}),
    4: _weighted({"praise": 1}),
    3: _weighted({"neutral": 55, "mixed": 45}),
    2: _weighted({"complaint": 85, "mixed": 15}),
    1: _weighted({"complaint": 1}),
}
_OTHER_TONES: dict[int, _Weighted] = {
    5: _weighted({"praise": 88, "context": 12}),
    4: _weighted({"praise": 68, "minor": 22, "context": 10}),
    3: _weighted({"neutral": 30, "minor": 25, "mixed": 15, "praise": 18, "complaint": 12}),
    2: _weighted({"complaint": 55, "minor": 15, "neutral": 15, "mixed": 10, "context": 5}),
    1: _weighted({"complaint": 88, "context": 12}),
}
_FRAME_TONE: dict[int, str] = {
    5: "praise",
    4: "praise",
    3: "neutral",
    2: "complaint",
    1: "complaint",
}
_TITLE_TONES: dict[int, _Weighted] = {
    5: _weighted({"praise": 1}),
    4: _weighted({"praise": 65, "minor": 35}),
    3: _weighted({"neutral": 80, "minor": 20}),
    2: _weighted({"complaint": 75, "neutral": 25}),
    1: _weighted({"complaint": 1}),
}
_RATINGS = (5, 4, 3, 2, 1)
_RATING_CUMULATIVE = _weighted({str(k): RATING_WEIGHTS[k] for k in _RATINGS})[1]
_LANGUAGE_TABLE = _weighted(LANGUAGE_WEIGHTS)
_LENGTHS = _weighted({"2": 35, "3": 40, "4": 25})


def rating(rng: random.Random) -> int:
    """Draw a star rating: about 55% 5, 20% 4, 9% 3, 6% 2 and 10% 1."""
    return _RATINGS[bisect(_RATING_CUMULATIVE, rng.random() * _RATING_CUMULATIVE[-1])]


def language(rng: random.Random) -> str:
    """Draw a review language: about 80% ``en``, 12% ``id`` and 8% ``vi``."""
    return _draw(rng, _LANGUAGE_TABLE)


# Keywords marking what a fragment talks about; a review mentions each aspect at most once
# so that, for example, "arrived early" and "took three weeks" never meet in one text.
_ASPECT_WORDS: dict[str, tuple[str, ...]] = {
    "shipping": (
        "deliver",
        "shipping",
        "shipped",
        "dispatch",
        "parcel sat",
        "tracking",
        "courier",
        "arrived in {",
        "weeks late",
        "next day",
        "pengiriman",
        "kurir",
        "dikirim di hari",
        "giao hàng",
        "shipper",
        "nhận được",
    ),
    "scent": ("scent", "smell", "wangi", "bau", "mùi"),
    "size": ("size", "sizing", "too small", "narrow", "ukuran", "kekecilan", "vừa"),
    "packaging": ("packag", "packing", "box was", "kardus", "kemasan", "đóng gói", "hộp bị"),
    "seller": ("seller", "the shop", "penjual", "admin toko", "shop trả lời", "cho shop"),
    "refund": ("refund", "retur", "hoàn tiền", "trả hàng"),
    "colour": ("colour", "{colour}", "warna", "màu", "luntur"),
}


@lru_cache(maxsize=4096)
def _aspects(template: str) -> frozenset[str]:
    low = template.lower()
    return frozenset(a for a, words in _ASPECT_WORDS.items() if any(w in low for w in words))


def _pick(
    rng: random.Random,
    pools: dict[tuple[str, str], tuple[str, ...]],
    tone: str,
    used: set[str],
    covered: set[str],
) -> str | None:
    """Pick an unused template of a tone on a new aspect, preferring the category pool."""
    scopes = ("cat", "gen") if tone != "context" and rng.random() < 0.55 else ("gen", "cat")
    for scope in scopes:
        pool = pools[scope, tone]
        if not pool:
            continue
        for _ in range(4):
            template = _choice(rng, pool)
            aspects = _aspects(template)
            if template not in used and not (aspects & covered):
                used.add(template)
                covered |= aspects
                return template
    return None


def _fill(rng: random.Random, product: DemoProduct, sentences: list[str]) -> list[str]:
    """Fill the placeholders of the chosen templates with per-review values."""
    sizes, colours = product.sizes, product.colours
    size = _choice(rng, sizes) if sizes else ""
    others = tuple(s for s in sizes if s != size)
    values = {
        "item": product.kind,
        "brand": product.brand,
        "size": size,
        "other_size": _choice(rng, others) if others else "",
        "colour": _choice(rng, colours).lower() if colours else "",
        "days": 2 + int(rng.random() * 11),
        "fast_days": 2 + int(rng.random() * 2),
        "slow_days": 8 + int(rng.random() * 12),
        "weeks": 2 + int(rng.random() * 4),
    }
    return [t.format_map(values) if "{" in t else t for t in sentences]


def review_text(
    rng: random.Random, product: DemoProduct, rating: int, language: str
) -> tuple[str | None, str | None]:
    """Return a (title, text) pair fitting the rating, language and product category."""
    if language not in _VOCAB:
        raise ValueError(f"unsupported review language: {language!r}")
    if rating not in RATING_WEIGHTS:
        raise ValueError(f"rating must be 1-5, got {rating!r}")
    if rng.random() < NO_TEXT_SHARE:
        return None, None

    pools = _pools(
        language, product.category, product.traits, len(product.sizes) > 1, bool(product.colours)
    )
    long = rng.random() < 0.1
    count = 5 + int(rng.random() * 3) if long else int(_draw(rng, _LENGTHS))
    frame = _FRAME_TONE[rating]
    opener = count >= 3 and rng.random() < 0.3
    closer = count >= 3 and rng.random() < 0.3
    body = count - opener - closer

    used: set[str] = set()
    covered: set[str] = set()
    chosen: list[str] = []
    for slot in range(body):
        if slot == 0:
            tone = _draw(rng, _FIRST_TONE[rating])
        elif rating == 4 and slot == body - 1 and rng.random() < 0.5:
            tone = "minor"
        else:
            tone = _draw(rng, _OTHER_TONES[rating])
        template = _pick(rng, pools, tone, used, covered)
        if template is not None:
            chosen.append(template)
    if opener:
        chosen.insert(0, _choice(rng, pools["open", frame]))
    if closer:
        chosen.append(_choice(rng, pools["close", frame]))

    sentences = _fill(rng, product, chosen) if any("{" in t for t in chosen) else chosen
    if long and len(sentences) >= 4:
        half = len(sentences) // 2
        text = " ".join(sentences[:half]) + "\n\n" + " ".join(sentences[half:])
    else:
        text = " ".join(sentences)

    title: str | None = None
    if rng.random() < 0.7:
        title = _choice(rng, pools["title", _draw(rng, _TITLE_TONES[rating])])
    return title, text


def review(rng: random.Random, product: DemoProduct) -> DemoReview:
    """Draw a rating and language, then a matching title and text, for one product."""
    stars = rating(rng)
    lang = language(rng)
    title, text = review_text(rng, product, stars, lang)
    return DemoReview(rating=stars, language=lang, title=title, text=text)
