# The application image: API, worker and web UI (one image; docker-compose.yml picks the command).
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
EXPOSE 3000 3001
CMD ["node", "--import", "tsx", "api/main.ts"]
