/** How many hash slots a Redis Cluster has. */
export const CLUSTER_SLOTS = 16_384;

/** CRC-16/XMODEM (polynomial 0x1021), the checksum Redis Cluster hashes keys with. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/**
 * The hash slot of a key, as `CLUSTER KEYSLOT` computes it: CRC-16 of the key modulo 16384, or
 * of its hash tag alone when it has one (the text between its first `{` and the first `}` after
 * it, when that text is not empty).
 *
 * @example
 * keySlot('foo') // 12182
 * keySlot('{user1000}.following') === keySlot('{user1000}.followers') // true
 */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key);
  const open = bytes.indexOf(0x7b);
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % CLUSTER_SLOTS;
  }
  return crc16(bytes) % CLUSTER_SLOTS;
}
