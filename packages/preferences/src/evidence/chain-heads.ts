/**
 * Each contact's last row_hash seen by a verification, keyed by the contact's 16 UUID bytes: an
 * open-addressing table in one flat buffer, because a verification of ten million rows looks one up
 * for every row, and a Map keyed by strings cost more there than the rest of the reading thread.
 * A contact's record is one 64-byte cache line (its UUID, its hash, a used mark): with a million
 * contacts the table is far larger than the CPU's caches, and each look-up then costs one miss.
 */
const RECORD = 64;
const HASH_AT = 16;
const USED_AT = 48;

export class ChainHeads {
  private capacity = 1 << 16;
  private records = Buffer.alloc(this.capacity * RECORD);
  size = 0;

  /** The record of the contact whose UUID is at `offset` of `bytes`; -1 when it has none yet. */
  find(bytes: Uint8Array, offset: number): number {
    const mask = this.capacity - 1;
    for (let slot = this.home(bytes, offset) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * RECORD;
      if (this.records[at + USED_AT] !== 1) return -1;
      if (this.keyAt(at, bytes, offset)) return at;
    }
  }

  /** The contact's record, added (with 32 zero bytes, the start of every chain) when it has none. */
  slot(bytes: Uint8Array, offset: number): number {
    const mask = this.capacity - 1;
    for (let slot = this.home(bytes, offset) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * RECORD;
      if (this.records[at + USED_AT] !== 1) {
        if ((this.size + 1) * 2 > this.capacity) {
          this.grow();
          return this.slot(bytes, offset);
        }
        const records = this.records;
        for (let index = 0; index < 16; index += 1) records[at + index] = bytes[offset + index]!;
        records[at + USED_AT] = 1;
        this.size += 1;
        return at;
      }
      if (this.keyAt(at, bytes, offset)) return at;
    }
  }

  /** Whether the 32 bytes at `offset` of `bytes` are the record's hash. */
  matches(record: number, bytes: Uint8Array, offset: number): boolean {
    const records = this.records;
    for (let index = 0, at = record + HASH_AT; index < 32; index += 1) {
      if (records[at + index] !== bytes[offset + index]) return false;
    }
    return true;
  }

  set(record: number, bytes: Uint8Array, offset: number): void {
    const records = this.records;
    for (let index = 0, at = record + HASH_AT; index < 32; index += 1)
      records[at + index] = bytes[offset + index]!;
  }

  /** UUIDs of versions 4 and 7 both end in random bits. */
  private home(bytes: Uint8Array, offset: number): number {
    const word =
      ((bytes[offset + 12]! << 24) |
        (bytes[offset + 13]! << 16) |
        (bytes[offset + 14]! << 8) |
        bytes[offset + 15]!) ^
      ((bytes[offset + 8]! << 24) |
        (bytes[offset + 9]! << 16) |
        (bytes[offset + 10]! << 8) |
        bytes[offset + 11]!);
    return Math.imul(word, 0x9e3779b1) >>> 0;
  }

  private keyAt(at: number, bytes: Uint8Array, offset: number): boolean {
    const records = this.records;
    for (let index = 0; index < 16; index += 1) {
      if (records[at + index] !== bytes[offset + index]) return false;
    }
    return true;
  }

  private grow(): void {
    const { records, capacity } = this;
    this.capacity = capacity * 2;
    this.records = Buffer.alloc(this.capacity * RECORD);
    this.size = 0;
    for (let at = 0; at < capacity * RECORD; at += RECORD) {
      if (records[at + USED_AT] !== 1) continue;
      this.set(this.slot(records, at), records, at + HASH_AT);
    }
  }
}
