import { hostname } from 'node:os';
import { boolOpt, enumOpt, intOpt, stringOpt } from '../option-schema.js';

/** [DEFAULT] options about this node and its services (Nova names). */
export const defaultOptions = {
  host: stringOpt(hostname(), 'Name of this node, used as the service and compute host name.'),
  debug: boolOpt(false, 'Log at debug level.'),
  log_file: stringOpt('', 'File to write the log to; empty means stdout.'),
  state_path: stringOpt(
    './data',
    'Data directory; "{state_path}" in other options is replaced by it. The CLI maps --data-dir and TESSERA_DATA_DIR onto it.',
  ),
  my_ip: stringOpt('127.0.0.1', 'IP address of this node.'),
  notification_log_file: stringOpt('', 'File to append every emitted notification to, one JSON object per line; empty means none.'),
  transport_url: stringOpt('inproc://', 'Message bus: "inproc://" (one process) or "rabbit://user:pass@host:port/vhost".', {
    pattern: /^(inproc:\/\/$|rabbit:\/\/.+)/,
    patternHelp: '"inproc://" or a "rabbit://..." URL',
  }),
  update_resources_interval: intOpt(60, 'Seconds between the compute resource reports that also correct drift in placement.', { min: 1 }),
  compute_driver: enumOpt(['fake.FakeDriver', 'fake'], 'fake.FakeDriver', 'Virt driver of the compute service.'),
  rpc_response_timeout: intOpt(60, 'Seconds to wait for a reply to an RPC call.', { min: 1 }),
  long_rpc_timeout: intOpt(1800, 'Seconds to wait for a reply to a long RPC call (the steps of a cross-cell move: snapshot, upload, spawn).', { min: 1 }),
  service_down_time: intOpt(60, 'Seconds since the last heartbeat after which a service is considered down.', {
    min: 1,
  }),
  report_interval: intOpt(10, 'Seconds between service heartbeats.', { min: 1 }),
} as const;
