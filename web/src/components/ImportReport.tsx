import { Button, Checkbox, Descriptions, Table, Tag } from 'antd';
import { type ReactNode, useState } from 'react';
import { CONSENT_ATTESTATION_TEXT } from '../../../api/batch-import/schemas';

export interface ImportTaskView {
  id: string;
  kind: string;
  fileName: string;
  fileFormat: string;
  encoding: string;
  fileSize: number;
  status: string;
  totalRows: number;
  validRows: number;
  invalidRows: number;
  processed: number;
  succeeded: number;
  failed: number;
  columns: string[];
  preview: { rowNo: number; cells: string[]; problems: string[] }[];
  invalid: { rowNo: number; bizUserId: string; problems: string[] }[];
}

export const TASK_STATUS: Record<string, { text: string; color: string }> = {
  VALIDATED: { text: '已校验，待提交', color: 'default' },
  IN_REVIEW: { text: '待审核', color: 'processing' },
  REJECTED: { text: '已驳回', color: 'error' },
  EXECUTING: { text: '执行中', color: 'processing' },
  COMPLETED: { text: '已完成', color: 'success' },
};

const KIND = { INDIVIDUAL: '个人会员', ENTERPRISE: '企业会员', BANK_CARD: '银行卡绑定' } as Record<string, string>;

/** The file summary, the validation report (row-level reasons) and a masked preview. */
export function ImportReport({ report }: { report: ImportTaskView }) {
  return (
    <div data-testid="import-report">
      <Descriptions bordered size="small" column={3}>
        <Descriptions.Item label="文件">{report.fileName}</Descriptions.Item>
        <Descriptions.Item label="类型">{KIND[report.kind]}</Descriptions.Item>
        <Descriptions.Item label="格式">{report.fileFormat === 'XLSX' ? 'XLSX' : `CSV（${report.encoding}）`}</Descriptions.Item>
        <Descriptions.Item label="数据行">{report.totalRows}</Descriptions.Item>
        <Descriptions.Item label="校验通过">{report.validRows}</Descriptions.Item>
        <Descriptions.Item label="校验未通过">
          <Tag color={report.invalidRows ? 'error' : 'success'}>{report.invalidRows}</Tag>
        </Descriptions.Item>
      </Descriptions>
      {report.invalid.length > 0 && (
        <Table
          style={{ marginTop: 12 }}
          size="small"
          rowKey="rowNo"
          title={() => '校验报告（未通过的行，最多显示200行）'}
          pagination={{ pageSize: 10 }}
          dataSource={report.invalid}
          columns={[
            { title: '行号', dataIndex: 'rowNo', width: 80 },
            { title: '会员编号', dataIndex: 'bizUserId', width: 160 },
            { title: '原因', dataIndex: 'problems', render: (p: string[]) => p.join('；') },
          ]}
        />
      )}
      <Table
        style={{ marginTop: 12 }}
        size="small"
        rowKey="rowNo"
        scroll={{ x: 'max-content' }}
        title={() => '文件预览（前20行，敏感信息已脱敏）'}
        pagination={false}
        dataSource={report.preview}
        columns={[
          { title: '行号', dataIndex: 'rowNo' },
          ...report.columns.map((c, i) => ({ title: c, key: c, render: (_: unknown, r: { cells: string[] }) => r.cells[i] })),
        ]}
      />
    </div>
  );
}

/**
 * 提交审核 of an import or migration file: the platform first attests it holds the consent of the
 * members in the file (PIPL), by ticking the statement the API records with the submission.
 */
export function AttestedSubmit(props: { disabled: boolean; loading: boolean; onSubmit: () => void; children: ReactNode }) {
  const [attested, setAttested] = useState(false);
  return (
    <div style={{ marginTop: 12 }}>
      <Checkbox checked={attested} onChange={(e) => setAttested(e.target.checked)} data-testid="consent-attestation">
        {CONSENT_ATTESTATION_TEXT}
      </Checkbox>
      <div style={{ marginTop: 8 }}>
        <Button type="primary" disabled={props.disabled || !attested} loading={props.loading} onClick={props.onSubmit}>
          {props.children}
        </Button>
      </div>
    </div>
  );
}
