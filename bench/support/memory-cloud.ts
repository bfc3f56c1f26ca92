/**
 * A whole cloud in this process on in-memory SQLite databases (as the functional tests start it,
 * without importing from test/): a temporary directory for image data and the policy file, a free
 * port, a silent logger unless TESSERA_BENCH_LOG=<level>.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentLogger } from '../../src/common/logger.js';
import { parseConfigText } from '../../src/config/index.js';
import { AllInOne } from '../../src/services/all-in-one.js';

export const BENCH_PASSWORD = 'bench';

export interface MemoryCloud {
  cloud: AllInOne;
  url: string;
  stop(): Promise<void>;
}

export interface MemoryCloudOptions {
  hostsPerCell: number;
  /** Policy rules written to a policy file, as YAML lines (`"rule": "check"`). */
  policy?: string[];
  /** More configuration text, appended last. */
  extraConfig?: string;
}

export async function startMemoryCloud(o: MemoryCloudOptions): Promise<MemoryCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, `${(o.policy ?? []).join('\n')}\n`);
  const config = parseConfigText(
    [
      '[DEFAULT]', 'host = benchhost', 'report_interval = 10', 'service_down_time = 600',
      '[api]', 'port = 0',
      '[api_database]', 'connection = sqlite:///:memory:?db=api',
      '[database]', 'connection = sqlite:///:memory:?cell={cell}',
      '[identity]', 'connection = sqlite:///:memory:?db=identity', `admin_password = ${BENCH_PASSWORD}`, `member_password = ${BENCH_PASSWORD}`,
      '[glance]', 'connection = sqlite:///:memory:?db=image', `filesystem_store_datadir = ${join(dir, 'images')}`,
      '[cinder]', 'connection = sqlite:///:memory:?db=volume',
      '[neutron]', 'connection = sqlite:///:memory:?db=network',
      '[placement_database]', 'connection = sqlite:///:memory:?db=placement',
      '[scheduler]', 'discover_hosts_in_cells_interval = -1',
      '[cells]', `hosts_per_cell = ${o.hostsPerCell}`,
      '[oslo_policy]', `policy_file = ${policyFile}`,
      o.extraConfig ?? '',
    ].join('\n'),
    'bench',
  );
  const level = process.env['TESSERA_BENCH_LOG'];
  let cloud: AllInOne;
  try {
    cloud = await AllInOne.start({ config, logger: level === undefined ? silentLogger() : createLogger({ level }), persistCredentials: false });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    cloud,
    url: cloud.url,
    stop: async () => {
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
