# SSH public keys, signing certificates and service-specific credentials through boto3, run by
# test/e2e/user-credentials.test.ts inside the harness's prelude (`iam`, `inp`, `client_error`), which prints `out` as JSON.
user = inp['userName']
out = {}
iam.create_user(UserName=user)

uploaded = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=inp['sshKey'])['SSHPublicKey']
key_id = uploaded['SSHPublicKeyId']
out['sshUploaded'] = {k: v for k, v in uploaded.items() if k != 'UploadDate'}
out['sshAsSsh'] = iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key_id, Encoding='SSH')['SSHPublicKey']['SSHPublicKeyBody']
out['sshAsPem'] = iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key_id, Encoding='PEM')['SSHPublicKey']['SSHPublicKeyBody']
out['sshDuplicate'] = client_error(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody=inp['sshKey'])
iam.update_ssh_public_key(UserName=user, SSHPublicKeyId=key_id, Status='Inactive')
out['sshListed'] = [{k: v for k, v in entry.items() if k != 'UploadDate'} for entry in iam.list_ssh_public_keys(UserName=user)['SSHPublicKeys']]

certificate = iam.upload_signing_certificate(UserName=user, CertificateBody=inp['certificate'])['Certificate']
out['certificateUploaded'] = {k: v for k, v in certificate.items() if k != 'UploadDate'}
out['certificatesListed'] = [{k: v for k, v in entry.items() if k != 'UploadDate'} for entry in iam.list_signing_certificates(UserName=user)['Certificates']]
out['deleteConflict'] = client_error(iam.delete_user, UserName=user)

credential = iam.create_service_specific_credential(UserName=user, ServiceName='codecommit.amazonaws.com')['ServiceSpecificCredential']
out['serviceUserName'] = credential['ServiceUserName']
out['servicePassword'] = credential['ServicePassword']
iam.delete_service_specific_credential(UserName=user, ServiceSpecificCredentialId=credential['ServiceSpecificCredentialId'])

iam.delete_ssh_public_key(UserName=user, SSHPublicKeyId=key_id)
iam.delete_signing_certificate(UserName=user, CertificateId=certificate['CertificateId'])
iam.delete_user(UserName=user)
out['deleted'] = client_error(iam.get_user, UserName=user)
