/**
 * How EKS and EKS Auth declare their operations: as every operation is declared (iam/operation.ts), with
 * the model's constraint violations answered the EKS way — InvalidParameterException, whose message for a
 * malformed cluster name is the one EKS sends ("The name parameter contains invalid characters. ...").
 */
import { defineOperation, type Operation, type OperationDefinition } from '../iam/operation.js';
import { invalidParameter } from './errors.js';

/** The pattern of cluster names, and EKS's wording when one breaks it. */
export const CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

/** EKS's InvalidParameterException for a cluster name that breaks the pattern (as EKS words it). */
export function invalidClusterName(parameter: string): ReturnType<typeof invalidParameter> {
  return invalidParameter(
    `The ${parameter} parameter contains invalid characters. It should conform to the regular expression "^[0-9A-Za-z][A-Za-z0-9-_]*"` +
      'In other words, it should start with a number or letter, and can contain numbers, letters, dashes, and underscores.',
  );
}

/** Checks a cluster name the model leaves unconstrained (URI labels are plain strings in the EKS model). */
export function checkClusterName(name: string, parameter = 'name'): void {
  if (name.length < 1 || name.length > 100 || !CLUSTER_NAME_PATTERN.test(name)) throw invalidClusterName(parameter);
}

/** Declares an EKS (or EKS Auth) operation; its input is checked against that service's model. */
export function defineEksOperation<Input, Output>(
  definition: Omit<OperationDefinition<Input, Output>, 'invalidInput'> & { service: 'eks' | 'eks-auth' },
): Operation<Input, Output> {
  return defineOperation({
    ...definition,
    invalidInput: (violations) => {
      const badName = /^Value '[^']*' at '(name|clusterName)' failed to satisfy constraint: Member must satisfy regular expression pattern/.exec(violations[0] ?? '');
      if (badName && violations.length === 1) return invalidClusterName(badName[1]!);
      const count = violations.length;
      return invalidParameter(`${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`);
    },
  });
}
