# Millrace application image. Multi-stage: dependencies are installed (and native modules built) in a full
# image, then copied into a slim runtime that runs as a non-root user. TypeScript runs directly on Node 24's
# type stripping, so the sources are the program.
#
#   docker build -t millrace .
#   docker run -e KAFKA_BOOTSTRAP_SERVERS=kafka:9092 -p 8080:8080 millrace

FROM node:24-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; lmdb and classic-level build or fetch their native binaries here.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    MILLRACE_STATE_DIR=/var/lib/millrace
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json millrace.example.yaml ./
COPY src ./src
COPY state ./state
COPY processors ./processors
COPY topology ./topology
# millrace.yaml is optional (the example is the fallback); mount or COPY your own over it.
RUN mkdir -p /var/lib/millrace && chown -R node:node /var/lib/millrace
USER node
EXPOSE 8080
VOLUME ["/var/lib/millrace"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A 64 MiB young generation: see docs/cli.md "Node.js flags".
ENTRYPOINT ["node", "--max-semi-space-size=64", "src/cli/main.ts"]
CMD ["run"]
