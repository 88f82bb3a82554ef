/**
 * The flags every command that calls a Rolecall server takes — `--endpoint-url`, `--region`, `--profile`,
 * as the AWS CLI names them — and the AWS CLI's error line for a refused call
 * ("An error occurred (Code) when calling the Op operation: message").
 */
import { resolveRolecallEndpoint, RolecallApiError, type RolecallEndpoint, type RolecallService } from '../k8s/rolecall-endpoint.js';

export const API_CLIENT_FLAGS = ['endpoint-url', 'region', 'profile'] as const;

/** The endpoint of `service` from the command's flags, the environment and the profile. */
export function endpointFromFlags(service: RolecallService, values: Record<string, string>): Promise<RolecallEndpoint> {
  return resolveRolecallEndpoint(service, {
    ...(values['endpoint-url'] !== undefined ? { endpointUrl: values['endpoint-url'] } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
  });
}

/** Runs a call; an API error becomes the AWS CLI's error line on stderr and exit status 254, as the AWS CLI v2 exits. */
export async function reportApiErrors(operation: string, call: () => Promise<number>): Promise<number> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof RolecallApiError)) throw error;
    process.stderr.write(`\nAn error occurred (${error.code}) when calling the ${operation} operation: ${error.message}\n`);
    return 254;
  }
}
