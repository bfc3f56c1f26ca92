/**
 * One user action on an instance (Nova's `instance_actions` row), keyed by the request id of the
 * API call that started it: `create`, `stop`, `reboot`, `delete`, `attach_volume`, ...
 */
export interface InstanceAction {
  id: number;
  action: string;
  instance_uuid: string;
  request_id: string;
  user_id: string;
  project_id: string;
  start_time: string;
  finish_time: string | null;
  /** `Error` once one of its events failed, else null. */
  message: string | null;
  created_at: string;
  /** Moves on with every event, so that `changes-since` finds actions still in progress. */
  updated_at: string | null;
}

/** One conductor or compute step of an action (Nova's `instance_actions_events` row). */
export interface InstanceActionEvent {
  id: number;
  action_id: number;
  /** The step's name, e.g. `compute_stop_instance`. */
  event: string;
  start_time: string;
  finish_time: string | null;
  /** `Success` or `Error`; null while the step runs. */
  result: string | null;
  traceback: string | null;
  /** The compute host that ran the step; null for conductor steps. */
  host: string | null;
  /** The failure's message (2.84), without the stack that `traceback` carries. */
  details: string | null;
  created_at: string;
}
