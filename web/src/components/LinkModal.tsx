import { Alert, Image, Modal, Space, Typography } from 'antd';
import type { OnboardingLink } from '../api';
import { formatTime } from '../labels';

/** The onboarding link and its QR code, to hand to the member. */
export function LinkModal({ link, onClose }: { link: OnboardingLink | null; onClose: () => void }) {
  return (
    <Modal open={!!link} title="开户链接已生成" onCancel={onClose} onOk={onClose} cancelButtonProps={{ style: { display: 'none' } }} okText="完成">
      {link && (
        <Space direction="vertical" style={{ width: '100%' }} align="center">
          <Alert type="info" showIcon message={`请将链接或二维码分享给会员，有效期至 ${formatTime(link.expiresAt)}（7天）。链接仅显示一次，遗失可重新生成。`} />
          <Image src={link.qrCode} width={200} preview={false} alt="开户二维码" />
          <Typography.Paragraph copyable={{ text: link.url }} data-testid="onboarding-link" style={{ wordBreak: 'break-all' }}>
            {link.url}
          </Typography.Paragraph>
        </Space>
      )}
    </Modal>
  );
}
