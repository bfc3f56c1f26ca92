import { CpuWeigher } from './cpu-weigher.js';
import { describeFreeResourceWeigher } from './weigher-harness.test.js';

describeFreeResourceWeigher(new CpuWeigher(), 'CPUWeigher', 'cpu_weight_multiplier', 'freeVcpus');
