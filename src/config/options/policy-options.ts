import { boolOpt, stringOpt } from '../option-schema.js';

/** [oslo_policy] options. */
export const osloPolicyOptions = {
  policy_file: stringOpt('', 'YAML or JSON file of rule overrides; empty means none.'),
  enforce_new_defaults: boolOpt(true, 'Use the scoped (new) default rules instead of the deprecated ones.'),
} as const;
