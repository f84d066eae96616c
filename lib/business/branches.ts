/**
 * 分公司: what a branch holds, for scoping what its staff see. A branch's items (review items,
 * migrations, customers) are read through their application's branch now, or through the person who
 * filed them, so moving an application moves them with it.
 */
import type { PrismaClient } from '@prisma/client';

export async function branchHoldings(prisma: PrismaClient, branchId: string): Promise<{ applicationIds: string[]; staffIds: string[] }> {
  const [apps, staff] = await Promise.all([
    prisma.application.findMany({ where: { branchId }, select: { id: true } }),
    prisma.user.findMany({ where: { branchId }, select: { id: true } }),
  ]);
  return { applicationIds: apps.map((a) => a.id), staffIds: staff.map((u) => u.id) };
}
