import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';

/** An OpenSSH public key line that parsed: its algorithm and its binary blob. */
export interface SshPublicKey {
  type: string;
  blob: Buffer;
}

const EC_CURVES: Record<string, { jwk: string; bytes: number }> = {
  nistp256: { jwk: 'P-256', bytes: 32 },
  nistp384: { jwk: 'P-384', bytes: 48 },
  nistp521: { jwk: 'P-521', bytes: 66 },
};

/**
 * Parses an OpenSSH public key line (`ssh-ed25519 AAAA... comment`): the blob must be base64 of
 * the wire form of a key of the algorithm named, with nothing left over, and RSA, ECDSA and
 * Ed25519 keys must load as keys (an ECDSA point must be on its curve). The algorithms are those
 * Nova's parser (pyca/cryptography's `load_ssh_public_key`) takes: ssh-rsa, ssh-dss,
 * ecdsa-sha2-nistp256/384/521, ssh-ed25519, and the security-key variants of the last two.
 * Returns undefined for anything else.
 *
 * @example
 * parseSshPublicKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... me@host')?.type; // 'ssh-ed25519'
 */
export function parseSshPublicKey(line: string): SshPublicKey | undefined {
  const parts = line.trim().split(/\s+/);
  const [type, data] = parts;
  if (type === undefined || data === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return undefined;
  const blob = Buffer.from(data, 'base64');
  try {
    const reader = new WireReader(blob);
    if (reader.string().toString('latin1') !== type) return undefined;
    if (!readKeyBody(reader, type)) return undefined;
    if (!reader.done()) return undefined;
  } catch {
    return undefined;
  }
  return { type, blob };
}

/**
 * Nova's fingerprint of an OpenSSH public key: the MD5 of its blob in colon-separated hex pairs.
 *
 * @example
 * sshFingerprint(key); // '1e:2c:9b:56:79:4b:45:77:f9:ca:7a:98:2c:b0:d5:3c'
 */
export function sshFingerprint(key: SshPublicKey): string {
  return colonHex(createHash('md5').update(key.blob).digest());
}

/** Bytes as lower-case hex pairs joined by colons, the way Nova prints fingerprints. */
export function colonHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1:');
}

function readKeyBody(reader: WireReader, type: string): boolean {
  switch (type) {
    case 'ssh-rsa': {
      const e = reader.mpint();
      const n = reader.mpint();
      return loads({ kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') });
    }
    case 'ssh-dss': {
      const values = [reader.mpint(), reader.mpint(), reader.mpint(), reader.mpint()];
      return values.every((v) => v.length > 0);
    }
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      const ok = ed25519(reader.string());
      if (type.startsWith('sk-')) reader.string();
      return ok;
    }
    default: {
      const m = /^(sk-)?ecdsa-sha2-(nistp256|nistp384|nistp521)(@openssh\.com)?$/.exec(type);
      if (m === null || (m[1] === undefined) !== (m[3] === undefined) || (m[1] !== undefined && m[2] !== 'nistp256')) return false;
      const curve = EC_CURVES[m[2] as string] as { jwk: string; bytes: number };
      if (reader.string().toString('latin1') !== m[2]) return false;
      const point = reader.string();
      if (m[1] !== undefined) reader.string();
      if (point.length !== 1 + 2 * curve.bytes || point[0] !== 4) return false;
      const x = point.subarray(1, 1 + curve.bytes).toString('base64url');
      const y = point.subarray(1 + curve.bytes).toString('base64url');
      return loads({ kty: 'EC', crv: curve.jwk, x, y });
    }
  }
}

function ed25519(key: Buffer): boolean {
  return key.length === 32 && loads({ kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') });
}

function loads(jwk: JsonWebKey): boolean {
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}

/** Reads the SSH wire encoding (RFC 4251): uint32-length-prefixed strings and mpints. */
class WireReader {
  private offset = 0;

  constructor(private readonly buf: Buffer) {}

  string(): Buffer {
    if (this.offset + 4 > this.buf.length) throw new RangeError('truncated');
    const length = this.buf.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.buf.length) throw new RangeError('truncated');
    this.offset = start + length;
    return this.buf.subarray(start, start + length);
  }

  /** A positive mpint, as its unsigned big-endian bytes without leading zeros. */
  mpint(): Buffer {
    const raw = this.string();
    if (raw.length > 0 && (raw[0] as number) & 0x80) throw new RangeError('negative mpint');
    let i = 0;
    while (i < raw.length && raw[i] === 0) i++;
    return raw.subarray(i);
  }

  done(): boolean {
    return this.offset === this.buf.length;
  }
}
