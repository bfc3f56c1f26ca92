import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileValidator } from '../../api/validation/validator.js';
import { BadRequestError } from '../../common/errors.js';
import { quotaResourcesAt } from './quota-resources.js';
import { limitValue, updateQuotaSetBody } from './quota-set-schemas.js';

describe('quota set requests', () => {
  it('knows the resources of each microversion', () => {
    assert.equal(quotaResourcesAt(1).length, 14);
    assert.deepEqual(quotaResourcesAt(36).filter((r) => !quotaResourcesAt(57).includes(r)), ['injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files']);
    assert.deepEqual(quotaResourcesAt(57), ['cores', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups']);
  });

  it('takes limits as integers or their spelling, and force as Nova\'s booleans', () => {
    const v = compileValidator(updateQuotaSetBody(57), 'body');
    v({ quota_set: { instances: 5, cores: '-1', ram: '0', force: 'yes' } });
    v({ quota_set: { force: false } });
    v({ quota_set: {} });
    for (const body of [{ quota_set: { instances: '5a' } }, { quota_set: { instances: 1.5 } }, { quota_set: { instances: -2 } }, { quota_set: { instances: null } }, { quota_set: { force: 'sure' } }, { quota_set: { injected_files: 1 } }, {}]) {
      assert.throws(() => v(body), BadRequestError, JSON.stringify(body));
    }
  });

  it('range-checks a limit spelled as a string after parsing it', () => {
    assert.equal(limitValue('cores', '-1'), -1);
    assert.equal(limitValue('cores', '2147483647'), 2147483647);
    assert.throws(() => limitValue('cores', '-2'), /cores\. Value: -2\. -2 is less than the minimum of -1/);
    assert.throws(() => limitValue('ram', '2147483648'), /greater than the maximum of 2147483647/);
  });
});
