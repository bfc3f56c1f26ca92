import { DiskWeigher } from './disk-weigher.js';
import { describeFreeResourceWeigher } from './weigher-harness.test.js';

describeFreeResourceWeigher(new DiskWeigher(), 'DiskWeigher', 'disk_weight_multiplier', 'freeDiskGb');
