import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { checksumMatches, scriptChecksum } from '../../src/migrate/checksum.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('migration checksums (Prisma-compatible)', () => {
  it('is the lowercase hex SHA-256 of the script', () => {
    expect(scriptChecksum('CREATE TABLE a (id int);\n')).toBe(sha256('CREATE TABLE a (id int);\n'));
    expect(scriptChecksum('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches a script whose line endings changed between LF and CRLF, in both directions', () => {
    const lf = 'SELECT 1;\nSELECT 2;\n';
    const crlf = 'SELECT 1;\r\nSELECT 2;\r\n';
    expect(checksumMatches(scriptChecksum(lf), crlf)).toBe(true);
    expect(checksumMatches(scriptChecksum(crlf), lf)).toBe(true);
  });

  it('does not match an edited script', () => {
    expect(checksumMatches(scriptChecksum('SELECT 1;\n'), 'SELECT 2;\n')).toBe(false);
  });

  it("accepts Prisma's legacy checksums that printed bytes without zero padding", () => {
    const script = 'SELECT 1;\n';
    const digest = createHash('sha256').update(script).digest();
    const legacy = [...digest].map((byte) => byte.toString(16)).join('');
    expect(legacy).not.toBe(scriptChecksum(script)); // this script has bytes below 0x10
    expect(checksumMatches(legacy, script)).toBe(true);
  });
});
