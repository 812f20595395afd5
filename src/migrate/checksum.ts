import { createHash } from 'node:crypto';

/** Prisma's checksum of a migration script: SHA-256 of the file's text, lowercase hex (64 characters). */
export function scriptChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Whether a recorded checksum matches a script the way Prisma decides it: the script as it is,
 * with CRLF line endings turned into LF, or LF into CRLF (a checkout on another OS), and Prisma's
 * legacy format that printed each byte without zero padding.
 */
export function checksumMatches(recorded: string, script: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll(/\r?\n/g, '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    return recorded === digest.toString('hex') || recorded === unpaddedHex(digest);
  });
}

function unpaddedHex(digest: Buffer): string {
  return [...digest].map((byte) => byte.toString(16)).join('');
}
