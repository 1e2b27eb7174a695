/**
 * On-disk cache of MFCC features, so that a second `msse train` or `cv` on the same folder skips the front end.
 *
 * Layout: `<cache>/<settings key>/<audio sha256>.mfcc`, one file per WAV, written atomically, and
 * `<cache>/<settings key>/settings.json` saying which front end the folder holds. The settings key is the first
 * 16 hex digits of SHA-256 over the front-end settings and FRONT_END_VERSION; the entry name is the SHA-256 of
 * the WAV file's bytes. So an edited WAV, a renamed one (same bytes: a hit) and a changed setting each recompute
 * exactly what changed, and entries of other settings stay for when they are asked for again.
 *
 * Entry format (`.mfcc`), little-endian:
 *   offset 0   8 bytes   magic "MSSEMFCC"
 *          8   u32       format version (ENTRY_FORMAT_VERSION)
 *         12   u32       frames
 *         16   u32       coefficients per frame
 *         20   u32       reserved, 0
 *         24   32 bytes  SHA-256 of the WAV file's bytes (the entry's name)
 *         56   32 bytes  SHA-256 of the settings key's JSON
 *         88   32 bytes  SHA-256 of the payload
 *        120   float32   frames x coefficients, frames-major
 * Any entry that fails a check (size, magic, version, shape, either key, payload hash) is a miss: it is
 * recomputed and overwritten, never trusted. So entries are written without fsync (a power cut tears one at worst,
 * which is then a miss), and temporaries of killed writers are swept once per cache folder, not per entry.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { frameCount, type FrontEndSettings } from '../../audio/mfcc-settings.ts';
import { MsseError, OutputError } from '../../errors.ts';
import { removeStaleTemporaries, writeOutputFile } from './output-file.ts';
import { float32FromLittleEndian, float32LittleEndianBytes } from '../../io/float32-file.ts';

/**
 * Version of msse's MFCC numbers: bump it when a front-end change alters the features for the same settings
 * (a kernel fix, a different resampler), so every cached entry becomes a miss.
 */
export const FRONT_END_VERSION = 1;
/** Version of the entry layout above. */
const ENTRY_FORMAT_VERSION = 1;
const MAGIC = 'MSSEMFCC';
const HEADER_BYTES = 120;
const SHA256_BYTES = 32;
const ENTRY_EXTENSION = '.mfcc';

/**
 * The cache folder used when none is given: `$XDG_CACHE_HOME/msse/features` (else `~/.cache/msse/features`).
 * Not inside the data folder, which may be read-only or shared; entries are keyed by content, so one cache serves
 * every data folder.
 */
export function defaultFeatureCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'msse', 'features');
}

/** Lowercase hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Counts since the cache was opened; `invalid` entries were present but failed a check (also counted as misses). */
export interface FeatureCacheStats {
  hits: number;
  misses: number;
  invalid: number;
}

/** MFCCs by WAV content, for one set of front-end settings. */
export class FeatureCache {
  /** The front end whose features this cache holds; callers compute misses with these settings. */
  readonly settings: FrontEndSettings;
  /** `<cache>/<settings key>`, where the entries live. */
  readonly entryDir: string;
  readonly stats: FeatureCacheStats = { hits: 0, misses: 0, invalid: 0 };
  private readonly settingsJson: string;
  private readonly settingsSha: Uint8Array;
  private readonly frames: number;
  private settingsWritten = false;

  /** Opens (lazily creates) the cache under `cacheDir` for `settings`; nothing touches the disk until a put. */
  constructor(cacheDir: string, settings: FrontEndSettings) {
    this.settings = settings;
    this.settingsJson = canonicalSettingsJson(settings);
    const settingsHex = sha256Hex(this.settingsJson);
    this.settingsSha = Buffer.from(settingsHex, 'hex');
    this.entryDir = join(cacheDir, settingsHex.slice(0, 16));
    this.frames = frameCount(settings.lengthSamples);
  }

  /** Features (frames x nMfcc, frames-major) for the WAV whose bytes hash to `audioSha256`, if cached and intact. */
  get(audioSha256: string): Float32Array | undefined {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(this.entryPath(audioSha256));
    } catch {
      this.stats.misses++; // absent or unreadable: either way, compute it
      return undefined;
    }
    const features = this.decodeEntry(bytes, audioSha256);
    if (features === undefined) {
      this.stats.invalid++;
      this.stats.misses++;
    } else {
      this.stats.hits++;
    }
    return features;
  }

  /**
   * Stores the features of the WAV whose bytes hash to `audioSha256` (atomically, replacing any entry).
   * @throws MsseError naming the entry when the cache folder cannot be written
   */
  put(audioSha256: string, features: Float32Array): void {
    const expected = this.frames * this.settings.nMfcc;
    if (features.length !== expected) {
      throw new MsseError(`feature cache: ${features.length} values for ${audioSha256}; expected ${this.frames} x ${this.settings.nMfcc}`);
    }
    const payload = float32LittleEndianBytes(features);
    const entry = new Uint8Array(HEADER_BYTES + payload.length);
    const view = new DataView(entry.buffer);
    entry.set(Buffer.from(MAGIC, 'latin1'), 0);
    view.setUint32(8, ENTRY_FORMAT_VERSION, true);
    view.setUint32(12, this.frames, true);
    view.setUint32(16, this.settings.nMfcc, true);
    entry.set(Buffer.from(audioSha256, 'hex'), 24);
    entry.set(this.settingsSha, 56);
    entry.set(createHash('sha256').update(payload).digest(), 88);
    entry.set(payload, HEADER_BYTES);
    const options = { durable: false, sweep: false };
    try {
      if (!this.settingsWritten) {
        removeStaleTemporaries(this.entryDir);
        writeOutputFile(join(this.entryDir, 'settings.json'), `${this.settingsJson}\n`, options);
      }
      this.settingsWritten = true;
      writeOutputFile(this.entryPath(audioSha256), entry, options);
    } catch (cause) {
      const code = (cause instanceof OutputError ? cause.code : undefined) ?? 'unknown error';
      throw new MsseError(`cannot write the feature cache (${code}); choose a writable cache folder`, { file: this.entryPath(audioSha256), cause });
    }
  }

  /** Path of an entry. */
  entryPath(audioSha256: string): string {
    return join(this.entryDir, `${audioSha256}${ENTRY_EXTENSION}`);
  }

  /** The payload of an entry that passes every check, else undefined. */
  private decodeEntry(bytes: Uint8Array, audioSha256: string): Float32Array | undefined {
    const numValues = this.frames * this.settings.nMfcc;
    if (bytes.length !== HEADER_BYTES + numValues * 4) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = Buffer.from(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    const payload = bytes.subarray(HEADER_BYTES);
    const intact =
      header.toString('latin1', 0, 8) === MAGIC &&
      view.getUint32(8, true) === ENTRY_FORMAT_VERSION &&
      view.getUint32(12, true) === this.frames &&
      view.getUint32(16, true) === this.settings.nMfcc &&
      header.toString('hex', 24, 24 + SHA256_BYTES) === audioSha256 &&
      header.subarray(56, 56 + SHA256_BYTES).equals(this.settingsSha) &&
      header.subarray(88, 88 + SHA256_BYTES).equals(createHash('sha256').update(payload).digest());
    return intact ? float32FromLittleEndian(payload) : undefined;
  }
}

/** JSON of the settings with sorted keys, plus FRONT_END_VERSION: equal settings always hash alike. */
function canonicalSettingsJson(settings: FrontEndSettings): string {
  const entries = Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify({ frontEndVersion: FRONT_END_VERSION, settings: Object.fromEntries(entries) });
}
