/**
 * One step of a multi-database operation. `execute` does the step; `rollback` undoes it and is
 * only called when `execute` completed and a later step failed.
 *
 * @example
 * const createRow: Task = { name: 'create_instance_in_cell', execute: () => repo.create(i), rollback: () => repo.hardDelete(i.uuid) };
 */
export interface Task {
  readonly name: string;
  execute(): Promise<void>;
  rollback(): Promise<void>;
}
