/**
 * GPUBufferUsage and GPUMapMode bits, by the values the WebGPU spec fixes. Browsers define these as globals but
 * Node does not unless Dawn's `globals` are copied onto globalThis, and msse keeps only one global (STYLE.md §6).
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;
