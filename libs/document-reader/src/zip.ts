import { Inflate } from 'fflate';
import { DocumentReadError } from './document';

/**
 * Reads the parts of a zip (a .docx) that a reader asks for, with zip-bomb defences: the central
 * directory is read first and refused when it holds too many entries, declares too much, or declares
 * a compression ratio no real document has; each part is inflated a slice at a time and stopped as
 * soon as it yields more than it declared or more than the limit. Nothing else is inflated.
 */
export type ZipEntry = {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly offset: number;
  readonly encrypted: boolean;
};

export type ZipLimits = {
  /** Entries in the archive (a .docx has ~20; one with many images a few hundred). */
  readonly maxEntries: number;
  /** What all the entries together declare they unpack to. */
  readonly maxTotalSize: number;
  /** What the parts read may unpack to, together. */
  readonly maxReadSize: number;
  /** Unpacked / packed, for a part over 1 MB (XML packs ~10:1; deflate's ceiling is ~1032:1). */
  readonly maxRatio: number;
};

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxTotalSize: 256 * 1024 * 1024, maxReadSize: 64 * 1024 * 1024, maxRatio: 200 };

const corrupt = (what: string): DocumentReadError => new DocumentReadError(`The Word file is damaged: ${what}.`, 'document.corrupt');
const hostile = (what: string): DocumentReadError => new DocumentReadError(`The Word file is refused: ${what}.`, 'document.hostile');

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The central directory's entries. */
export const listZip = (bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) throw corrupt('its zip directory is missing (a truncated download?)');
  const count = view.getUint16(eocd + 10, true);
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw hostile('it is a ZIP64 archive, which no Word document needs');
  if (count > limits.maxEntries) throw hostile(`it holds ${count} parts (at most ${limits.maxEntries})`);
  if (directoryOffset + directorySize > bytes.length) throw corrupt('its zip directory points past the end of the file');

  const entries: ZipEntry[] = [];
  let total = 0;
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw corrupt('its zip directory is broken');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > bytes.length) throw corrupt('its zip directory is broken');
    const name = Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8');
    total += size;
    if (total > limits.maxTotalSize) throw hostile(`its parts unpack to more than ${limits.maxTotalSize / 1024 / 1024} MB (a zip bomb?)`);
    entries.push({ name, method, compressedSize, size, offset, encrypted: (flags & 1) === 1 });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
};

/** Inflates the named parts (those present), each checked against its declared size and the limits. */
export const readZipParts = (bytes: Uint8Array, names: readonly string[], limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Uint8Array> => {
  const entries = listZip(bytes, limits);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = new Map<string, Uint8Array>();
  let read = 0;
  for (const name of names) {
    const entry = entries.find((candidate) => candidate.name === name);
    if (!entry) continue;
    if (entry.encrypted) throw new DocumentReadError('The Word file is password-protected: save it without a password and try again.', 'document.unsupported');
    read += entry.size;
    if (read > limits.maxReadSize) throw hostile(`"${name}" unpacks to more than ${limits.maxReadSize / 1024 / 1024} MB (a zip bomb?)`);
    if (entry.size > 1024 * 1024 && entry.size > entry.compressedSize * limits.maxRatio) {
      throw hostile(`"${name}" declares a compression ratio of ${Math.round(entry.size / Math.max(1, entry.compressedSize))}:1 (a zip bomb?)`);
    }
    const local = entry.offset;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) throw corrupt(`the part "${name}" is missing`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const end = start + entry.compressedSize;
    if (end > bytes.length) throw corrupt(`the part "${name}" is cut short`);
    const packed = bytes.subarray(start, end);
    if (entry.method === 0) {
      if (entry.size !== entry.compressedSize) throw corrupt(`the stored part "${name}" has two sizes`);
      parts.set(name, packed);
    } else if (entry.method === 8) {
      parts.set(name, inflateBounded(packed, entry.size, name));
    } else {
      throw new DocumentReadError(`The Word file packs "${name}" with a method the importer does not read (${entry.method}).`, 'document.unsupported');
    }
  }
  return parts;
};

/** Raw deflate, fed 16 KB at a time so that no step yields more than ~16 MB, stopped past the declared size. */
const inflateBounded = (packed: Uint8Array, declared: number, name: string): Uint8Array => {
  const out = new Uint8Array(declared);
  let length = 0;
  const inflate = new Inflate((chunk) => {
    if (length + chunk.length > declared) throw hostile(`"${name}" unpacks to more than the ${declared} bytes it declares (a zip bomb?)`);
    out.set(chunk, length);
    length += chunk.length;
  });
  const SLICE = 16 * 1024;
  try {
    for (let at = 0; at < packed.length; at += SLICE) inflate.push(packed.subarray(at, at + SLICE), at + SLICE >= packed.length);
    if (packed.length === 0) inflate.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof DocumentReadError) throw error;
    throw corrupt(`the part "${name}" cannot be unpacked`);
  }
  if (length !== declared) throw corrupt(`the part "${name}" unpacks to ${length} bytes, not the ${declared} it declares`);
  return out;
};
