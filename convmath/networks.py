"""Real networks described layer by layer, so their shapes and counts come from convmath."""

from __future__ import annotations

from dataclasses import dataclass

from .params import conv_params, dense_params
from .spec import spec


@dataclass(frozen=True)
class LayerCount:
    name: str
    kind: str                 # "conv", "pool" or "dense"
    output: tuple             # (channels, height, width) or (features,)
    params: int


# VGG16 (Simonyan & Zisserman 2014), configuration D, on 224×224 RGB images.
VGG16_CONV = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
              512, 512, 512, "M", 512, 512, 512, "M"]
VGG16_DENSE = [4096, 4096, 1000]


def vgg16(image=224, in_channels=3) -> list[LayerCount]:
    """Every VGG16 layer with its output shape and parameter count."""
    layers = []
    c, size = in_channels, (image, image)
    n_conv = n_pool = 0
    for item in VGG16_CONV:
        if item == "M":
            n_pool += 1
            size = spec(size, 2, stride=2).output
            layers.append(LayerCount(f"pool{n_pool}", "pool", (c,) + size, 0))
        else:
            n_conv += 1
            sp = spec(size, 3, padding=1, in_channels=c, out_channels=item)
            layers.append(LayerCount(f"conv{n_conv}", "conv", (item,) + sp.output,
                                     conv_params(c, item, (3, 3))))
            c, size = item, sp.output
    n_in = c * size[0] * size[1]
    for n, width in enumerate(VGG16_DENSE, 1):
        layers.append(LayerCount(f"fc{n}", "dense", (width,), dense_params(n_in, width)))
        n_in = width
    return layers


def totals(layers: list[LayerCount]) -> dict[str, int]:
    out = {"conv": 0, "dense": 0}
    for layer in layers:
        if layer.kind in out:
            out[layer.kind] += layer.params
    out["total"] = out["conv"] + out["dense"]
    return out
