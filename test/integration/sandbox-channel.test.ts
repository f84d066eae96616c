/**
 * The sandbox payment channel keeps what it knows across restarts, like the channel it stands for
 * (`npm start` gives it .data/sandbox-channel.json): a decided transaction is still found with its
 * result, one undecided when the sandbox stopped is decided after it starts again, a deposit stays on
 * the bank statement and a configured AppKey stays configured. Through the product's own adapters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startSandboxChannel } from '../../dev-channel/channel';
import { createPaymentChannel } from '../../lib/adapters/payment-channel';
import { createB2bStoreAssistant } from '../../lib/adapters/payment-solutions';
import { eventually } from '../support/harness';

describe('the sandbox payment channel across a restart', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-channel-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const account = { merchantId: 'sandbox-merchant', key: 'sandbox-channel-key-restart-test' };
  const start = () => startSandboxChannel({ port: 0, ...account, resultDelayMs: 50, stateFile: path.join(dir, 'state.json') });

  it('finds decided transactions, decides the undecided ones, keeps the statement and the AppKeys', async () => {
    const first = await start();
    let decided: string, undecided: string, deposit: string, merchantNo: string;
    try {
      const channel = createPaymentChannel({ url: first.url, ...account });
      decided = `R-${randomUUID()}`;
      await channel.submit({ merchantOrderNo: decided, kind: 'COLLECT', amountFen: 1_000n, paymentMethod: 'BALANCE' });
      deposit = `D-${randomUUID()}`;
      await channel.submit({ merchantOrderNo: deposit, kind: 'DEPOSIT', amountFen: 37n, paymentMethod: null, cardNumber: '4000023409200123456' });
      await eventually(
        async () => [await channel.query(decided), await channel.query(deposit)],
        (r) => r.every((t) => t?.status === 'SUCCESS'),
        'both decided',
      );
      // Held: this one is still undecided when the sandbox stops.
      first.holdDecisions(true);
      undecided = `U-${randomUUID()}`;
      await channel.submit({ merchantOrderNo: undecided, kind: 'PAYOUT', amountFen: 2_000n, paymentMethod: null, cardNumber: '6217000000000001' });
      expect((await channel.query(undecided))?.status).toBe('PROCESSING');
      const store = createB2bStoreAssistant({ url: first.url, ...account });
      merchantNo = (await store.open(randomUUID())).merchantNo;
      await store.configureAppKey(merchantNo, 'A1b2C3d4E5f6G7h8J9k0L1m2N3p4Q5r6');
    } finally {
      await first.stop();
    }

    const second = await start();
    try {
      const channel = createPaymentChannel({ url: second.url, ...account });
      expect(await channel.query(decided)).toMatchObject({ status: 'SUCCESS', backendSerial: expect.any(String) });
      await eventually(
        () => channel.query(undecided),
        (t) => t?.status === 'SUCCESS',
        'decided after the restart',
      );
      expect(second.statement().map((l) => [l.depositNo, l.accountTail, l.amountFen])).toEqual([[deposit, '3456', '37']]);
      expect(await createB2bStoreAssistant({ url: second.url, ...account }).merchant(merchantNo)).toMatchObject({ appKeyConfigured: true });
      // A retry of a transaction it knows gets the same answer, not a second transaction.
      expect((await channel.submit({ merchantOrderNo: decided, kind: 'COLLECT', amountFen: 1_000n, paymentMethod: 'BALANCE' })).status).toBe('SUCCESS');
      expect(second.transactions().filter((t) => t.merchantOrderNo === decided)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
