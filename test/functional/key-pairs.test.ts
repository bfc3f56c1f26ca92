/**
 * Key pairs over HTTP on the whole cloud: generate and import (ssh and x509) per microversion,
 * list with paging, show, delete, names, per-user isolation and the administrator's `user_id`,
 * the `key_pairs` quota, and booting with `key_name`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { assertNovaError, C, imageId, postServer } from './helpers.js';
import { whoIs } from './who-is.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are untyped JSON */

// Made with ssh-keygen; `ssh-keygen -l -E md5` prints this fingerprint.
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICIPIut9Xb+CfGajzX9XHRyHPPV1H8aGwdkzDaFxe14L me@host';
const ED25519_FINGERPRINT = '7c:87:f3:4d:37:41:c5:d9:87:0f:0c:bc:5e:f1:a3:00';
// Made with openssl; its SHA-1 fingerprint is 23:FE:92:...:3D.
const CERTIFICATE = [
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

describe('key pairs', () => {
  let t: TestCloud;
  let image: string;
  let member: { projectId: string; userId: string };
  let admin: { projectId: string; userId: string };

  const create = (keypair: Record<string, unknown>, mv?: string, client = t.member) => client.withMicroversion(mv).post(`${C}/os-keypairs`, { keypair });
  const listNames = async (mv?: string, client = t.member, query = ''): Promise<string[]> => {
    const res = await client.withMicroversion(mv).get(`${C}/os-keypairs${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.keypairs as { keypair: { name: string } }[]).map((k) => k.keypair.name);
  };

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
    member = await whoIs(t.url, 'demo', 'demo-secret');
    admin = await whoIs(t.url, 'admin', 'admin-secret');
  });
  after(async () => {
    await t?.stop();
  });

  it('generates a key pair at 2.1 (200) and hands back its private key once', async () => {
    const res = await create({ name: 'gen1' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const k = res.body.keypair;
    assert.deepEqual(Object.keys(k).sort(), ['fingerprint', 'name', 'private_key', 'public_key', 'user_id']);
    assert.equal(k.name, 'gen1');
    assert.equal(k.user_id, member.userId);
    assert.match(k.private_key, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.match(k.public_key, /^ssh-rsa AAAA/);
    assert.match(k.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const shown = await t.member.get(`${C}/os-keypairs/gen1`);
    assert.equal(shown.status, 200);
    assert.equal('private_key' in shown.body.keypair, false, 'the private key is not kept');
    assert.equal(shown.body.keypair.public_key, k.public_key);
    assert.equal(shown.body.keypair.fingerprint, k.fingerprint);
  });

  it('from 2.2 answers 201 with the type, and imports an OpenSSH key with Nova\'s fingerprint', async () => {
    const generated = await create({ name: 'gen2' }, '2.2');
    assert.equal(generated.status, 201, JSON.stringify(generated.body));
    assert.equal(generated.body.keypair.type, 'ssh');
    const imported = await create({ name: 'laptop', public_key: ED25519 }, '2.2');
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    assert.deepEqual(imported.body.keypair, { name: 'laptop', public_key: ED25519, fingerprint: ED25519_FINGERPRINT, type: 'ssh', user_id: member.userId });
  });

  it('imports an x509 certificate, and refuses to generate one', async () => {
    const res = await create({ name: 'winrm', type: 'x509', public_key: CERTIFICATE }, '2.2');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.keypair.type, 'x509');
    assert.equal(res.body.keypair.fingerprint, '23:fe:92:8a:c2:c3:f5:9e:7f:e9:90:24:26:6f:5f:76:38:38:be:3d');
    assertNovaError(await create({ name: 'winrm2', type: 'x509' }, '2.2'), 400, 'badRequest');
    assertNovaError(await create({ name: 'winrm3', type: 'x509', public_key: ED25519 }, '2.2'), 400, 'badRequest');
    // `type` is unknown below 2.2.
    assertNovaError(await create({ name: 'typed', type: 'ssh' }), 400, 'badRequest');
  });

  it('refuses bad public keys, bad names and duplicates, creating nothing', async () => {
    const before = await listNames();
    const message = assertNovaError(await create({ name: 'broken', public_key: 'ssh-rsa not-a-key' }), 400, 'badRequest');
    assert.equal(message, 'Keypair data is invalid: failed to generate fingerprint');
    for (const name of ['', ' lead', 'trail ', 'a/b', 'x'.repeat(256), 'me@host', 'a.b']) {
      assertNovaError(await create({ name, public_key: ED25519 }), 400, 'badRequest');
    }
    assert.equal(assertNovaError(await create({ name: 'laptop', public_key: ED25519 }), 409, 'conflictingRequest'), "Key pair 'laptop' already exists.");
    assertNovaError(await create({ name: 'extra', public_key: ED25519, other: 1 }), 400, 'badRequest');
    assert.deepEqual(await listNames(), before);
  });

  it('takes names with @ and . from 2.92, where a public key is required', async () => {
    const res = await create({ name: 'me@host.example', public_key: ED25519 }, '2.92');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal('private_key' in res.body.keypair, false);
    assertNovaError(await create({ name: 'no-key' }, '2.92'), 400, 'badRequest');
    assert.equal((await t.member.withMicroversion('2.92').delete(`${C}/os-keypairs/${encodeURIComponent('me@host.example')}`)).status, 204);
  });

  it('lists the user\'s key pairs: type from 2.2, paging with limit and marker from 2.35', async () => {
    const at21 = await t.member.get(`${C}/os-keypairs`);
    assert.deepEqual(Object.keys(at21.body.keypairs[0].keypair).sort(), ['fingerprint', 'name', 'public_key']);
    assert.deepEqual(await listNames(), ['gen1', 'gen2', 'laptop', 'winrm']);
    const at22 = await t.member.withMicroversion('2.2').get(`${C}/os-keypairs`);
    assert.deepEqual(Object.keys(at22.body.keypairs[0].keypair).sort(), ['fingerprint', 'name', 'public_key', 'type']);

    const page = await t.member.withMicroversion('2.35').get(`${C}/os-keypairs?limit=2`);
    assert.deepEqual((page.body.keypairs as any[]).map((k) => k.keypair.name), ['gen1', 'gen2']);
    const next = page.body.keypairs_links?.[0];
    assert.equal(next?.rel, 'next');
    assert.ok((next.href as string).startsWith(`${t.url}/compute/v2.1/os-keypairs?`), next.href);
    const nextQuery = new URL(next.href as string).search;
    assert.deepEqual(await listNames('2.35', t.member, nextQuery), ['laptop', 'winrm']);
    const last = await t.member.withMicroversion('2.35').get(`${C}/os-keypairs?marker=winrm`);
    assert.deepEqual(last.body, { keypairs: [] });
    // Below 2.35 the parameters mean nothing; from 2.35 an unknown marker is a 400.
    assert.deepEqual(await listNames(undefined, t.member, '?limit=1'), ['gen1', 'gen2', 'laptop', 'winrm']);
    assertNovaError(await t.member.withMicroversion('2.35').get(`${C}/os-keypairs?marker=nope`), 400, 'badRequest');
    assertNovaError(await t.member.withMicroversion('2.35').get(`${C}/os-keypairs?limit=-1`), 400, 'badRequest');
  });

  it('shows one key pair with Nova\'s fields, 404 for a name the user does not have', async () => {
    const res = await t.member.withMicroversion('2.2').get(`${C}/os-keypairs/laptop`);
    assert.equal(res.status, 200);
    const k = res.body.keypair;
    assert.deepEqual(Object.keys(k).sort(), ['created_at', 'deleted', 'deleted_at', 'fingerprint', 'id', 'name', 'public_key', 'type', 'updated_at', 'user_id']);
    assert.equal(k.deleted, false);
    assert.equal(k.deleted_at, null);
    assert.equal(k.updated_at, null);
    assert.equal(typeof k.id, 'number');
    assert.match(k.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    assert.equal(assertNovaError(await t.member.get(`${C}/os-keypairs/nope`), 404, 'itemNotFound'), `Keypair nope not found for user ${member.userId}`);
  });

  it('keeps users apart; an administrator may name another user from 2.10', async () => {
    assert.equal((await create({ name: 'laptop', public_key: ED25519 }, '2.2', t.admin)).status, 201, 'another user may use the same name');
    assert.equal((await create({ name: 'admin-only', public_key: ED25519 }, '2.2', t.admin)).status, 201);
    assertNovaError(await t.member.get(`${C}/os-keypairs/admin-only`), 404, 'itemNotFound');
    assertNovaError(await t.member.withMicroversion('2.10').get(`${C}/os-keypairs?user_id=${admin.userId}`), 403, 'forbidden');
    assertNovaError(await t.member.withMicroversion('2.10').get(`${C}/os-keypairs/admin-only?user_id=${admin.userId}`), 403, 'forbidden');
    assertNovaError(await t.member.withMicroversion('2.10').delete(`${C}/os-keypairs/admin-only?user_id=${admin.userId}`), 403, 'forbidden');
    assertNovaError(await create({ name: 'planted', public_key: ED25519, user_id: admin.userId }, '2.10'), 403, 'forbidden');
    // Below 2.10 user_id is not a parameter: the caller's own key pairs.
    assert.deepEqual(await listNames('2.9', t.member, `?user_id=${admin.userId}`), ['gen1', 'gen2', 'laptop', 'winrm']);

    assert.deepEqual(await listNames('2.10', t.admin, `?user_id=${member.userId}`), ['gen1', 'gen2', 'laptop', 'winrm']);
    const forMember = await create({ name: 'given', public_key: ED25519, user_id: member.userId }, '2.10', t.admin);
    assert.equal(forMember.status, 201, JSON.stringify(forMember.body));
    assert.equal(forMember.body.keypair.user_id, member.userId);
    assert.ok((await listNames()).includes('given'));
    assert.equal((await t.admin.withMicroversion('2.10').delete(`${C}/os-keypairs/given?user_id=${member.userId}`)).status, 204);
    assert.equal((await listNames()).includes('given'), false);
  });

  it('deletes with 202 at 2.1 and 204 from 2.2; a second delete is a 404', async () => {
    assert.equal((await t.member.delete(`${C}/os-keypairs/gen1`)).status, 202);
    assert.equal((await t.member.withMicroversion('2.2').delete(`${C}/os-keypairs/gen2`)).status, 204);
    assertNovaError(await t.member.delete(`${C}/os-keypairs/gen2`), 404, 'itemNotFound');
    assert.deepEqual(await listNames(), ['laptop', 'winrm']);
  });

  it('refuses a key pair past the key_pairs quota, counted per user', async () => {
    const set = await t.admin.put(`${C}/os-quota-sets/${member.projectId}`, { quota_set: { key_pairs: 3 } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal((await create({ name: 'third', public_key: ED25519 })).status, 200);
    assert.equal(assertNovaError(await create({ name: 'fourth', public_key: ED25519 }), 403, 'forbidden'), 'Quota exceeded, too many key pairs.');
    assert.equal(assertNovaError(await create({ name: 'fourth' }), 403, 'forbidden'), 'Quota exceeded, too many key pairs.');
    assert.deepEqual(await listNames(), ['laptop', 'third', 'winrm']);
    assert.equal((await t.member.get(`${C}/limits`)).body.limits.absolute.maxTotalKeypairs, 3);
    // The admin's project keeps the default.
    assert.equal((await create({ name: 'k3', public_key: ED25519 }, undefined, t.admin)).status, 200);
  });

  it('boots with a key_name of the caller\'s, shows it, and refuses one the caller does not have', async () => {
    const message = assertNovaError(await postServer(t.member, { name: 'keyless', imageRef: image, extra: { key_name: 'admin-only' } }), 400, 'badRequest');
    assert.equal(message, 'Invalid key_name provided.');
    const res = await postServer(t.member, { name: 'keyed', imageRef: image, extra: { key_name: 'laptop' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id = res.body.server.id as string;
    const building = await t.member.get(`${C}/servers/${id}`);
    assert.equal(building.body.server.key_name, 'laptop');
    const active = await waitForStatus(t.member, id, 'ACTIVE');
    assert.equal(active['key_name'], 'laptop');
    // The server keeps its key_name when the key pair goes, as in Nova.
    assert.equal((await t.member.delete(`${C}/os-keypairs/laptop`)).status, 202);
    assert.equal((await t.member.get(`${C}/servers/${id}`)).body.server.key_name, 'laptop');
    const listed = await t.member.get(`${C}/servers/detail`);
    assert.equal((listed.body.servers as any[]).find((s) => s.id === id)?.key_name, 'laptop');
  });
});
