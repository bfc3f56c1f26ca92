import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { x509Fingerprint } from './x509-fingerprint.js';

describe('x509 fingerprints', () => {
  // A self-signed certificate made with openssl; `openssl x509 -noout -fingerprint -sha1` gives
  // 23:FE:92:8A:C2:C3:F5:9E:7F:E9:90:24:26:6F:5F:76:38:38:BE:3D.
  const pem = [
    '-----BEGIN CERTIFICATE-----',
    'MIIBgzCCASmgAwIBAgIUXKd8QEWBObZFstGnMQP+zi/4XnswCgYIKoZIzj0EAwIw',
    'FzEVMBMGA1UEAwwMdGVzc2VyYS10ZXN0MB4XDTI2MTEyNDAzNDkyMVoXDTM2MTEy',
    'MTAzNDkyMVowFzEVMBMGA1UEAwwMdGVzc2VyYS10ZXN0MFkwEwYHKoZIzj0CAQYI',
    'KoZIzj0DAQcDQgAELbqUC0KugZEczp6PpXA4pL45eh9p5bPn7b/h8farJM8p5xX8',
    'LH9HM0ZY7WL18eZdkgvvewC8c4eMxXvcp9jNz6NTMFEwHQYDVR0OBBYEFD2Ygeb2',
    '+1OgIpruL/3/f3z+dl+iMB8GA1UdIwQYMBaAFD2Ygeb2+1OgIpruL/3/f3z+dl+i',
    'MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhALnjiG0QvsRY7+RK',
    'pRPCrWavZbNrjhIKiPeUc5I/eaBkAiAIXZ0urHUiB274xAwlI7uinGVm3d33mSYG',
    'QeUyIte9lg==',
    '-----END CERTIFICATE-----',
  ].join('\n');

  it('is the SHA-1 of the certificate in lower-case colon hex, as Nova prints it', () => {
    assert.equal(x509Fingerprint(pem), '23:fe:92:8a:c2:c3:f5:9e:7f:e9:90:24:26:6f:5f:76:38:38:be:3d');
  });

  it('is undefined for anything but a certificate', () => {
    assert.equal(x509Fingerprint('ssh-rsa AAAA'), undefined);
    assert.equal(x509Fingerprint(pem.replace('MIIBgzCC', 'MIIBgzXX')), undefined);
  });
});
