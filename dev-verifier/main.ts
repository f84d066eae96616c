/** Sandbox verification vendor process for embedded mode: `tsx dev-verifier/main.ts`. */
import { startSandboxVendor } from './vendor';

async function main() {
  const vendor = await startSandboxVendor({
    port: Number(process.env.VERIFIER_PORT ?? 8027),
    host: process.env.VERIFIER_HOST ?? '127.0.0.1',
    secretId: process.env.VERIFIER_SECRET_ID ?? 'AKIDsandbox0000000000000000000000000',
    secretKey: process.env.VERIFIER_SECRET_KEY ?? 'sandbox-verifier-key-0123456789abcd',
  });
  console.log(`[verifier] sandbox verification vendor ${vendor.url}`);
  const stop = () => void vendor.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error('[verifier] fatal:', err);
  process.exit(1);
});
