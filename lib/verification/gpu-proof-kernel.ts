/**
 * The GPU proof's kernel as a small Python program, embedded here so a bundled agent carries it. It computes
 * exactly what lib/verification/gpu-proof.ts computes (a test runs it with numpy and compares the root):
 * with PyTorch on CUDA (fp16 tensor-core products), CuPy on CUDA, or — for tests and development only — numpy on
 * the CPU. The agent runs it with `python3 -c <source> <mode>` and a JSON request on stdin:
 *
 * - `commit`: {seed, m, k, rounds, lanes, backend} → prints {"backend", "leaves": [hex…], "root": hex};
 * - `reveal`: {seed, m, k, rounds, backend, reveal: [r…]} → prints {"fingerprints": [base64…]};
 * - `probe`: {} → prints {"backend": "torch-cuda" | "cupy" | null, "devices": n}.
 *
 * Integer hashing runs on int64 with 32-bit masks, multiplications split in 16-bit halves so nothing overflows.
 * Rounds are spread over the GPUs (round r on device r mod lanes), one thread per device.
 */
export const GPU_PROOF_KERNEL = String.raw`
import base64, hashlib, json, sys, threading

MASK = 0xFFFFFFFF

def mul32(x, c):
    return ((x * (c & 0xFFFF)) + (((x * (c >> 16)) & 0xFFFF) << 16)) & MASK

def lowbias32(x):
    x = x ^ (x >> 16)
    x = mul32(x, 0x7FEB352D)
    x = x ^ (x >> 15)
    x = mul32(x, 0x846CA68B)
    return x ^ (x >> 16)

def derive_key(seed, tag, index):
    raw = bytes.fromhex(seed)
    words = [int.from_bytes(raw[i:i + 4], 'little') for i in (0, 4, 8, 12)]
    x = 0
    for w in [tag] + words + [index]:
        x = lowbias32((x ^ w) & MASK)
    return x

class Backend:
    def __init__(self, name, device=None):
        self.name = name
        self.device = device
        if name == 'torch-cuda':
            import torch
            self.t = torch
        elif name == 'cupy':
            import cupy
            self.cp = cupy
        else:
            import numpy
            self.np = numpy

    def arange(self, n):
        if self.name == 'torch-cuda':
            return self.t.arange(n, dtype=self.t.int64, device=self.device)
        if self.name == 'cupy':
            with self.cp.cuda.Device(self.device):
                return self.cp.arange(n, dtype=self.cp.int64)
        return self.np.arange(n, dtype=self.np.int64)

    def entries(self, key, count):
        # Entry e: bits (2 of them) of lowbias32((e >> 4) ^ key) at 2 * (e & 15), mapped to (b & 1) - (b >> 1).
        e = self.arange(count)
        h = lowbias32((e >> 4) ^ key)
        bits = (h >> (2 * (e & 15))) & 3
        return (bits & 1) - (bits >> 1)

    def half(self, x, shape):
        if self.name == 'torch-cuda':
            return x.reshape(shape).to(self.t.float16)
        if self.name == 'cupy':
            return x.reshape(shape).astype(self.cp.float16)
        # numpy: float32 products of small integers are exact, like fp16 inputs with fp32 accumulation.
        return x.reshape(shape).astype(self.np.float32)

    def fingerprint(self, c, g, w):
        if self.name == 'torch-cuda':
            x = (c.to(self.t.int64) + 4096) ^ g
            f = (x * w).sum(dim=1) & MASK
            return f.to('cpu').numpy().astype('<u4').tobytes()
        if self.name == 'cupy':
            x = (c.astype(self.cp.int64) + 4096) ^ g
            f = (x * w).sum(axis=1) & MASK
            return self.cp.asnumpy(f).astype('<u4').tobytes()
        x = (c.astype(self.np.int64) + 4096) ^ g
        f = (x * w).sum(axis=1) & MASK
        return f.astype('<u4').tobytes()

def probe():
    try:
        import torch
        if torch.cuda.is_available():
            return {'backend': 'torch-cuda', 'devices': torch.cuda.device_count()}
    except Exception:
        pass
    try:
        import cupy
        n = cupy.cuda.runtime.getDeviceCount()
        if n > 0:
            return {'backend': 'cupy', 'devices': n}
    except Exception:
        pass
    return {'backend': None, 'devices': 0}

class Device:
    def __init__(self, req, name, index):
        self.req = req
        device = ('cuda:%d' % index) if name == 'torch-cuda' else index
        self.be = Backend(name, device)
        m, k, seed = req['m'], req['k'], req['seed']
        self.b = self.be.half(self.be.entries(derive_key(seed, 1, 0), k * m), (k, m))
        j = self.be.arange(m)
        self.g = lowbias32(j ^ derive_key(seed, 3, 0)) & 0x1FFF
        self.w = (lowbias32(j ^ derive_key(seed, 4, 0)) & 0x3FFFF) | 1

    def fingerprint(self, r):
        m, k, seed = self.req['m'], self.req['k'], self.req['seed']
        a = self.be.half(self.be.entries(derive_key(seed, 2, r), m * k), (m, k))
        return self.be.fingerprint(a @ self.b, self.g, self.w)

def leaf(r, f):
    return hashlib.sha256(b'\x00' + r.to_bytes(4, 'little') + f).digest()

def merkle_root(leaves):
    level = list(leaves)
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level), 2):
            if i + 1 < len(level):
                nxt.append(hashlib.sha256(b'\x01' + level[i] + level[i + 1]).digest())
            else:
                nxt.append(level[i])
        level = nxt
    return level[0]

def run_rounds(req, rounds, fn):
    name = req['backend']
    lanes = max(1, int(req.get('lanes', 1))) if name != 'numpy' else 1
    out = {}
    def work(lane):
        dev = Device(req, name, lane)
        for r in rounds:
            if r % lanes == lane:
                out[r] = fn(dev, r)
    threads = [threading.Thread(target=work, args=(lane,)) for lane in range(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out

def main():
    mode = sys.argv[1]
    req = json.loads(sys.stdin.read() or '{}')
    if mode == 'probe':
        print(json.dumps(probe()))
        return
    if mode == 'commit':
        rounds = list(range(req['rounds']))
        leaves = run_rounds(req, rounds, lambda dev, r: leaf(r, dev.fingerprint(r)))
        ordered = [leaves[r] for r in rounds]
        print(json.dumps({'backend': req['backend'], 'leaves': [h.hex() for h in ordered],
                          'root': merkle_root(ordered).hex()}))
        return
    if mode == 'reveal':
        fps = run_rounds(req, req['reveal'], lambda dev, r: dev.fingerprint(r))
        print(json.dumps({'fingerprints': [base64.b64encode(fps[r]).decode() for r in req['reveal']]}))
        return
    raise SystemExit('unknown mode ' + mode)

main()
`;
