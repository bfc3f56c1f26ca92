import type { RuleDefault } from '../rule-default.js';

/**
 * Glance-style rules for Tessera's built-in, read-mostly image service. Reading is open to any
 * authenticated user (`@`): which images a caller can see (public, shared, or owned by their
 * project) is filtered by the image service itself, not by these rules, as in Glance. Adding and
 * deleting images is for administrators.
 *
 * @example
 * policy.authorize('get_image', ctx, { project_id: image.owner });
 */
export const imageRuleDefaults: readonly RuleDefault[] = [
  {
    name: 'get_images',
    checkStr: '@',
    description: 'List images (visibility filtering is done by the image service)',
    operations: [{ method: 'GET', path: '/v2/images' }],
  },
  {
    name: 'get_image',
    checkStr: '@',
    description: 'Show an image (visibility is checked by the image service)',
    operations: [{ method: 'GET', path: '/v2/images/{image_id}' }],
  },
  {
    name: 'add_image',
    checkStr: 'rule:context_is_admin',
    description: 'Create an image',
    operations: [{ method: 'POST', path: '/v2/images' }],
  },
  {
    name: 'delete_image',
    checkStr: 'rule:context_is_admin',
    description: 'Delete an image',
    operations: [{ method: 'DELETE', path: '/v2/images/{image_id}' }],
  },
];
