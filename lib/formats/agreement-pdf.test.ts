import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { renderAgreementPdf } from './agreement-pdf';

async function pdfOf(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  await new Promise((resolve) => doc.on('end', resolve));
  return Buffer.concat(chunks);
}

const textOf = (pdf: Buffer) => execFileSync(process.execPath, [path.join(__dirname, '../../test/support/pdf-text.mjs')], { input: pdf, encoding: 'utf8' });

describe('agreement PDF', () => {
  it('prints names with characters the main font lacks (𠮷 of extension B) and of extension A (䶮)', async () => {
    const pdf = await pdfOf(
      await renderAgreementPdf({
        id: 'a-1',
        kind: 'MEMBER_SERVICE',
        title: '会员服务协议',
        version: 'v1',
        documentHash: 'x',
        signedAt: new Date('2026-12-01T02:00:00Z'),
        signerName: '王䶮',
        signedPhoneMasked: '138****0000',
        smsChallengeId: null,
        ip: null,
        userAgent: null,
        subject: { ruleNo: 'R1', name: '规则', receiver: '张𠮷', commission: null, parties: [{ member: '陈𠮷明', method: 'RATIO', value: 10 }] },
        memberName: '张𠮷',
        bizUserId: 'M-1',
        applicationName: '测试平台',
      }),
    );
    const text = textOf(pdf).replace(/\s+/g, '');
    expect(text).toContain('签约方：张𠮷');
    expect(text).toContain('签署人：王䶮');
    expect(text).toContain('收款会员：张𠮷');
    expect(text).toContain('分账方：陈𠮷明');
  });
});
