/**
 * Runs work on one instance at a time within this compute service, as Nova's compute manager
 * serializes operations on an instance with a lock named after its uuid. Two volume attaches to
 * one server must not pick the same device name; an attach and a detach must not interleave.
 *
 * @example
 * const locks = new InstanceLocks();
 * await locks.run(instance.uuid, () => attachVolume(deps, ctx, request));
 */
export class InstanceLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(uuid: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(uuid) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(uuid, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // The last holder leaves no entry behind, so the map does not grow with every instance seen.
      if (this.tails.get(uuid) === tail) this.tails.delete(uuid);
    }
  }

  /** Whether some work on the instance is running or waiting (for tests and status output). */
  busy(uuid: string): boolean {
    return this.tails.has(uuid);
  }
}
