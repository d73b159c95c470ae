// A minimal ZIP writer (stored entries, no compression): enough for EPUB, whose `mimetype` entry
// must be first and uncompressed anyway, and whose images are already compressed.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export type ZipEntry = { name: string; data: Uint8Array | string };

const enc = new TextEncoder();
// 1980-01-01 00:00 in DOS format: fixed, so the same book always zips to the same bytes.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

export function zip(entries: ZipEntry[]): Uint8Array<ArrayBuffer> {
  const files = entries.map((e) => ({ name: enc.encode(e.name), data: typeof e.data === "string" ? enc.encode(e.data) : e.data }));
  const size = files.reduce((n, f) => n + 30 + f.name.length + f.data.length + 46 + f.name.length, 22);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let o = 0;
  const central: { offset: number; crc: number; file: (typeof files)[number] }[] = [];
  for (const f of files) {
    const crc = crc32(f.data);
    central.push({ offset: o, crc, file: f });
    view.setUint32(o, 0x04034b50, true); // local file header
    view.setUint16(o + 4, 20, true); // version needed
    view.setUint16(o + 6, 0x0800, true); // UTF-8 names
    view.setUint16(o + 8, 0, true); // stored
    view.setUint16(o + 10, DOS_TIME, true);
    view.setUint16(o + 12, DOS_DATE, true);
    view.setUint32(o + 14, crc, true);
    view.setUint32(o + 18, f.data.length, true);
    view.setUint32(o + 22, f.data.length, true);
    view.setUint16(o + 26, f.name.length, true);
    view.setUint16(o + 28, 0, true);
    out.set(f.name, o + 30);
    out.set(f.data, o + 30 + f.name.length);
    o += 30 + f.name.length + f.data.length;
  }
  const centralStart = o;
  for (const { offset, crc, file } of central) {
    view.setUint32(o, 0x02014b50, true); // central directory header
    view.setUint16(o + 4, 20, true);
    view.setUint16(o + 6, 20, true);
    view.setUint16(o + 8, 0x0800, true);
    view.setUint16(o + 10, 0, true);
    view.setUint16(o + 12, DOS_TIME, true);
    view.setUint16(o + 14, DOS_DATE, true);
    view.setUint32(o + 16, crc, true);
    view.setUint32(o + 20, file.data.length, true);
    view.setUint32(o + 24, file.data.length, true);
    view.setUint16(o + 28, file.name.length, true);
    view.setUint32(o + 42, offset, true);
    out.set(file.name, o + 46);
    o += 46 + file.name.length;
  }
  view.setUint32(o, 0x06054b50, true); // end of central directory
  view.setUint16(o + 8, files.length, true);
  view.setUint16(o + 10, files.length, true);
  view.setUint32(o + 12, o - centralStart, true);
  view.setUint32(o + 16, centralStart, true);
  return out;
}
