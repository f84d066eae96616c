import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient';

/** Sends text messages through a provider. */
export interface SmsProvider {
  /** Sends one text message; returns the provider's message id. */
  send(to: string, body: string): Promise<string>;
  /**
   * The id of a message with exactly this body sent to `to` since `since`, if
   * the provider has one: how a send whose outcome was lost (a crash between
   * the provider's answer and our record of it) is settled without sending twice.
   */
  findSent(to: string, body: string, since: Date): Promise<string | null>;
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
export function createTwilioSmsProvider(opts: { accountSid: string; authToken: string; from: string; apiBase?: string }): SmsProvider {
  let httpClient: InstanceType<typeof twilio.RequestClient> | undefined;
  if (opts.apiBase) {
    const base = opts.apiBase.replace(/\/$/, '');
    class LocalEndpointClient extends twilio.RequestClient {
      override request<T>(req: TwilioRequestClient.RequestOptions<T>) {
        return super.request<T>({ ...req, uri: req.uri.replace(/^https:\/\/api\.twilio\.com/, base) });
      }
    }
    httpClient = new LocalEndpointClient({ keepAlive: true });
  }
  const client = twilio(opts.accountSid, opts.authToken, { httpClient });
  return {
    async send(to, body) {
      const message = await client.messages.create({ to: toE164(to), from: opts.from, body });
      return message.sid;
    },
    async findSent(to, body, since) {
      // Twilio filters by the send date; one minute of slack covers clock skew.
      const sent = await client.messages.list({ to: toE164(to), dateSentAfter: new Date(since.getTime() - 60_000), limit: 200 });
      return sent.find((m) => m.body === body)?.sid ?? null;
    },
  };
}
