/**
 * SMS through Twilio's Programmable Messaging REST API: `POST {TWILIO_API_URL}/2010-04-01/
 * Accounts/{AccountSid}/Messages.json` with HTTP Basic authentication (account SID and auth
 * token) and a form body of `To`, `From` and `Body`.
 *
 * Written on `fetch` instead of the official `twilio` package: that package builds its request
 * URLs from fixed Twilio host names (region and edge), so it cannot be pointed at a local
 * stand-in without patching its HTTP client, and a test could then no longer see the exact
 * request. One documented call is all the product needs.
 */
import type { TwilioConfig } from '../config/config.js';
import type { OutgoingSms, SendReceipt, SmsSender } from './channel-senders.js';
import { deliveryFailure } from './delivery-failure.js';

const REQUEST_TIMEOUT_MS = 15_000;

/** Sends SMS through Twilio (or a stand-in at `apiUrl`). */
export class TwilioSmsSender implements SmsSender {
  readonly transport = 'twilio' as const;

  constructor(private readonly twilio: TwilioConfig) {}

  async send(sms: OutgoingSms): Promise<SendReceipt> {
    const { accountSid, authToken, from, apiUrl } = this.twilio;
    const url = `${apiUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
    const credentials = Buffer.from(`${accountSid}:${authToken}`).toString('base64');

    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${credentials}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ To: sms.to, From: from, Body: sms.body }).toString(),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw deliveryFailure('sms', 'twilio could not be reached', {
        permanent: false,
        providerCode: 'twilio_network',
        cause: error,
      });
    }

    return readAnswer(response);
  }
}

/** 2xx is accepted; 429 and 5xx are temporary; any other 4xx is a permanent refusal. */
async function readAnswer(response: Response): Promise<SendReceipt> {
  const body = (await response.json().catch(() => ({}))) as { sid?: unknown; code?: unknown };
  if (response.ok)
    return { providerMessageId: typeof body.sid === 'string' ? body.sid : undefined };

  const temporary = response.status === 429 || response.status >= 500;
  const twilioCode = typeof body.code === 'number' ? `_${body.code}` : '';
  throw deliveryFailure('sms', `twilio answered ${response.status}`, {
    permanent: !temporary,
    providerCode: `twilio_${response.status}${twilioCode}`,
  });
}
