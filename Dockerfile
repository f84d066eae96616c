# The application image: API, worker and the built web UI (one image, two commands).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production CHECKPOINT_DISABLE=1
COPY package.json package-lock.json ./
COPY scripts/prisma.mjs scripts/prisma.mjs
COPY prisma prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build --config web/vite.config.ts --logLevel error
EXPOSE 3000
# docker-compose.yml picks the command: api, worker or migrate.
CMD ["npx", "tsx", "api/main.ts"]
