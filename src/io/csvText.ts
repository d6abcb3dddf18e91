/**
 * The text of CSV fields: a field's bytes decoded as UTF-8, with `""` read as
 * `"` when the field was quoted; and a cache that decodes short fields once per
 * distinct spelling.
 *
 * Decoding is strict: bytes that are not UTF-8 throw InvalidUtf8 rather than
 * become U+FFFD, which would make different spellings (Latin-1 `caf\xe9` and
 * `caf\xe8`) one text. Every byte of a field that is not a number is decoded
 * here, and a number is ASCII, so a file read without this error is valid UTF-8;
 * a strict decoder costs no more than a lenient one on valid text.
 */

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Thrown by fieldText for a field, from byte `start`, that is not UTF-8: the reader reports where (csvEncoding.ts). */
export class InvalidUtf8 extends Error {
  constructor(readonly start: number) {
    super('the text is not valid UTF-8');
  }
}

/** The text of bytes [s, e), unescaping `""` when `quoted`. */
export function fieldText(b: Uint8Array, s: number, e: number, quoted: number): string {
  let text: string;
  try {
    text = decoder.decode(b.subarray(s, e));
  } catch {
    throw new InvalidUtf8(s);
  }
  return quoted ? text.replaceAll('""', '"') : text;
}

/** FNV-1a over bytes: start from FNV_START (xor 1 for a quoted field), take each byte with fnvStep, finish with textHash. */
export const FNV_START = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

export function fnvStep(h: number, byte: number): number {
  return Math.imul(h ^ byte, FNV_PRIME);
}

export function textHash(h: number): number {
  return (h ^ (h >>> 15)) >>> 0;
}

/** Fields up to this many bytes are decoded once per distinct spelling. */
export const CACHED_LENGTH = 32;

/**
 * The text of short fields, decoded once per distinct (bytes, quoted) pair:
 * categorical columns repeat a few spellings many times, and sharing one
 * string per spelling saves the decoding and the garbage. An open-addressing
 * table of entries keyed on an FNV-1a hash of the field's bytes; each entry
 * keeps its hash and a copy of its bytes in a compact arena, so that a lookup
 * touches neither the file where the spelling first appeared nor, on growth,
 * hashes any byte again.
 */
export class TextCache {
  /** Entry index per slot, -1 when empty; at most half full. */
  private slots = new Int32Array(1024).fill(-1);
  /** Per entry: its hash, where its bytes lie in `arena`, how many, whether quoted, and its text. */
  private hashes = new Int32Array(512);
  private keyStart = new Int32Array(512);
  private keyLength = new Uint8Array(512);
  private quoted = new Uint8Array(512);
  private texts: string[] = [];
  private arena = new Uint8Array(4096);
  private arenaUsed = 0;

  constructor(private readonly b: Uint8Array) {}

  /** The entry of bytes [s, e) (at most CACHED_LENGTH of them), `quoted` or not: entries are numbered in order of first appearance. */
  entry(s: number, e: number, quoted: number): number {
    let h = FNV_START ^ quoted;
    for (let p = s; p < e; p++) h = fnvStep(h, this.b[p]);
    return this.hashedEntry(s, e, quoted, textHash(h));
  }

  /** The same, given `hash` = textHash of the FNV-1a steps over the bytes from FNV_START ^ quoted. */
  hashedEntry(s: number, e: number, quoted: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let k = hash & mask; ; k = (k + 1) & mask) {
      const entry = this.slots[k];
      if (entry < 0) return this.insert(k, s, e, quoted, hash);
      if (this.hashes[entry] === (hash | 0) && this.same(entry, s, e, quoted)) return entry;
    }
  }

  /** The text of an entry. */
  textOf(entry: number): string {
    return this.texts[entry];
  }

  /** Every entry's text, in entry order. */
  dictionary(): readonly string[] {
    return this.texts;
  }

  private same(entry: number, s: number, e: number, quoted: number): boolean {
    const { b, arena } = this;
    const len = e - s;
    if (this.keyLength[entry] !== len || this.quoted[entry] !== quoted) return false;
    const at = this.keyStart[entry];
    for (let p = 0; p < len; p++) if (b[s + p] !== arena[at + p]) return false;
    return true;
  }

  private insert(k: number, s: number, e: number, quoted: number, hash: number): number {
    const entry = this.texts.length;
    if (entry === this.hashes.length) this.growEntries();
    if (this.arenaUsed + (e - s) > this.arena.length) this.arena = grown(this.arena, 2 * this.arena.length);
    this.arena.set(this.b.subarray(s, e), this.arenaUsed);
    this.hashes[entry] = hash;
    this.keyStart[entry] = this.arenaUsed;
    this.keyLength[entry] = e - s;
    this.quoted[entry] = quoted;
    this.arenaUsed += e - s;
    const text = fieldText(this.b, s, e, quoted);
    this.texts.push(text);
    this.slots[k] = entry;
    if (2 * this.texts.length > this.slots.length) this.growSlots();
    return entry;
  }

  private growEntries(): void {
    const size = 2 * this.hashes.length;
    this.hashes = grown(this.hashes, size);
    this.keyStart = grown(this.keyStart, size);
    this.keyLength = grown(this.keyLength, size);
    this.quoted = grown(this.quoted, size);
  }

  private growSlots(): void {
    const slots = new Int32Array(2 * this.slots.length).fill(-1);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.texts.length; entry++) {
      let k = this.hashes[entry] & mask;
      while (slots[k] >= 0) k = (k + 1) & mask;
      slots[k] = entry;
    }
    this.slots = slots;
  }
}

function grown<T extends Int32Array | Uint8Array>(a: T, size: number): T {
  const g = new (a.constructor as new (n: number) => T)(size);
  g.set(a);
  return g;
}
