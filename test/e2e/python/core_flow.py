# The core role flow through boto3, run by test/e2e/boto3.test.ts inside the harness's prelude, which
# defines `iam`, `sts` (clients for the test server), `inp` (the JSON input), `client_error(call, **kw)`
# and prints `out` as JSON. Documents go in as JSON text and must come back as dicts: botocore's IAM
# after-call handler decodes the URL-encoded policy documents AWS returns.
import json

trust = inp['trust']
permissions = inp['permissions']
name = inp['roleName']

out = {'identity': {k: v for k, v in sts.get_caller_identity().items() if k != 'ResponseMetadata'}}

out['created'] = iam.create_role(
    RoleName=name, Path='/apps/', AssumeRolePolicyDocument=json.dumps(trust), Description='boto3 core flow',
    MaxSessionDuration=7200, Tags=[{'Key': 'team', 'Value': 'platform'}])['Role']
out['got'] = iam.get_role(RoleName=name)['Role']
out['duplicate'] = client_error(iam.create_role, RoleName=name.upper(), AssumeRolePolicyDocument=json.dumps(trust))

iam.put_role_policy(RoleName=name, PolicyName='inline', PolicyDocument=json.dumps(permissions))
out['inline'] = iam.get_role_policy(RoleName=name, PolicyName='inline')['PolicyDocument']
out['inlineNames'] = iam.list_role_policies(RoleName=name)['PolicyNames']

iam.attach_role_policy(RoleName=name, PolicyArn='arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')
out['attached'] = iam.list_attached_role_policies(RoleName=name)['AttachedPolicies']

iam.tag_role(RoleName=name, Tags=[{'Key': 'env', 'Value': 'test'}])
out['tags'] = iam.list_role_tags(RoleName=name)['Tags']
iam.update_role(RoleName=name, Description='updated by boto3', MaxSessionDuration=3600)
out['updated'] = iam.get_role(RoleName=name)['Role']

narrower = dict(trust, Statement=[dict(trust['Statement'][0], Principal={'Service': 'lambda.amazonaws.com'})])
iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(narrower))
out['trustAfterUpdate'] = iam.get_role(RoleName=name)['Role']['AssumeRolePolicyDocument']

paginator = iam.get_paginator('list_roles')
out['pagedNames'] = [role['RoleName'] for page in paginator.paginate(PathPrefix='/apps/', PaginationConfig={'PageSize': 1}) for role in page['Roles']]

policy = iam.create_policy(PolicyName=name + '-managed', PolicyDocument=json.dumps(permissions))['Policy']
iam.create_policy_version(PolicyArn=policy['Arn'], PolicyDocument=json.dumps(inp['permissionsV2']), SetAsDefault=True)
out['policyVersion'] = iam.get_policy_version(PolicyArn=policy['Arn'], VersionId='v2')['PolicyVersion']
out['policyVersions'] = [v['VersionId'] for v in iam.list_policy_versions(PolicyArn=policy['Arn'])['Versions']]
out['policyDefault'] = iam.get_policy(PolicyArn=policy['Arn'])['Policy']['DefaultVersionId']

out['deleteConflict'] = client_error(iam.delete_role, RoleName=name)
iam.detach_role_policy(RoleName=name, PolicyArn='arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')
iam.delete_role_policy(RoleName=name, PolicyName='inline')
iam.delete_role(RoleName=name)
out['afterDelete'] = client_error(iam.get_role, RoleName=name)
