/**
 * 对账单: the orders of an application over a Shanghai day or month, as txt
 * (codes, `|`-separated) or Excel (Chinese words). Rows are read in keyset
 * pages and written as they come, so a month of a million orders runs in flat
 * memory. Publishing records a version with the rows' SHA-256: a regeneration
 * that would differ becomes a new version (audited), never a silent change.
 *
 * txt columns: TRADE_TIME|ORDER_NO|BIZ_ORDER_NO|ORDER_TYPE|PAYMENT_METHOD|CHANNEL_TYPE|CARD_TYPE|AMOUNT|FEE|STATUS|BIZ_USER_ID
 * Excel columns: see EXCEL_COLUMNS.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { PrismaClient } from '@prisma/client';
import {
  CARD_TYPE_LABELS,
  CHANNEL_TYPE_LABELS,
  ORDER_STATUS_LABELS,
  ORDER_TYPE_LABELS,
  type OrderType,
  PAYMENT_METHOD_LABELS,
  dayStart,
  label,
  monthRange,
  yuan,
  shanghaiDateTime,
} from '../../domain/ledger';
import { neutraliseFormula } from '../../domain/member-file';
import { writeXlsx } from './spreadsheets';

export const TXT_COLUMNS = [
  'TRADE_TIME',
  'ORDER_NO',
  'BIZ_ORDER_NO',
  'ORDER_TYPE',
  'PAYMENT_METHOD',
  'CHANNEL_TYPE',
  'CARD_TYPE',
  'AMOUNT',
  'FEE',
  'STATUS',
  'BIZ_USER_ID',
] as const;
export const EXCEL_COLUMNS = [
  '交易时间',
  '云商通订单号',
  '商户订单号',
  '订单类型',
  '订单子类型',
  '支付方式',
  '渠道交易类型',
  '卡类别',
  '交易金额(元)',
  '手续费(元)',
  '订单状态',
  '会员编号',
] as const;

export type Period = { kind: 'DAY'; key: string } | { kind: 'MONTH'; key: string };

interface Row {
  id: string;
  createdAt: Date;
  orderNo: string;
  bizOrderNo: string;
  type: string;
  paymentMethod: string | null;
  channelType: string | null;
  cardType: string | null;
  amountFen: bigint;
  feeFen: bigint;
  status: string;
  bizUserId: string | null;
}

function rangeOf(p: Period) {
  return p.kind === 'DAY' ? { start: dayStart(p.key), end: new Date(dayStart(p.key).getTime() + 86_400_000) } : monthRange(p.key);
}

const PAGE = 5000;

/** The period's orders in (createdAt, id) order, a page at a time. */
async function* orderRows(prisma: PrismaClient, applicationId: string, p: Period): AsyncGenerator<Row> {
  const { start, end } = rangeOf(p);
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const page: Row[] = after
      ? await prisma.$queryRaw<Row[]>`
          SELECT o.id, o."createdAt", o."orderNo", o."bizOrderNo", o.type, o."paymentMethod", o."channelType", o."cardType", o."amountFen", o."feeFen", o.status, m."bizUserId"
          FROM "Order" o LEFT JOIN "Member" m ON m.id = o."receiverMemberId"
          WHERE o."applicationId" = ${applicationId}::uuid AND o."createdAt" >= ${start} AND o."createdAt" < ${end}
            AND (o."createdAt", o.id) > (${after.at}, ${after.id}::uuid)
          ORDER BY o."createdAt", o.id LIMIT ${PAGE}`
      : await prisma.$queryRaw<Row[]>`
          SELECT o.id, o."createdAt", o."orderNo", o."bizOrderNo", o.type, o."paymentMethod", o."channelType", o."cardType", o."amountFen", o."feeFen", o.status, m."bizUserId"
          FROM "Order" o LEFT JOIN "Member" m ON m.id = o."receiverMemberId"
          WHERE o."applicationId" = ${applicationId}::uuid AND o."createdAt" >= ${start} AND o."createdAt" < ${end}
          ORDER BY o."createdAt", o.id LIMIT ${PAGE}`;
    if (page.length === 0) return;
    yield* page;
    const last = page[page.length - 1]!;
    after = { at: last.createdAt, id: last.id };
  }
}

function txtLine(r: Row): string {
  // The merchant's own numbers are neutralised like every text cell we write.
  return [
    shanghaiDateTime(r.createdAt),
    r.orderNo,
    neutraliseFormula(r.bizOrderNo),
    r.type,
    r.paymentMethod ?? '',
    r.channelType ?? '',
    r.cardType ?? '',
    yuan(r.amountFen),
    yuan(r.feeFen),
    r.status,
    neutraliseFormula(r.bizUserId ?? ''),
  ].join('|');
}

function excelCells(r: Row): (string | number)[] {
  const t = ORDER_TYPE_LABELS[r.type as OrderType];
  return [
    shanghaiDateTime(r.createdAt),
    r.orderNo,
    r.bizOrderNo,
    t?.type ?? r.type,
    t?.subtype ?? r.type,
    label(PAYMENT_METHOD_LABELS, r.paymentMethod),
    label(CHANNEL_TYPE_LABELS, r.channelType),
    label(CARD_TYPE_LABELS, r.cardType),
    yuan(r.amountFen),
    yuan(r.feeFen),
    label(ORDER_STATUS_LABELS, r.status),
    r.bizUserId ?? '',
  ];
}

/**
 * Publishes the period's statement: the rows' count, total and SHA-256; a new
 * version only when they differ from the last one (audited). Idempotent.
 */
export async function publishStatement(
  prisma: PrismaClient,
  applicationId: string,
  p: Period,
): Promise<{ version: number; rowCount: number; totalFen: bigint; changed: boolean }> {
  const hash = createHash('sha256');
  let rowCount = 0;
  let totalFen = 0n;
  for await (const r of orderRows(prisma, applicationId, p)) {
    hash.update(`${txtLine(r)}\n`);
    rowCount++;
    totalFen += BigInt(r.amountFen);
  }
  const sha256 = hash.digest('hex');
  return prisma.$transaction(async (tx) => {
    const last = await tx.statement.findFirst({ where: { applicationId, period: p.kind, periodKey: p.key }, orderBy: { version: 'desc' } });
    if (last && last.sha256 === sha256) return { version: last.version, rowCount, totalFen, changed: false };
    const version = (last?.version ?? 0) + 1;
    await tx.statement.create({ data: { applicationId, period: p.kind, periodKey: p.key, version, rowCount, totalFen, sha256 } });
    if (last) {
      await tx.auditLog.create({
        data: {
          actorRole: 'SYSTEM',
          action: 'statement.regenerated',
          target: `statement:${applicationId}:${p.kind}:${p.key}`,
          detail: { version, previous: last.version, rowCount },
        },
      });
    }
    return { version, rowCount, totalFen, changed: true };
  });
}

/** Streams a statement to `out`; the header carries the application, period, version and totals. */
export async function writeStatement(
  prisma: PrismaClient,
  out: Writable,
  format: 'TXT' | 'XLSX',
  app: { id: string; appNo: string; name: string },
  p: Period,
  published: { version: number; rowCount: number; totalFen: bigint },
): Promise<void> {
  const periodLabel = p.kind === 'DAY' ? '对账日期' : '对账月份';
  if (format === 'XLSX') {
    await writeXlsx(
      out,
      '对账单',
      EXCEL_COLUMNS,
      (async function* () {
        for await (const r of orderRows(prisma, app.id, p)) yield excelCells(r);
      })(),
      [
        [`${p.kind === 'DAY' ? '日' : '月'}对账单`],
        ['应用', `${app.name}（${app.appNo}）`, periodLabel, p.key, '版本', published.version],
        ['总笔数', published.rowCount, '总金额(元)', yuan(published.totalFen)],
        [],
      ],
    );
    return;
  }
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    `#APP_NO|${app.appNo}\n#PERIOD|${p.key}\n#VERSION|${published.version}\n#COUNT|${published.rowCount}|TOTAL|${yuan(published.totalFen)}\n#${TXT_COLUMNS.join('|')}\n`,
  );
  let buffered = '';
  for await (const r of orderRows(prisma, app.id, p)) {
    buffered += `${txtLine(r)}\n`;
    if (buffered.length > 64 * 1024) {
      await write(buffered);
      buffered = '';
    }
  }
  if (buffered) await write(buffered);
  out.end();
}
