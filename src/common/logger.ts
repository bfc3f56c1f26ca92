import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';

/** Structured logger; child loggers carry request id, instance uuid, cell and host. */
export type Logger = PinoLogger;

/** Fields that log lines carry when they are known. */
export interface LogContext {
  request_id?: string;
  instance_uuid?: string;
  migration_uuid?: string;
  cell?: string;
  host?: string;
  service?: string;
}

export function createLogger(options: { level?: string; destination?: string } = {}): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination !== undefined) {
    return pino(opts, pino.destination({ dest: options.destination, mkdir: true, sync: false }));
  }
  return pino(opts);
}

/** A logger that drops everything; for unit tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
