/**
 * A rule registered in code: its name, default check string and documentation. The engine only
 * enforces registered names; a policy file may override `checkStr`.
 *
 * @example
 * const rule: RuleDefault = {
 *   name: 'os_compute_api:servers:show',
 *   checkStr: 'rule:project_reader_or_admin',
 *   description: 'Show a server',
 *   operations: [{ method: 'GET', path: '/servers/{server_id}' }],
 * };
 */
export interface RuleDefault {
  name: string;
  checkStr: string;
  description: string;
  /** The API calls the rule guards (documentation only); base rules reused by others have none. */
  operations?: { method: string; path: string }[];
}
