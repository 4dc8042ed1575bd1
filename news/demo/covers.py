"""Abstract cover images for the demo articles, drawn with Pillow.

No text is drawn: a CJK font is not guaranteed to be installed. Each cover is
seeded from the article title, so the same article always gets the same picture.
"""

import hashlib
import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (960, 600)

# Per-category palettes: background tone pairs, accents from dark to light, and the
# colours for the soft light and, optionally, for the large shapes (translucent gold over
# blue turns grey, so finance keeps its gold for the chart line).
PALETTES = {
    "news": {
        "background": [((120, 14, 28), (214, 58, 52)), ((92, 10, 24), (190, 40, 50))],
        "accents": [(160, 22, 36), (226, 76, 62), (244, 132, 96), (250, 196, 120), (255, 236, 214)],
        "glow": [(244, 132, 96), (255, 236, 214), (226, 76, 62)],
    },
    "finance": {
        "background": [((10, 28, 70), (34, 86, 168)), ((14, 36, 84), (22, 62, 130))],
        "accents": [
            (26, 64, 140),
            (70, 130, 210),
            (132, 184, 236),
            (212, 168, 72),
            (246, 214, 138),
        ],
        "glow": [(70, 130, 210), (132, 184, 236), (190, 220, 250)],
        "shapes": [(26, 64, 140), (70, 130, 210), (132, 184, 236), (190, 220, 250)],
    },
    "industry": {
        "background": [((6, 56, 60), (22, 138, 122)), ((10, 70, 64), (40, 150, 104))],
        "accents": [(14, 94, 92), (32, 156, 136), (88, 196, 142), (168, 226, 170), (214, 240, 150)],
        "glow": [(88, 196, 142), (168, 226, 170), (32, 156, 136)],
    },
}


def draw_cover(title: str, category: str) -> bytes:
    """A 960×600 JPEG for one article: gradient, soft light, geometric shapes."""
    rng = random.Random(hashlib.sha256(title.encode()).digest())
    palette = PALETTES.get(category, PALETTES["news"])
    image = _gradient(rng, *rng.choice(palette["background"]))
    image = Image.alpha_composite(image, _glow(rng, palette["glow"]))
    motif = rng.choice([_bands, _triangles, _rings])
    image = Image.alpha_composite(image, motif(rng, palette.get("shapes", palette["accents"])))
    image = Image.alpha_composite(image, _category_detail(rng, category, palette["accents"]))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=86, optimize=True)
    return out.getvalue()


def _rgba(colour, alpha: int) -> tuple[int, int, int, int]:
    return (*colour, alpha)


def _layer() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    return layer, ImageDraw.Draw(layer)


def _gradient(rng: random.Random, start, end) -> Image.Image:
    """A linear gradient between two tones at a random angle."""
    # Draw the ramp on a larger square and crop, so rotation leaves no corners.
    side = int(math.hypot(*SIZE)) + 2
    ramp = Image.linear_gradient("L").resize((side, side)).rotate(rng.uniform(0, 360))
    left, top = (side - SIZE[0]) // 2, (side - SIZE[1]) // 2
    mask = ramp.crop((left, top, left + SIZE[0], top + SIZE[1]))
    base = Image.composite(Image.new("RGB", SIZE, end), Image.new("RGB", SIZE, start), mask)
    return base.convert("RGBA")


def _glow(rng: random.Random, colours) -> Image.Image:
    """Large blurred discs of light; blurred at quarter size to stay fast."""
    small = (SIZE[0] // 4, SIZE[1] // 4)
    layer = Image.new("RGBA", small, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(3, 5)):
        x, y = rng.uniform(0, small[0]), rng.uniform(0, small[1])
        r = rng.uniform(30, 80)
        fill = _rgba(rng.choice(colours), rng.randint(60, 120))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
    layer = layer.filter(ImageFilter.GaussianBlur(18))
    return layer.resize(SIZE, Image.Resampling.BICUBIC)


def _bands(rng: random.Random, accents) -> Image.Image:
    """Diagonal translucent bands crossing the frame."""
    layer, draw = _layer()
    w, h = SIZE
    slope = rng.uniform(0.4, 1.1) * rng.choice([-1, 1])
    x = rng.uniform(-w * 0.5, 0)
    while x < w * 1.5:
        width = rng.uniform(40, 160)
        polygon = [(x, 0), (x + width, 0), (x + width - slope * h, h), (x - slope * h, h)]
        draw.polygon(polygon, fill=_rgba(rng.choice(accents), rng.randint(26, 70)))
        x += width + rng.uniform(30, 180)
    return layer


def _triangles(rng: random.Random, accents) -> Image.Image:
    """Overlapping translucent triangles, low-poly style, weighted to one side."""
    layer, draw = _layer()
    w, h = SIZE
    side = rng.choice([0.25, 0.75])
    for _ in range(rng.randint(9, 14)):
        cx, cy = rng.gauss(w * side, w * 0.22), rng.uniform(-h * 0.1, h * 1.1)
        size = rng.uniform(90, 260)
        angle = rng.uniform(0, 2 * math.pi)
        points = [
            (cx + size * math.cos(angle + k * 2.1), cy + size * math.sin(angle + k * 2.1))
            for k in range(3)
        ]
        draw.polygon(points, fill=_rgba(rng.choice(accents), rng.randint(34, 96)))
    return layer


def _rings(rng: random.Random, accents) -> Image.Image:
    """Concentric rings spreading from a point near an edge, like a broadcast signal."""
    layer, draw = _layer()
    w, h = SIZE
    cx, cy = rng.choice([w * 0.15, w * 0.85]), rng.uniform(h * 0.2, h * 0.8)
    colour = rng.choice(accents[2:])
    for index in range(1, rng.randint(7, 11)):
        r = index * rng.uniform(58, 74)
        draw.ellipse(
            (cx - r, cy - r, cx + r, cy + r),
            outline=_rgba(colour, max(24, 140 - index * 12)),
            width=rng.randint(3, 9),
        )
    r = rng.uniform(28, 46)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_rgba(accents[-1], 170))
    return layer


def _category_detail(rng: random.Random, category: str, accents) -> Image.Image:
    """A small motif hinting at the section: a rising chart, a hexagon grid, or dots."""
    layer, draw = _layer()
    w, h = SIZE
    if category == "finance":
        # A rising line with bars below it, in the gold accent.
        gold = accents[-2]
        steps = rng.randint(9, 14)
        y = h * rng.uniform(0.72, 0.82)
        points = []
        for index in range(steps + 1):
            x = w * 0.08 + index * (w * 0.84 / steps)
            y = max(h * 0.18, y - rng.uniform(-18, 48))
            points.append((x, y))
            bar = rng.uniform(30, 110)
            draw.rectangle((x - 9, h - bar - 40, x + 9, h - 40), fill=_rgba(accents[2], 70))
        draw.line(points, fill=_rgba(gold, 220), width=6, joint="curve")
        for x, y in points[-1:]:
            draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill=_rgba(accents[-1], 240))
    elif category == "industry":
        # A patch of hexagons, some filled, like cells or a solar array.
        size = rng.uniform(34, 46)
        origin_x, origin_y = rng.choice([w * 0.62, w * 0.08]), rng.uniform(h * 0.1, h * 0.45)
        for row in range(5):
            for col in range(6):
                cx = origin_x + col * size * 1.75 + (row % 2) * size * 0.875
                cy = origin_y + row * size * 1.52
                hexagon = [
                    (cx + size * math.cos(math.pi / 6 + k * math.pi / 3),
                     cy + size * math.sin(math.pi / 6 + k * math.pi / 3))
                    for k in range(6)
                ]  # fmt: skip
                if rng.random() < 0.35:
                    draw.polygon(hexagon, fill=_rgba(rng.choice(accents[2:]), rng.randint(60, 130)))
                else:
                    draw.polygon(hexagon, outline=_rgba(accents[-1], 90), width=2)
    else:
        # A loose grid of dots fading across the frame.
        gap = rng.randint(26, 34)
        start_x = rng.choice([w * 0.55, w * 0.05])
        for row in range(8):
            for col in range(12):
                x, y = start_x + col * gap, h * 0.12 + row * gap
                alpha = int(150 * (1 - col / 12))
                draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=_rgba(accents[-1], alpha))
    return layer
