import type { RuleDefault } from '../rule-default.js';

const ADMIN = 'rule:context_is_admin';
const PROJECT_MEMBER = 'role:member and project_id:%(project_id)s';
const ADMIN_OR_MEMBER = `${ADMIN} or (${PROJECT_MEMBER})`;
const VISIBLE_TO_MEMBERS = "project_id:%(project_id)s or 'community':%(visibility)s or 'public':%(visibility)s or 'shared':%(visibility)s";

type Operation = { method: string; path: string };
const op = (method: string, path: string): Operation => ({ method, path });
const IMAGE = '/v2/images/{image_id}';

function rule(name: string, checkStr: string, description: string, operations: Operation[]): RuleDefault {
  return { name, checkStr, description, operations };
}

/**
 * Glance's default rules for the built-in image service. Targets carry the image's owner as
 * `project_id` (and `owner`) and its `visibility`, as Glance's image target does; which images a
 * caller can see at all (public, community, or owned by their project) is filtered by the image
 * service itself before any rule is checked, so an invisible image is a 404, not a 403.
 *
 * @example
 * policy.authorize('upload_image', ctx, { project_id: image.owner, owner: image.owner, visibility: image.visibility });
 */
export const imageRuleDefaults: readonly RuleDefault[] = [
  rule('get_images', '@', 'List images (visibility filtering is done by the image service)', [op('GET', '/v2/images')]),
  rule('get_image', '@', 'Show an image (visibility is checked by the image service)', [op('GET', IMAGE)]),
  rule('add_image', `${ADMIN} or (${PROJECT_MEMBER} and project_id:%(owner)s)`, 'Create an image owned by the caller\'s project', [
    op('POST', '/v2/images'),
  ]),
  rule('modify_image', ADMIN_OR_MEMBER, 'Change an image\'s attributes and properties', [op('PATCH', IMAGE)]),
  rule('publicize_image', ADMIN, 'Make an image public', [op('POST', '/v2/images'), op('PATCH', IMAGE)]),
  rule('communitize_image', ADMIN_OR_MEMBER, 'Make an image available to the community', [op('POST', '/v2/images'), op('PATCH', IMAGE)]),
  rule('upload_image', ADMIN_OR_MEMBER, 'Upload an image\'s data', [op('PUT', `${IMAGE}/file`)]),
  rule('download_image', `${ADMIN} or (role:member and (${VISIBLE_TO_MEMBERS}))`, 'Download an image\'s data', [op('GET', `${IMAGE}/file`)]),
  rule('delete_image', ADMIN_OR_MEMBER, 'Delete an image and its data', [op('DELETE', IMAGE)]),
  // Glance's own default also lets project members do these; Tessera keeps them for administrators.
  rule('deactivate', ADMIN, 'Deactivate an image (its data can no longer be downloaded or booted)', [
    op('POST', `${IMAGE}/actions/deactivate`),
  ]),
  rule('reactivate', ADMIN, 'Reactivate a deactivated image', [op('POST', `${IMAGE}/actions/reactivate`)]),
];
