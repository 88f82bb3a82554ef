/**
 * The partition a blueprint renders its ARNs in (role ARNs, AWS managed policy ARNs, the OIDC provider
 * of IRSA trust, and `{partition}` in templates and defaults). Every blueprint has the parameter
 * `partition`, declared or not: by default the partition of its `region` parameter when it declares one
 * (`cn-north-1` → `aws-cn`, as the AWS SDKs derive it; see model/partitions.ts), else `aws`; `--set
 * partition=aws-cn` or `spec.values.partition` overrides it. A blueprint may declare `partition` itself
 * (with its own default); its value must still be a partition AWS has.
 */
import { DEFAULT_PARTITION, PARTITION_IDS, partitionOfRegion } from '../../model/partitions.js';
import { BlueprintError } from './blueprint-error.js';
import type { ParameterDeclaration, ParameterValues } from './parameters.js';

export const PARTITION_PARAMETER = 'partition';
/** The parameter whose value decides the default partition. */
export const REGION_PARAMETER = 'region';

/** The blueprint's declarations plus the built-in `partition` when it does not declare one. */
export function withPartitionParameter(declarations: readonly ParameterDeclaration[]): ParameterDeclaration[] {
  if (declarations.some((declaration) => declaration.name === PARTITION_PARAMETER)) return [...declarations];
  const hasRegion = declarations.some((declaration) => declaration.name === REGION_PARAMETER);
  const builtIn: ParameterDeclaration = {
    name: PARTITION_PARAMETER,
    type: 'string',
    description: 'AWS partition of the rendered ARNs; by default the partition of {region}, else aws.',
    enum: [...PARTITION_IDS],
    builtIn: true,
    ...(hasRegion ? { default: `{${REGION_PARAMETER}}`, deriveDefault: (region: string) => partitionOfRegion(region).id } : { default: DEFAULT_PARTITION }),
  };
  return [...declarations, builtIn];
}

/** Whether a blueprint takes `--set NAME`: the parameters it declares and the built-in partition. */
export function takesParameter(declarations: ReadonlyArray<{ name: string }> | undefined, name: string): boolean {
  return name === PARTITION_PARAMETER || (declarations ?? []).some((declaration) => declaration.name === name);
}

/** The resolved partition; a blueprint's own `partition` parameter may allow values AWS has no partition for. */
export function partitionOf(values: ParameterValues): string {
  const partition = String(values.get(PARTITION_PARAMETER));
  if (!PARTITION_IDS.includes(partition)) {
    throw new BlueprintError(`parameter ${PARTITION_PARAMETER}`, `${JSON.stringify(partition)} is not an AWS partition (${PARTITION_IDS.join(', ')})`);
  }
  return partition;
}
