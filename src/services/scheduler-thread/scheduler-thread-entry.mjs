// The scheduler thread's entry: worker threads do not inherit tsx's loader in Node 20, so register
// it, then load the TypeScript (see scheduler-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runSchedulerThread } = await import('./scheduler-thread.ts');
await runSchedulerThread(parentPort, workerData);
