import { deflateSync, inflateSync } from 'node:zlib';

// Just enough PNG for the Teams app icons, with node:zlib and no dependency: an encoder for the
// icons we draw (8-bit RGBA, filter 0, so the same pixels always give the same file) and a
// decoder that reads any non-interlaced PNG a designer might drop in instead, so packaging can
// check its size and, for the outline icon, that it is white on transparent.

/** Pixels row by row, 4 bytes each: red, green, blue, alpha. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export type PngDecodeResult = { readonly ok: true; readonly image: RgbaImage } | { readonly ok: false; readonly problem: string };

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} bytes of RGBA, got ${data.length}`);
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    Buffer.from(data.buffer, data.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Every pixel as 8-bit RGBA, whatever the file's colour type and bit depth. */
export function decodePng(file: Buffer): PngDecodeResult {
  if (file.length < SIGNATURE.length || !file.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    return { ok: false, problem: 'is not a PNG file' };
  }
  let header: Buffer | undefined;
  let palette: Buffer | undefined;
  let transparency: Buffer | undefined;
  const compressed: Buffer[] = [];
  for (let offset = SIGNATURE.length; offset + 12 <= file.length; ) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > file.length) return { ok: false, problem: `is truncated (in its ${type} chunk)` };
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (crc32(file.subarray(offset + 4, offset + 8 + length)) !== file.readUInt32BE(offset + 8 + length)) {
      return { ok: false, problem: `is corrupt (bad checksum on its ${type} chunk)` };
    }
    if (type === 'IHDR') header = body;
    else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') compressed.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!header || header.length !== 13) return { ok: false, problem: 'has no IHDR chunk' };
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colorType, , , interlace] = header.subarray(8);
  const channels = CHANNELS[colorType];
  if (channels === undefined) return { ok: false, problem: `has an unknown colour type ${colorType}` };
  if (![1, 2, 4, 8, 16].includes(bitDepth)) return { ok: false, problem: `has an unknown bit depth ${bitDepth}` };
  if (interlace !== 0) return { ok: false, problem: 'is interlaced; save it without interlacing' };
  if (colorType === 3 && !palette) return { ok: false, problem: 'is palette-based but has no palette' };
  if (width === 0 || height === 0) return { ok: false, problem: 'is empty (0 pixels wide or high)' };

  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(compressed));
  } catch {
    return { ok: false, problem: 'has image data that does not decompress' };
  }
  const bitsPerPixel = channels * bitDepth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  if (raw.length < (stride + 1) * height) return { ok: false, problem: 'has less image data than its size says' };
  const unfiltered = unfilter(raw, stride, height, Math.max(1, bitsPerPixel / 8));
  if (!unfiltered) return { ok: false, problem: 'uses an unknown row filter' };

  const data = new Uint8Array(width * height * 4);
  const maxSample = (1 << Math.min(bitDepth, 8)) - 1;
  for (let y = 0; y < height; y++) {
    const row = unfiltered.subarray(y * stride, (y + 1) * stride);
    const sample = (index: number): number => {
      if (bitDepth === 16) return row[index * 2]; // the high byte is the 8-bit value
      if (bitDepth === 8) return row[index];
      const bit = index * bitDepth;
      return (row[bit >> 3] >> (8 - bitDepth - (bit & 7))) & maxSample;
    };
    const raw16 = (index: number): number => (bitDepth === 16 ? row.readUInt16BE(index * 2) : sample(index));
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * 4;
      const first = x * channels;
      let rgba: [number, number, number, number];
      switch (colorType) {
        case 0: {
          const gray = scale(sample(first), bitDepth);
          const transparent = transparency?.length === 2 && raw16(first) === transparency.readUInt16BE(0);
          rgba = [gray, gray, gray, transparent ? 0 : 255];
          break;
        }
        case 2: {
          const transparent =
            transparency?.length === 6 &&
            [0, 1, 2].every((channel) => raw16(first + channel) === transparency.readUInt16BE(channel * 2));
          rgba = [sample(first), sample(first + 1), sample(first + 2), transparent ? 0 : 255];
          break;
        }
        case 3: {
          const index = sample(first);
          if (!palette || index * 3 + 2 >= palette.length) return { ok: false, problem: 'uses a colour its palette does not have' };
          rgba = [palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2], transparency?.[index] ?? 255];
          break;
        }
        case 4: {
          const gray = scale(sample(first), bitDepth);
          rgba = [gray, gray, gray, sample(first + 1)];
          break;
        }
        default:
          rgba = [sample(first), sample(first + 1), sample(first + 2), sample(first + 3)];
      }
      data.set(rgba, out);
    }
  }
  return { ok: true, image: { width, height, data } };
}

/** Samples per pixel, by colour type: gray, RGB, palette, gray+alpha, RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** A gray sample of fewer than 8 bits, spread over 0–255. */
function scale(value: number, bitDepth: number): number {
  return bitDepth >= 8 ? value : Math.round((value * 255) / ((1 << bitDepth) - 1));
}

function unfilter(raw: Buffer, stride: number, height: number, bytesPerPixel: number): Buffer | undefined {
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    const previous = row - stride;
    for (let i = 0; i < stride; i++) {
      const left = i >= bytesPerPixel ? out[row + i - bytesPerPixel] : 0;
      const up = y > 0 ? out[previous + i] : 0;
      const upLeft = y > 0 && i >= bytesPerPixel ? out[previous + i - bytesPerPixel] : 0;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = left;
          break;
        case 2:
          predicted = up;
          break;
        case 3:
          predicted = (left + up) >> 1;
          break;
        case 4:
          predicted = paeth(left, up, upLeft);
          break;
        default:
          return undefined;
      }
      out[row + i] = (raw[source + i] + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

function chunk(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
