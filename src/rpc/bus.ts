import type { RequestContext } from '../common/request-context.js';

/** Serves the methods of one topic; each gets the caller's context and the JSON arguments. */
export type RpcHandlers = Record<string, (ctx: RequestContext, args: never) => Promise<unknown>>;

export interface RpcServer {
  /** Stops taking messages; messages already taken finish. */
  stop(): Promise<void>;
}

/**
 * The RPC bus between services. `call` waits for a reply (or times out); `cast` returns once the
 * message is handed over. Every message is JSON, whatever the transport.
 *
 * @example
 * await bus.serve('compute.host1', { stop_instance: (ctx, args: { uuid: string }) => manager.stop(ctx, args.uuid) });
 * await bus.cast(ctx, 'compute.host1', 'stop_instance', { uuid });
 */
export interface RpcBus {
  call<T>(ctx: RequestContext, topic: string, method: string, args: unknown, options?: { timeoutMs?: number }): Promise<T>;
  cast(ctx: RequestContext, topic: string, method: string, args: unknown): Promise<void>;
  serve(topic: string, handlers: RpcHandlers): Promise<RpcServer>;
  close(): Promise<void>;
}
