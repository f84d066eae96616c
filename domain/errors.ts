/**
 * The one catalogue of business errors: a stable id (what clients branch on),
 * the HTTP status the API answers with, and the zh-CN message shown to people.
 * Workflows raise them as ApplicationFailure types; the API maps them back.
 */
export const ERRORS = {
  'request.invalid': { status: 400, message: '请求参数有误' },
  'auth.required': { status: 401, message: '请先登录' },
  'auth.invalid_credentials': { status: 401, message: '账号或密码错误' },
  'auth.forbidden': { status: 403, message: '无权访问该资源' },
  'auth.too_many_attempts': { status: 429, message: '登录尝试过于频繁，请15分钟后再试' },
  'resource.not_found': { status: 404, message: '记录不存在' },
  'member.duplicate': { status: 409, message: '该会员编号已存在' },
  'member.not_found': { status: 404, message: '会员不存在' },
  'onboarding.link_invalid': { status: 404, message: '开户链接无效' },
  'onboarding.link_expired': { status: 410, message: '开户链接已过期，请联系平台重新发起开户' },
  'onboarding.completed': { status: 409, message: '开户已完成，无需重复操作' },
  'onboarding.wrong_stage': { status: 409, message: '当前开户环节不允许该操作，请刷新页面' },
  'onboarding.step_order': { status: 409, message: '请先完成前面的信息采集步骤' },
  'onboarding.busy': { status: 409, message: '上一个操作正在处理中，请稍候' },
  'onboarding.still_active': { status: 409, message: '当前开户链接仍在有效期内，无需重新发起' },
  'onboarding.device_unverified': { status: 403, message: '检测到新设备，请先完成短信验证' },
  'onboarding.no_phone': { status: 409, message: '尚未留存手机号，无法发送验证短信' },
  'verification.failed': { status: 422, message: '银行卡四要素认证未通过' },
  'sms.cooldown': { status: 429, message: '验证码发送过于频繁，请稍后再试' },
  'sms.code_missing': { status: 409, message: '请先获取短信验证码' },
  'sms.code_wrong': { status: 422, message: '短信验证码错误' },
  'sms.code_expired': { status: 422, message: '短信验证码已过期，请重新获取' },
  'sms.too_many_attempts': { status: 422, message: '验证码错误次数过多，请重新获取' },
  'upload.too_large': { status: 413, message: '文件过大，单个文件不能超过 5MB' },
  'upload.wrong_type': { status: 415, message: '仅支持 JPG、PNG 图片' },
  'upload.missing': { status: 400, message: '请上传文件' },
  'onboarding.not_proxy': { status: 409, message: '该会员不是平台代开户，无需确认' },
  'application.fund_mode': { status: 403, message: '该功能仅对资金管理模式为“账后结算”的应用开放' },
  'signing.empty_selection': { status: 400, message: '请选择要发送签约链接的会员' },
  'signing.too_many': { status: 400, message: '单次最多向 50000 个会员发送签约链接' },
  'signing.link_invalid': { status: 404, message: '签约链接无效' },
  'signing.link_expired': { status: 410, message: '签约链接已过期，请联系平台重新发送' },
  'signing.link_revoked': { status: 410, message: '签约链接已失效（平台已重新发送），请使用最新收到的链接' },
  'signing.link_used': { status: 409, message: '该签约链接已完成签约，不能重复使用' },
  'signing.batch_not_found': { status: 404, message: '批量发送任务不存在' },
  'agreement.not_found': { status: 404, message: '协议不存在' },
  'agreement.offline': { status: 409, message: '线下签约的协议不提供下载' },
  'split.invalid_terms': { status: 422, message: '分账抽佣规则不正确' },
  'split.party_unknown': { status: 422, message: '分账方必须是本应用的会员' },
  'split.party_cannot_sign': { status: 422, message: '分账方须为状态正常且已绑定手机号的会员' },
  'split.receiver_changed': { status: 422, message: '收款会员不允许修改' },
  'split.rule_not_found': { status: 404, message: '分账抽佣规则不存在' },
  'split.all_signed': { status: 409, message: '各方均已签约，无需重发' },
  'import.window_closed': { status: 409, message: '会员批导入口未开放，请先申请开放' },
  'import.window_pending': { status: 409, message: '已有待审核的开放申请，请等待审核' },
  'import.window_open': { status: 409, message: '批导入口已开放，无需重复申请' },
  'import.window_not_open': { status: 409, message: '批导入口当前未开放' },
  'import.extension_too_long': { status: 422, message: '延期后开放时间不能超过28个自然日' },
  'import.empty': { status: 400, message: '文件中没有数据行' },
  'import.too_large': { status: 413, message: '文件过大，单个文件不能超过 50MB' },
  'import.too_many_rows': { status: 413, message: '文件行数过多，单个文件不能超过 200000 行' },
  'import.wrong_type': { status: 415, message: '仅支持 CSV 或 XLSX 文件' },
  'import.wrong_encoding': { status: 415, message: 'CSV 文件编码无法识别，请使用 UTF-8 或 GBK 编码' },
  'import.malformed': { status: 400, message: 'CSV 文件格式有误' },
  'import.header_mismatch': { status: 422, message: '表头与模板不一致，请下载模板后填写' },
  'import.no_valid_rows': { status: 422, message: '文件中没有校验通过的数据行，不能提交' },
  'import.task_not_found': { status: 404, message: '批导任务不存在' },
  'import.wrong_state': { status: 409, message: '当前任务状态不允许该操作' },
  'import.result_not_ready': { status: 409, message: '任务尚未执行完成，暂无回盘文件' },
  'review.not_found': { status: 404, message: '审核事项不存在' },
  'review.not_pending': { status: 409, message: '该事项已审核或已撤回' },
  'review.own_submission': { status: 403, message: '不能审核自己提交的事项' },
  'migration.not_found': { status: 404, message: '迁移申请不存在' },
  'migration.wrong_state': { status: 409, message: '当前迁移环节不允许该操作' },
  'application.not_found': { status: 404, message: '应用不存在' },
  'query.range_invalid': { status: 400, message: '开始日期不能晚于结束日期' },
  'query.range_too_long': { status: 400, message: '查询时间范围不能超过90天' },
  'query.range_required': { status: 400, message: '请选择日期区间' },
  'order.not_found': { status: 404, message: '订单不存在' },
  'account.not_found': { status: 404, message: '账户不存在' },
  'export.too_many': { status: 422, message: '单次最多导出10000条，请缩小查询范围' },
  'statement.not_enabled': { status: 409, message: '未开通月对账单，请先申请开通' },
  'statement.before_enablement': { status: 409, message: '申请开通月份之前的月对账单不支持生成' },
  'statement.not_ready': { status: 409, message: '该月对账单尚未生成（次月1日生成上月对账单）' },
  'statement.future_day': { status: 400, message: '只能下载已结束日期的日对账单' },
  'statement.enablement_pending': { status: 409, message: '已有处理中的开通申请' },
  'statement.already_enabled': { status: 409, message: '月对账单已开通' },
  'enablement.not_found': { status: 404, message: '开通申请不存在' },
  'service.unavailable': { status: 503, message: '服务暂不可用，请稍后重试' },
  'internal': { status: 500, message: '系统繁忙，请稍后重试' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorId = keyof typeof ERRORS;

export function isErrorId(value: unknown): value is ErrorId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value);
}

/** Raised by domain code and use cases; the API's error middleware turns it into a response. */
export class BusinessError extends Error {
  constructor(
    readonly id: ErrorId,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? ERRORS[id].message);
    this.name = 'BusinessError';
  }
}
