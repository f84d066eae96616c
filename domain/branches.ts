/** 分公司 (branch offices): the branch that holds what no branch recorded, made by the migration that introduced branches. */
export const HQ_BRANCH_ID = '00000000-0000-4000-8000-000000000001';
export const HQ_BRANCH = { code: 'HQ', name: '总部直属' } as const;
