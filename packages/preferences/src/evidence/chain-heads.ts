/**
 * Each contact's last row_hash seen by a verification, keyed by the contact's 16 UUID bytes: an
 * open-addressing table over flat buffers, because a verification of ten million rows looks one up
 * for every row, and a Map keyed by strings cost more there than the rest of the reading thread.
 */
export class ChainHeads {
  private capacity = 1 << 16;
  private keys = Buffer.alloc(this.capacity * 16);
  private hashes = Buffer.alloc(this.capacity * 32);
  private used = new Uint8Array(this.capacity);
  size = 0;

  /** The slot of the contact whose UUID is at `offset` of `bytes`; -1 when it has none yet. */
  find(bytes: Buffer, offset: number): number {
    const mask = this.capacity - 1;
    // UUIDs of versions 4 and 7 both end in random bits.
    let slot = Math.imul(bytes.readUInt32BE(offset + 12) ^ bytes.readUInt32BE(offset + 8), 0x9e3779b1) >>> 0;
    for (slot &= mask; this.used[slot] === 1; slot = (slot + 1) & mask) {
      if (this.keyAt(slot, bytes, offset)) return slot;
    }
    return -1;
  }

  /** The contact's slot, added (with 32 zero bytes, the start of every chain) when it has none. */
  slot(bytes: Buffer, offset: number): number {
    const found = this.find(bytes, offset);
    if (found >= 0) return found;
    if ((this.size + 1) * 2 > this.capacity) this.grow();
    const mask = this.capacity - 1;
    let slot = Math.imul(bytes.readUInt32BE(offset + 12) ^ bytes.readUInt32BE(offset + 8), 0x9e3779b1) >>> 0;
    for (slot &= mask; this.used[slot] === 1; slot = (slot + 1) & mask);
    this.used[slot] = 1;
    bytes.copy(this.keys, slot * 16, offset, offset + 16);
    this.hashes.fill(0, slot * 32, slot * 32 + 32);
    this.size += 1;
    return slot;
  }

  /** Whether the 32 bytes at `offset` of `bytes` are the slot's hash. */
  matches(slot: number, bytes: Uint8Array, offset: number): boolean {
    const hashes = this.hashes;
    for (let index = 0, at = slot * 32; index < 32; index += 1) {
      if (hashes[at + index] !== bytes[offset + index]) return false;
    }
    return true;
  }

  set(slot: number, bytes: Uint8Array, offset: number): void {
    const hashes = this.hashes;
    for (let index = 0, at = slot * 32; index < 32; index += 1) hashes[at + index] = bytes[offset + index]!;
  }

  private keyAt(slot: number, bytes: Uint8Array, offset: number): boolean {
    const keys = this.keys;
    for (let index = 0, at = slot * 16; index < 16; index += 1) {
      if (keys[at + index] !== bytes[offset + index]) return false;
    }
    return true;
  }

  private grow(): void {
    const { keys, hashes, used, capacity } = this;
    this.capacity = capacity * 2;
    this.keys = Buffer.alloc(this.capacity * 16);
    this.hashes = Buffer.alloc(this.capacity * 32);
    this.used = new Uint8Array(this.capacity);
    this.size = 0;
    for (let old = 0; old < capacity; old += 1) {
      if (used[old] !== 1) continue;
      const slot = this.slot(keys, old * 16);
      hashes.copy(this.hashes, slot * 32, old * 32, old * 32 + 32);
    }
  }
}
