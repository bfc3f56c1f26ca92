import type { RuleDefault } from '../policy/index.js';

/** The volume service's policy rule names; Cinder's own where Cinder has the rule. */
export const VolumeRule = {
  create: 'volume:create',
  createFromImage: 'volume:create_from_image',
  get: 'volume:get',
  getAll: 'volume:get_all',
  update: 'volume:update',
  delete: 'volume:delete',
  tenantAttribute: 'volume_extension:volume_tenant_attribute',
  hostAttribute: 'volume_extension:volume_host_attribute',
  availabilityZoneList: 'volume_extension:availability_zone_list',
  usedLimits: 'limits_extension:used_limits',
  quotasShow: 'volume_extension:quotas:show',
  attachmentCreate: 'volume:attachment_create',
  attachmentUpdate: 'volume:attachment_update',
  attachmentComplete: 'volume:attachment_complete',
  attachmentDelete: 'volume:attachment_delete',
  attachmentGet: 'volume:attachment_get',
  attachmentGetAll: 'volume:attachment_get_all',
} as const;

const MEMBER = 'rule:project_member_or_admin';
const READER = 'rule:project_reader_or_admin';

type Op = [method: string, path: string];
const rule = (name: string, checkStr: string, description: string, ...operations: Op[]): RuleDefault => ({
  name,
  checkStr,
  description,
  operations: operations.map(([method, path]) => ({ method, path })),
});

const V = '/volumes/{volume_id}';
const A = '/attachments/{attachment_id}';

/**
 * Cinder's rules with its current defaults mapped onto Tessera's base rules: readers of the
 * owning project (or admins) read, members (or admins) change. Which volumes a caller sees at
 * all is decided by the service (its project's; every project's for an admin asking with
 * `all_tenants`), so a member of another project gets 404, never 403.
 *
 * @example
 * const policy = await PolicyEngine.create({ defaults: [...allRuleDefaults(), ...volumeRuleDefaults] });
 */
export const volumeRuleDefaults: readonly RuleDefault[] = [
  rule(VolumeRule.create, MEMBER, 'Create a volume', ['POST', '/volumes']),
  rule(VolumeRule.createFromImage, MEMBER, 'Create a volume from an image', ['POST', '/volumes']),
  rule(VolumeRule.get, READER, 'Show a volume', ['GET', V]),
  rule(VolumeRule.getAll, READER, 'List volumes', ['GET', '/volumes'], ['GET', '/volumes/detail']),
  rule(VolumeRule.update, MEMBER, 'Update the name, description or metadata of a volume', ['PUT', V]),
  rule(VolumeRule.delete, MEMBER, 'Delete a volume', ['DELETE', V]),
  rule(VolumeRule.tenantAttribute, READER, 'Show os-vol-tenant-attr:tenant_id in volume details', ['GET', V]),
  rule(VolumeRule.hostAttribute, 'rule:admin_api', 'Show os-vol-host-attr:host in volume details', ['GET', V]),
  rule(VolumeRule.availabilityZoneList, READER, 'List the volume availability zones', ['GET', '/os-availability-zone']),
  rule(VolumeRule.usedLimits, READER, 'Show what a project uses beside its limits', ['GET', '/limits']),
  rule(VolumeRule.quotasShow, READER, 'Show the quota set of a project, or its defaults', ['GET', '/os-quota-sets/{project_id}'], ['GET', '/os-quota-sets/{project_id}/defaults']),
  rule(VolumeRule.attachmentCreate, MEMBER, 'Create an attachment (reserve a volume)', ['POST', '/attachments']),
  rule(VolumeRule.attachmentUpdate, MEMBER, 'Connect an attachment to a host', ['PUT', A]),
  rule(VolumeRule.attachmentComplete, MEMBER, 'Mark an attachment attached (volume in-use)', ['POST', `${A}/action`]),
  rule(VolumeRule.attachmentDelete, MEMBER, 'Delete an attachment (detach)', ['DELETE', A]),
  rule(VolumeRule.attachmentGet, READER, 'Show an attachment (Tessera; Cinder has no rule for it)', ['GET', A]),
  rule(VolumeRule.attachmentGetAll, READER, 'List attachments (Tessera; Cinder has no rule for it)', ['GET', '/attachments'], ['GET', '/attachments/detail']),
];
