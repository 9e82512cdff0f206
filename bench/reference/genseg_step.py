"""PyTorch reference for the GenSeg training step, for speed comparison with the TensorFlow.js port.

Written for this project from the description in docs/genseg.md (same layers, paths, losses and update
order as main/training/genseg). It times one full step (D step then G step, AMSGrad) and prints JSON:
  /usr/bin/python3 bench/reference/genseg_step.py --family mnist48 --width 0.25 --batch 8 --steps 10 --warmup 3
Run it with Debian's python3-torch (2 threads by default, like the JS side's single wasm thread per core pair).
`--device cuda` runs it on the GPU (scripts/gpu-bench.sh compares it with the WebGPU step there).
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import spectral_norm

FAMILIES = {
    "brain": ([16, 32, 64, 128, 256, 512], [64, 128, 256, 512]),
    "mnist48": ([32, 64, 128, 256, 512], [128, 256, 512]),
    "mnist128": ([16, 32, 64, 128, 256, 512], [128, 256, 512]),
}


def scale(channels, width):
    return max(1, int(math.floor(channels * width + 0.5)))


def pad_reflect(x, pads):
    """pads = (left, right, top, bottom); zero padding when a pad reaches a side, as the authors' wrapper does."""
    if not any(pads):
        return x
    h, w = x.shape[2], x.shape[3]
    mode = "constant" if any(p >= h or p >= w for p in pads) else "reflect"
    return F.pad(x, pads, mode=mode)


class Conv(nn.Module):
    def __init__(self, cin, cout, k, stride=1, pads=(0, 0, 0, 0), sn=True, autopad=False):
        super().__init__()
        conv = nn.Conv2d(cin, cout, k, stride=stride)
        nn.init.kaiming_normal_(conv.weight)
        self.conv = spectral_norm(conv) if sn else conv
        self.pads, self.k, self.autopad = pads, k, autopad

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        out = pad_reflect(x, self.pads)
        if self.autopad:
            dh, dw = max(0, self.k - h), max(0, self.k - w)
            out = F.pad(out, (dh // 2, dh // 2 + dh % 2, dw // 2, dw // 2 + dw % 2), mode="reflect")
        return self.conv(out)


class LayerNorm(nn.Module):
    """Ming-Yu Liu's layer norm; `modes` affine sets (switching layer norm when 2)."""

    def __init__(self, c, modes=1):
        super().__init__()
        self.gamma = nn.ParameterList([nn.Parameter(torch.rand(c)) for _ in range(modes)])
        self.beta = nn.ParameterList([nn.Parameter(torch.zeros(c)) for _ in range(modes)])

    def forward(self, x, mode=0):
        flat = x.view(x.size(0), -1)
        mean = flat.mean(1).view(-1, 1, 1, 1)
        std = flat.std(1).view(-1, 1, 1, 1)
        x = (x - mean) / (std + 1e-5)
        return x * self.gamma[mode].view(1, -1, 1, 1) + self.beta[mode].view(1, -1, 1, 1)


def instance_norm(x):
    return F.instance_norm(x, eps=1e-5)


class Encoder(nn.Module):
    def __init__(self, cin, ch):
        super().__init__()
        self.stem = Conv(cin, ch[0], 3, pads=(1, 1, 1, 1))
        self.convs = nn.ModuleList([Conv(ch[i - 1], ch[i], 3, 2, (1, 1, 1, 1)) for i in range(1, len(ch))])
        self.shortcuts = nn.ModuleList([Conv(ch[i - 1], ch[i], 1, 2) for i in range(1, len(ch))])

    def forward(self, x):
        out = self.stem(x)
        skips = []
        for conv, shortcut in zip(self.convs, self.shortcuts):
            skips.append(out)
            out = conv(F.relu(instance_norm(out))) + shortcut(out)
        return F.relu(instance_norm(out)), skips


def adjust(x, h, w):
    dh, dw = h - x.shape[2], w - x.shape[3]
    if dh > 0 or dw > 0:
        return F.pad(x, (max(dw, 0) // 2, max(dw, 0) - max(dw, 0) // 2, max(dh, 0) // 2, max(dh, 0) - max(dh, 0) // 2))
    top, left = (-dh) // 2, (-dw) // 2
    return x[:, :, top:top + h, left:left + w]


class Decoder(nn.Module):
    def __init__(self, cin, ch, k, short, cimg, classifier):
        super().__init__()
        p = (k - 1) // 2
        self.norms, self.convs, self.shortcuts, self.cats = nn.ModuleList(), nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        c = cin
        for n, cout in enumerate(ch):
            self.norms.append(LayerNorm(c, 2) if n > 0 else nn.Identity())
            self.convs.append(Conv(c, cout, k, pads=(p, p, p, p)))
            self.shortcuts.append(Conv(c, cout, 1) if short and n > 0 else nn.Identity())
            self.cats.append(Conv(cout, 1, 1))
            c = cout + 1
        self.short = short
        self.pre_norm, self.pre_conv = LayerNorm(c, 2), Conv(c, c, k, pads=(p, p, p, p))
        self.out_norm = nn.ModuleList([LayerNorm(c), LayerNorm(c)])
        self.out_conv = nn.ModuleList([Conv(c, cimg, 7, pads=(3, 3, 3, 3)), Conv(c, cimg, 7, pads=(3, 3, 3, 3), sn=not classifier)])
        self.classifier = nn.Conv2d(cimg, 1, 1) if classifier else None

    def forward(self, z, skips, mode=0):
        out = z
        for n, skip in enumerate(skips):
            x = out
            if n > 0:
                x = F.relu(self.norms[n](x, mode))
            y = self.convs[n](F.interpolate(x, scale_factor=2, mode="nearest"))
            if self.short and n > 0:
                y = y + F.interpolate(self.shortcuts[n](out), scale_factor=2, mode="nearest")
            y = adjust(y, skip.shape[2], skip.shape[3])
            out = torch.cat([y, self.cats[n](instance_norm(skip))], 1)
        out = self.pre_conv(F.relu(self.pre_norm(out, mode)))
        out = self.out_conv[mode](F.relu(self.out_norm[mode](out)))
        if mode == 0:
            return torch.tanh(out)
        return torch.sigmoid(self.classifier(out))


class Discriminator(nn.Module):
    def __init__(self, cin, ch, scales=3):
        super().__init__()
        self.nets = nn.ModuleList()
        for _ in range(scales):
            layers = nn.ModuleList([Conv(cin, ch[0], 4, 2, (1, 1, 1, 1))])
            norms = nn.ModuleList([nn.Identity()])
            for i in range(len(ch) - 1):
                norms.append(LayerNorm(ch[i]) if i > 0 else nn.Identity())
                layers.append(Conv(ch[i], ch[i + 1], 4, 2, (1, 1, 1, 1), autopad=True))
            norms.append(LayerNorm(ch[-1]))
            layers.append(Conv(ch[-1], 1, 1))
            self.nets.append(nn.ModuleDict({"layers": layers, "norms": norms}))

    def forward(self, x):
        outputs = []
        for s, net in enumerate(self.nets):
            if s > 0:
                x = F.avg_pool2d(x, 3, 2, 1, count_include_pad=False)
            out = net["layers"][0](x)
            for norm, layer in zip(list(net["norms"])[1:], list(net["layers"])[1:]):
                out = layer(F.leaky_relu(norm(out), 0.2))
            outputs.append(out)
        return outputs


def hinge_d(real, fake):
    return sum(F.relu(1 - r).mean() for r in real) / len(real) + sum(F.relu(1 + f).mean() for f in fake) / len(fake)


def hinge_g(fake):
    return sum(-f.mean() for f in fake) / len(fake)


def dice_loss(p, t):
    return -(2 * (p * t).sum() + 1) / (t.sum() + p.sum() + 1)


def build(family, width, channels):
    enc, disc = FAMILIES[family]
    enc = [scale(c, width) for c in enc]
    disc = [scale(c, width) for c in disc]
    code = enc[-1]
    unique = max(1, int(math.floor(code / 4 + 0.5)))
    dec = enc[:-1][::-1]
    nets = {
        "encoder": Encoder(channels, enc),
        "common": Decoder(code - unique, dec, 3, True, channels, False),
        "residual": Decoder(code, dec, 5, False, channels, True),
        "disc_a": Discriminator(channels, disc),
        "disc_b": Discriminator(channels, disc),
    }
    return nets, unique


def train_step(nets, unique, opt_g, opt_d, xa, xb, mask, labelled):
    f, g_com, g_res, d_a, d_b = nets["encoder"], nets["common"], nets["residual"], nets["disc_a"], nets["disc_b"]
    s_a, skips_a = f(xa)
    s_b, skips_b = f(xb)
    skips_a, skips_b = skips_a[::-1], skips_b[::-1]
    c = s_a.shape[1] - unique
    res_a = g_res(s_a, skips_a)
    seg = g_res(s_a, skips_a, mode=1)
    x_ab = g_com(s_a[:, :c], skips_a)
    x_aa = x_ab + res_a
    z_ba = torch.cat([s_b[:, :c], torch.randn_like(s_b[:, c:])], 1)
    x_bb = g_com(s_b[:, :c], skips_b)
    x_ba = x_bb + g_res(z_ba, skips_b)
    s_ba, skips_ba = f(x_ba)
    s_aa, _ = f(x_aa)
    s_ab, _ = f(x_ab)
    s_bb, _ = f(x_bb)
    x_bab = g_com(s_ba[:, :c], skips_ba[::-1])
    # D step on detached fakes.
    opt_d.zero_grad(set_to_none=True)
    loss_d = hinge_d(d_a(xa), d_a(x_ba.detach())) + hinge_d(d_b(xb), d_b(x_ab.detach()))
    loss_d.backward()
    opt_d.step()
    # G step with the updated discriminators.
    mae = lambda a, b: (a - b).abs().mean()
    loss_g = 3 * (hinge_g(d_b(x_ab)) + hinge_g(d_a(x_ba)))
    loss_g = loss_g + 50 * (mae(x_aa, xa) + mae(x_bb, xb)) + 50 * mae(x_bab, xb)
    loss_g = loss_g + mae(s_ba, z_ba) + mae(s_ab[:, :c], s_a[:, :c]) + mae(s_aa, s_a) + mae(s_bb[:, :c], s_b[:, :c])
    if labelled.any():
        loss_g = loss_g + 0.01 * dice_loss(seg[labelled], mask[labelled])
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return float(loss_g), float(loss_d)


def count_forward_macs(nets, unique, xa, xb):
    """Multiply-accumulates of every conv call in one generator forward plus the discriminator calls of a step."""
    macs = [0]

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            macs[0] += output.numel() * module.in_channels * k

    handles = [m.register_forward_hook(hook) for net in nets.values() for m in net.modules()]
    with torch.no_grad():
        f, g_com, g_res = nets["encoder"], nets["common"], nets["residual"]
        s_a, skips_a = f(xa)
        s_b, skips_b = f(xb)
        c = s_a.shape[1] - unique
        g_res(s_a, skips_a[::-1]); g_res(s_a, skips_a[::-1], mode=1)
        x_ab = g_com(s_a[:, :c], skips_a[::-1])
        x_bb = g_com(s_b[:, :c], skips_b[::-1]); g_res(s_b, skips_b[::-1])
        for _ in range(4):
            f(xa)
        g_com(s_b[:, :c], skips_b[::-1])
        g_macs = macs[0]
        for _ in range(3):
            nets["disc_a"](xa); nets["disc_b"](xb)
        d_macs = macs[0] - g_macs
    for h in handles:
        h.remove()
    # Backward of a conv costs about twice its forward (input and weight gradients).
    return 3 * g_macs + 3 * d_macs * 2 / 3 + d_macs / 3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--family", default="mnist48")
    parser.add_argument("--width", type=float, default=0.25)
    parser.add_argument("--size", type=int, nargs=2, default=None)
    parser.add_argument("--channels", type=int, default=1)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("CUDA is not available to this PyTorch")
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    size = args.size or {"mnist48": (48, 48), "mnist128": (128, 128), "brain": (240, 120)}[args.family]
    nets, unique = build(args.family, args.width, args.channels)
    for net in nets.values():
        net.to(device)
    gen = [p for k in ("encoder", "common", "residual") for p in nets[k].parameters()]
    dis = [p for k in ("disc_a", "disc_b") for p in nets[k].parameters()]
    opt_g = torch.optim.Adam(gen, lr=1e-3, betas=(0.5, 0.999), weight_decay=1e-4, amsgrad=True)
    opt_d = torch.optim.Adam(dis, lr=1e-2, betas=(0.5, 0.999), weight_decay=1e-4, amsgrad=True)
    xa = (torch.rand(args.batch, args.channels, *size) * 2 - 1).to(device)
    xb = (torch.rand(args.batch, args.channels, *size) * 2 - 1).to(device)
    mask = (torch.rand(args.batch, 1, *size) > 0.9).float().to(device)
    labelled = torch.zeros(args.batch, dtype=torch.bool)
    labelled[0] = True
    labelled = labelled.to(device)
    times = []
    for i in range(args.warmup + args.steps):
        sync()
        start = time.perf_counter()
        train_step(nets, unique, opt_g, opt_d, xa, xb, mask, labelled)
        sync()
        if i >= args.warmup:
            times.append(time.perf_counter() - start)
    macs = count_forward_macs(nets, unique, xa, xb)
    print(json.dumps({
        "framework": "pytorch", "version": torch.__version__, "threads": args.threads, "family": args.family,
        "device": args.device,
        "deviceName": torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU",
        "width": args.width, "batch": args.batch, "secondsPerStep": statistics.median(times),
        "stepTimes": times, "gflopPerStep": 2 * macs / 1e9,
        "generatorParameters": sum(p.numel() for p in gen), "discriminatorParameters": sum(p.numel() for p in dis) // 2,
    }))


if __name__ == "__main__":
    main()
