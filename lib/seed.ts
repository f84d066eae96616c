import { hash } from '@node-rs/argon2';
import type { PrismaClient, Role } from '@prisma/client';

/**
 * Demo data for the embedded default: one service provider, two applications
 * (so tenant isolation can be seen), and one user per role. Idempotent.
 * The passwords are documented in the README; production never runs this.
 */
export const DEMO_USERS: { username: string; password: string; role: Role; displayName: string; appNo?: string }[] = [
  { username: '1001001', password: 'Demo@2026', role: 'APPLICATION', displayName: '示例商城平台', appNo: '1001001' },
  { username: '1001002', password: 'Demo@2026', role: 'APPLICATION', displayName: '示例连锁平台', appNo: '1001002' },
  { username: 'operator', password: 'Operator@2026', role: 'OPERATOR', displayName: '总部运营' },
  { username: 'reviewer', password: 'Reviewer@2026', role: 'REVIEWER', displayName: '分公司审核员' },
  { username: 'provider', password: 'Provider@2026', role: 'SERVICE_PROVIDER', displayName: '示例服务商' },
];

export async function seedDemo(prisma: PrismaClient): Promise<void> {
  const provider =
    (await prisma.serviceProvider.findFirst({ where: { name: '深圳示例科技服务商' } })) ??
    (await prisma.serviceProvider.create({ data: { name: '深圳示例科技服务商' } }));
  const apps = [
    { appNo: '1001001', name: '示例商城', fundMode: 'POST_SETTLEMENT' as const, contactEmail: 'ops@mall.example' },
    { appNo: '1001002', name: '示例连锁', fundMode: 'REALTIME_SETTLEMENT' as const, contactEmail: 'ops@chain.example' },
  ];
  for (const app of apps) {
    await prisma.application.upsert({
      where: { appNo: app.appNo },
      update: {},
      create: { ...app, serviceProviderId: provider.id },
    });
  }
  for (const u of DEMO_USERS) {
    if (await prisma.user.findUnique({ where: { username: u.username } })) continue;
    const application = u.appNo ? await prisma.application.findUniqueOrThrow({ where: { appNo: u.appNo } }) : null;
    await prisma.user.create({
      data: {
        username: u.username,
        passwordHash: await hash(u.password),
        role: u.role,
        displayName: u.displayName,
        applicationId: application?.id ?? null,
        serviceProviderId: u.role === 'SERVICE_PROVIDER' ? provider.id : null,
      },
    });
  }
}
