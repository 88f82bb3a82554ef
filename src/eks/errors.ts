/**
 * EKS and EKS Auth errors (the models' declared exceptions, with their HTTP statuses there). Messages are
 * AWS's where clients and bug reports quote them ("No cluster found for name: dev.", "Cluster already
 * exists with name: dev", "Association already exists: a-...", "Trust policy of the role provided is
 * invalid"), otherwise the exception's documented description. EKS exceptions may also carry the
 * cluster's name (`clusterName`), rendered by the REST-JSON protocol from `details`.
 */
import { AwsError } from '../policy/errors.js';

/** An EKS error with the extra members its shape declares (`clusterName`). */
export class EksError extends AwsError {
  readonly details?: Readonly<Record<string, string>>;

  constructor(code: string, message: string, httpStatus: number, details?: Record<string, string>) {
    super(code, message, httpStatus, httpStatus >= 500 ? 'Receiver' : 'Sender');
    if (details) this.details = details;
  }
}

const withCluster = (clusterName: string | undefined) => (clusterName === undefined ? undefined : { clusterName });

export const invalidParameter = (message: string, clusterName?: string) => new EksError('InvalidParameterException', message, 400, withCluster(clusterName));
export const invalidRequest = (message: string, clusterName?: string) => new EksError('InvalidRequestException', message, 400, withCluster(clusterName));
export const resourceNotFound = (message: string, clusterName?: string) => new EksError('ResourceNotFoundException', message, 404, withCluster(clusterName));
export const resourceInUse = (message: string, clusterName?: string) => new EksError('ResourceInUseException', message, 409, withCluster(clusterName));
export const resourceLimitExceeded = (message: string, clusterName?: string) =>
  new EksError('ResourceLimitExceededException', message, 400, withCluster(clusterName));
/** TagResource, UntagResource and ListTagsForResource answer with these two instead. */
export const badRequest = (message: string) => new EksError('BadRequestException', message, 400);
export const notFound = (message: string) => new EksError('NotFoundException', message, 404);

/** DescribeCluster's answer for a cluster that does not exist (in this account and region). */
export const clusterNotFound = (name: string) => resourceNotFound(`No cluster found for name: ${name}.`, name);

/** EKS Auth's errors (all 400 but ResourceNotFound 404, Throttling 429 and the faults). */
export const invalidToken = (message: string) => new EksError('InvalidTokenException', message, 400);
export const expiredToken = (message: string) => new EksError('ExpiredTokenException', message, 400);
export const eksAuthAccessDenied = (message: string) => new EksError('AccessDeniedException', message, 400);
