import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSshPublicKey, sshFingerprint } from './ssh-public-key.js';

// Keys made with OpenSSH's ssh-keygen; fingerprints from `ssh-keygen -l -E md5`.
const KEYS: Record<string, { line: string; fingerprint: string }> = {
  'ssh-ed25519': {
    line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICIPIut9Xb+CfGajzX9XHRyHPPV1H8aGwdkzDaFxe14L me@host',
    fingerprint: '7c:87:f3:4d:37:41:c5:d9:87:0f:0c:bc:5e:f1:a3:00',
  },
  'ecdsa-sha2-nistp256': {
    line: 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBF3NJ369m+tH3Ri91FcMC2963v95TiJYn2VVpqtMCBzexvvj/HElInbFS0TXmWTs68nfcNjaBtVf+6jUR4fj+WU= me@host',
    fingerprint: '47:9b:41:f2:62:e9:48:27:c8:a5:28:54:ec:b1:13:94',
  },
  'ecdsa-sha2-nistp521': {
    line: 'ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAH4Q6F50HH5sTv34MinOUmTcKUuFV/gnGAhvCT/p2ZdUacWfQZAtE+3IJUVeYB4MZ/TCZMGZQ1wlTKsuugSZOM1qACThFL7zQmlLMA+SkR6iiPVbzk/f/Fw04rUb1cfL71kYYXGSDq3soRljeGIjAoi2Ff/9B01Cso69vVDUwR4y1tHvg== x y z',
    fingerprint: '72:a7:95:0e:60:24:ef:ed:bc:7c:27:2f:ab:fa:88:f7',
  },
  'ssh-rsa': {
    line:
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDX4tITZ7mNu8Cfo15lsK2+xJ/ymrCHsxPACACvpD0tKCPcqiaJB7/SrTUwaEL4olVSvS2Bm5WzgaWvGAw9xJXuc5bkIo5U+IJd1q+UxZAkZv7rl7rQ0ALO2mTW6cDQ86tAXX/A//0GbhHB9DVpwxd303AXwc+WzRpqtTOb+na419HiU8wRGDi1lMPq8EvB5xmhTI4QzeXPN10cYtDTG1GQFMFxU2/TYU1Hs5Qab918ZoAX2lkfosjL3HQ2lTTzd1M2UU/m73ut/nz1hXA92CWU+OAu5mctzBPxao9KkAy+MFdyms+IoZwwEkzerl5AfeaiiYdTvZrYRQzyFeDFppXLs1jwiWP6L80dlI1OX2NhqXOvomNk/LdaqLT8GB7cfqYOSmHyXUu6G62YyOROGwaGzJqztd86cxRiqUxXarGBfrkVK/suBqjEsvU+MgvgWAaclVoxVtyhkIqszO7C3mcNLgL2OuWQmnJsupiqVjKQUO6hh1JeGbqqXtr7kU+IMcE= me@host',
    fingerprint: '89:e4:20:38:97:02:1f:ba:50:5f:d1:87:2f:27:ae:81',
  },
  'ssh-dss': {
    line:
      'ssh-dss AAAAB3NzaC1kc3MAAACBAM4J4D2f6ssX1wP5XGEzC8JIN8PpndCAmRDlu2UNXcgOkexB3A/4mpx6wRwEaOdk1Y/OUaLGI5xSDczBIjrVCPYc1nthWDGKWmlD3HjmdOP1kULe0PfpgvwLOj6CnluAZUpX/qopHCAITOAZ2tlc8wDITwiT0UfJ4u8GM+/j0ZPBAAAAFQDvWV/Gnd8hAyG6QzxIIz7QPHF9RwAAAIBex9epC8E+r7XjWBUOpzr/ZoQlOBXT8EgzTEdxZhjF1jWotwSUbVukwemeTX5nV6WS7omlgSXWlw904taB6uwOtRvLnI5vsWV1lR1pmIk5rzdVPPtUABOFCmNseHNR000K+01QtUxKAFxOhHtRs0+nMcebW3HXf4kq4De9sfFioQAAAIEAj6GUyjgQChG0ihS/iGmNkhwnb3WG5C4CoKD3E2FFGM2lOPwZtBCn/LTigx9upLYGVPQHkINnQE5mdIP8rEPzxz5eTM7+tut19kvf7hORBz6YCn0Pb/ayBUlthFKitoZT1cW5oLDIUjy/FJID3o+mxDcs1xHOpdeGgvG6T2fKKHQ= root@vm',
    fingerprint: '13:2e:21:50:54:52:f7:a2:00:c1:2f:d3:c4:88:c6:c0',
  },
};

const ed25519 = KEYS['ssh-ed25519'] as { line: string };
const ecdsa = KEYS['ecdsa-sha2-nistp256'] as { line: string };

/** The key line with its blob changed by `edit`. */
function withBlob(line: string, edit: (blob: Buffer) => Buffer): string {
  const [type, data, ...rest] = line.split(' ');
  return [type, edit(Buffer.from(data as string, 'base64')).toString('base64'), ...rest].join(' ');
}

describe('OpenSSH public keys', () => {
  for (const [type, key] of Object.entries(KEYS)) {
    it(`parses a ${type} key and fingerprints it as ssh-keygen -E md5 does`, () => {
      const parsed = parseSshPublicKey(key.line);
      assert.equal(parsed?.type, type);
      assert.equal(sshFingerprint(parsed), key.fingerprint);
    });
  }

  it('takes a key without a comment, and surrounding whitespace', () => {
    const bare = ed25519.line.split(' ').slice(0, 2).join(' ');
    assert.equal(sshFingerprint(parseSshPublicKey(`  ${bare}\n`) as never), KEYS['ssh-ed25519']?.fingerprint);
  });

  it('refuses what is not an OpenSSH public key', () => {
    const refused = [
      '',
      'ssh-ed25519',
      'not-a-key AAAA',
      'ssh-ed25519 not/base64!',
      // The algorithm in front does not match the one in the blob.
      ed25519.line.replace('ssh-ed25519', 'ssh-rsa'),
      // Truncated, and with bytes left over.
      withBlob(ed25519.line, (b) => b.subarray(0, b.length - 1)),
      withBlob(ed25519.line, (b) => Buffer.concat([b, Buffer.from([0, 0, 0, 0])])),
      // A P-256 point that is not on the curve.
      withBlob(ecdsa.line, (b) => {
        const c = Buffer.from(b);
        c[c.length - 1] = (c[c.length - 1] as number) ^ 1;
        return c;
      }),
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----',
    ];
    for (const line of refused) assert.equal(parseSshPublicKey(line), undefined, JSON.stringify(line));
  });
});
