import { MsseError } from '../errors.ts';
import type { LoadProgress } from './types.ts';

/**
 * The body of `url` as bytes, reporting progress as chunks arrive (totalBytes from Content-Length when given).
 * @throws MsseError naming the URL: a network failure or an HTTP status other than 2xx
 */
export async function fetchBytes(url: string, onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, signal === undefined ? {} : { signal });
  } catch (cause) {
    throw new MsseError(`cannot fetch: ${cause instanceof Error ? cause.message : String(cause)}`, { file: url, cause });
  }
  if (!response.ok) throw new MsseError(`cannot fetch: HTTP ${response.status} ${response.statusText}`.trimEnd(), { file: url });
  const length = Number(response.headers.get('content-length'));
  const totalBytes = Number.isInteger(length) && length > 0 ? length : undefined;
  if (response.body === null) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loadedBytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loadedBytes += value.length;
    onProgress?.({ loadedBytes, totalBytes });
  }
  const bytes = new Uint8Array(loadedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
