import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateSshKeyPair } from './generate-key-pair.js';
import { parseSshPublicKey, sshFingerprint } from './ssh-public-key.js';

describe('generated key pairs', () => {
  it('are 2048-bit RSA: a PKCS#1 private key and the matching OpenSSH public key with its fingerprint', async () => {
    const k = await generateSshKeyPair();
    assert.match(k.privateKey, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const parsed = parseSshPublicKey(k.publicKey);
    assert.equal(parsed?.type, 'ssh-rsa');
    assert.match(k.publicKey, / Generated-by-Tessera$/);
    assert.equal(k.fingerprint, sshFingerprint(parsed));
    const priv = createPrivateKey(k.privateKey);
    assert.equal(priv.asymmetricKeyDetails?.modulusLength, 2048);
    // The public half in the OpenSSH line is the private key's: a signature made with one verifies with the other.
    const jwk = createPublicKey(priv).export({ format: 'jwk' });
    const fromLine = Buffer.from(k.publicKey.split(' ')[1] as string, 'base64');
    assert.ok(fromLine.includes(Buffer.from(jwk.n as string, 'base64url')), 'the modulus is in the public key line');
    const signature = sign('sha256', Buffer.from('hello'), priv);
    assert.ok(verify('sha256', Buffer.from('hello'), createPublicKey({ key: jwk, format: 'jwk' }), signature));
  });

  it('are different every time', async () => {
    const [a, b] = await Promise.all([generateSshKeyPair(), generateSshKeyPair()]);
    assert.notEqual(a.fingerprint, b.fingerprint);
  });
});
