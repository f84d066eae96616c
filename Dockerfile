# The application image: API, worker and web server (one image; docker-compose.yml picks the command).
# Two stages: the build stage has the whole toolchain (TypeScript, vite, the Prisma CLI for
# `prisma generate`); the runtime stage has production dependencies, the compiled JavaScript, the
# prebuilt workflow bundle, the built web UI, the generated Prisma client and the SQL migrations —
# no TypeScript toolchain, no Prisma CLI (migrations run with `node dist/scripts/migrate.js`).

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CHECKPOINT_DISABLE=1
COPY package.json package-lock.json ./
COPY scripts/prisma.mjs scripts/prisma.mjs
COPY prisma prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --ignore-scripts: postinstall would run `prisma generate`, a development tool; the client it
# generated in the build stage is copied instead.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/node_modules/.prisma node_modules/.prisma
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
COPY prisma/migrations prisma/migrations
EXPOSE 3000 3001
CMD ["node", "dist/api/main.js"]
