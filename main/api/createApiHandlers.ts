import type { CallName } from '../contract';
import { createAnnotationHandlers } from './handlers/createAnnotationHandlers';
import { createExportHandlers } from './handlers/createExportHandlers';
import { createModelVersionHandlers } from './handlers/createModelVersionHandlers';
import { createProjectHandlers } from './handlers/createProjectHandlers';
import { createTrainingHandlers } from './handlers/createTrainingHandlers';
import type { CoreServices, HandlersFor } from './handlers/HandlerTypes';

export type { CallContext, CoreServices } from './handlers/HandlerTypes';
export type ApiHandlers = HandlersFor<CallName>;

/** Every call of the contract has exactly one handler; the compiler checks the table is complete. */
export function createApiHandlers(services: CoreServices): ApiHandlers {
  return {
    ...createProjectHandlers(services),
    ...createAnnotationHandlers(services),
    ...createTrainingHandlers(services),
    ...createModelVersionHandlers(services),
    ...createExportHandlers(services)
  };
}
