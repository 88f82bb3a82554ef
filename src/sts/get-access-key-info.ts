/**
 * STS GetAccessKeyInfo (API_GetAccessKeyInfo.html): the account an access key belongs to. Session keys
 * (`ASIA`) encode their account (see session-token.ts), so they answer without their token or the store;
 * long-term keys (`AKIA`) are looked up. It says nothing about the key's state.
 */
import { defineOperation } from '../iam/operation.js';
import type { AccessKey } from '../model/entities.js';
import { noSuchEntity } from '../model/errors.js';
import type { Store } from '../store/types.js';
import { accountOfSessionAccessKeyId } from './session-token.js';

async function accountOfStoredKey(store: Store, id: string): Promise<string | undefined> {
  const key = await store.read((reader) => reader.find<AccessKey>('accessKey', id));
  // Store keys ignore case; access key ids don't.
  return key?.AccessKeyId === id ? key.AccountId : undefined;
}

export const getAccessKeyInfo = defineOperation<{ AccessKeyId: string }, { Account: string }>({
  service: 'sts',
  name: 'GetAccessKeyInfo',
  authorize: () => [{ action: 'sts:GetAccessKeyInfo', resource: '*' }],
  async execute(context, input) {
    const id = input.AccessKeyId;
    const account = id.startsWith('ASIA') ? accountOfSessionAccessKeyId(id) : await accountOfStoredKey(context.store, id);
    // "Providing a deleted access key might return an error that the key doesn't exist"; IAM's wording.
    if (account === undefined) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    return { Account: account };
  },
});
