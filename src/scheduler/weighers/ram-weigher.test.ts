import { RamWeigher } from './ram-weigher.js';
import { describeFreeResourceWeigher } from './weigher-harness.test.js';

describeFreeResourceWeigher(new RamWeigher(), 'RAMWeigher', 'ram_weight_multiplier', 'freeRamMb');
