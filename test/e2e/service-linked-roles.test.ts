/**
 * Service-linked roles end to end (API_CreateServiceLinkedRole.html, using-service-linked-roles.html):
 * the AWS CLI v2 and boto3 against the real server create roles for services known from the data
 * generated from AWS's managed policies and the services' cited pages, meet AWS's refusals (custom suffix, duplicate name, protected
 * role), and a user whose policy allows iam:CreateServiceLinkedRole only for one iam:AWSServiceName.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, cliError, cliJson, E2eServer } from './harness.js';
import { createUserWithKey } from './users.js';

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

const BEANSTALK = 'AWSServiceRoleForElasticBeanstalk';

test('AWS CLI v2: create-service-linked-role for Elastic Beanstalk; AWS\'s custom-suffix, duplicate and protected-role refusals', async () => {
  const suffixed = cliError(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'elasticbeanstalk.amazonaws.com', '--custom-suffix', 'blue']));
  assert.deepEqual(suffixed, { code: 'InvalidInput', operation: 'CreateServiceLinkedRole', message: 'Custom suffix is not allowed for elasticbeanstalk.amazonaws.com' });

  const created = cliJson<{ Role: Record<string, unknown> }>(
    await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'elasticbeanstalk.amazonaws.com', '--description', 'beanstalk']),
  ).Role;
  assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/elasticbeanstalk.amazonaws.com/${BEANSTALK}`);
  assert.equal(created.Path, '/aws-service-role/elasticbeanstalk.amazonaws.com/');
  assert.equal(created.Description, 'beanstalk');
  assert.deepEqual(created.AssumeRolePolicyDocument, {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'elasticbeanstalk.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const attached = cliJson<{ AttachedPolicies: unknown[] }>(await server.awsV2(['iam', 'list-attached-role-policies', '--role-name', BEANSTALK]));
  assert.deepEqual(attached.AttachedPolicies, [
    { PolicyName: 'AWSElasticBeanstalkServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSElasticBeanstalkServiceRolePolicy' },
  ]);

  const duplicate = cliError(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'elasticbeanstalk.amazonaws.com']));
  assert.deepEqual(duplicate, {
    code: 'InvalidInput',
    operation: 'CreateServiceLinkedRole',
    message: `Service role name ${BEANSTALK} has been taken in this account, please try a different suffix.`,
  });
  const protectedRole = `Cannot perform the operation on the protected role '${BEANSTALK}' - this role is only modifiable by AWS`;
  assert.deepEqual(cliError(await server.awsV2(['iam', 'delete-role', '--role-name', BEANSTALK])), { code: 'UnmodifiableEntity', operation: 'DeleteRole', message: protectedRole });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  assert.deepEqual(cliError(await server.awsV2(['iam', 'update-assume-role-policy', '--role-name', BEANSTALK, '--policy-document', trust])), {
    code: 'UnmodifiableEntity',
    operation: 'UpdateAssumeRolePolicy',
    message: protectedRole,
  });
  const task = cliJson<{ DeletionTaskId: string }>(await server.awsV2(['iam', 'delete-service-linked-role', '--role-name', BEANSTALK]));
  assert.match(task.DeletionTaskId, /^task\/aws-service-role\/elasticbeanstalk\.amazonaws\.com\/AWSServiceRoleForElasticBeanstalk\/[0-9a-f-]{36}$/);
});

test('AWS CLI v2: services the policies name only by prefix (kafka.amazonaws.com from AmazonMSKFullAccess; ec2scheduled.amazonaws.com, completed by ec2-scheduled-instances.html) or by AWSServiceRoleFor<Name>_* (connect.amazonaws.com), Monitron\'s page-documented suffix, KMS multi-Region keys\' and RDS Custom\'s pages, and AWS\'s custom-suffix refusal', async () => {
  const refused = cliError(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'kafka.amazonaws.com', '--custom-suffix', 'blue']));
  assert.deepEqual(refused, { code: 'InvalidInput', operation: 'CreateServiceLinkedRole', message: 'Custom suffix is not allowed for kafka.amazonaws.com' });
  const kafka = cliJson<{ Role: { Arn: string } }>(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'kafka.amazonaws.com'])).Role;
  assert.equal(kafka.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/kafka.amazonaws.com/AWSServiceRoleForKafka`);
  const attached = cliJson<{ AttachedPolicies: unknown[] }>(await server.awsV2(['iam', 'list-attached-role-policies', '--role-name', 'AWSServiceRoleForKafka']));
  assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'KafkaServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/KafkaServiceRolePolicy' }]);
  const connect = cliJson<{ Role: { Arn: string } }>(
    await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'connect.amazonaws.com', '--custom-suffix', 'contact-center']),
  ).Role;
  assert.equal(connect.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_contact-center`);

  const scheduled = cliJson<{ Role: { Arn: string } }>(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'ec2scheduled.amazonaws.com'])).Role;
  assert.equal(scheduled.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/ec2scheduled.amazonaws.com/AWSServiceRoleForEC2ScheduledInstances`);
  const scheduledPolicies = cliJson<{ AttachedPolicies: unknown[] }>(await server.awsV2(['iam', 'list-attached-role-policies', '--role-name', 'AWSServiceRoleForEC2ScheduledInstances']));
  assert.deepEqual(scheduledPolicies.AttachedPolicies, [
    { PolicyName: 'AWSServiceRoleForEC2ScheduledInstances', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForEC2ScheduledInstances' },
  ]);
  // Monitron/latest/user-guide/slr-permissions.html: AWSServiceRoleForMonitron[_{SUFFIX}].
  const monitron = cliJson<{ Role: { Arn: string } }>(
    await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'monitron.amazonaws.com', '--custom-suffix', 'plant-7']),
  ).Role;
  assert.equal(monitron.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/monitron.amazonaws.com/AWSServiceRoleForMonitron_plant-7`);
  const fsxSuffix = cliError(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'fsx.amazonaws.com', '--custom-suffix', 'blue']));
  assert.deepEqual(fsxSuffix, { code: 'InvalidInput', operation: 'CreateServiceLinkedRole', message: 'Custom suffix is not allowed for fsx.amazonaws.com' });
  // kms/latest/developerguide/multi-region-auth-slr.html: the role trusts only mrk.kms.amazonaws.com, with its page's policy.
  const mrk = cliJson<{ Role: { Arn: string } }>(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'mrk.kms.amazonaws.com'])).Role;
  assert.equal(mrk.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/mrk.kms.amazonaws.com/AWSServiceRoleForKeyManagementServiceMultiRegionKeys`);
  const mrkPolicies = cliJson<{ AttachedPolicies: unknown[] }>(
    await server.awsV2(['iam', 'list-attached-role-policies', '--role-name', 'AWSServiceRoleForKeyManagementServiceMultiRegionKeys']),
  );
  assert.deepEqual(mrkPolicies.AttachedPolicies, [
    {
      PolicyName: 'AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy',
      PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy',
    },
  ]);
  // AmazonRDS/latest/UserGuide/UsingWithRDS.IAM.ServiceLinkedRoles.html: RDS Custom's role, no custom suffix.
  const custom = cliJson<{ Role: { Arn: string } }>(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'custom.rds.amazonaws.com'])).Role;
  assert.equal(custom.Arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/custom.rds.amazonaws.com/AWSServiceRoleForRDSCustom`);
  const customSuffix = cliError(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'custom.rds.amazonaws.com', '--custom-suffix', 'x']));
  assert.deepEqual(customSuffix, { code: 'InvalidInput', operation: 'CreateServiceLinkedRole', message: 'Custom suffix is not allowed for custom.rds.amazonaws.com' });
});

test('boto3: a service known only from the data (Lambda), Auto Scaling\'s custom suffix, services known from their pages (CloudTrail, FSx, MQ, Spot Fleet, Security Hub V2, ECR pull through cache, CloudHSM, legacy Elasticsearch, S3 Storage Lens, SSM OpsInsights, Direct Connect, Incident Manager, Managed Grafana, DMS Fleet Advisor); the role refuses inline and attached policies', async () => {
  const answer = (await server.boto3(`
role = iam.create_service_linked_role(AWSServiceName='lambda.amazonaws.com')['Role']
scaling = iam.create_service_linked_role(AWSServiceName='autoscaling.amazonaws.com', CustomSuffix='fleet')['Role']
out = {
    'arn': role['Arn'],
    'trust': role['AssumeRolePolicyDocument'],
    'scaling': scaling['RoleName'],
    'put': client_error(iam.put_role_policy, RoleName=role['RoleName'], PolicyName='extra', PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'),
    'attach': client_error(iam.attach_role_policy, RoleName=role['RoleName'], PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess'),
    'detach': client_error(iam.detach_role_policy, RoleName=role['RoleName'], PolicyArn='arn:aws:iam::aws:policy/aws-service-role/AWSLambdaServiceRolePolicy'),
    'unknown': client_error(iam.create_service_linked_role, AWSServiceName='nothing.amazonaws.com'),
    'batch': iam.create_service_linked_role(AWSServiceName='batch.amazonaws.com')['Role']['Arn'],
    'email': iam.create_service_linked_role(AWSServiceName='email.cognito-idp.amazonaws.com')['Role']['Arn'],
    'batch_suffix': client_error(iam.create_service_linked_role, AWSServiceName='batch.amazonaws.com', CustomSuffix='b'),
    'more': {name: iam.create_service_linked_role(AWSServiceName=name)['Role']['Arn'] for name in [
        'cloudtrail.amazonaws.com', 'fsx.amazonaws.com', 'mq.amazonaws.com', 'spotfleet.amazonaws.com', 'securityhubv2.amazonaws.com',
        'pullthroughcache.ecr.amazonaws.com', 'cloudhsm.amazonaws.com', 'es.amazonaws.com', 'storage-lens.s3.amazonaws.com', 'opsinsights.ssm.amazonaws.com',
        'directconnect.amazonaws.com', 'ssm-incidents.amazonaws.com', 'grafana.amazonaws.com', 'dms-fleet-advisor.amazonaws.com']},
    'incident_policies': iam.list_attached_role_policies(RoleName='AWSServiceRoleForIncidentManager')['AttachedPolicies'],
    'lex_bots_policies': iam.list_attached_role_policies(RoleName=iam.create_service_linked_role(AWSServiceName='lex.amazonaws.com')['Role']['RoleName'])['AttachedPolicies'],
    'cloudhsm_policies': iam.list_attached_role_policies(RoleName='AWSServiceRoleForCloudHSM')['AttachedPolicies'],
    'cloudtrail_policies': iam.list_attached_role_policies(RoleName='AWSServiceRoleForCloudTrail')['AttachedPolicies'],
    'redshift_data': client_error(iam.create_service_linked_role, AWSServiceName='redshift-data.amazonaws.com'),
}
`)) as Record<string, unknown>;
  assert.equal(answer.arn, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda`);
  assert.deepEqual(answer.trust, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  assert.equal(answer.scaling, 'AWSServiceRoleForAutoScaling_fleet');
  const protectedRole = { code: 'UnmodifiableEntity', message: "Cannot perform the operation on the protected role 'AWSServiceRoleForLambda' - this role is only modifiable by AWS", status: 400 };
  assert.deepEqual(answer.put, protectedRole);
  assert.deepEqual(answer.attach, protectedRole);
  assert.deepEqual(answer.detach, protectedRole);
  assert.deepEqual(answer.unknown, { code: 'InvalidInput', message: 'Service nothing.amazonaws.com does not support service-linked roles.', status: 400 });
  // From the supplement's cited pages: a service no policy names the role of, and a corrected prefix.
  assert.equal(answer.batch, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch`);
  assert.equal(answer.email, `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/email.cognito-idp.amazonaws.com/AWSServiceRoleForAmazonCognitoIdpEmailService`);
  assert.deepEqual(answer.batch_suffix, { code: 'InvalidInput', message: 'Custom suffix is not allowed for batch.amazonaws.com', status: 400 });
  // Principals AWS's policies show without a role name, settled from each service's page (the supplement).
  const role = (service: string, name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${service}/${name}`;
  assert.deepEqual(answer.more, {
    'cloudtrail.amazonaws.com': role('cloudtrail.amazonaws.com', 'AWSServiceRoleForCloudTrail'),
    'fsx.amazonaws.com': role('fsx.amazonaws.com', 'AWSServiceRoleForAmazonFSx'),
    'mq.amazonaws.com': role('mq.amazonaws.com', 'AWSServiceRoleForAmazonMQ'),
    'spotfleet.amazonaws.com': role('spotfleet.amazonaws.com', 'AWSServiceRoleForEC2SpotFleet'),
    'securityhubv2.amazonaws.com': role('securityhubv2.amazonaws.com', 'AWSServiceRoleForSecurityHubV2'),
    // Services whose only trace in AWS's policies is their service-role policy, settled from their pages.
    'pullthroughcache.ecr.amazonaws.com': role('pullthroughcache.ecr.amazonaws.com', 'AWSServiceRoleForECRPullThroughCache'),
    'cloudhsm.amazonaws.com': role('cloudhsm.amazonaws.com', 'AWSServiceRoleForCloudHSM'),
    'es.amazonaws.com': role('es.amazonaws.com', 'AWSServiceRoleForAmazonElasticsearchService'),
    'storage-lens.s3.amazonaws.com': role('storage-lens.s3.amazonaws.com', 'AWSServiceRoleForS3StorageLens'),
    'opsinsights.ssm.amazonaws.com': role('opsinsights.ssm.amazonaws.com', 'AWSServiceRoleForAmazonSSM_OpsInsights'),
    // Services no AWS policy names at all, from their pages: directconnect/latest/UserGuide/using-service-linked-roles.html,
    // incident-manager/latest/userguide/using-service-linked-roles.html (spelled as AWS CLI's examples spell it),
    // grafana/latest/userguide/using-service-linked-roles.html (name from public code: the page's is not a role name),
    // dms/latest/userguide/slr-services-fa.html.
    'directconnect.amazonaws.com': role('directconnect.amazonaws.com', 'AWSServiceRoleForDirectConnect'),
    'ssm-incidents.amazonaws.com': role('ssm-incidents.amazonaws.com', 'AWSServiceRoleForIncidentManager'),
    'grafana.amazonaws.com': role('grafana.amazonaws.com', 'AWSServiceRoleForAmazonGrafana'),
    'dms-fleet-advisor.amazonaws.com': role('dms-fleet-advisor.amazonaws.com', 'AWSServiceRoleForDMSFleetAdvisor'),
  });
  assert.deepEqual(answer.incident_policies, [
    { PolicyName: 'AWSIncidentManagerServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSIncidentManagerServiceRolePolicy' },
  ]);
  // lex/latest/dg/security_iam_id-based-policy-examples.html: Lex V1's bot role carries its service-role policy.
  assert.deepEqual(answer.lex_bots_policies, [{ PolicyName: 'LexBotPolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/LexBotPolicy' }]);
  assert.deepEqual(answer.cloudhsm_policies, [
    { PolicyName: 'CloudHSMServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/CloudHSMServiceRolePolicy' },
  ]);
  assert.deepEqual(answer.cloudtrail_policies, [
    { PolicyName: 'CloudTrailServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/CloudTrailServiceRolePolicy' },
  ]);
  // Left uncovered with its reason recorded (a role name its policy names belongs to redshift.amazonaws.com).
  assert.deepEqual(answer.redshift_data, { code: 'InvalidInput', message: 'Service redshift-data.amazonaws.com does not support service-linked roles.', status: 400 });
});

test('reference_policies_iam-condition-keys.html#ck_awsservicename: a user allowed iam:CreateServiceLinkedRole for one iam:AWSServiceName creates that role only', async () => {
  const user = await createUserWithKey(server, 'slr-creator', {
    OnlyEcs: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: '*', Condition: { StringEquals: { 'iam:AWSServiceName': 'ecs.amazonaws.com' } } },
      ],
    },
  });
  const created = cliJson<{ Role: { RoleName: string } }>(
    await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'ecs.amazonaws.com'], { credentials: user.credentials }),
  );
  assert.equal(created.Role.RoleName, 'AWSServiceRoleForECS');
  const denied = cliError(await server.awsV2(['iam', 'create-service-linked-role', '--aws-service-name', 'rds.amazonaws.com'], { credentials: user.credentials }));
  assert.equal(denied.code, 'AccessDenied');
  assert.equal(
    denied.message,
    `User: ${user.arn} is not authorized to perform: iam:CreateServiceLinkedRole on resource: arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
  );
});
