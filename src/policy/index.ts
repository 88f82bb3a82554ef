/**
 * The policy engine's public API (`rolecall/policy`): parse, validate, compile and evaluate IAM policies
 * exactly as AWS documents them, and explain each decision.
 */
export { evaluate, type EvaluateOptions } from './evaluate.js';
export { compilePolicy, compileValidatedPolicy, type CompiledPolicy, type CompileOptions } from './compile.js';
export { parsePolicy } from './parse.js';
export { referencedContextKeys } from './context-keys.js';
export { validatePolicy, checkPolicyKind, checkPolicySize } from './validate.js';
export { AwsError, MalformedPolicyDocumentError, LimitExceededError } from './errors.js';
export { parseArn, type Arn } from './arn.js';
export * from './types.js';
