/** Dev outbox process for embedded mode: `tsx dev-outbox/main.ts`. */
import { codecRouter } from '../lib/adapters/codec-server';
import { EncryptionCodec } from '../lib/adapters/payload-codec';
import { startOutbox } from './outbox';

async function main() {
  const key = process.env.DATA_ENCRYPTION_KEY;
  const temporalUi = process.env.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';
  const outbox = await startOutbox({
    codec: key ? codecRouter(new EncryptionCodec(key), temporalUi) : undefined,
    httpPort: Number(process.env.OUTBOX_HTTP_PORT ?? 8025),
    smtpPort: Number(process.env.SMTP_PORT ?? 2525),
    accountSid: process.env.TWILIO_ACCOUNT_SID ?? 'AC00000000000000000000000000000000',
    authToken: process.env.TWILIO_AUTH_TOKEN ?? 'local-outbox-token',
  });
  console.log(`[outbox] page ${outbox.httpUrl}  smtp 127.0.0.1:${outbox.smtpPort}`);
  const stop = () => void outbox.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error('[outbox] fatal:', err);
  process.exit(1);
});
