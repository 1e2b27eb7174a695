/**
 * The sample rate a compressed audio file declares in its header, read before the browser decodes it, so that
 * the page can decode at that rate instead of the AudioContext's (which would resample the file once more
 * before msse resamples it to 22050 Hz). Reads FLAC, Ogg Vorbis, Ogg Opus and MPEG audio (MP3) headers;
 * undefined for anything else (AAC/MP4, WebM): the browser's default rate is taken then.
 */
export function sniffSampleRateHz(bytes: Uint8Array): number | undefined {
  return flacRate(bytes) ?? oggRate(bytes) ?? mpegRate(bytes);
}

/** FLAC: "fLaC", then the STREAMINFO block (always first) whose bits 80–99 are the rate (FLAC format spec). */
function flacRate(b: Uint8Array): number | undefined {
  if (!startsWith(b, 0, 'fLaC') || b.length < 21 || (b[4]! & 0x7f) !== 0) return undefined;
  const rate = (b[18]! << 12) | (b[19]! << 4) | (b[20]! >> 4);
  return rate > 0 ? rate : undefined;
}

/**
 * Ogg: the first page (27-byte header, then its segment table) holds the codec's identification packet. Vorbis
 * stores its rate as a little-endian u32 at byte 12 of that packet; Opus always decodes at 48 kHz (RFC 7845:
 * the header's input rate is informational only).
 */
function oggRate(b: Uint8Array): number | undefined {
  if (!startsWith(b, 0, 'OggS') || b.length < 27) return undefined;
  const packet = 27 + b[26]!;
  if (startsWith(b, packet, 'OpusHead')) return 48000;
  if (b[packet] !== 0x01 || !startsWith(b, packet + 1, 'vorbis') || b.length < packet + 16) return undefined;
  const rate = new DataView(b.buffer, b.byteOffset + packet + 12, 4).getUint32(0, true);
  return rate > 0 ? rate : undefined;
}

/** MPEG-1/2/2.5 audio frame header rates, by version bits (ISO 11172-3, ISO 13818-3): index 3 is reserved. */
const MPEG_RATES: Readonly<Record<number, readonly number[]>> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

/** How far into the file (after any ID3v2 tag) to look for the first frame header. */
const MPEG_SCAN_BYTES = 64 * 1024;

/**
 * MP3: skips an ID3v2 tag (10-byte header, syncsafe size, optional 10-byte footer), then takes the first frame
 * header: 11 sync bits, a valid version, a layer (ADTS AAC has layer 0 and is skipped), a bitrate index other
 * than 15 and a rate index other than 3. A false sync in junk before the first frame would give a wrong rate;
 * the cost is one extra resampling, not a wrong result.
 */
function mpegRate(b: Uint8Array): number | undefined {
  let start = 0;
  if (startsWith(b, 0, 'ID3') && b.length >= 10) {
    const size = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
    start = 10 + size + (b[5]! & 0x10 ? 10 : 0);
  }
  const end = Math.min(b.length - 3, start + MPEG_SCAN_BYTES);
  for (let i = start; i < end; i++) {
    if (b[i] !== 0xff || (b[i + 1]! & 0xe0) !== 0xe0) continue;
    const version = (b[i + 1]! >> 3) & 3;
    const layer = (b[i + 1]! >> 1) & 3;
    const bitrateIndex = b[i + 2]! >> 4;
    const rateIndex = (b[i + 2]! >> 2) & 3;
    const rates = MPEG_RATES[version];
    if (rates !== undefined && layer !== 0 && bitrateIndex !== 15 && rateIndex !== 3) return rates[rateIndex];
  }
  return undefined;
}

function startsWith(b: Uint8Array, offset: number, ascii: string): boolean {
  if (offset + ascii.length > b.length) return false;
  for (let i = 0; i < ascii.length; i++) if (b[offset + i] !== ascii.charCodeAt(i)) return false;
  return true;
}
