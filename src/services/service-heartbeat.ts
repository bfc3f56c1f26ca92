import type { Logger } from '../common/logger.js';
import type { ServiceRepo } from '../db/cell/service-repo.js';

/** Registers a control-plane service (conductor, scheduler) and reports it alive periodically. */
export class ServiceHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { services: ServiceRepo; host: string; binary: string; topic: string; intervalSeconds: number; logger: Logger }) {}

  async start(): Promise<void> {
    const record = await this.deps.services.register(this.deps.host, this.deps.binary, this.deps.topic);
    await this.deps.services.heartbeat(record.id);
    this.timer = setInterval(() => {
      this.deps.services.heartbeat(record.id).catch((err: unknown) => this.deps.logger.error({ err, binary: this.deps.binary }, 'heartbeat failed'));
    }, this.deps.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
