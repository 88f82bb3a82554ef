/**
 * STS DecodeAuthorizationMessage (API_DecodeAuthorizationMessage.html): needs
 * sts:DecodeAuthorizationMessage; decodes messages Rolecall sealed for the caller's account and refuses
 * anything else with InvalidAuthorizationMessageException.
 */
import { defineOperation } from '../iam/operation.js';
import { AwsError } from '../model/errors.js';
import { decodeAuthorizationMessage } from './authorization-message.js';

export const decodeAuthorizationMessageOperation = defineOperation<{ EncodedMessage: string }, { DecodedMessage: string }>({
  service: 'sts',
  name: 'DecodeAuthorizationMessage',
  authorize: () => [{ action: 'sts:DecodeAuthorizationMessage', resource: '*' }],
  async execute(context, input) {
    const message = decodeAuthorizationMessage(context.secrets, context.caller.accountId, input.EncodedMessage);
    // The exception's documented causes: invalid characters or an expired message; the wording is Rolecall's.
    if (!message) throw new AwsError('InvalidAuthorizationMessageException', 'The encoded authorization message is invalid.', 400);
    return { DecodedMessage: JSON.stringify(message) };
  },
});
