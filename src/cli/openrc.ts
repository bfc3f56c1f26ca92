import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface OpenrcAccount {
  user: string;
  password: string;
  project: string;
}

/** The shell lines that point the OpenStack clients at this cloud as one account. */
export function openrcText(authUrl: string, account: OpenrcAccount): string {
  const quote = (v: string): string => `'${v.replaceAll("'", "'\\''")}'`;
  return [
    '# Source this file to use the OpenStack clients against Tessera.',
    `export OS_AUTH_URL=${quote(authUrl)}`,
    `export OS_USERNAME=${quote(account.user)}`,
    `export OS_PASSWORD=${quote(account.password)}`,
    `export OS_PROJECT_NAME=${quote(account.project)}`,
    `export OS_USER_DOMAIN_NAME=Default`,
    `export OS_PROJECT_DOMAIN_NAME=Default`,
    `export OS_IDENTITY_API_VERSION=3`,
    `export OS_REGION_NAME=RegionOne`,
    '',
  ].join('\n');
}

/** Writes `openrc` (admin) and `openrc-member` in the data directory, readable by the owner only. */
export async function writeOpenrcFiles(dataDir: string, authUrl: string, accounts: { admin: OpenrcAccount; member: OpenrcAccount }): Promise<{ admin: string; member: string }> {
  const admin = join(dataDir, 'openrc');
  const member = join(dataDir, 'openrc-member');
  await writeFile(admin, openrcText(authUrl, accounts.admin), { mode: 0o600 });
  await writeFile(member, openrcText(authUrl, accounts.member), { mode: 0o600 });
  return { admin, member };
}
