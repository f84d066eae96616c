/**
 * 云商通二代产品开通 (F7) for branch users: record a new customer with its
 * cooperation agreement and scenario, upload the material checklist, submit
 * for review; after a return, correct and resubmit; once activated, submit
 * the go-live material. The workflow decides what happens next; this module
 * only checks what the branch may do now and hands it over.
 */
import { createHash } from 'node:crypto';
import type { ApplicationOnboarding, Prisma } from '@prisma/client';
import {
  AGREEMENT_TYPES,
  APPLICATION_ONBOARDING_STATUS_LABELS,
  type AgreementType,
  type MaterialStage,
  MERCHANT_TYPES,
  NON_STANDARD_REQUESTS,
  type OnboardingScenario,
  materialChecklist,
  missingMaterials,
  scenarioProblems,
} from '../../domain/application-onboarding';
import { BusinessError } from '../../domain/errors';
import { maskPhone } from '../../domain/masking';
import type { FieldCrypto } from '../../lib/adapters/field-crypto';
import { applicationOnboardingWorkflowId } from '../../workflows/ids';
import { resubmitMaterialsUpdate, submitGoLiveUpdate, applicationOnboardingWorkflow } from '../../workflows/application-onboarding/messages';
import { auditOf } from '../audit';
import { branchHoldings } from '../../lib/business/branches';
import { type Actor, type AppDeps, branchScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import { runUpdate, startFlow } from '../workflow-calls';
import type { CustomerInput } from './schemas';

export const MAX_FILES_PER_MATERIAL = 10;

/** Which stage's material the branch may change in each status. */
const EDITABLE: Partial<Record<ApplicationOnboarding['status'], MaterialStage>> = { DRAFT: 'ONBOARDING', RETURNED: 'ONBOARDING', TESTING: 'GO_LIVE' };

/** PDF, JPG, PNG, docx/xlsx and MP4, recognised by content (the name only tells docx from xlsx). */
export function materialMimeType(buffer: Buffer, fileName: string): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => buffer[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'application/pdf';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (buffer.length > 8 && buffer.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    if (/\.docx$/i.test(fileName)) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (/\.xlsx$/i.test(fileName)) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  }
  return null;
}

export async function listServiceProviders(deps: AppDeps) {
  const rows = await deps.services.prisma.serviceProvider.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } });
  return { items: rows };
}

/** The checklist of a scenario, before anything is recorded (the form shows it as the branch ticks boxes). */
export function previewChecklist(scenario: OnboardingScenario) {
  const problems = scenarioProblems(scenario);
  return { problems, items: problems.length ? [] : materialChecklist(scenario) };
}

function checkScenario(scenario: OnboardingScenario) {
  const problems = scenarioProblems(scenario);
  if (problems.length) throw new BusinessError('app_onboarding.scenario_invalid', problems.join('；'));
}

async function checkProvider(deps: AppDeps, serviceProviderId: string) {
  const provider = await deps.services.prisma.serviceProvider.findUnique({ where: { id: serviceProviderId } });
  if (!provider) throw new BusinessError('app_onboarding.provider_unknown');
}

/** A branch's staff work on the customers their branch recorded (or whose application it now serves); headquarters on all. */
async function branchWhere(deps: AppDeps, actor: Actor | undefined): Promise<Prisma.ApplicationOnboardingWhereInput> {
  const branchId = actor ? branchScope(actor) : null;
  if (!branchId) return {};
  const { applicationIds, staffIds } = await branchHoldings(deps.services.prisma, branchId);
  return { OR: [{ createdById: { in: staffIds } }, { applicationId: { in: applicationIds } }, { testApplicationId: { in: applicationIds } }] };
}

async function find(deps: AppDeps, id: string, actor?: Actor) {
  const onboarding = await deps.services.prisma.applicationOnboarding.findFirst({ where: { id, ...(await branchWhere(deps, actor)) } });
  if (!onboarding) throw new BusinessError('resource.not_found', '开通申请不存在');
  return onboarding;
}

async function audit(deps: AppDeps, actor: Actor, action: string, onboardingId: string, detail: Record<string, unknown> = {}) {
  await deps.services.prisma.auditLog.create({
    data: { actorId: actor.userId, actorRole: actor.role, action, target: `app-onboarding:${onboardingId}`, detail: detail as object },
  });
}

/** Everything the branch (and a reviewer) sees of one onboarding. */
export async function onboardingView(deps: AppDeps, onboarding: ApplicationOnboarding) {
  const { prisma } = deps.services;
  const scenario = onboarding.scenario as unknown as OnboardingScenario;
  const environment = (applicationId: string | null) =>
    applicationId
      ? prisma.application.findUnique({ where: { id: applicationId }, select: { id: true, appNo: true, name: true, liveAt: true, environment: true } })
      : null;
  const [files, reviews, provider, app, testApp] = await Promise.all([
    prisma.applicationMaterialFile.findMany({
      where: { onboardingId: onboarding.id },
      orderBy: { createdAt: 'asc' },
      select: { id: true, code: true, fileName: true, mimeType: true, size: true, createdAt: true },
    }),
    prisma.reviewItem.findMany({ where: { subjectId: onboarding.id }, orderBy: { createdAt: 'asc' } }),
    prisma.serviceProvider.findUnique({ where: { id: onboarding.serviceProviderId }, select: { id: true, name: true } }),
    environment(onboarding.applicationId),
    environment(onboarding.testApplicationId),
  ]);
  const editable = EDITABLE[onboarding.status] ?? null;
  const checklist = materialChecklist(scenario).map((m) => ({
    ...m,
    editable: editable === m.stage,
    files: files
      .filter((f) => f.code === m.code)
      .map((f) => ({ id: f.id, fileName: f.fileName, mimeType: f.mimeType, size: f.size, uploadedAt: f.createdAt.toISOString() })),
  }));
  const codes = files.map((f) => f.code);
  return {
    id: onboarding.id,
    customerName: onboarding.customerName,
    agreementType: onboarding.agreementType,
    agreementLabel: AGREEMENT_TYPES[onboarding.agreementType as AgreementType]?.label ?? onboarding.agreementType,
    agreement: AGREEMENT_TYPES[onboarding.agreementType as AgreementType]?.agreement ?? null,
    fundMode: onboarding.fundMode,
    serviceProvider: provider,
    legalRepName: onboarding.legalRepName,
    legalRepPhone: onboarding.legalRepPhoneMasked,
    contactEmail: onboarding.contactEmail,
    scenario,
    scenarioSummary: [
      MERCHANT_TYPES[scenario.merchantType],
      scenario.online ? (scenario.website ? '线上（网站）' : '线上') : '线下',
      ...(scenario.paymentProducts ? ['支付产品'] : []),
      ...(scenario.cashier ? ['收银宝'] : []),
      ...(scenario.b2bStoreAssistant ? ['小程序B2B门店助手'] : []),
      ...(scenario.weiqifu ? ['微企付'] : []),
      ...(scenario.payoutOrCollection ? ['代付、收托抵用'] : []),
      ...(scenario.splitAccounts ? ['分账'] : []),
      ...(scenario.brandOrFranchise ? ['品牌授权/加盟'] : []),
      ...scenario.nonStandard.map((n) => `非标：${NON_STANDARD_REQUESTS[n]}`),
    ].join('、'),
    status: onboarding.status,
    statusLabel: APPLICATION_ONBOARDING_STATUS_LABELS[onboarding.status],
    returnedReason: onboarding.returnedReason,
    goLiveReturnedReason: onboarding.goLiveReturnedReason,
    closedReason: onboarding.closedReason,
    resubmitBy: onboarding.resubmitBy?.toISOString() ?? null,
    /** 生产环境 (made at 上线投产; for customers activated before environments, at activation). */
    application: app && { id: app.id, appNo: app.appNo, name: app.name, live: !!app.liveAt },
    /** 测试环境, made at 自动开通配置. */
    testApplication: testApp && { id: testApp.id, appNo: testApp.appNo, name: testApp.name },
    workflowId: onboarding.workflowId,
    createdBy: onboarding.createdByName,
    createdAt: onboarding.createdAt.toISOString(),
    submittedAt: onboarding.submittedAt?.toISOString() ?? null,
    activatedAt: onboarding.activatedAt?.toISOString() ?? null,
    liveAt: onboarding.liveAt?.toISOString() ?? null,
    checklist,
    missing: {
      ONBOARDING: missingMaterials(scenario, 'ONBOARDING', codes).map((m) => m.code),
      GO_LIVE: missingMaterials(scenario, 'GO_LIVE', codes).map((m) => m.code),
    },
    reviews: reviews.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      status: r.status,
      decidedBy: r.decidedByName,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

export async function listOnboardings(
  deps: AppDeps,
  actor: Actor,
  input: { status?: ApplicationOnboarding['status']; q?: string; page: number; pageSize: number },
) {
  const { prisma } = deps.services;
  const where: Prisma.ApplicationOnboardingWhereInput = {
    ...(await branchWhere(deps, actor)),
    ...(input.status ? { status: input.status } : {}),
    ...(input.q ? { customerName: { contains: input.q, mode: 'insensitive' as const } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.applicationOnboarding.count({ where }),
    prisma.applicationOnboarding.findMany({ where, orderBy: { updatedAt: 'desc' }, ...pageWindow(input) }),
  ]);
  const apps = new Map(
    (
      await prisma.application.findMany({
        where: { id: { in: rows.flatMap((r) => [r.applicationId, r.testApplicationId].filter((x): x is string => !!x)) } },
        select: { id: true, appNo: true },
      })
    ).map((a) => [a.id, a.appNo]),
  );
  return pageOf(input, total, rows, (r) => ({
    id: r.id,
    customerName: r.customerName,
    agreementLabel: AGREEMENT_TYPES[r.agreementType as AgreementType]?.label ?? r.agreementType,
    status: r.status,
    statusLabel: APPLICATION_ONBOARDING_STATUS_LABELS[r.status],
    appNo: r.applicationId ? (apps.get(r.applicationId) ?? null) : null,
    testAppNo: r.testApplicationId ? (apps.get(r.testApplicationId) ?? null) : null,
    createdBy: r.createdByName,
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function getOnboarding(deps: AppDeps, id: string, actor?: Actor) {
  return onboardingView(deps, await find(deps, id, actor));
}

/** The customer's columns as the branch entered them (the phone encrypted, with its masked form). */
function customerData(crypto: FieldCrypto, input: CustomerInput) {
  return {
    customerName: input.customerName,
    agreementType: input.agreementType,
    scenario: input.scenario as object,
    fundMode: input.fundMode,
    serviceProviderId: input.serviceProviderId,
    legalRepName: input.legalRepName,
    legalRepPhoneEnc: crypto.encrypt(input.legalRepPhone),
    legalRepPhoneMasked: maskPhone(input.legalRepPhone),
    contactEmail: input.contactEmail,
  };
}

/** 新增客户: a draft with its checklist; nothing is reviewed until it is submitted. */
export async function createOnboarding(deps: AppDeps, actor: Actor, input: CustomerInput) {
  checkScenario(input.scenario);
  await checkProvider(deps, input.serviceProviderId);
  const { prisma, crypto } = deps.services;
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { displayName: true, username: true } });
  const onboarding = await prisma.$transaction(async (tx) => {
    const created = await tx.applicationOnboarding.create({
      data: {
        ...customerData(crypto, input),
        createdById: actor.userId,
        createdByName: `${user.displayName}（${user.username}）`,
      },
    });
    await tx.auditLog.create(auditOf(actor, 'app-onboarding.create', `app-onboarding:${created.id}`));
    return created;
  });
  return onboardingView(deps, onboarding);
}

/** 修改: customer data and scenario, while the material is the branch's to change. */
export async function updateOnboarding(deps: AppDeps, actor: Actor, id: string, input: CustomerInput) {
  const onboarding = await find(deps, id, actor);
  if (onboarding.status !== 'DRAFT' && onboarding.status !== 'RETURNED') throw new BusinessError('app_onboarding.wrong_stage');
  checkScenario(input.scenario);
  await checkProvider(deps, input.serviceProviderId);
  const { prisma, crypto } = deps.services;
  const { count } = await prisma.applicationOnboarding.updateMany({
    where: { id, status: onboarding.status },
    data: customerData(crypto, input),
  });
  if (count === 0) throw new BusinessError('app_onboarding.wrong_stage');
  await audit(deps, actor, 'app-onboarding.update', id);
  return getOnboarding(deps, id);
}

/** One file of one checklist material, in the stage the branch may change now. */
export async function uploadMaterial(deps: AppDeps, actor: Actor, id: string, code: string, file: Express.Multer.File | undefined) {
  if (!file) throw new BusinessError('upload.missing', '请选择材料文件（字段名为 file）');
  const onboarding = await find(deps, id, actor);
  const item = materialChecklist(onboarding.scenario as unknown as OnboardingScenario).find((m) => m.code === code);
  if (!item) throw new BusinessError('app_onboarding.unknown_material');
  if (EDITABLE[onboarding.status] !== item.stage)
    throw new BusinessError('app_onboarding.wrong_stage', `当前环节（${APPLICATION_ONBOARDING_STATUS_LABELS[onboarding.status]}）不能上传该材料`);
  const fileName = file.originalname.slice(0, 200);
  const mimeType = materialMimeType(file.buffer, fileName);
  if (!mimeType) throw new BusinessError('app_onboarding.file_type');
  const { prisma } = deps.services;
  const saved = await prisma.$transaction(async (tx) => {
    // Serialises concurrent uploads to one onboarding, so the per-material limit holds.
    await tx.$queryRaw`SELECT id FROM "ApplicationOnboarding" WHERE id = ${id}::uuid FOR UPDATE`;
    if ((await tx.applicationMaterialFile.count({ where: { onboardingId: id, code } })) >= MAX_FILES_PER_MATERIAL)
      throw new BusinessError('app_onboarding.too_many_files');
    const row = await tx.applicationMaterialFile.create({
      data: {
        onboardingId: id,
        code,
        fileName,
        mimeType,
        size: file.size,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
        data: new Uint8Array(file.buffer),
        uploadedById: actor.userId,
      },
      select: { id: true, fileName: true, mimeType: true, size: true, createdAt: true },
    });
    await tx.auditLog.create(auditOf(actor, 'app-onboarding.upload', `app-onboarding:${id}`, { code, fileId: row.id, fileName }));
    return row;
  });
  return { id: saved.id, code, fileName: saved.fileName, mimeType: saved.mimeType, size: saved.size, uploadedAt: saved.createdAt.toISOString() };
}

export async function deleteMaterialFile(deps: AppDeps, actor: Actor, id: string, fileId: string) {
  const onboarding = await find(deps, id, actor);
  const { prisma } = deps.services;
  const file = await prisma.applicationMaterialFile.findFirst({ where: { id: fileId, onboardingId: id }, select: { code: true, fileName: true } });
  if (!file) throw new BusinessError('resource.not_found', '材料文件不存在');
  const item = materialChecklist(onboarding.scenario as unknown as OnboardingScenario).find((m) => m.code === file.code);
  // A file of a material no longer on the checklist may go in any editable stage.
  if (!EDITABLE[onboarding.status] || (item && EDITABLE[onboarding.status] !== item.stage)) throw new BusinessError('app_onboarding.wrong_stage');
  await prisma.$transaction([
    prisma.applicationMaterialFile.delete({ where: { id: fileId } }),
    prisma.auditLog.create(auditOf(actor, 'app-onboarding.delete-file', `app-onboarding:${id}`, { code: file.code, fileId, fileName: file.fileName })),
  ]);
  return getOnboarding(deps, id);
}

export async function materialFile(deps: AppDeps, id: string, fileId: string, actor?: Actor) {
  if (actor) await find(deps, id, actor);
  const file = await deps.services.prisma.applicationMaterialFile.findFirst({ where: { id: fileId, onboardingId: id } });
  if (!file) throw new BusinessError('resource.not_found', '材料文件不存在');
  return file;
}

async function checkMaterials(deps: AppDeps, onboarding: ApplicationOnboarding, stage: MaterialStage) {
  const files = await deps.services.prisma.applicationMaterialFile.findMany({ where: { onboardingId: onboarding.id }, select: { code: true } });
  const missing = missingMaterials(
    onboarding.scenario as unknown as OnboardingScenario,
    stage,
    files.map((f) => f.code),
  );
  if (missing.length) throw new BusinessError('app_onboarding.materials_missing', `尚未上传必需材料：${missing.map((m) => m.description).join('、')}`);
}

/**
 * 提交审核: the first submission starts the workflow (the draft becomes
 * IN_REVIEW in the same step, so it cannot start twice); after a return it
 * hands the corrected material to the waiting workflow.
 */
export async function submitOnboarding(deps: AppDeps, actor: Actor, id: string) {
  const onboarding = await find(deps, id, actor);
  if (onboarding.status !== 'DRAFT' && onboarding.status !== 'RETURNED') throw new BusinessError('app_onboarding.wrong_stage');
  await checkMaterials(deps, onboarding, 'ONBOARDING');
  const { prisma } = deps.services;
  if (onboarding.status === 'RETURNED') {
    await runUpdate(deps, onboarding.workflowId!, resubmitMaterialsUpdate, { userId: actor.userId }, 'app_onboarding.wrong_stage');
    await audit(deps, actor, 'app-onboarding.resubmit', id);
    return getOnboarding(deps, id);
  }
  const workflowId = applicationOnboardingWorkflowId(id);
  const { count } = await prisma.applicationOnboarding.updateMany({
    where: { id, status: 'DRAFT' },
    data: { status: 'IN_REVIEW', workflowId, submittedAt: deps.services.clock.now() },
  });
  if (count === 0) throw new BusinessError('app_onboarding.wrong_stage');
  await startFlow(deps, actor, applicationOnboardingWorkflow, {
    workflowId,
    args: [{ onboardingId: id, customerName: onboarding.customerName, submittedById: actor.userId }],
    businessKey: `app-onboarding/${onboarding.customerName}/${id.slice(0, 8)}`,
    what: '应用开通流程',
    undo: () => prisma.applicationOnboarding.update({ where: { id }, data: { status: 'DRAFT', workflowId: null, submittedAt: null } }),
  });
  await audit(deps, actor, 'app-onboarding.submit', id);
  return getOnboarding(deps, id);
}

/** 提交上线申请: the application form and test report go to review. */
export async function submitGoLive(deps: AppDeps, actor: Actor, id: string) {
  const onboarding = await find(deps, id, actor);
  if (onboarding.status !== 'TESTING') throw new BusinessError('app_onboarding.wrong_stage');
  await checkMaterials(deps, onboarding, 'GO_LIVE');
  await runUpdate(deps, onboarding.workflowId!, submitGoLiveUpdate, { userId: actor.userId }, 'app_onboarding.wrong_stage');
  await audit(deps, actor, 'app-onboarding.submit-go-live', id);
  return getOnboarding(deps, id);
}
