/**
 * How Organizations declares its operations: as every operation is declared (iam/operation.ts), with the
 * model's constraint violations answered the Organizations way — InvalidInputException with a Reason.
 */
import { defineOperation, type Operation, type OperationDefinition } from '../iam/operation.js';
import { validationErrors } from '../model/errors.js';
import { invalidInputFromViolations } from './invalid-input.js';

/** Declares an Organizations operation; its input is checked against the Organizations model. */
export function defineOrganizationsOperation<Input, Output>(
  definition: Omit<OperationDefinition<Input, Output>, 'service' | 'invalidInput'>,
): Operation<Input, Output> {
  return defineOperation({
    ...definition,
    service: 'organizations',
    invalidInput: (violations) => invalidInputFromViolations(violations) ?? validationErrors(violations),
  });
}
