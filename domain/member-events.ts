/** The member event stream's vocabulary: what kinds of member change an application is told about. */
export const MEMBER_EVENT_TYPES = ['CREATED', 'STAGE_CHANGED', 'VERIFIED', 'SIGNED', 'EXPIRED', 'IMPORTED', 'MIGRATED'] as const;
export type MemberEventType = (typeof MEMBER_EVENT_TYPES)[number];

export const MEMBER_EVENT_LABELS: Record<MemberEventType, string> = {
  CREATED: '会员创建',
  STAGE_CHANGED: '开户环节变更',
  VERIFIED: '实名认证通过',
  SIGNED: '协议签约',
  EXPIRED: '开户链接过期',
  IMPORTED: '批量导入',
  MIGRATED: '会员迁移',
};
