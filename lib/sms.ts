import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient';

/** Sends one text message; returns the provider's message id. */
export interface SmsProvider {
  send(to: string, body: string): Promise<string>;
}

/** Mainland numbers are stored as 11 digits; carriers want E.164. */
export function toE164(phone: string): string {
  return phone.startsWith('+') ? phone : `+86${phone}`;
}

/**
 * Twilio's own client. With `apiBase` set (embedded mode and tests) every request
 * goes to a local Twilio-compatible endpoint instead of api.twilio.com; auth,
 * form encoding and response parsing are twilio's own.
 */
export function createTwilioSmsProvider(opts: {
  accountSid: string;
  authToken: string;
  from: string;
  apiBase?: string;
}): SmsProvider {
  let httpClient: InstanceType<typeof twilio.RequestClient> | undefined;
  if (opts.apiBase) {
    const base = opts.apiBase.replace(/\/$/, '');
    class LocalEndpointClient extends twilio.RequestClient {
      override request<T>(req: TwilioRequestClient.RequestOptions<T>) {
        return super.request<T>({ ...req, uri: req.uri.replace(/^https:\/\/api\.twilio\.com/, base) });
      }
    }
    httpClient = new LocalEndpointClient();
  }
  const client = twilio(opts.accountSid, opts.authToken, { httpClient });
  return {
    async send(to, body) {
      const message = await client.messages.create({ to: toE164(to), from: opts.from, body });
      return message.sid;
    },
  };
}
