// A shared unit-test body for the free-resource weighers (RAM, CPU, disk); no tests here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate, host, spec } from '../filters/scheduler-harness.test.js';
import type { HostState } from '../host-state.js';
import type { HostWeigher, WeigherOptions } from './host-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const rank = (hosts: HostState[], weigher: HostWeigher, options: WeigherOptions = {}): [string, number][] =>
  weighHosts(hosts, spec(), [weigher], options).map((w) => [w.host.host, w.weight]);

/** Tests a weigher that prefers more of one free resource, with its multiplier option. */
export function describeFreeResourceWeigher(
  weigher: HostWeigher,
  nova: string,
  option: keyof WeigherOptions,
  field: 'freeRamMb' | 'freeVcpus' | 'freeDiskGb',
): void {
  describe(nova, () => {
    const three = (): HostState[] => [host('a', { [field]: 2 }), host('b', { [field]: 8 }), host('c', { [field]: 4 })];

    it('is named as in Nova and weighs the free amount', () => {
      assert.equal(weigher.name, nova);
      assert.equal(weigher.weigh(host('x', { [field]: 42 }), spec()), 42);
    });

    it('spreads by default: the most free wins, weights are shares of the most', () => {
      assert.deepEqual(rank(three(), weigher), [['b', 1], ['c', 0.5], ['a', 0.25]]);
    });

    it(`stacks with a negative ${option}`, () => {
      assert.deepEqual(rank(three(), weigher, { [option]: -2 }), [['a', -0.5], ['c', -1], ['b', -2]]);
    });

    it(`is off with ${option} = 0`, () => {
      assert.deepEqual(rank(three(), weigher, { [option]: 0 }).map(([, w]) => w), [0, 0, 0]);
    });

    it('gives equal hosts the same weight, and hosts with nothing free none', () => {
      assert.deepEqual(rank([host('a', { [field]: 5 }), host('b', { [field]: 5 })], weigher), [['a', 1], ['b', 1]]);
      assert.deepEqual(rank([host('a', { [field]: 0 }), host('b', { [field]: -3 })], weigher), [['a', 0], ['b', 0]]);
    });

    it('lets an aggregate override the multiplier for its hosts', () => {
      const hosts = [host('a', { [field]: 8 }), host('b', { [field]: 8, aggregates: [aggregate('stack', { [option]: '-1' })] })];
      assert.deepEqual(rank(hosts, weigher), [['a', 1], ['b', -1]]);
    });
  });
}
