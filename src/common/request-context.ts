/**
 * Who is asking and under which request id. Built by the API from the token, carried over the bus
 * in every envelope, and used for policy checks and log context.
 */
export interface RequestContext {
  requestId: string;
  userId: string;
  userName?: string;
  projectId: string;
  projectName?: string;
  roles: string[];
  /** Derived from the roles by the policy's `context_is_admin` rule. */
  isAdmin: boolean;
  /** The compute API microversion the request was made with, when it came through the API. */
  microversion?: string;
}

/** The context of work that the system does on its own (periodic tasks, start-up). */
export function systemContext(requestId: string): RequestContext {
  return { requestId, userId: 'tessera', projectId: 'tessera', roles: ['admin'], isAdmin: true };
}

/**
 * The same request with administrator rights, as Nova's `context.elevated()`: for the services'
 * own work on a user's behalf (the compute uploading a snapshot the user asked for).
 */
export function elevated(ctx: RequestContext): RequestContext {
  return { ...ctx, roles: ctx.roles.includes('admin') ? ctx.roles : [...ctx.roles, 'admin'], isAdmin: true };
}
