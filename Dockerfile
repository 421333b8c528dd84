# One image for the worker and the web server; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# patches/: fixes to dependencies applied by postinstall (patch-package).
COPY package.json package-lock.json ./
COPY patches ./patches
# `npm install`, not `npm ci`: see .ci/run about the lockfile and other platforms' optional packages.
RUN npm install --no-audit --no-fund
COPY . .
RUN npx tsx worker/build-bundle-cli.ts /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
USER node
CMD ["node", "--import", "tsx", "web/main.ts"]
