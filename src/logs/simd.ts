/**
 * A WebAssembly SIMD filter for the case-insensitive search: 16 positions at a time, it finds where a
 * pattern's first and last letters (either case) stand at the pattern's distance, which in log text is
 * rare outside real matches; search.ts checks the bytes between. JavaScript cannot compare 16 bytes at
 * once, and the Horspool search it can do moves only a few bytes per step for "mismatch", whose letters
 * are all common. Text is copied into the module's memory once per region (a memcpy).
 */

/** Bytes after the last SIMD block the caller still has to search itself. */
const BLOCK = 16;

export interface PairFilter {
  /** Copies `text` into the module's memory (growing it to the largest text seen); later calls of next() search it. */
  load(text: Uint8Array): void;
  /**
   * The first position p in [from, to - distance - BLOCK] where both letters stand (a candidate), or
   * -1 - q when there is none before q: positions from q on were not looked at.
   */
  next(from: number, to: number): number;
}

/** The filter for a lower-case ASCII `first` and `last` letter `distance` bytes apart, or null without WebAssembly SIMD. */
export function pairFilter(first: number, last: number, distance: number): PairFilter | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new wasm.Instance(new wasm.Module(module(first, last, distance)));
    const memory = instance.exports.mem as WasmMemory;
    const find = instance.exports.find as (from: number, to: number) => number;
    return {
      load(text) {
        const need = Math.ceil((text.length + BLOCK * 2) / 65536) - memory.buffer.byteLength / 65536;
        if (need > 0) memory.grow(need); // throws past 4 GiB: search.ts then searches without the filter
        new Uint8Array(memory.buffer, 0, text.length).set(text);
      },
      next: find,
    };
  } catch {
    return null; // no SIMD in this engine: search.ts uses its Horspool search alone
  }
}

/** The little of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const splat = (byte: number): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(byte)];

/**
 * (func $find (param $i i32) (param $end i32) (result i32) (local $mask i32)
 *   loop while $i + distance + 16 <= $end:
 *     mask = bitmask((load($i) | 0x20) == first & (load($i + distance) | 0x20) == last)
 *     if mask: return $i + ctz(mask)
 *     $i += 16
 *   return -1 - $i)
 */
function module(first: number, last: number, distance: number): Uint8Array {
  const code = [
    0x01, 0x01, 0x7f, // one i32 local ($mask)
    0x02, 0x40, // block
    0x03, 0x40, // loop
    0x20, 0x00, 0x41, ...sleb(distance + BLOCK), 0x6a, 0x20, 0x01, 0x4b, 0x0d, 0x01, // br_if out when $i + d + 16 > $end
    0x20, 0x00, 0xfd, 0x00, 0x00, 0x00, ...splat(0x20), 0xfd, 0x50, ...splat(first), 0xfd, 0x23,
    0x20, 0x00, 0xfd, 0x00, 0x00, ...leb(distance), ...splat(0x20), 0xfd, 0x50, ...splat(last), 0xfd, 0x23,
    0xfd, 0x4e, 0xfd, 0x64, 0x22, 0x02, // v128.and, i8x16.bitmask, local.tee $mask
    0x04, 0x40, 0x20, 0x00, 0x20, 0x02, 0x68, 0x6a, 0x0f, 0x0b, // if: return $i + ctz($mask)
    0x20, 0x00, 0x41, BLOCK, 0x6a, 0x21, 0x00, // $i += 16
    0x0c, 0x00, 0x0b, 0x0b, // br loop, end loop, end block
    0x41, 0x7f, 0x20, 0x00, 0x6b, // -1 - $i
    0x0b,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]),
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x05]),
    ...section(7, [0x02, 0x04, 0x66, 0x69, 0x6e, 0x64, 0x00, 0x00, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00]),
    ...section(10, [0x01, ...leb(code.length), ...code]),
  ]);
}

/** Signed LEB128 for the small positive constants used here. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
