import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonicalJson';

/**
 * Byte length of a string encoded as UTF-8 (what size limits on canonical JSON count).
 *
 * @public
 */
export function utf8ByteLength(text: string): number {
  return utf8ToBytes(text).length;
}

/**
 * `sha256:` + lowercase hex SHA-256 of the UTF-8 canonical JSON of a value (§6).
 *
 * @public
 */
export function fingerprint(value: unknown): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalJson(value))))}`;
}
