/**
 * All activities of the worker, each group a factory over the system it touches.
 * Business errors leave an activity as non-retryable ApplicationFailures whose
 * type is the stable error id, so workflows and the API see the same ids.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import { BusinessError } from '../domain/errors';
import type { Clock } from '../lib/adapters/clock';
import type { FieldCrypto } from '../lib/adapters/field-crypto';
import type { Mailer } from '../lib/adapters/mail';
import type { SigningLinks } from '../lib/business/signing-links';
import type { SmsChallenges } from '../lib/business/sms-challenges';
import type { SmsOutbox } from '../lib/business/sms-outbox';
import type { BankCardVerifier, EnterpriseVerifier } from '../lib/adapters/verification';
import { createApplicationOnboardingActivities } from './db/application-onboarding';
import { activityFailureRecorder, createFlowStateActivities } from './db/flow-states';
import { createTradeStatActivities } from './db/data-overview';
import { activityFailures } from '../lib/adapters/metrics';
import { createImportWindowActivities } from './db/import-window';
import { createMemberImportActivities } from './db/batch-import';
import { createMigrationActivities } from './db/member-migration';
import { createOnboardingStoreActivities } from './db/member-onboarding';
import { createReviewActivities } from './db/reviews';
import { createStatementActivities } from './db/monthly-statements';
import { createMailActivities } from './mail/member-onboarding';
import { createSigningBatchActivities } from './signing/signing-batch';
import { createSplitRuleSigningActivities } from './signing/split-rule';
import { createSmsActivities } from './sms/member-onboarding';
import { createVerificationActivities } from './verification/four-elements';
import { createMemberEventDeliveryActivities } from './webhooks/member-event-delivery';
import { createOrderResultActivities } from './webhooks/order-results';
import { createPaymentOrderActivities } from './channel/payment-order';
import { createCorporateAccountActivities } from './channel/corporate-account';
import { createDailyCloseActivities } from './db/daily-close';
import { createGuaranteeActivities } from './db/guarantees';
import { createSettlementActivities } from './db/settlement';
import { createAutoWithdrawalActivities } from './db/auto-withdrawals';
import type { PaymentChannel } from '../lib/adapters/payment-channel';
import type { B2bStoreAssistant, Weiqifu } from '../lib/adapters/payment-solutions';

export interface ActivityDeps {
  prisma: PrismaClient;
  /** Plain SQL for the steps members wait on (lib/adapters/db.ts). */
  sql: pg.Pool;
  crypto: FieldCrypto;
  challenges: SmsChallenges;
  outbox: SmsOutbox;
  signingLinks: SigningLinks;
  verifier: BankCardVerifier;
  enterpriseVerifier: EnterpriseVerifier;
  channel: PaymentChannel;
  /** 支付解决方案 at the channel: 自动开通配置 opens an application's merchants there. */
  b2bStoreAssistant: B2bStoreAssistant;
  weiqifu: Weiqifu;
  mailer: Mailer;
  clock: Clock;
  publicBaseUrl: string;
  /** The test environment login's first password (TEST_INITIAL_PASSWORD). */
  testInitialPassword: string;
}

export function createActivities(deps: ActivityDeps) {
  return withBusinessFailures(activityFailureRecorder(deps.prisma), {
    ...createFlowStateActivities(deps),
    ...createOnboardingStoreActivities(deps),
    ...createSmsActivities(deps),
    ...createVerificationActivities(deps),
    ...createMailActivities(deps),
    ...createSigningBatchActivities(deps),
    ...createSplitRuleSigningActivities(deps),
    ...createReviewActivities(deps),
    ...createImportWindowActivities(deps),
    ...createMemberImportActivities(deps),
    ...createMigrationActivities(deps),
    ...createStatementActivities(deps),
    ...createMemberEventDeliveryActivities(deps),
    ...createOrderResultActivities(deps),
    ...createApplicationOnboardingActivities(deps),
    ...createTradeStatActivities(deps),
    ...createPaymentOrderActivities(deps),
    ...createCorporateAccountActivities(deps),
    ...createDailyCloseActivities(deps),
    ...createGuaranteeActivities(deps),
    ...createSettlementActivities(deps),
    ...createAutoWithdrawalActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;

// `any` here: activity signatures differ; each keeps its own type through the generic.
type AsyncFns = Record<string, (...args: any[]) => Promise<unknown>>;

/**
 * Business errors become non-retryable failures with their id; any other
 * failure is a fault: counted, and shown in the operator console as the flow's
 * last error until the activity succeeds again.
 */
function withBusinessFailures<T extends AsyncFns>(recorder: ReturnType<typeof activityFailureRecorder>, activities: T): T {
  const wrapped: AsyncFns = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: unknown[]) => {
      const info = Context.current().info;
      const workflowId = info.workflowExecution?.workflowId ?? info.activityId;
      try {
        const result = await fn(...args);
        await recorder.succeeded(workflowId, name);
        return result;
      } catch (err) {
        const business = err instanceof BusinessError || (err instanceof ApplicationFailure && err.nonRetryable);
        if (!business && name !== 'recordFlowState') {
          activityFailures.inc({ activity: name });
          await recorder.failed(workflowId, name, err, info.attempt);
        }
        if (err instanceof BusinessError) {
          throw ApplicationFailure.create({
            type: err.id,
            message: err.message,
            details: err.details ? [err.details] : [],
            nonRetryable: true,
            // A business answer (a wrong code, a cooldown) is not a fault: the worker logs it at debug level only.
            category: ApplicationFailureCategory.BENIGN,
          });
        }
        throw err;
      }
    };
  }
  return wrapped as T;
}
