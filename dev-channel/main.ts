/** Sandbox payment channel process for embedded mode: `tsx dev-channel/main.ts`. */
import { startSandboxChannel } from './channel';

async function main() {
  const channel = await startSandboxChannel({
    port: Number(process.env.PAYMENT_CHANNEL_PORT ?? 8026),
    host: process.env.PAYMENT_CHANNEL_HOST ?? '127.0.0.1',
    merchantId: process.env.PAYMENT_CHANNEL_MERCHANT ?? 'sandbox-merchant',
    key: process.env.PAYMENT_CHANNEL_KEY ?? 'sandbox-channel-key-0123456789abcdef',
    stateFile: process.env.PAYMENT_CHANNEL_STATE || undefined,
  });
  console.log(`[channel] sandbox payment channel ${channel.url}`);
  const stop = () => void channel.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error('[channel] fatal:', err);
  process.exit(1);
});
