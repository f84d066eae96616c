import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Input, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { formatTime } from '../labels';
import { consentTextOf } from '../../../domain/personal-information';

/** 个人信息授权 (PIPL) as the API gives it: each consent, and whether the member withdrew it. */
export interface PersonalInformationConsents {
  withdrawnAt: string | null;
  consents: { source: string; sourceLabel: string; version: string; textVerified: boolean; givenAt: string; withdrawnAt: string | null }[];
}

export function ConsentRecords({ info }: { info: PersonalInformationConsents }) {
  const [shown, setShown] = useState<string | null>(null);
  const text = shown ? consentTextOf(shown) : null;
  return (
    <>
      {info.withdrawnAt && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="consent-withdrawn"
          message={`已于 ${formatTime(info.withdrawnAt)} 撤回个人信息处理授权`}
          description="撤回时进行中的开户和对公户验证已终止；撤回前基于授权进行的处理不受影响；此后不能继续开户、绑卡或签约。"
        />
      )}
      <Table
        rowKey={(c) => `${c.source}-${c.givenAt}`}
        size="small"
        pagination={false}
        dataSource={info.consents}
        locale={{ emptyText: '无授权记录（早于授权留存上线的会员，以平台留存记录为准）' }}
        columns={[
          { title: '授权方式', dataIndex: 'sourceLabel' },
          {
            title: '告知版本',
            dataIndex: 'version',
            // The exact text this consent was given to, and whether the recorded fingerprint is that text's.
            render: (version: string, c) => (
              <>
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setShown(version)}>
                  {version}
                </Button>{' '}
                {c.textVerified ? <Tag color="green">文本指纹一致</Tag> : <Tag color="red">文本指纹不一致</Tag>}
              </>
            ),
          },
          { title: '授权时间', dataIndex: 'givenAt', render: formatTime },
          {
            title: '状态',
            dataIndex: 'withdrawnAt',
            render: (w: string | null) => (w ? <Tag>已撤回（{formatTime(w)}）</Tag> : <Tag color="green">有效</Tag>),
          },
        ]}
      />
      <Modal open={shown !== null} title={`个人信息收集告知（版本 ${shown ?? ''}）`} footer={null} onCancel={() => setShown(null)} destroyOnHidden>
        {text ? (
          <div data-testid="consent-text">
            <Typography.Paragraph style={{ whiteSpace: 'pre-line' }}>{text.notice}</Typography.Paragraph>
            <Typography.Paragraph strong>{text.sensitiveConsent}</Typography.Paragraph>
          </div>
        ) : (
          <Alert type="error" showIcon message="本系统未发布过该版本的告知文本" />
        )}
      </Modal>
    </>
  );
}

/** 撤回授权: asks why, then records the withdrawal (by the member itself, or by its platform on its request). */
export function WithdrawConsentButton({ label, path, onDone }: { label: string; path: string; onDone: () => void }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const withdraw = useMutation({
    mutationFn: () => api('POST', path, { reason }),
    onSuccess: () => {
      message.success('已撤回个人信息处理授权');
      setOpen(false);
      onDone();
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <>
      <Button danger style={{ marginTop: 12 }} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal
        open={open}
        title="撤回个人信息处理授权"
        okText="确认撤回"
        okButtonProps={{ danger: true }}
        confirmLoading={withdraw.isPending}
        onOk={() => withdraw.mutate()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="撤回后将不能继续开户、绑卡或签约，进行中的开户和对公户验证随即终止；撤回前已进行的处理不受影响。"
        />
        <Input.TextArea id="consent-withdraw-reason" rows={3} placeholder="请填写撤回原因" value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}
