import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Served } from '../serve';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * nginx as a reverse proxy to the same upstream, for reference (only where `which nginx`
 * finds it): one worker process, upstream keep-alive, no access log, no buffering to disk.
 */
export async function startNginx(nginx: string, upstreamPort: number, cpus?: string): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'ficus-bench-nginx-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
error_log ${join(dir, 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  keepalive_requests 1000000;
  upstream stub { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://stub;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`,
  );
  const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'];
  // Pinned like the other proxies (its worker inherits the affinity).
  const child: ChildProcess = cpus
    ? spawn('taskset', ['-c', cpus, nginx, ...args], { stdio: ['ignore', 'inherit', 'inherit'] })
    : spawn(nginx, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  let exited = false;
  child.on('exit', () => (exited = true));
  for (let i = 0; i < 100 && !(await answers(port)); i++) {
    if (exited) throw new Error(`nginx exited at start; see ${join(dir, 'error.log')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    detail: `${nginx}, 1 worker, upstream keepalive 64`,
    close: async () => {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
