// `nnc playground [--port N]`: serves the playground (issue 20; the static site in docs/playground/, built by
// scripts/build-playground.mjs) on 127.0.0.1 only. Plain files; the page needs no network (no CDN) and the
// server reaches none.
import type { Command } from "commander";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors.js";
import { withExamples } from "./help.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** docs/playground/ of the package this file belongs to (src/commands/ under tsx, dist/ when bundled). */
export function playgroundDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "docs", "playground", "index.html"))) return join(dir, "docs", "playground");
    const parent = dirname(dir);
    if (parent === dir) throw new UserError("the playground is not built (no docs/playground/index.html): run npm run playground:build");
    dir = parent;
  }
}

/** The request's path, percent-decoded; null when its escapes are malformed. */
function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url, "http://127.0.0.1").pathname);
  } catch {
    return null;
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UserError(`--port: ${value} is not a port number (0–65535; 0 picks a free one)`);
  return port;
}

/**
 * A server of the plain files under `root` (a folder's index.html for its path): 404 for anything outside
 * `root` or not a file, 400 for a malformed escape. Also what test/playground serves its test page with.
 */
export function staticServer(root: string): Server {
  return createServer((request, response) => {
    const path = decodedPath(request.url ?? "/");
    if (path === null) {
      // A malformed escape (`/%E0%A4%A`): answered, not thrown (a throw here would end the server).
      response.writeHead(400, { "content-type": "text/plain" }).end("bad request\n");
      return;
    }
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" }).end(readFileSync(file));
  });
}

export function register(program: Command): void {
  const command = program
    .command("playground")
    .description("serve the playground (edit a spec, see its module, train it in the page) on http://127.0.0.1")
    .option("--port <n>", "the port (0 picks a free one)", parsePort, 8123)
    .action(async (options: { port: number }) => {
      const root = playgroundDir();
      const server = staticServer(root);
      await new Promise<void>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) =>
          reject(error.code === "EADDRINUSE" ? new UserError(`--port: ${options.port} is in use (pick another, or 0 for a free one)`) : error),
        );
        server.listen(options.port, "127.0.0.1", resolve);
      });
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : options.port;
      process.stdout.write(`nnc playground: http://127.0.0.1:${port}/ (Ctrl-C stops)\n`);
    });
  withExamples(command, ["nnc playground", "nnc playground --port 9000"]);
}
