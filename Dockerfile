# mlobs as a container: the image the compose stack (deploy/compose/) runs on a schedule.
# Build: docker build -t mlobs .    Run: docker run --rm -v "$PWD:/data" mlobs report -r /data/ref.csv -c /data/cur.csv -o /data/out

FROM node:20.18.1-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20.18.1-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
COPY bin ./bin
COPY templates ./templates
# Mount points owned by the unprivileged user, so fresh named volumes mounted there are writable by it.
RUN mkdir -p /textfile /reports && chown node:node /textfile /reports
USER node
ENTRYPOINT ["node", "/app/bin/mlobs.js"]
CMD ["--help"]
