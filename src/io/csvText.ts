/**
 * The text of CSV fields: a field's bytes decoded as UTF-8, with `""` read as
 * `"` when the field was quoted; and a cache that decodes short fields once per
 * distinct spelling.
 */

const decoder = new TextDecoder();

/** The text of bytes [s, e), unescaping `""` when `quoted`. */
export function fieldText(b: Uint8Array, s: number, e: number, quoted: number): string {
  const text = decoder.decode(b.subarray(s, e));
  return quoted ? text.replaceAll('""', '"') : text;
}

/** Fields up to this many bytes are decoded once per distinct spelling. */
export const CACHED_LENGTH = 32;

/**
 * The text of short fields, decoded once per distinct (bytes, quoted) pair:
 * categorical columns repeat a few spellings many times, and sharing one
 * string per spelling saves the decoding and the garbage. An open-addressing
 * table keyed on an FNV-1a hash of the field's bytes, holding where the field
 * that first spelled each entry lies.
 */
export class TextCache {
  private starts = new Int32Array(1024).fill(-1);
  private ends = new Int32Array(1024);
  private quoted = new Uint8Array(1024);
  private texts: string[] = new Array(1024);
  private size = 0;

  constructor(private readonly b: Uint8Array) {}

  /** The text of bytes [s, e) (at most CACHED_LENGTH of them), `quoted` or not. */
  text(s: number, e: number, quoted: number): string {
    const mask = this.starts.length - 1;
    for (let k = this.hash(s, e, quoted) & mask; ; k = (k + 1) & mask) {
      if (this.starts[k] < 0) return this.insert(k, s, e, quoted);
      if (this.same(k, s, e, quoted)) return this.texts[k];
    }
  }

  private hash(s: number, e: number, quoted: number): number {
    const b = this.b;
    let h = 0x811c9dc5 ^ quoted;
    for (let p = s; p < e; p++) h = Math.imul(h ^ b[p], 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private same(k: number, s: number, e: number, quoted: number): boolean {
    const b = this.b;
    const sk = this.starts[k];
    const len = e - s;
    if (this.ends[k] - sk !== len || this.quoted[k] !== quoted) return false;
    for (let p = 0; p < len; p++) if (b[s + p] !== b[sk + p]) return false;
    return true;
  }

  private insert(k: number, s: number, e: number, quoted: number): string {
    const text = fieldText(this.b, s, e, quoted);
    this.put(k, s, e, quoted, text);
    if (++this.size * 2 > this.starts.length) this.grow();
    return text;
  }

  private put(k: number, s: number, e: number, quoted: number, text: string): void {
    this.starts[k] = s;
    this.ends[k] = e;
    this.quoted[k] = quoted;
    this.texts[k] = text;
  }

  private grow(): void {
    const { starts, ends, quoted, texts } = this;
    this.starts = new Int32Array(starts.length * 2).fill(-1);
    this.ends = new Int32Array(starts.length * 2);
    this.quoted = new Uint8Array(starts.length * 2);
    this.texts = new Array(starts.length * 2);
    const mask = this.starts.length - 1;
    for (let k = 0; k < starts.length; k++) {
      if (starts[k] < 0) continue;
      let m = this.hash(starts[k], ends[k], quoted[k]) & mask;
      while (this.starts[m] >= 0) m = (m + 1) & mask;
      this.put(m, starts[k], ends[k], quoted[k], texts[k]);
    }
  }
}
