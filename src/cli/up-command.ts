import { resolve } from 'node:path';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/index.js';
import { AllInOne } from '../services/all-in-one.js';
import { writeOpenrcFiles } from './openrc.js';

/**
 * `tessera up`: starts the all-in-one cloud, prints how to reach it, and stops cleanly on Ctrl-C
 * or SIGTERM. Logs go to the log file so the terminal shows only what a person needs.
 */
export async function runUp(config: Config, logger: Logger): Promise<number> {
  const cloud = await AllInOne.start({ config, logger });
  const authUrl = `${cloud.url}/identity/v3`;
  const dataDir = resolve(config.DEFAULT.state_path);
  const files = await writeOpenrcFiles(dataDir, authUrl, cloud.credentials);
  const { admin, member } = cloud.credentials;
  const hosts = [...cloud.drivers.keys()].join(', ');
  process.stdout.write(
    [
      `Tessera is up at ${cloud.url}`,
      `  identity  ${cloud.url}/identity/v3`,
      `  compute   ${cloud.url}/compute/v2.1`,
      `  image     ${cloud.url}/image`,
      `  volume    ${cloud.url}/volume/v3`,
      `  network   ${cloud.url}/network`,
      `  cells     cell0, ${config.cells.names.join(', ')} (each cell is an availability zone)`,
      `  hosts     ${hosts}`,
      `  admin     user ${admin.user} / password ${admin.password} / project ${admin.project}`,
      `  member    user ${member.user} / password ${member.password} / project ${member.project}`,
      `  openrc    source ${files.admin}   (member: ${files.member})`,
      `  data      ${dataDir}`,
      `  log       ${config.DEFAULT.log_file === '' ? resolve(dataDir, 'tessera.log') : config.DEFAULT.log_file}`,
      config.api.auth_strategy === 'noauth2' ? '  WARNING   auth_strategy = noauth2: tokens are NOT checked (development only)' : '',
      'Press Ctrl-C to stop.',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n',
  );
  await new Promise<void>((done) => {
    let stopping = false;
    // Ctrl-C reaches us more than once: from the terminal to the whole process group, and relayed
    // by npm and tsx. The first signal starts a clean stop; later ones must not kill us midway.
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\nStopping (${signal})...\n`);
      cloud.stop().then(done, (err: unknown) => {
        logger.error({ err }, 'stop failed');
        done();
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  process.stdout.write('Stopped.\n');
  return 0;
}
