/**
 * The downloadable copy of an online-signed agreement: the agreement text the
 * member signed, what it agreed beyond the text (a split rule's terms), and the
 * signing evidence. Chinese text needs a CJK font: Noto Sans SC from npm,
 * subset into the PDF by pdfkit; names with rarer characters (𠮷) fall back per character (cjk-fonts.ts).
 */
import { shanghaiDateTime } from '../../domain/ledger';
import { agreementHash } from '../business/document-hashes';
import PDFDocument from 'pdfkit';
import { AGREEMENTS, type AgreementKind } from '../../domain/agreement';
import { describeShare, type ShareMethod } from '../../domain/split';

import { MAIN_FONT, fontRuns } from './cjk-fonts';

export interface AgreementForPdf {
  id: string;
  kind: string;
  title: string;
  version: string;
  documentHash: string;
  signedAt: Date;
  signerName: string | null;
  signedPhoneMasked: string;
  smsChallengeId: string | null;
  ip: string | null;
  userAgent: string | null;
  subject: unknown;
  memberName: string;
  bizUserId: string;
  applicationName: string;
}

interface SplitSubject {
  ruleNo: string;
  name: string;
  receiver: string;
  commission: { method: ShareMethod; value: number } | null;
  parties: { member: string; method: ShareMethod; value: number }[];
}

function shanghaiTime(at: Date): string {
  return `${shanghaiDateTime(at)}（北京时间）`;
}

/** Writes one line whose text may hold names: each run in the font that has its characters. */
async function line(doc: PDFKit.PDFDocument, text: string, opts: PDFKit.Mixins.TextOptions = {}): Promise<void> {
  const runs = await fontRuns(doc, text);
  runs.forEach((run, i) => {
    doc.font(run.font === 'main' ? 'cjk' : run.font).text(run.text, { ...opts, continued: i < runs.length - 1 });
  });
  doc.font('cjk');
}

/** Renders the PDF into a stream the caller pipes to the response. */
export async function renderAgreementPdf(a: AgreementForPdf): Promise<PDFKit.PDFDocument> {
  const template = AGREEMENTS[a.kind as AgreementKind];
  const text = template && template.version === a.version ? template.text : null;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `${a.title}（${a.memberName}）`, Author: a.applicationName, Subject: a.title },
  });
  doc.registerFont('cjk', MAIN_FONT);
  doc.font('cjk');
  doc.fontSize(18).text(a.title, { align: 'center' });
  doc.moveDown(0.3).fontSize(10).fillColor('#555').text(`版本 ${a.version}    协议编号 ${a.id}`, { align: 'center' });
  doc.moveDown().fillColor('#000').fontSize(11);
  await line(doc, `签约方：${a.memberName}（会员编号 ${a.bizUserId}）`);
  await line(doc, `平台：${a.applicationName}`);
  doc.moveDown();
  doc.fontSize(11).text(text ?? '（该版本的协议文本不在本系统中，以协议摘要为准）', { lineGap: 4 });

  const subject = a.subject as SplitSubject | null;
  if (subject && subject.ruleNo) {
    doc.moveDown().fontSize(13).text('附：分账抽佣规则');
    doc.fontSize(11).text(`规则编号：${subject.ruleNo}    规则名称：${subject.name}`);
    await line(doc, `收款会员：${subject.receiver}`);
    doc.text(`抽佣：${subject.commission ? `平台抽佣，${describeShare(subject.commission)}` : '无抽佣方'}`);
    for (const p of subject.parties) await line(doc, `分账方：${p.member}，${describeShare(p)}`);
  }

  doc.moveDown().fontSize(13).text('签署证据');
  doc.fontSize(10);
  await line(doc, `签署人：${a.signerName ?? a.memberName}`, { lineGap: 3 });
  doc.text(
    [
      `签署方式：线上签约（短信验证码确认）`,
      `验证手机号：${a.signedPhoneMasked}`,
      `签署时间：${shanghaiTime(a.signedAt)}`,
      `签署 IP：${a.ip ?? '未记录'}`,
      `浏览器（User-Agent）：${a.userAgent ?? '未记录'}`,
      `短信验证记录编号：${a.smsChallengeId ?? '未记录'}`,
      `协议文本 SHA-256：${a.documentHash}`,
      text && agreementHash(text) === a.documentHash ? '文本校验：本文件所载协议文本与签署时的文本一致' : '文本校验：未能核对',
    ].join('\n'),
    { lineGap: 3 },
  );
  doc.end();
  return doc;
}
