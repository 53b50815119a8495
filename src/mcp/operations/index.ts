import { create } from './create';
import { remove } from './delete';
import { download } from './download';
import { downloadInline } from './download-inline';
import { list } from './list';
import { models } from './models';
import type { Operation } from './operation';
import { remix } from './remix';
import { retrieve } from './retrieve';

export type { Hints, InputDefaults, Operation, UseCases } from './operation';

/** Every operation, one file each: a tool set names them (toolsets.ts). A new operation is its file and a line here. */
export const OPERATIONS = {
  create,
  remix,
  retrieve,
  list,
  delete: remove,
  download,
  downloadInline,
  models,
} satisfies Record<string, Operation>;

export type OperationId = keyof typeof OPERATIONS;
