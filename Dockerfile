# One image for the worker and the web server; docker-compose.yml picks the command.
# Node 22 (maintenance LTS): Node 20 reached its end of life in April 2026.
FROM node:22.12.0-bookworm-slim
# Chromium renders the letters (PDF); fonts for French text.
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production CHROMIUM_PATH=/usr/bin/chromium
# patches/: fixes to dependencies applied by postinstall (patch-package).
COPY package.json package-lock.json ./
COPY patches ./patches
# Exactly the lockfile, runtime dependencies only (tsx runs the TypeScript sources).
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN npx tsx worker/build-bundle-cli.ts /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "web/main.ts"]
