import { Button, Popconfirm, Space, Table, Tag, Upload } from 'antd';
import type { ChecklistItem } from '../../../domain/application-onboarding';

export interface MaterialFile {
  id: string;
  fileName: string;
  size: number;
  uploadedAt: string;
}

/** A checklist item as the API shows it: the domain's item, whether it can be changed now, its files. */
export interface ChecklistItemView extends ChecklistItem {
  editable: boolean;
  files: MaterialFile[];
}

/**
 * The material checklist of one customer (客户入网材料清单 / 上线投产材料): what
 * is required and why, the files uploaded for each, and — for the branch in an
 * editable stage — upload and delete.
 */
export function MaterialChecklist(props: {
  onboardingId: string;
  items: ChecklistItemView[];
  stage: 'ONBOARDING' | 'GO_LIVE';
  onUpload?: (code: string, file: File) => void;
  onDelete?: (fileId: string) => void;
}) {
  const rows = props.items.filter((m) => m.stage === props.stage);
  return (
    <Table<ChecklistItemView>
      rowKey="code"
      size="small"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: '提供方', dataIndex: 'provider', width: 80, render: (p: string) => (p === 'CUSTOMER' ? '客户' : '分公司') },
        { title: '分类', dataIndex: 'category', width: 150 },
        {
          title: '材料',
          render: (_: unknown, m) => (
            <span>
              <b>{m.name}</b>：{m.description}
            </span>
          ),
        },
        { title: '盖章要求', dataIndex: 'seal', width: 130, render: (s: string | null) => s ?? '-' },
        {
          title: '是否必须',
          width: 150,
          render: (_: unknown, m) => (
            <Space direction="vertical" size={0}>
              {m.required ? <Tag color="red">必须</Tag> : <Tag>选填</Tag>}
              {m.rule && <span style={{ fontSize: 12, color: '#888' }}>{m.rule}</span>}
            </Space>
          ),
        },
        {
          title: '已上传',
          width: 280,
          render: (_: unknown, m) => (
            <Space direction="vertical" size={2}>
              {m.files.map((f) => (
                <Space key={f.id} size={4}>
                  <a href={`/api/application-onboardings/${props.onboardingId}/files/${f.id}`}>{f.fileName}</a>
                  <span style={{ color: '#888', fontSize: 12 }}>{Math.max(1, Math.round(f.size / 1024))}KB</span>
                  {m.editable && props.onDelete && (
                    <Popconfirm title="删除该文件？" onConfirm={() => props.onDelete!(f.id)}>
                      <Button size="small" type="link" danger>
                        删除
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ))}
              {m.editable && props.onUpload && (
                <Upload
                  showUploadList={false}
                  accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.mp4"
                  beforeUpload={(file) => {
                    props.onUpload!(m.code, file);
                    return false;
                  }}
                >
                  <Button size="small" data-testid={`upload-${m.code}`}>
                    上传
                  </Button>
                </Upload>
              )}
              {!m.files.length && !m.editable && <span style={{ color: m.required ? '#cf1322' : '#888' }}>未上传</span>}
            </Space>
          ),
        },
      ]}
    />
  );
}
