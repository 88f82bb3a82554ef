/**
 * One request as the evaluator reads it: the action folded to lower case, the principal described once,
 * and the context keys looked up case-insensitively, with the `aws:Principal*` keys AWS always sets
 * derived from the principal when the caller did not give them.
 */
import { accountOfArn } from './arn.js';
import { describePrincipal, principalTypeOf, type PrincipalInfo } from './principal-info.js';
import type { AuthorizationRequest, ContextValue } from './types.js';

function toValues(value: ContextValue): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

// Context key names and actions repeat from request to request: fold each one's case once.
const LOWER_CASE_LIMIT = 10_000;
const lowerCased = new Map<string, string>();

function lowerCase(key: string): string {
  let lower = lowerCased.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (lowerCased.size < LOWER_CASE_LIMIT) lowerCased.set(key, lower);
  }
  return lower;
}

export class RequestContext {
  readonly request: AuthorizationRequest;
  readonly actionLower: string;
  readonly resource: string;
  /** Condition keys (as the policies wrote them) that were asked for and absent. */
  missingKeys: Set<string> | undefined;
  /** The request's context by lower-cased key, values as given (converted to lists when read). */
  private explicitValues: Map<string, ContextValue> | undefined;
  private principalInfo: PrincipalInfo | undefined;
  private resourceAccountValue: string | undefined;
  private actionServiceValue: string | null | undefined;

  constructor(request: AuthorizationRequest) {
    this.request = request;
    this.actionLower = lowerCase(request.action);
    this.resource = request.resource;
  }

  /** The service prefix of the action (lower-cased), or undefined when the action has no colon. */
  get actionService(): string | undefined {
    if (this.actionServiceValue === undefined) {
      const colon = this.actionLower.indexOf(':');
      this.actionServiceValue = colon < 0 ? null : this.actionLower.slice(0, colon);
    }
    return this.actionServiceValue ?? undefined;
  }

  get principal(): PrincipalInfo {
    if (!this.principalInfo) {
      // Only a session needs the context (aws:PrincipalArn carries its role's path); reading the context
      // for every caller would build the key map on requests whose policies never look at it. The memoized
      // description of the text alone says whether it is a session, without scanning the text again.
      const text = this.request.principal;
      let info = describePrincipal(text);
      if (info.kind === 'assumed-role') {
        const given = this.explicit().get('aws:principalarn');
        const roleArn = given === undefined ? undefined : toValues(given);
        if (roleArn?.length === 1 && roleArn[0] !== info.roleArn) info = describePrincipal(text, roleArn[0]);
      }
      this.principalInfo = info;
    }
    return this.principalInfo;
  }

  /** The account that owns the resource: given, else the resource ARN's, else the principal's. */
  get resourceAccount(): string | undefined {
    if (this.resourceAccountValue === undefined) {
      this.resourceAccountValue = this.request.resourceAccount || accountOfArn(this.resource) || this.principal.account || '';
    }
    return this.resourceAccountValue || undefined;
  }

  /** Values of a context key (name already lower-cased); undefined when the request lacks it. */
  values(keyLower: string): string[] | undefined {
    const given = this.explicit().get(keyLower);
    return given === undefined ? this.derived(keyLower) : toValues(given);
  }

  /** A single-valued key's value for policy variables; multivalued keys have none (reference_policies_variables.html). */
  single(keyLower: string): string | undefined {
    const values = this.values(keyLower);
    return values?.length === 1 ? values[0] : undefined;
  }

  noteMissing(key: string): void {
    (this.missingKeys ??= new Set()).add(key);
  }

  private explicit(): Map<string, ContextValue> {
    if (!this.explicitValues) {
      this.explicitValues = new Map();
      const context = this.request.context;
      if (context) for (const key in context) this.explicitValues.set(lowerCase(key), context[key]!);
    }
    return this.explicitValues;
  }

  private derived(keyLower: string): string[] | undefined {
    const principal = this.principal;
    let value: string | undefined;
    switch (keyLower) {
      case 'aws:principalarn':
        if (principal.kind === 'assumed-role') value = principal.roleArn;
        else if (['root', 'user', 'role', 'federated-user'].includes(principal.kind)) value = principal.text;
        break;
      case 'aws:principalaccount':
        if (principal.kind !== 'federated' && principal.kind !== 'service') value = principal.account;
        break;
      case 'aws:principaltype':
        value = principalTypeOf(principal.kind);
        break;
      case 'aws:username':
        value = principal.userName;
        break;
      case 'aws:userid':
        // Derivable only where AWS's value holds no unique id (reference_policies_variables.html#principaltable).
        if (principal.kind === 'root') value = principal.account;
        else if (principal.kind === 'federated-user') value = `${principal.account}:${principal.text.slice(principal.text.indexOf('federated-user/') + 15)}`;
        break;
      case 'aws:resourceaccount':
        value = this.resourceAccount;
        break;
      case 'aws:principalisawsservice':
        value = principal.kind === 'service' ? 'true' : 'false';
        break;
      case 'aws:principalservicename':
        if (principal.kind === 'service') value = principal.text;
        break;
    }
    return value === undefined ? undefined : [value];
  }
}
