#!/usr/bin/env node
/**
 * Backfill reference workload: a small deterministic Monte Carlo path tracer that renders frames 0 … N-1 of
 * an orbiting-camera animation to PNG files, checkpoints its progress, and resumes from a checkpoint on any
 * machine. It speaks the agent's stdout protocol (BACKFILL_PROGRESS / BACKFILL_CHECKPOINT / BACKFILL_RESULT);
 * see README.md next to this file. Node builtins only.
 *
 * Determinism: a frame's PNG bytes depend only on the scene and the frame index. The per-pixel path uses only
 * + - * / and Math.sqrt (correctly rounded in IEEE doubles), random numbers come from a PRNG seeded from
 * (scene seed, frame, pixel, sample), and the camera's sin/cos come from a fixed polynomial, not Math.sin.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const RENDERER = 'backfill-pathtracer/1';
const CHECKPOINT_FORMAT = 'backfill-render-checkpoint';
const CHECKPOINT_VERSION = 1;
const MAX_FRAMES = 10_000;
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A failure with the exit status to leave with: 1 for bad input or environment, 2 for an unusable checkpoint. */
class Failure extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const log = (text) => process.stdout.write(`${text}\n`);
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest();
const frameName = (index) => `frame-${String(index).padStart(4, '0')}.png`;

// ---------------------------------------------------------------- deterministic math and random numbers

/** sin and cos from a fixed polynomial after reduction to [-π/4, π/4]: the same bits on every V8. */
function sinCos(x) {
  const q = Math.round(x / (Math.PI / 2));
  const r = x - q * (Math.PI / 2);
  const r2 = r * r;
  let s = 1 / 1307674368000; // 1/15!, then Horner down to r
  let c = 1 / 87178291200; // 1/14!
  for (let k = 13; k >= 1; k -= 2) s = 1 / factorial(k) - r2 * s;
  for (let k = 12; k >= 0; k -= 2) c = 1 / factorial(k) - r2 * c;
  s *= r;
  const quadrant = ((q % 4) + 4) % 4;
  if (quadrant === 0) return [s, c];
  if (quadrant === 1) return [c, -s];
  if (quadrant === 2) return [-s, -c];
  return [-c, s];
}

function factorial(n) {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** A 32-bit integer hash (lowbias32) for seeding. */
function mix32(h) {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32, seeded per (scene seed, frame, pixel, sample); returns floats in [0, 1). */
function makeRng(seed, frame, pixel, sample) {
  let state = mix32(mix32(mix32(mix32(seed) ^ frame) ^ pixel) ^ sample);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly random point strictly inside the unit ball (rejection sampling; writes into out). */
function randomInBall(rng, out) {
  for (;;) {
    const x = 2 * rng() - 1;
    const y = 2 * rng() - 1;
    const z = 2 * rng() - 1;
    const len2 = x * x + y * y + z * z;
    if (len2 < 1 && len2 > 1e-12) {
      out[0] = x;
      out[1] = y;
      out[2] = z;
      return len2;
    }
  }
}

// ---------------------------------------------------------------- scene

function fail(code, message) {
  throw new Failure(code, message);
}

function number(value, where, { min = -Infinity, max = Infinity, integer = false } = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    fail(1, `scene: ${where} must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
  if (integer && !Number.isInteger(value)) fail(1, `scene: ${where} must be an integer`);
  return value;
}

function vec3(value, where, bound = 1e6) {
  if (!Array.isArray(value) || value.length !== 3) fail(1, `scene: ${where} must be an array of 3 numbers`);
  return value.map((v, i) => number(v, `${where}[${i}]`, { min: -bound, max: bound }));
}

function material(value, where) {
  if (typeof value !== 'object' || value === null) fail(1, `scene: ${where} must be an object`);
  const color = vec3(value.color, `${where}.color`, 1e3);
  if (value.type === 'diffuse') return { kind: 0, color, fuzz: 0 };
  if (value.type === 'metal')
    return { kind: 1, color, fuzz: number(value.fuzz ?? 0, `${where}.fuzz`, { min: 0, max: 1 }) };
  if (value.type === 'emissive') {
    const strength = number(value.strength ?? 1, `${where}.strength`, { min: 0, max: 1e3 });
    return { kind: 2, color: color.map((c) => c * strength), fuzz: 0 };
  }
  return fail(1, `scene: ${where}.type must be "diffuse", "metal" or "emissive"`);
}

/** Checks a parsed scene and fills in defaults; throws a Failure naming the first bad field. */
function validateScene(raw) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(1, 'scene: must be a JSON object');
  const cam = raw.camera;
  if (typeof cam !== 'object' || cam === null) fail(1, 'scene: camera must be an object');
  const orbit = cam.orbit;
  if (orbit !== undefined && (typeof orbit !== 'object' || orbit === null))
    fail(1, 'scene: camera.orbit must be an object');
  if (!Array.isArray(raw.objects) || raw.objects.length === 0 || raw.objects.length > 256)
    fail(1, 'scene: objects must be an array of 1 to 256 spheres');
  const sky = raw.sky ?? {};
  return {
    width: number(raw.width, 'width', { min: 1, max: 4096, integer: true }),
    height: number(raw.height, 'height', { min: 1, max: 4096, integer: true }),
    samples: number(raw.samples, 'samples', { min: 1, max: 100_000, integer: true }),
    maxDepth: number(raw.maxDepth, 'maxDepth', { min: 1, max: 64, integer: true }),
    frames: number(raw.frames, 'frames', { min: 1, max: MAX_FRAMES, integer: true }),
    seed: number(raw.seed ?? 0, 'seed', { min: 0, max: 0xffffffff, integer: true }),
    skyTop: vec3(sky.top ?? [0.5, 0.7, 1], 'sky.top', 1e3),
    skyBottom: vec3(sky.bottom ?? [1, 1, 1], 'sky.bottom', 1e3),
    camera: {
      lookAt: vec3(cam.lookAt ?? [0, 0, 0], 'camera.lookAt'),
      fovDeg: number(cam.fovDeg ?? 40, 'camera.fovDeg', { min: 1, max: 170 }),
      from: orbit === undefined ? vec3(cam.from, 'camera.from') : null,
      orbit:
        orbit === undefined
          ? null
          : {
              radius: number(orbit.radius, 'camera.orbit.radius', { min: 1e-3, max: 1e6 }),
              height: number(orbit.height ?? 0, 'camera.orbit.height', { min: -1e6, max: 1e6 }),
              startDeg: number(orbit.startDeg ?? 0, 'camera.orbit.startDeg', { min: -1e4, max: 1e4 }),
              turns: number(orbit.turns ?? 1, 'camera.orbit.turns', { min: -100, max: 100 }),
            },
    },
    objects: raw.objects.map((o, i) => {
      const where = `objects[${i}]`;
      if (typeof o !== 'object' || o === null || o.type !== 'sphere')
        fail(1, `scene: ${where}.type must be "sphere"`);
      return {
        center: vec3(o.center, `${where}.center`),
        radius: number(o.radius, `${where}.radius`, { min: 1e-6, max: 1e6 }),
        material: material(o.material, `${where}.material`),
      };
    }),
  };
}

/** JSON with object keys sorted and no whitespace: the bytes the scene's sha256 is taken over. */
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function loadScene(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    fail(1, `cannot read scene ${file}: ${error.message}`);
  }
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    fail(1, `scene ${file} is not valid JSON: ${error.message}`);
  }
  const scene = validateScene(raw);
  return { scene, sceneSha256: sha256(canonicalJson(raw)).toString('hex') };
}

// ---------------------------------------------------------------- camera and path tracing

/** The camera for one frame: origin, the lower-left corner of the view plane, and its two spans. */
function cameraFor(scene, frame) {
  const { lookAt, fovDeg, orbit } = scene.camera;
  let from = scene.camera.from;
  if (orbit) {
    const angle = ((orbit.startDeg + (360 * orbit.turns * frame) / scene.frames) * Math.PI) / 180;
    const [s, c] = sinCos(angle);
    from = [lookAt[0] + orbit.radius * s, lookAt[1] + orbit.height, lookAt[2] + orbit.radius * c];
  }
  const [hs, hc] = sinCos((fovDeg * Math.PI) / 360);
  const halfH = hs / hc;
  const halfW = (halfH * scene.width) / scene.height;
  const w = normalize(sub(from, lookAt));
  const u = normalize(cross([0, 1, 0], w));
  const v = cross(w, u);
  const corner = from.map((o, i) => o - halfW * u[i] - halfH * v[i] - w[i]);
  return {
    origin: from,
    corner,
    horizontal: u.map((x) => 2 * halfW * x),
    vertical: v.map((x) => 2 * halfH * x),
  };
}

const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
function normalize(a) {
  const len = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
  if (!(len > 0)) fail(1, 'scene: camera position and lookAt must differ and not look straight up or down');
  return [a[0] / len, a[1] / len, a[2] / len];
}

/** Renders one frame to 8-bit RGB (row-major, top row first). */
function renderFrame(scene, frame) {
  const { width, height, samples, maxDepth, objects, skyTop, skyBottom, seed } = scene;
  const cam = cameraFor(scene, frame);
  const n = objects.length;
  const sph = new Float64Array(n * 4); // cx, cy, cz, r
  const mat = new Float64Array(n * 5); // kind, r, g, b, fuzz
  objects.forEach((o, i) => {
    sph.set([...o.center, o.radius], i * 4);
    mat.set([o.material.kind, ...o.material.color, o.material.fuzz], i * 5);
  });
  const rgb = Buffer.alloc(width * height * 3);
  const ball = [0, 0, 0];
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const pixel = py * width + px;
      let sumR = 0;
      let sumG = 0;
      let sumB = 0;
      for (let sample = 0; sample < samples; sample++) {
        const rng = makeRng(seed, frame, pixel, sample);
        const s = (px + rng()) / width;
        const t = (height - 1 - py + rng()) / height;
        let ox = cam.origin[0];
        let oy = cam.origin[1];
        let oz = cam.origin[2];
        let dx = cam.corner[0] + s * cam.horizontal[0] + t * cam.vertical[0] - ox;
        let dy = cam.corner[1] + s * cam.horizontal[1] + t * cam.vertical[1] - oy;
        let dz = cam.corner[2] + s * cam.horizontal[2] + t * cam.vertical[2] - oz;
        let len = Math.sqrt(dx * dx + dy * dy + dz * dz);
        dx /= len;
        dy /= len;
        dz /= len;
        let tr = 1; // path throughput
        let tg = 1;
        let tb = 1;
        for (let depth = 0; depth < maxDepth; depth++) {
          // Nearest sphere hit along the (unit-length) ray, t in (1e-4, best).
          let best = Infinity;
          let hit = -1;
          for (let i = 0; i < n; i++) {
            const cx = ox - sph[i * 4];
            const cy = oy - sph[i * 4 + 1];
            const cz = oz - sph[i * 4 + 2];
            const r = sph[i * 4 + 3];
            const halfB = cx * dx + cy * dy + cz * dz;
            const disc = halfB * halfB - (cx * cx + cy * cy + cz * cz - r * r);
            if (disc <= 0) continue;
            const root = Math.sqrt(disc);
            let hitT = -halfB - root;
            if (hitT <= 1e-4) hitT = -halfB + root;
            if (hitT > 1e-4 && hitT < best) {
              best = hitT;
              hit = i;
            }
          }
          if (hit < 0) {
            const k = 0.5 * (dy + 1); // sky gradient: the environment light
            sumR += tr * ((1 - k) * skyBottom[0] + k * skyTop[0]);
            sumG += tg * ((1 - k) * skyBottom[1] + k * skyTop[1]);
            sumB += tb * ((1 - k) * skyBottom[2] + k * skyTop[2]);
            break;
          }
          const m = hit * 5;
          if (mat[m] === 2) {
            sumR += tr * mat[m + 1];
            sumG += tg * mat[m + 2];
            sumB += tb * mat[m + 3];
            break;
          }
          ox += best * dx;
          oy += best * dy;
          oz += best * dz;
          const r = sph[hit * 4 + 3];
          let nx = (ox - sph[hit * 4]) / r;
          let ny = (oy - sph[hit * 4 + 1]) / r;
          let nz = (oz - sph[hit * 4 + 2]) / r;
          if (nx * dx + ny * dy + nz * dz > 0) {
            nx = -nx;
            ny = -ny;
            nz = -nz;
          }
          if (mat[m] === 0) {
            // Lambertian: normal + a random unit vector is cosine-weighted about the normal.
            const inv = 1 / Math.sqrt(randomInBall(rng, ball));
            dx = nx + ball[0] * inv;
            dy = ny + ball[1] * inv;
            dz = nz + ball[2] * inv;
          } else {
            // Metal: mirror reflection, blurred by a random offset of radius fuzz.
            const dn = 2 * (dx * nx + dy * ny + dz * nz);
            dx -= dn * nx;
            dy -= dn * ny;
            dz -= dn * nz;
            const fuzz = mat[m + 4];
            if (fuzz > 0) {
              randomInBall(rng, ball);
              dx += fuzz * ball[0];
              dy += fuzz * ball[1];
              dz += fuzz * ball[2];
            }
            if (dx * nx + dy * ny + dz * nz <= 0) break; // scattered into the surface: absorbed
          }
          len = Math.sqrt(dx * dx + dy * dy + dz * dz);
          if (!(len > 1e-9)) {
            dx = nx;
            dy = ny;
            dz = nz;
            len = 1;
          }
          dx /= len;
          dy /= len;
          dz /= len;
          tr *= mat[m + 1];
          tg *= mat[m + 2];
          tb *= mat[m + 3];
        }
      }
      rgb[pixel * 3] = toByte(sumR / samples);
      rgb[pixel * 3 + 1] = toByte(sumG / samples);
      rgb[pixel * 3 + 2] = toByte(sumB / samples);
    }
  }
  return rgb;
}

/** Linear radiance to a byte: gamma 2 (sqrt), clamped. */
function toByte(value) {
  if (!(value > 0)) return 0;
  return Math.min(255, Math.floor(256 * Math.sqrt(value)));
}

// ---------------------------------------------------------------- PNG

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGB PNG, filter 0 on every row. */
function encodePng(width, height, rgb) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, filter 0, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function looksLikePng(bytes, width, height) {
  return (
    bytes.length > 33 &&
    bytes.subarray(0, 8).equals(PNG_SIGNATURE) &&
    bytes.toString('latin1', 12, 16) === 'IHDR' &&
    bytes.readUInt32BE(16) === width &&
    bytes.readUInt32BE(20) === height
  );
}

// ---------------------------------------------------------------- files, checkpoints, resume

/** Writes a file under a temporary "."-name and renames it into place, so readers never see half a file. */
function writeAtomic(dir, name, bytes) {
  const temp = path.join(dir, `.${name}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, path.join(dir, name));
}

function writeCheckpoint(dir, sceneSha256, frames) {
  const base = `render-${String(frames.length).padStart(4, '0')}`;
  let name = `${base}.ckpt`;
  // Never replace an existing file (e.g. the checkpoint this run resumed from).
  for (let i = 1; fs.existsSync(path.join(dir, name)); i++) name = `${base}-${i}.ckpt`;
  const checkpoint = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    renderer: RENDERER,
    sceneSha256,
    framesDone: frames.length,
    frameSha256: Object.fromEntries(frames.map((png, i) => [frameName(i), sha256(png).toString('hex')])),
    frames: Object.fromEntries(frames.map((png, i) => [frameName(i), png.toString('base64')])),
  };
  writeAtomic(dir, name, JSON.stringify(checkpoint));
  return name;
}

/** Reads and checks a checkpoint; returns the frames it holds (PNG bytes, frame 0 first). */
function readCheckpoint(dir, name, scene, sceneSha256) {
  if (!PLAIN_NAME.test(name)) fail(2, `BACKFILL_RESUME_REF ${JSON.stringify(name)} is not a plain file name`);
  const file = path.join(dir, name);
  let checkpoint;
  try {
    checkpoint = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    fail(2, `cannot read checkpoint ${file}: ${error.message}`);
  }
  const bad = (why) => fail(2, `checkpoint ${name} cannot be used: ${why}`);
  if (typeof checkpoint !== 'object' || checkpoint === null) bad('not a JSON object');
  if (checkpoint.format !== CHECKPOINT_FORMAT) bad(`format is not "${CHECKPOINT_FORMAT}"`);
  if (checkpoint.version !== CHECKPOINT_VERSION)
    bad(`version ${checkpoint.version} is not ${CHECKPOINT_VERSION}`);
  if (checkpoint.renderer !== RENDERER) bad(`made by renderer ${checkpoint.renderer}, this is ${RENDERER}`);
  if (checkpoint.sceneSha256 !== sceneSha256)
    bad(`it was made for a different scene (sha256 ${checkpoint.sceneSha256}, this scene is ${sceneSha256})`);
  const done = checkpoint.framesDone;
  if (!Number.isInteger(done) || done < 0 || done > MAX_FRAMES) bad('framesDone is not a frame count');
  const frames = [];
  for (let i = 0; i < done; i++) {
    const encoded = checkpoint.frames?.[frameName(i)];
    if (typeof encoded !== 'string') bad(`${frameName(i)} is missing`);
    const png = Buffer.from(encoded, 'base64');
    if (
      sha256(png).toString('hex') !== checkpoint.frameSha256?.[frameName(i)] ||
      !looksLikePng(png, scene.width, scene.height)
    )
      bad(`${frameName(i)} is corrupt`);
    frames.push(png);
  }
  return frames;
}

function intFromEnv(name, fallback, min, max) {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(1, `${name}=${JSON.stringify(text)} must be an integer in [${min}, ${max}]`);
  return value;
}

function parseArgs(argv) {
  const args = { scene: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--scene' && i + 1 < argv.length) args.scene = argv[++i];
    else fail(1, `unknown argument ${JSON.stringify(argv[i])} (usage: render.mjs [--scene <path>])`);
  }
  return args;
}

async function main() {
  const env = process.env;
  const args = parseArgs(process.argv.slice(2));
  const inputScene = env.BACKFILL_INPUT_DIR ? path.join(env.BACKFILL_INPUT_DIR, 'scene.json') : null;
  const scenePath =
    args.scene ??
    (inputScene && fs.existsSync(inputScene) ? inputScene : path.join(import.meta.dirname, 'scene.json'));
  const { scene, sceneSha256 } = loadScene(scenePath);
  const outDir = env.BACKFILL_OUTPUT_DIR || 'out';
  const checkpointDir = env.BACKFILL_CHECKPOINT_DIR || 'checkpoints';
  const total = intFromEnv('BACKFILL_WORK_UNITS', scene.frames, 1, MAX_FRAMES);
  const every = intFromEnv('RENDER_CHECKPOINT_EVERY', 1, 1, MAX_FRAMES);
  const sleepMs = intFromEnv('RENDER_SLEEP_MS_PER_FRAME', 0, 0, 3_600_000);
  const resumeUnits = intFromEnv('BACKFILL_RESUME_UNITS', 0, 0, MAX_FRAMES);
  const resumeRef = (env.BACKFILL_RESUME_REF ?? '').trim();
  fs.mkdirSync(outDir, { recursive: true });
  fs.mkdirSync(checkpointDir, { recursive: true });
  cameraFor(scene, 0); // a degenerate camera fails here, before any work
  log(
    `render: scene ${scenePath} (sha256 ${sceneSha256.slice(0, 12)}…), ${scene.width}x${scene.height}, ` +
      `${scene.samples} samples, depth ${scene.maxDepth}, ${total} frames, checkpoint every ${every}`,
  );

  let frames = [];
  if (resumeRef !== '' && (env.BACKFILL_RESUME_UNITS ?? '').trim() !== '0') {
    const restored = readCheckpoint(checkpointDir, resumeRef, scene, sceneSha256);
    if (resumeUnits !== 0 && resumeUnits !== restored.length)
      log(`note: BACKFILL_RESUME_UNITS is ${resumeUnits} but ${resumeRef} holds ${restored.length} frames`);
    frames = restored.slice(0, total);
    frames.forEach((png, i) => writeAtomic(outDir, frameName(i), png));
    log(`resuming from ${resumeRef} at frame ${frames.length} (${frames.length} frames restored)`);
    console.log(`BACKFILL_PROGRESS ${frames.length}`);
  } else if (resumeUnits > 0) {
    log(`note: BACKFILL_RESUME_UNITS is ${resumeUnits} but no BACKFILL_RESUME_REF: starting from frame 0`);
  }

  const ours = []; // checkpoints this run wrote, oldest first
  let lastCheckpoint = frames.length;
  const started = performance.now();
  for (let frame = frames.length; frame < total; frame++) {
    const t0 = performance.now();
    const png = encodePng(scene.width, scene.height, renderFrame(scene, frame));
    writeAtomic(outDir, frameName(frame), png);
    frames.push(png);
    log(`rendered frame ${frame} in ${Math.round(performance.now() - t0)} ms (${png.length} bytes)`);
    console.log(`BACKFILL_PROGRESS ${frames.length}`);
    if (frames.length - lastCheckpoint >= every || frames.length === total) {
      const name = writeCheckpoint(checkpointDir, sceneSha256, frames);
      console.log(`BACKFILL_CHECKPOINT ${frames.length} ${name}`);
      lastCheckpoint = frames.length;
      ours.push(name);
      // Keep the newest two: the previous one may still be uploading.
      while (ours.length > 2) fs.rmSync(path.join(checkpointDir, ours.shift()), { force: true });
    }
    // Let stdout drain between frames (and widen the window for tests that kill the run).
    await new Promise((resolve) => setTimeout(resolve, sleepMs));
  }

  const result = sha256(Buffer.concat(frames.map((png) => sha256(png))));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`done: ${total} frames in ${outDir} (${seconds} s rendering)`);
  console.log(`BACKFILL_RESULT ${result.toString('hex')}`);
}

main().catch((error) => {
  process.stderr.write(`render: ${error instanceof Failure ? error.message : (error?.stack ?? error)}\n`);
  process.exitCode = error instanceof Failure ? error.code : 1;
});
