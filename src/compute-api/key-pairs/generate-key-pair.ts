import { generateKeyPair as generate } from 'node:crypto';
import { promisify } from 'node:util';
import { parseSshPublicKey, sshFingerprint, type SshPublicKey } from './ssh-public-key.js';

const generateRsa = promisify(generate);

/** A new key pair: the private key goes to the user once and is never stored. */
export interface GeneratedKeyPair {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
}

/**
 * A new 2048-bit RSA key pair, as Nova makes one: the private key as PKCS#1 PEM ("BEGIN RSA
 * PRIVATE KEY", which every ssh client reads), the public key as an OpenSSH line, and its
 * fingerprint.
 *
 * @example
 * const { privateKey, publicKey } = await generateSshKeyPair(); // publicKey: 'ssh-rsa AAAA... Generated-by-Tessera'
 */
export async function generateSshKeyPair(): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshString(mpint(Buffer.from(jwk.e ?? '', 'base64url'))), sshString(mpint(Buffer.from(jwk.n ?? '', 'base64url')))]);
  const line = `ssh-rsa ${blob.toString('base64')} Generated-by-Tessera`;
  const parsed = parseSshPublicKey(line) as SshPublicKey;
  return { privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicKey: line, fingerprint: sshFingerprint(parsed) };
}

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An unsigned big-endian integer as an SSH mpint: a zero byte in front when its top bit is set. */
function mpint(unsigned: Buffer): Buffer {
  return unsigned.length > 0 && (unsigned[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), unsigned]) : unsigned;
}
