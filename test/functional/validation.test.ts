import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCloud, waitForStatus, type TestCloud } from '../fixtures/test-cloud.js';
import { allServerIds, assertNovaError, C, createServer, imageId, rawRequest, sleep } from './helpers.js';

describe('POST /servers input validation', () => {
  let t: TestCloud;
  let image: string;
  let existing: string;

  const good = (): Record<string, unknown> => ({ name: 'valid', imageRef: image, flavorRef: '1', networks: 'none' });
  const post = (body: unknown, mv = '2.37') => t.member.withMicroversion(mv).post(`${C}/servers`, body);

  /** Asserts that the request is refused with a Nova-shaped 400 and creates nothing; returns the message. */
  async function refused(send: () => Promise<{ status: number; headers: Headers; body: unknown }>): Promise<string> {
    const before = (await allServerIds(t.admin)).sort();
    const res = await send();
    const message = assertNovaError(res, 400, 'badRequest');
    await sleep(20); // a cast that should not have happened would show by now
    assert.deepEqual((await allServerIds(t.admin)).sort(), before, 'a refused request creates nothing');
    return message;
  }

  before(async () => {
    t = await startTestCloud();
    image = await imageId(t.admin);
    existing = await createServer(t.member, { name: 'pre-existing', imageRef: image });
    await waitForStatus(t.member, existing, 'ACTIVE');
  });
  after(async () => {
    await t?.stop();
  });

  it('the valid body used as a base is accepted', async () => {
    const res = await post({ server: { ...good(), name: 'the-valid-one' } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitForStatus(t.member, res.body.server.id as string, 'ACTIVE');
  });

  it('unknown flavorRef', async () => {
    const message = await refused(() => post({ server: { ...good(), flavorRef: 'no-such-flavor' } }));
    assert.match(message, /flavorRef/);
  });

  it('malformed imageRef', async () => {
    const message = await refused(() => post({ server: { ...good(), imageRef: 'not-a-uuid' } }));
    assert.match(message, /imageRef/);
    assert.match(message, /not-a-uuid/);
  });

  it('unknown image uuid', async () => {
    const message = await refused(() => post({ server: { ...good(), imageRef: '11111111-2222-4333-8444-555555555555' } }));
    assert.match(message, /image/i);
  });

  it('a name of 256 characters', async () => {
    const message = await refused(() => post({ server: { ...good(), name: 'x'.repeat(256) } }));
    assert.match(message, /name/);
    assert.match(message, /too long/);
  });

  it('a name of 255 characters is fine', async () => {
    const res = await post({ server: { ...good(), name: 'y'.repeat(255) } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitForStatus(t.member, res.body.server.id as string, 'ACTIVE');
  });

  it('an empty name, and one with leading whitespace', async () => {
    assert.match(await refused(() => post({ server: { ...good(), name: '' } })), /name/);
    assert.match(await refused(() => post({ server: { ...good(), name: ' padded' } })), /name/);
  });

  it('an unknown field in server', async () => {
    const message = await refused(() => post({ server: { ...good(), bogus_field: 1 } }));
    assert.match(message, /bogus_field/);
  });

  it('an unknown top-level field', async () => {
    const message = await refused(() => post({ server: good(), bogus_top: true }));
    assert.match(message, /bogus_top/);
  });

  it('a missing name', async () => {
    const { name: _omit, ...rest } = good();
    const message = await refused(() => post({ server: rest }));
    assert.match(message, /name/);
  });

  it('a missing server object', async () => {
    const message = await refused(() => post({}));
    assert.match(message, /server/);
  });

  it('networks missing at 2.37', async () => {
    const { networks: _omit, ...rest } = good();
    const message = await refused(() => post({ server: rest }, '2.37'));
    assert.match(message, /networks/);
  });

  it('networks may be omitted at 2.1', async () => {
    const { networks: _omit, ...rest } = good();
    const res = await post({ server: { ...rest, name: 'no-networks-2.1' } }, '2.1');
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitForStatus(t.member, res.body.server.id as string, 'ACTIVE');
  });

  it('networks "none" is refused at 2.36', async () => {
    const message = await refused(() => post({ server: good() }, '2.36'));
    assert.match(message, /networks/);
  });

  it('an invalid JSON body', async () => {
    const message = await refused(() =>
      rawRequest(t.member, 'POST', `${C}/servers`, '{"server": {"name": "broken",', {
        'X-Auth-Token': t.member.token,
        'Content-Type': 'application/json',
        'OpenStack-API-Version': 'compute 2.37',
      }),
    );
    assert.ok(message.length > 0);
  });

  it('a body that is not an object', async () => {
    await refused(() => post(['server']));
    await refused(() => post('server'));
  });

  it('min_count greater than max_count', async () => {
    const message = await refused(() => post({ server: { ...good(), min_count: 3, max_count: 2 } }));
    assert.match(message, /min_count/);
  });

  it('min_count of 0 and a non-numeric max_count', async () => {
    assert.match(await refused(() => post({ server: { ...good(), min_count: 0 } })), /min_count/);
    assert.match(await refused(() => post({ server: { ...good(), max_count: 'many' } })), /max_count/);
  });

  it('an unknown availability zone', async () => {
    const message = await refused(() => post({ server: { ...good(), availability_zone: 'nowhere' } }));
    assert.match(message, /availability zone/i);
  });

  it('a flavorRef of the wrong type', async () => {
    assert.match(await refused(() => post({ server: { ...good(), flavorRef: { id: '1' } } })), /flavorRef/);
  });

  it('the existing server is unaffected by all the refused requests', async () => {
    const server = await waitForStatus(t.member, existing, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
  });
});
